"""Text around the map: a region's events with safe links and badges, and each frame's alt text."""

from __future__ import annotations

import pandas as pd

from geo.aggregate import Mode

TIME_PRECISION_BADGES = {1: "exact day", 2: "approximate day", 3: "within the month"}
GEO_PRECISION_BADGES = {1: "exact place", 2: "nearby town", 3: "region-level"}
SAFE_SCHEMES = ("http://", "https://")
ONE_DAY = pd.Timedelta(days=1)


def region_events(
    events: pd.DataFrame,
    region_id: str,
    date: pd.Timestamp,
    mode: Mode = "cumulative",
    window_days: int = 3,
    *,
    frame: pd.Timedelta = ONE_DAY,
) -> pd.DataFrame:
    """The region's events shown on `date` under `mode`, newest first, ready to list.

    Links keep only http(s) URLs, so a `javascript:` or `data:` URL in user data never becomes a
    link; the precision codes become words. `frame` is the length of one step (a day, or an
    hour when the view steps by hour): "daily" means that frame, "window" the last k frames.
    """
    if frame >= ONE_DAY:
        date = pd.Timestamp(date).normalize()
    start = {
        "daily": date,
        "window": date - frame * (window_days - 1),
        "cumulative": pd.Timestamp.min,
    }[mode]
    chosen = events[
        (events["region_id"] == region_id)
        & (events["event_date"] >= start)
        & (events["event_date"] <= date)
    ]
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
            "links": [safe_links(value) for value in chosen["source_url"]],
            "time": _clock_times(chosen),
            "disputed": chosen.get("disputes"),
            "when": chosen["time_precision"].map(TIME_PRECISION_BADGES),
            "where": chosen["geo_precision"].map(GEO_PRECISION_BADGES),
        }
    )
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


def safe_links(value: object) -> list[str]:
    """The http(s) URLs in a ' | '-separated field; anything else is dropped."""
    if not isinstance(value, str):
        return []
    urls = (part.strip() for part in value.split("|"))
    return [url for url in urls if url.lower().startswith(SAFE_SCHEMES) and " " not in url]


def frame_alt_text(
    onsets: pd.DataFrame, region_count: int, date: pd.Timestamp, *, step: str = "day"
) -> str:
    """What a frame of the map shows, in words (the same sentence the map carries as its
    aria-label): "2022-01-04: 12 of 17 regions affected; new that day: Almaty, …"."""
    dated = onsets.dropna(subset=["onset_date"])
    frame = pd.Timestamp(date) if step == "hour" else pd.Timestamp(date).normalize()
    affected = int((dated["onset_date"] <= frame).sum())
    fresh = ", ".join(dated.loc[dated["onset_date"] == frame, "unit"])
    label = f"{frame:%Y-%m-%d %H:00}" if step == "hour" else f"{frame:%Y-%m-%d}"
    text = f"{label}: {affected} of {region_count} regions affected"
    return text + (f"; new that {step}: {fresh}." if fresh else ".")
