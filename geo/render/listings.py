"""Text around the map: a region's events with safe links and badges, and each frame's alt text."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from geo.analysis.aggregate import DEFAULT_WINDOW_DAYS, Mode, frame_window, values_at
from geo.analysis.spread import unrest_types
from geo.render.frames import frame_text
from geo.render.htmlsafe import markdown_link, markdown_text
from geo.schema import GEO_PRECISION_LABELS, TIME_PRECISION_LABELS, is_web_link


def region_events(
    events: pd.DataFrame,
    region_id: str,
    date: pd.Timestamp,
    mode: Mode = "cumulative",
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    step: str = "day",
) -> pd.DataFrame:
    """The region's events shown on `date` under `mode`, newest first, ready to list.

    The frames counted are `geo.analysis.aggregate.frame_window`'s, as on the map. Each source is
    its own link column (`source_1`, `source_2`, …), keeping only http(s) URLs, so a `javascript:`
    or `data:` URL in user data never becomes a link; the precision codes become words.
    """
    start, end = frame_window(date, mode, window_days, step=step)
    stamps = events["event_date"] if step == "hour" else events["event_date"].dt.normalize()
    chosen = events[(events["region_id"] == region_id) & (stamps >= start) & (stamps <= end)]
    listed = pd.DataFrame(
        {
            "date": chosen["event_date"].dt.date,
            "place": chosen["location"],
            "type": chosen["event_type"],
            "sub_type": chosen["sub_event_type"],
            "notes": chosen["notes"],
            "deaths": chosen["fatalities"],
            "deaths_reported_by": chosen.get("fatalities_source"),
            "source": chosen["source"],
            "time": _clock_times(chosen),
            "disputed": chosen.get("disputes"),
            "when": chosen["time_precision"].map(TIME_PRECISION_LABELS),
            "where": chosen["geo_precision"].map(GEO_PRECISION_LABELS),
        }
    )
    listed = pd.concat([listed, link_columns(chosen["source_url"], index=listed.index)], axis=1)
    return listed.iloc[::-1].reset_index(drop=True)


def _clock_times(events: pd.DataFrame) -> pd.Series | None:
    """The local time a source gives ("16:37", "~20:00" when approximate), if the data has times:
    the bundled record's `event_time`, else the time of `event_datetime` (uploads)."""
    if "event_time" in events:
        approximate = events.get("event_time_precision") == "approximate"
        return events["event_time"].where(~approximate, "~" + events["event_time"])
    if "event_datetime" in events:
        stamps = pd.to_datetime(events["event_datetime"])
        return stamps.dt.strftime("%H:%M").where(stamps.notna())
    return None


def region_event_entries(listed: pd.DataFrame) -> list[str]:
    """`region_events`' rows as Markdown paragraphs a reader can read in a narrow column: when
    and where, the kind of event, what happened, deaths and who reported them, how exact the
    date and place are, other sources' claims, and each source as its own link (named by its
    site). Every data value is escaped; empty values are left out, never shown as "None"."""
    entries = []
    for row in listed.itertuples(index=False):
        when = f"{pd.Timestamp(row.date):%a %d %b}"
        if _given(getattr(row, "time", None)):
            when += f", {row.time}"
        head = f"**{markdown_text(when)} · {markdown_text(row.place)}**"
        kind = " · ".join(markdown_text(k) for k in (row.type, row.sub_type) if _given(k))
        lines = [f"{head} · {kind}" if kind else head]
        if _given(row.notes):
            lines.append(markdown_text(row.notes))
        facts = []
        if _given(row.deaths) and int(row.deaths) > 0:
            who = getattr(row, "deaths_reported_by", None)
            facts.append(
                f"Deaths: {int(row.deaths)}"
                + (f" (reported by {markdown_text(who)})" if _given(who) else "")
            )
        precision = [p for p in (row.when, row.where) if _given(p)]
        if precision:
            facts.append(markdown_text(", ".join(precision)))
        if _given(getattr(row, "disputed", None)):
            facts.append(f"Other sources say: {markdown_text(row.disputed)}")
        if facts:
            lines.append(" · ".join(facts))
        links = [
            markdown_link(_site(url), url)
            for column, url in zip(listed.columns, row, strict=True)
            if column.startswith("source_") and _given(url)
        ]
        if links:
            lines.append("Sources: " + ", ".join(links))
        elif _given(row.source):
            lines.append(f"Source: {markdown_text(row.source)}")
        entries.append("  \n".join(lines))
    return entries


def _given(value: object) -> bool:
    return (
        value is not None
        and not (not isinstance(value, str) and pd.isna(value))
        and (str(value).strip() != "")
    )


def _site(url: str) -> str:
    """A source link's words: the site's name (kursiv.media), not the whole address."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def link_columns(values: pd.Series, *, index: pd.Index | None = None) -> pd.DataFrame:
    """One column per source (`source_1`, `source_2`, …) of ' | '-separated URL fields, each a
    single http(s) URL or empty, so that every source can be its own clickable link."""
    links = [safe_links(value) for value in values]
    width = max((len(found) for found in links), default=0)
    return pd.DataFrame(
        {
            f"source_{k + 1}": [found[k] if k < len(found) else None for found in links]
            for k in range(width)
        },
        index=values.index if index is None else index,
        dtype=object,
    )


def safe_links(value: object) -> list[str]:
    """The http(s) URLs in a ' | '-separated field; anything else is dropped."""
    if not isinstance(value, str):
        return []
    urls = (part.strip() for part in value.split("|"))
    return [url for url in urls if is_web_link(url)]


def frame_alt_text(
    onsets: pd.DataFrame, region_count: int, date: pd.Timestamp, *, step: str = "day"
) -> str:
    """What a frame of the map shows, in words (the same sentence the map carries as its
    aria-label): "2022-01-04: 12 of 17 regions where the unrest has begun; new that day:
    Almaty, …". Named so it cannot be taken for the regions with any event (see
    `regions_with_events`)."""
    dated = onsets.dropna(subset=["onset_date"])
    frame = pd.Timestamp(date) if step == "hour" else pd.Timestamp(date).normalize()
    affected = int((dated["onset_date"] <= frame).sum())
    fresh = ", ".join(dated.loc[dated["onset_date"] == frame, "unit"])
    begun = f"{affected} of {region_count} regions where the unrest has begun"
    text = f"{frame_text(frame, step, 'alt')}: {begun}"
    return text + (f"; new that {step}: {fresh}." if fresh else ".")


ONSET_LISTING_COLUMNS = (
    "onset_rank",
    "unit",
    "onset_date",
    "days_since_origin",
    "distance_km",
    "first_place",
)
ONSET_NOTES = ("disputes", "note")
"""Columns the bundled record adds to its onsets: what other sources say, and why not."""


def onset_listing(onset_table: pd.DataFrame) -> pd.DataFrame:
    """The onset table as the Spread tab lists it: the first event of each unit and each of its
    sources as its own link column (a ' | '-joined field is several links, not one)."""
    shown = [*ONSET_LISTING_COLUMNS, *(c for c in ONSET_NOTES if c in onset_table)]
    table = pd.DataFrame({column: onset_table[column] for column in shown}, index=onset_table.index)
    return pd.concat([table, link_columns(onset_table["first_source_url"])], axis=1)


def region_table(
    regions: pd.DataFrame,
    counts: pd.DataFrame,
    onset_table: pd.DataFrame,
    date: pd.Timestamp,
    mode: Mode,
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    step: str = "day",
) -> pd.DataFrame:
    """What each region shows on the map for a view: its events and reported deaths counted as
    the map counts them (`geo.analysis.aggregate.values_at`), and its onset; most events first."""
    values = values_at(counts, date, mode, window_days, step=step)
    onsets = onset_table[["region_id", "onset_date", "days_since_origin"]]
    table = (
        regions[["region_id", "name_en"]]
        .merge(values, on="region_id", how="left", validate="one_to_one")
        .merge(onsets, on="region_id", how="left", validate="one_to_one")
    )
    return table.sort_values(["events", "name_en"], ascending=[False, True], ignore_index=True)


def regions_with_events(table: pd.DataFrame) -> int:
    """Regions with at least one event of any type (decisions and emergency rule included) in
    the view's frames: not the map's "regions where the unrest has begun", which counts regions
    whose first event of the categories counted as unrest has happened (`frame_alt_text`)."""
    return int((table["events"] > 0).sum())


STORY_TITLE = "Qantar: how the January 2022 unrest spread across Kazakhstan"
"""The bundled record's story, as the dashboard, its exports and its edition name it."""


def story_title(dataset) -> str:
    """What a page of `dataset` (a geo.pipeline.Dataset) is about, not its file's name: the
    bundled record's story, or the events of an upload in Kazakhstan over its days."""
    if dataset.bundled:
        return STORY_TITLE
    days = dataset.events["event_date"]
    span = f"{days.min():%d %b %Y} – {days.max():%d %b %Y}"
    return f"Qantar: events in Kazakhstan, {span} (from {dataset.name})"


UNREST_WORDS = {
    "Protests": "protest",
    "Riots": "riot",
    "Battles": "clash",
    "Violence against civilians": "attack on civilians",
    "Explosions/Remote violence": "explosion",
}
"""ACLED's unrest types as a reader names one event of each."""


def onset_noun(dataset) -> str:
    """What a region's onset is the first of, in a reader's words, for the events the view
    counts (a geo.pipeline.Dataset, filtered or not): "protest" with the Protests filter, "riot
    or clash" for two types; "unrest event" for three or more, and for a file's own categories
    (short enough for a legend title)."""
    counted = dataset.unrest_types or unrest_types(dataset.events["event_type"])
    present = set(dataset.events["event_type"].dropna().astype(str))
    words = [UNREST_WORDS.get(kind) for kind in counted if kind in present]
    if not words or None in words:
        return "unrest event"
    words = list(dict.fromkeys(words))
    return " or ".join(words) if len(words) <= 2 else "unrest event"
