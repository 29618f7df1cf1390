"""Altair charts of the unrest over time: the national timeline, units affected, onset distance.

Plain DataFrames in, `alt.Chart`/`alt.LayerChart` out; no Streamlit. Days go to Vega-Lite as
"YYYY-MM-DD" strings, which browsers parse as UTC midnight, and every time scale is a UTC scale,
so a bar covers its calendar day whatever the viewer's time zone. Marks that stand for a day
(rules, deaths) sit at its noon, in the middle of its bar.

The timeline has a point selection named `SELECTION_NAME` ("day") on the bars' `date`; read what
`st.altair_chart(..., on_select="rerun")` returns with `selected_date`.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from geo.analysis.spread import Origin, SpreadFit
from geo.checks import plain_day, plain_days, require_columns
from geo.errors import ArgumentError
from geo.record.zones import NATIONAL_ZONE
from geo.render.style import (
    AFFECTED_UNIT_COLOUR,
    CONNECTIVITY_BADGES,
    CUT_SHADE,
    DEATHS_COLOUR,
    EARLIER_UNITS_COLOUR,
    GUIDE_INK,
    INK,
    LABEL_INK,
    NEW_UNITS_COLOUR,
    OTHER_TYPE_COLOUR,
    TEXT_INK,
    WINDOW_FILL,
)

SELECTION_NAME = "day"
"""Name of the timeline's point selection: Streamlit returns it under this key."""
DAY_SHOWN = "Day shown"
"""Description of the bold rule at the day shown (and its tooltip's title)."""
LABEL_ROW_PX = 13
"""Vertical distance between two rows of milestone labels above the timeline."""
_CHAR_PX = 5.6
"""Rough width of one character of a 10 px label, to keep labels from overlapping."""
_LABEL_GAP_PX = 6
_DAY = pd.Timedelta(days=1)
_NOON = pd.Timedelta(hours=12)
_AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")
"""Fit the width (Streamlit stretches it to the container) but keep the plot's height: with
Streamlit's default "fit", labels above the plot and the legend would squeeze the bars flat."""
_X_AXIS = alt.Axis(format="%-d %b", labelAngle=0, tickCount="day", labelOverlap=True)
"""Every layer of a time chart repeats the same axis, so that Vega-Lite merges them into one."""


def timeline_chart(
    per_day_by_type: pd.DataFrame,
    fatalities_per_day: pd.DataFrame | None,
    context: pd.DataFrame | None,
    current_date,
    *,
    type_colours: Mapping[str, str],
    days: tuple | None = None,
    connectivity: pd.DataFrame | None = None,
    width: int = 720,
    height: int = 180,
) -> alt.LayerChart:
    """Stacked bars of events per day by type, with reported deaths, milestones and the day shown.

    - `per_day_by_type`: date, event_type, events (as `geo.events_per_day` returns).
    - `fatalities_per_day`: date, fatalities (national sums of reported deaths) or None; only
      days with a reported death are drawn (◆ and the number, right-hand axis).
    - `context`: `geo.load_context()` or None; windows are shaded and bracketed, point
      milestones are rules; their labels are staggered in rows above the bars.
    - `current_date`: the day shown elsewhere (bold rule), or None.
    - `type_colours`: event type → colour (e.g. `geo.render.style.EVENT_TYPE_COLOURS`); other types
      are grey. `days` = (first, last) fixes the days shown, e.g. to line up with another chart.
    - `connectivity`: geo.record.connectivity.load_connectivity() or None; the national
      intervals of a cut are shaded bands, labelled with their badge (times in the capital's
      zone, as the days are).

    Clicking a bar selects its day in the point selection "day" (see `selected_date`).
    """
    bars = _bar_frame(per_day_by_type, type_colours)
    deaths = _deaths_frame(fatalities_per_day)
    first, last = _day_span([bars["date"], deaths["date"]], context, current_date, days)
    x_scale = _x_scale(first, last)
    marks = _context_frames(context, first, last, width)
    cuts = _cut_bands(connectivity, first, last)
    layers = [
        *_cut_layers(cuts, x_scale, height),
        *_window_layers(marks.windows, x_scale, height),
        _bar_layer(bars, x_scale, type_colours),
        *_deaths_layers(deaths, x_scale),
        *_milestone_layers(marks.points, marks.labels, x_scale, height),
        *_current_day_layers(current_date, x_scale),
    ]
    return (
        alt.layer(*layers)
        .resolve_scale(y="independent", color="independent")
        .properties(
            width=width,
            height=height,
            autosize=_AUTOSIZE,
            title=_title(
                "Events per day, by type", subtitle=_timeline_subtitle(marks, deaths, cuts)
            ),
            description=_timeline_description(bars, deaths, marks, current_date, first, last)
            + _cuts_sentence(cuts),
        )
    )


def selected_date(selection_state: Mapping | Sequence | None) -> pd.Timestamp | None:
    """The day picked in the timeline, from what `st.altair_chart(on_select="rerun")` returned.

    Accepts the whole state (`{"selection": {"day": [...]}}`), its `selection` (`{"day": [...]}`)
    or the list under "day". Streamlit 1.67 gives a point selection as a list of dicts, one per
    selected point, e.g. `[{"date": "2022-01-05T00:00:00.000Z"}]` (Vega serialises the parsed
    date as UTC ISO text; epoch milliseconds such as 1641340800000 are accepted too). With
    several points (shift-click) the last wins. Returns a timezone-naive midnight Timestamp, or
    None when nothing (or nothing readable) is selected. The value is rounded to the nearest day,
    so a day start shifted by a browser's UTC offset still gives the right day.
    """
    value = _selected_value(selection_state)
    return None if value is None else _parse_day(value)


def with_day_shown(spec: dict, current_date) -> dict:
    """`spec` with the day shown: what `.to_dict()` of the chart drawn with `current_date` gives.

    `spec` is `timeline_chart(...)` or `units_affected_chart(...)` drawn with `current_date=None`,
    as a dict. Adding the bold rule and the description's sentence to it is a few dict operations,
    where drawing and validating the chart again costs hundreds of milliseconds, so a view can
    cache the spec per dataset and move only the day. The day must lie on the chart's time scale
    (a chart drawn without a day spans its data, its milestones and `days`).
    """
    day = plain_day(current_date, "current_date")
    x = _time_encoding(spec)
    first, end = (
        pd.Timestamp(year=d["year"], month=d["month"], day=d["date"]) for d in x["scale"]["domain"]
    )
    if not first <= day < end:
        raise ArgumentError(f"current_date {day:%Y-%m-%d} is outside the chart's days")
    values = [
        {"at": _iso_z_one(day + _NOON), "date": f"{day:%Y-%m-%d}", "day_text": _long_day(day)}
    ]
    name = "data-" + hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]
    rule = {
        "data": {"name": name},
        "mark": {"type": "rule", "color": INK, "description": DAY_SHOWN, "strokeWidth": 3},
        "encoding": {
            "tooltip": [{"field": "day_text", "title": DAY_SHOWN, "type": "nominal"}],
            "x": {**x, "field": "at", "type": "temporal", "title": "Date"},
        },
    }
    return {
        **spec,
        "layer": [*spec["layer"], rule],
        "datasets": {**spec.get("datasets", {}), name: values},
        "description": spec["description"] + _day_shown_sentence(day),
    }


def inline_data(spec: dict) -> dict:
    """`spec` with each layer's named dataset written into the layer (`data.values`).

    The same chart: Vega-Lite reads rows the same way from either place. Streamlit converts
    every entry of a spec's top-level `datasets`, and the top-level view's own `data`, to an
    Arrow table on every call (milliseconds each, on every rerun), while rows inside a layer
    travel as part of the spec's JSON. So the top-level view's data, which its layers inherit,
    is written into each layer that has none of its own.
    """
    datasets = spec.get("datasets", {})
    used: set[str] = set()

    def inlined(view: dict, inherited: dict | None = None) -> dict:
        view = {**view}
        if "data" not in view and inherited is not None:
            view["data"] = inherited
        name = view.get("data", {}).get("name")
        if name in datasets:
            view["data"] = {"values": datasets[name]}
            used.add(name)
        if "layer" in view:
            view["layer"] = [inlined(layer) for layer in view["layer"]]
        return view

    result = {**spec}
    if "layer" in spec:
        top = result.pop("data", None)
        result["layer"] = [inlined(layer, top) for layer in spec["layer"]]
    remaining = {name: rows for name, rows in datasets.items() if name not in used}
    if remaining:
        result["datasets"] = remaining
    else:
        result.pop("datasets", None)
    return result


def units_affected_chart(
    per_day: pd.DataFrame,
    current_date,
    *,
    days: tuple | None = None,
    width: int = 720,
    height: int = 140,
) -> alt.LayerChart:
    """Bars of how many units were affected by each day: earlier ones grey, new ones marked +N.

    `per_day` is `geo.analysis.spread.units_affected_per_day(onset_table)`: date, new_units,
    cumulative_units, new_unit_names. The tooltip names the units newly affected that day.
    """
    require_columns(per_day, "per_day", ("date", "new_units", "cumulative_units", "new_unit_names"))
    first, last = _day_span([per_day["date"]], None, current_date, days)
    frame = _units_frame(per_day, last)
    x_scale = _x_scale(first, last)
    x = _day_x(x_scale)
    tooltip = [
        _date_tooltip(),
        alt.Tooltip("new_units:Q", title="Newly affected units"),
        alt.Tooltip("new_unit_names:N", title="Which"),
        alt.Tooltip("cumulative_units:Q", title="Units affected so far"),
    ]
    parts = _units_parts(frame)
    total = int(frame["cumulative_units"].max()) if len(frame) else 0
    bars = (
        alt.Chart(parts)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "units:Q",
                stack="zero",
                title="Units affected (cumulative)",
                scale=alt.Scale(domain=[0, max(total, 1) * 1.15], nice=False),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(
                    domain=["affected earlier", "newly affected"],
                    range=[EARLIER_UNITS_COLOUR, NEW_UNITS_COLOUR],
                ),
                legend=alt.Legend(title=None, orient="bottom", direction="horizontal"),
            ),
            order=alt.Order("part_order:Q"),
            tooltip=tooltip,
        )
    )
    new_labels = (
        alt.Chart(frame[frame["new_units"] > 0])
        .mark_text(dy=-6, fontSize=10, baseline="bottom")
        .encode(
            x=_day_x(x_scale),
            y=alt.Y("cumulative_units:Q"),
            text=alt.Text("new_label:N"),
            tooltip=tooltip,
        )
    )
    newest = frame.loc[frame["new_units"] > 0, "date"]
    return alt.layer(bars, new_labels, *_current_day_layers(current_date, x_scale)).properties(
        width=width,
        height=height,
        autosize=_AUTOSIZE,
        title=_title(
            "Units affected by unrest, cumulative",
            subtitle=(
                "First-level units (regions and cities) with at least one unrest event by "
                "each day; +N = newly affected that day"
            ),
        ),
        description=(
            f"Bar chart of first-level units affected by unrest, cumulative by day: "
            f"{total} unit(s) by {_long_day(newest.max()) if len(newest) else 'no day'}."
            + _day_shown_sentence(current_date)
        ),
    )


def onset_distance_chart(
    onset_table: pd.DataFrame,
    fit: SpreadFit,
    origin: Origin | None,
    *,
    width: int = 520,
    height: int = 320,
) -> alt.LayerChart:
    """Each affected unit's distance from the origin against the day it was first affected.

    `onset_table` is `geo.analysis.spread.onsets(...)` (unit, onset_date, first_place,
    days_since_origin, distance_km), `fit` its `geo.analysis.spread.spread_speed` and `origin`
    the Origin it was measured from, named in the subtitle (None: not named). The fitted line
    is drawn over the days of the points; a fit with NaN slope draws no line and the title says
    why.
    """
    require_columns(
        onset_table,
        "onset_table",
        ("unit", "onset_date", "first_place", "days_since_origin", "distance_km"),
    )
    points = _onset_points(onset_table)
    x = alt.X(
        "days_since_origin:Q",
        title="Days since the origin event (days)",
        scale=alt.Scale(zero=True, nice=False, padding=12),
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    y = alt.Y("distance_km:Q", title="Distance from the origin (km)", scale=alt.Scale(zero=True))
    tooltip = [
        alt.Tooltip("unit:N", title="Unit"),
        alt.Tooltip("onset:N", title="First affected"),
        alt.Tooltip("first_place:N", title="First place"),
        alt.Tooltip("days_since_origin:Q", title="Days since origin"),
        alt.Tooltip("distance_km:Q", title="Distance (km)", format=",.0f"),
    ]
    scatter = (
        alt.Chart(points)
        .mark_point(filled=True, size=60, color=AFFECTED_UNIT_COLOUR, description="Affected unit")
        .encode(x=x, y=y, tooltip=tooltip)
    )
    names = (
        alt.Chart(_dodged(points, height))
        .mark_text(align="left", dx=7, fontSize=10, color=TEXT_INK)
        .encode(x=x, y=alt.Y("label_km:Q"), text="unit:N", tooltip=tooltip)
    )
    layers = [scatter, names, *_fit_layers(fit, points, x, y)]
    return alt.layer(*layers).properties(
        width=width,
        height=height,
        autosize=_AUTOSIZE,
        title=_title(
            f"Distance from the origin by day first affected: {_fit_summary(fit)}",
            subtitle=_onset_subtitle(origin, fit),
        ),
        description=(
            f"Scatter plot of {len(points)} affected unit(s): days from the origin event to the "
            f"unit's first unrest event against its distance from the origin in km; "
            f"{_fit_summary(fit)}."
        ),
    )


def national_toll_chart(national: pd.DataFrame, *, width: int = 720, height: int = 150):
    """The official national death toll as it was announced: a step line over the dates given,
    each point labelled with the figure and who gave it.

    `national` is `geo.national_tolls(geo.load_official_tolls())` (deaths, given_by, given_on);
    undated figures cannot be placed and are named in the subtitle instead. These are official
    statements about the whole unrest, drawn on their own axis of announcement dates, so they
    cannot be read as the deaths that individual events report (`timeline_chart`'s ◆).
    """
    require_columns(national, "national", ["deaths", "given_by", "given_on"])
    dated = national.dropna(subset=["given_on"]).sort_values("given_on")
    undated = national[national["given_on"].isna()]
    points = pd.DataFrame(
        {
            "given_on": _iso_z(dated["given_on"]),
            "deaths": dated["deaths"].astype(int).to_numpy(),
            "given_by": dated["given_by"].to_numpy(),
            "day_text": [_long_day(day) for day in dated["given_on"]],
        }
    )
    points["label"] = _figure_labels(points)
    x = alt.X("given_on:T", title="date the figure was given", scale=alt.Scale(type="utc"),
              axis=alt.Axis(format="%-d %b %Y", labelAngle=0, labelOverlap=True))  # fmt: skip
    y = alt.Y("deaths:Q", title="official toll", scale=alt.Scale(zero=True))
    tooltip = [
        alt.Tooltip("deaths:Q", title="Official toll"),
        alt.Tooltip("given_by:N", title="Given by"),
        alt.Tooltip("day_text:N", title="Given on"),
    ]
    base = alt.Chart(points)
    line = base.mark_line(interpolate="step-after", color=DEATHS_COLOUR).encode(x=x, y=y)
    dots = base.mark_point(filled=True, color=DEATHS_COLOUR, size=50).encode(
        x=x, y=y, tooltip=tooltip
    )
    labels = base.mark_text(align="left", dx=6, dy=-8, fontSize=10).encode(x=x, y=y, text="label:N")
    subtitle = ["Official statements about the whole unrest, not deaths reported for events."]
    if len(undated):
        figures = ", ".join(_figure_labels(undated))
        subtitle.append(f"Also cited, date not given: {figures}.")
    steps = " → ".join(str(d) for d in points["deaths"])
    return alt.layer(line, dots, labels).properties(
        width=width,
        height=height,
        autosize=_AUTOSIZE,
        title=_title("Official national death toll, as announced", subtitle=subtitle),
        description=f"Official national death toll as announced: {steps}.",
    )


def _figure_labels(tolls: pd.DataFrame) -> list[str]:
    return [f"{d} ({who})" for d, who in zip(tolls["deaths"], tolls["given_by"], strict=True)]


def fit_line(fit, days: Sequence[float]) -> pd.DataFrame:
    """Two points of the fitted line, at the first and last of `days` (empty if it has no line)."""
    slope, intercept = float(fit.km_per_day), float(fit.intercept_km)
    if not (math.isfinite(slope) and math.isfinite(intercept)) or len(days) == 0:
        return pd.DataFrame({"days_since_origin": [], "distance_km": []}, dtype="float64")
    ends = np.array([min(days), max(days)], dtype="float64")
    return pd.DataFrame({"days_since_origin": ends, "distance_km": slope * ends + intercept})


# --- timeline steps ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _ContextMarks:
    windows: pd.DataFrame
    points: pd.DataFrame
    labels: pd.DataFrame


def _bar_frame(per_day_by_type: pd.DataFrame, type_colours: Mapping[str, str]) -> pd.DataFrame:
    require_columns(per_day_by_type, "per_day_by_type", ("date", "event_type", "events"))
    known = list(type_colours)
    types = per_day_by_type["event_type"].astype("string")
    order = {name: i for i, name in enumerate(known)}
    return pd.DataFrame(
        {
            "date": plain_days(per_day_by_type["date"], "per_day_by_type", "date"),
            "event_type": types.astype(object).to_numpy(),
            "events": per_day_by_type["events"].astype("int64").to_numpy(),
            "type_order": [order.get(t, len(known)) for t in types],
        }
    )


def _deaths_frame(fatalities_per_day: pd.DataFrame | None) -> pd.DataFrame:
    if fatalities_per_day is None:
        return pd.DataFrame({"date": pd.Series([], dtype="datetime64[ns]"), "fatalities": []})
    require_columns(fatalities_per_day, "fatalities_per_day", ("date", "fatalities"))
    deaths = pd.to_numeric(fatalities_per_day["fatalities"], errors="coerce").fillna(0)
    reported = deaths.to_numpy() > 0
    return pd.DataFrame(
        {
            "date": plain_days(fatalities_per_day["date"], "fatalities_per_day", "date")[reported],
            "fatalities": deaths.to_numpy()[reported].astype("int64"),
        }
    )


def _day_span(
    dates: list[pd.Series], context: pd.DataFrame | None, current_date, days: tuple | None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    if days is not None:
        first, last = (plain_day(d, "days") for d in days)
        if last < first:
            raise ArgumentError(f"days must be (first, last) with last >= first, got {days!r}")
        return first, last
    found = [pd.Timestamp(d) for series in dates for d in series.dropna()]
    if context is not None and len(context):
        found += list(context["start_date"].dropna()) + list(context["end_date"].dropna())
    if current_date is not None:
        found.append(plain_day(current_date, "current_date"))
    if not found:
        today = pd.Timestamp("2022-01-02")
        return today, today
    return min(found).normalize(), max(found).normalize()


def _x_scale(first: pd.Timestamp, last: pd.Timestamp) -> alt.Scale:
    return alt.Scale(type="utc", domain=[_utc_datetime(first), _utc_datetime(last + _DAY)])


def _day_x(x_scale: alt.Scale) -> alt.X:
    """A day field drawn over its whole calendar day (bars) on the shared UTC scale."""
    return alt.X("date:T", timeUnit="utcyearmonthdate", scale=x_scale, title="Date", axis=_X_AXIS)


def _at_x(field: str, x_scale: alt.Scale) -> alt.X:
    """An instant (ISO text with Z) on the shared UTC scale and axis."""
    return alt.X(f"{field}:T", scale=x_scale, title="Date", axis=_X_AXIS)


def _bar_layer(bars: pd.DataFrame, x_scale: alt.Scale, type_colours: Mapping[str, str]):
    present = list(dict.fromkeys(bars.sort_values("type_order")["event_type"]))
    colours = [type_colours.get(t, OTHER_TYPE_COLOUR) for t in present]
    day = alt.selection_point(name=SELECTION_NAME, fields=["date"], on="click")
    return (
        alt.Chart(_with_day_text(bars))
        .mark_bar()
        .encode(
            x=_day_x(x_scale),
            y=alt.Y("events:Q", stack="zero", title="Events per day"),
            color=alt.Color(
                "event_type:N",
                scale=alt.Scale(domain=present, range=colours),
                legend=alt.Legend(title="Event type", orient="bottom", columns=3),
            ),
            order=alt.Order("type_order:Q"),
            opacity=alt.condition(day, alt.value(1.0), alt.value(0.45)),
            tooltip=[
                _date_tooltip(),
                alt.Tooltip("event_type:N", title="Type"),
                alt.Tooltip("events:Q", title="Events"),
            ],
        )
        .add_params(day)
    )


def _deaths_layers(deaths: pd.DataFrame, x_scale: alt.Scale) -> list[alt.Chart]:
    if deaths.empty:
        return []
    frame = _with_day_text(deaths).assign(at=_noon_iso(deaths["date"]))
    y = alt.Y(
        "fatalities:Q",
        title="Reported deaths ◆ (a floor, not a toll)",
        scale=alt.Scale(zero=True, domainMin=0, nice=True),
        axis=alt.Axis(orient="right", tickMinStep=1, format="d"),
    )
    tooltip = [
        alt.Tooltip("day_text:N", title="Date"),
        alt.Tooltip("fatalities:Q", title="Deaths reported with a place and day"),
    ]
    base = alt.Chart(frame).encode(x=_at_x("at", x_scale), y=y, tooltip=tooltip)
    points = base.mark_point(
        shape="diamond",
        filled=True,
        size=70,
        color=DEATHS_COLOUR,
        stroke="white",
        strokeWidth=1,
        description="Reported deaths",
    )
    numbers = base.mark_text(dx=8, align="left", fontSize=10, color=DEATHS_COLOUR).encode(
        text="fatalities:Q"
    )
    return [alt.layer(points, numbers)]


def _context_frames(
    context: pd.DataFrame | None, first: pd.Timestamp, last: pd.Timestamp, width: int
) -> _ContextMarks:
    empty = pd.DataFrame(
        columns=["label", "start", "end", "at", "date", "dates", "source_url", "row", "label_y"]
    )
    if context is None or context.empty:
        return _ContextMarks(empty, empty, empty)
    require_columns(context, "context", ("label", "start_date", "end_date", "source_url"))
    shown = context[
        (context["start_date"] <= last)
        & (context["end_date"].fillna(context["start_date"]) >= first)
    ]
    if shown.empty:
        return _ContextMarks(empty, empty, empty)
    frame = _context_frame(shown.sort_values("start_date", kind="stable"))
    laid_out = _stagger(frame, first, last, width)
    windows = laid_out[laid_out["is_window"]].reset_index(drop=True)
    points = laid_out[~laid_out["is_window"]].reset_index(drop=True)
    return _ContextMarks(windows, points, laid_out)


def _context_frame(context: pd.DataFrame) -> pd.DataFrame:
    start = pd.to_datetime(context["start_date"]).dt.normalize()
    end = pd.to_datetime(context["end_date"]).dt.normalize()
    is_window = end.notna().to_numpy()
    dates = [
        f"{_long_day(s)} – {_long_day(e)}" if pd.notna(e) else _long_day(s)
        for s, e in zip(start, end, strict=True)
    ]
    urls = context["source_url"].astype("string").fillna("")
    if "end_source_url" in context.columns:
        end_urls = context["end_source_url"].astype("string").fillna("")
        urls = pd.Series(
            [u if not e else f"{u} | {e}" for u, e in zip(urls, end_urls, strict=True)],
            index=context.index,
        )
    return pd.DataFrame(
        {
            "label": context["label"].astype(str).to_numpy(),
            "is_window": is_window,
            "start_ts": start.to_numpy(),
            "end_ts": end.to_numpy(),
            "date": [f"{s:%Y-%m-%d}" for s in start],
            "start": _iso_z(start),
            "end": [_iso_z_one(e) if pd.notna(e) else None for e in end],
            "at": [
                _iso_z_one(s) if w else _iso_z_one(s + _NOON)
                for s, w in zip(start, is_window, strict=True)
            ],
            "dates": dates,
            "source_url": urls.astype(str).to_numpy(),
        }
    )


def _stagger(
    frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, width: int
) -> pd.DataFrame:
    """Give each label the lowest row above the plot where it overlaps no earlier label.

    Widths are estimated from the number of characters; a label that would run past the right
    edge is set to the left of its mark (`align` "right"). Windows also reserve their bracket.
    """
    span = (last + _DAY - first).total_seconds()
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for item in frame.itertuples(index=False):
        anchor = pd.Timestamp(item.start_ts) + (pd.Timedelta(0) if item.is_window else _NOON)
        x = (anchor - first).total_seconds() / span * width
        text_px = len(item.label) * _CHAR_PX + 4
        align = "left" if x + text_px <= width else "right"
        x0, x1 = (x, x + text_px) if align == "left" else (x - text_px, x)
        if item.is_window:
            end_x = (pd.Timestamp(item.end_ts) - first).total_seconds() / span * width
            x1 = max(x1, end_x)
        row = next(
            (
                i
                for i, used in enumerate(rows)
                if all(x1 + _LABEL_GAP_PX <= a or x0 >= b + _LABEL_GAP_PX for a, b in used)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append((x0, x1))
        placed.append((row, align))
    laid_out = frame.copy()
    laid_out["row"] = [row for row, _ in placed]
    laid_out["align"] = [align for _, align in placed]
    laid_out["label_y"] = -4 - laid_out["row"] * LABEL_ROW_PX
    laid_out["dx"] = np.where(laid_out["align"] == "left", 3, -3)
    return laid_out


def _window_layers(windows: pd.DataFrame, x_scale: alt.Scale, height: int) -> list[alt.Chart]:
    if windows.empty:
        return []
    frame = windows.drop(columns=["start_ts", "end_ts"])
    # The shade and the bracket span many days: they carry no `date`, so a click on them (above
    # a short bar) is not taken as the period's first day by the day selection.
    spans = frame.drop(columns="date")
    tooltip = _context_tooltip()
    shade = (
        alt.Chart()
        .mark_rect(color=WINDOW_FILL, opacity=0.15, description="Period")
        .encode(x=_at_x("start", x_scale), x2="end:T", tooltip=tooltip)
    )
    bracket = (
        alt.Chart()
        .mark_rule(color=GUIDE_INK, strokeWidth=1.5, description="Period bracket")
        .encode(
            x=_at_x("start", x_scale),
            x2="end:T",
            y=alt.Y("label_y:Q", scale=None),
            tooltip=tooltip,
        )
    )
    ends = (
        alt.Chart(frame)
        .mark_rule(color=GUIDE_INK, strokeWidth=1, strokeDash=[2, 2], description="Period start")
        .encode(
            x=_at_x("start", x_scale),
            y=alt.Y("label_y:Q", scale=None),
            y2=alt.value(height),
            tooltip=tooltip,
        )
    )
    # Layers that draw the same rows share them (one copy in the spec every rerun sends).
    return [alt.layer(shade, bracket, data=spans), ends]


def _milestone_layers(
    points: pd.DataFrame, labels: pd.DataFrame, x_scale: alt.Scale, height: int
) -> list[alt.Chart]:
    layers = []
    tooltip = _context_tooltip()
    if not points.empty:
        rules = (
            alt.Chart(points.drop(columns=["start_ts", "end_ts"]))
            .mark_rule(color=GUIDE_INK, strokeWidth=1, description="Milestone")
            .encode(
                x=_at_x("at", x_scale),
                y=alt.Y("label_y:Q", scale=None),
                y2=alt.value(height),
                tooltip=tooltip,
            )
        )
        layers.append(rules)
    if not labels.empty:
        frame = labels.drop(columns=["start_ts", "end_ts"])
        for align in ("left", "right"):
            chosen = frame[frame["align"] == align]
            if chosen.empty:
                continue
            dx = 3 if align == "left" else -3
            base = alt.Chart().encode(
                x=_at_x("at", x_scale),
                y=alt.Y("label_y:Q", scale=None),
                text="label:N",
                tooltip=tooltip,
            )
            style = {"align": align, "dx": dx, "baseline": "bottom", "fontSize": 10, "dy": -1}
            halo = base.mark_text(**style, stroke="white", strokeWidth=3, strokeOpacity=0.9)
            text = base.mark_text(**style, color=LABEL_INK)
            layers.append(alt.layer(halo, text, data=chosen))  # the halo and text share rows
    return layers


def _current_day_layers(current_date, x_scale: alt.Scale) -> list[alt.Chart]:
    if current_date is None:
        return []
    day = plain_day(current_date, "current_date")
    frame = pd.DataFrame(
        {"at": [_iso_z_one(day + _NOON)], "date": [f"{day:%Y-%m-%d}"], "day_text": _long_day(day)}
    )
    rule = (
        alt.Chart(frame)
        .mark_rule(color=INK, strokeWidth=3, description=DAY_SHOWN)
        .encode(x=_at_x("at", x_scale), tooltip=[alt.Tooltip("day_text:N", title=DAY_SHOWN)])
    )
    return [rule]


def _day_shown_sentence(current_date) -> str:
    if current_date is None:
        return ""
    return f" The day shown is {_long_day(plain_day(current_date, 'current_date'))}."


def _time_encoding(spec: dict) -> dict:
    """The x encoding's scale and axis, shared by every layer of a time chart."""
    for layer in spec.get("layer", []):
        x = layer.get("encoding", {}).get("x", {})
        if "scale" in x:
            return {"axis": x["axis"], "scale": x["scale"]}
    raise ArgumentError("spec has no layer on a time scale")


TITLE_CHARACTERS = 40
"""A chart's title and subtitle are broken into lines of at most this many characters: Vega
cuts a longer line with "…" at the chart's width, and a phone's chart is about 330 px wide."""


def _title(text: str, subtitle: str | Sequence[str] = ()) -> alt.TitleParams:
    """The chart's title and subtitle, each line wrapped at TITLE_CHARACTERS, anchored left."""
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    return alt.TitleParams(
        textwrap.wrap(text, TITLE_CHARACTERS),
        subtitle=[part for line in lines for part in textwrap.wrap(line, TITLE_CHARACTERS)],
        anchor="start",
    )


def _timeline_subtitle(
    marks: _ContextMarks, deaths: pd.DataFrame, cuts: pd.DataFrame | None = None
) -> list[str]:
    parts = []
    if len(marks.windows):
        parts.append("shaded and bracketed: " + ", ".join(marks.windows["label"]).lower())
    if len(marks.points):
        parts.append("thin lines: milestones")
    if len(deaths):
        parts.append("◆ deaths reported for a place and day (right axis)")
    parts.append("bold line: the day shown; click a bar to show its day")
    lines = ["; ".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]
    if cuts is not None and len(cuts):
        lines.append("Blue-grey bands: the internet was cut, so fewer events were reported")
    return [line[0].upper() + line[1:] for line in lines]


_CUT_OPACITY = {"mobile throttled": 0.18, "full cut": 0.45, "partial restore": 0.28}


def _cut_bands(
    connectivity: pd.DataFrame | None, first: pd.Timestamp, last: pd.Timestamp
) -> pd.DataFrame:
    """The national intervals of a cut, clipped to the chart's days, in the capital's time."""
    columns = ["start", "end", "what", "badge", "when", "measured_by", "source_url", "opacity"]
    if connectivity is None:
        return pd.DataFrame(columns=columns)
    national = connectivity[
        (connectivity["scope"] == "national") & connectivity["what"].isin(CONNECTIVITY_BADGES)
    ]
    start = national["start_utc"].dt.tz_convert(NATIONAL_ZONE).dt.tz_localize(None)
    end = national["end_utc"].dt.tz_convert(NATIONAL_ZONE).dt.tz_localize(None)
    end = end.fillna(last + _DAY).clip(upper=last + _DAY)
    start = start.clip(lower=first)
    keep = (start < end).to_numpy()
    return pd.DataFrame(
        {
            "start": _iso_z(start[keep]),
            "end": _iso_z(end[keep]),
            "what": national["what"][keep].to_numpy(),
            "badge": national["what"][keep].map(CONNECTIVITY_BADGES).to_numpy(),
            "when": [
                f"{s:%d %b %H:%M} – {e:%d %b %H:%M} (Almaty time)"
                for s, e in zip(start[keep], end[keep], strict=True)
            ],
            "measured_by": national["measured_by"][keep].to_numpy(),
            "source_url": national["source_url"][keep].to_numpy(),
            "opacity": national["what"][keep].map(_CUT_OPACITY).to_numpy(),
        },
        columns=columns,
    )


def _cut_layers(cuts: pd.DataFrame, x_scale: alt.Scale, height: int) -> list[alt.Chart]:
    if cuts.empty:
        return []
    tooltip = [
        alt.Tooltip("badge:N", title="Internet"),
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("measured_by:N", title="Measured by"),
        alt.Tooltip("source_url:N", title="Source"),
    ]
    band = (
        alt.Chart()
        .mark_rect(color=CUT_SHADE, description="Internet cut")
        .encode(
            x=_at_x("start", x_scale),
            x2="end:T",
            opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
            tooltip=tooltip,
        )
    )
    label = (
        alt.Chart()
        .mark_text(align="left", baseline="bottom", dx=2, dy=-2, fontSize=9, color=TEXT_INK)
        .encode(x=_at_x("start", x_scale), y=alt.value(height), text="badge:N", tooltip=tooltip)
    )
    return [alt.layer(band, label, data=cuts)]


def _cuts_sentence(cuts: pd.DataFrame) -> str:
    if cuts.empty:
        return ""
    return " Internet: " + "; ".join(f"{c.badge} {c.when}" for c in cuts.itertuples()) + "."


def _timeline_description(
    bars: pd.DataFrame,
    deaths: pd.DataFrame,
    marks: _ContextMarks,
    current_date,
    first: pd.Timestamp,
    last: pd.Timestamp,
) -> str:
    totals = bars.groupby("event_type", sort=False)["events"].sum()
    by_type = ", ".join(f"{name} {count}" for name, count in totals.items())
    text = (
        f"Stacked bar chart of events per day by type from {_long_day(first)} to "
        f"{_long_day(last)}: {int(bars['events'].sum())} events ({by_type or 'none'})."
    )
    if len(deaths):
        text += f" Deaths reported for a place and day: {int(deaths['fatalities'].sum())}."
    if len(marks.labels):
        items = marks.labels[["label", "dates"]].itertuples(index=False)
        text += " Milestones: " + "; ".join(f"{i.label} ({i.dates})" for i in items) + "."
    return text + _day_shown_sentence(current_date)


def _context_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("label:N", title="Milestone"),
        alt.Tooltip("dates:N", title="When"),
        alt.Tooltip("source_url:N", title="Source"),
    ]


# --- units affected and onset distance steps ---------------------------------------------------


def _units_frame(per_day: pd.DataFrame, last: pd.Timestamp) -> pd.DataFrame:
    """One row per day; after the last onset the total is carried on up to `last`."""
    per_day = _carried_to(per_day, last)
    new = per_day["new_units"].astype("int64").to_numpy()
    names = per_day["new_unit_names"].astype("string").fillna("").astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "date": plain_days(per_day["date"], "per_day", "date"),
            "new_units": new,
            "cumulative_units": per_day["cumulative_units"].astype("int64").to_numpy(),
            "new_unit_names": [n if n else "none" for n in names],
            "new_label": [f"+{n}" for n in new],
        }
    )
    return _with_day_text(frame)


def _carried_to(per_day: pd.DataFrame, last: pd.Timestamp) -> pd.DataFrame:
    if per_day.empty:
        return per_day
    dates = plain_days(per_day["date"], "per_day", "date")
    extra = pd.date_range(dates.max() + _DAY, last, freq="D")
    if extra.empty:
        return per_day
    tail = pd.DataFrame(
        {
            "date": extra,
            "new_units": 0,
            "cumulative_units": int(per_day["cumulative_units"].iloc[-1]),
            "new_unit_names": "",
        }
    )
    return pd.concat([per_day.assign(date=dates.to_numpy()), tail], ignore_index=True)


def _units_parts(frame: pd.DataFrame) -> pd.DataFrame:
    earlier = frame.assign(
        part="affected earlier", part_order=0, units=frame["cumulative_units"] - frame["new_units"]
    )
    new = frame.assign(part="newly affected", part_order=1, units=frame["new_units"])
    return _with_day_text(pd.concat([earlier, new], ignore_index=True))


def _onset_points(onset_table: pd.DataFrame) -> pd.DataFrame:
    affected = onset_table[
        onset_table["onset_date"].notna()
        & onset_table["distance_km"].notna()
        & onset_table["days_since_origin"].notna()
    ]
    return pd.DataFrame(
        {
            "unit": affected["unit"].astype(str).to_numpy(),
            "onset": [_long_day(d) for d in pd.to_datetime(affected["onset_date"])],
            "first_place": affected["first_place"].astype("string").fillna("").astype(str),
            "days_since_origin": affected["days_since_origin"].astype("float64").to_numpy(),
            "distance_km": affected["distance_km"].astype("float64").round(1).to_numpy(),
        }
    ).reset_index(drop=True)


def _dodged(points: pd.DataFrame, height: int, gap_px: float = 13.0) -> pd.DataFrame:
    """Label heights (`label_km`) that keep same-day labels `gap_px` apart, pushed upwards."""
    top = max(float(points["distance_km"].max()) if len(points) else 0.0, 1.0) * 1.05
    gap_km = gap_px * top / max(height, 1)
    label_km = points["distance_km"].astype("float64").copy()
    for _, group in points.sort_values("distance_km").groupby("days_since_origin", sort=False):
        previous = -np.inf
        for index in group.index:
            label_km[index] = max(label_km[index], previous + gap_km)
            previous = label_km[index]
    return points.assign(label_km=label_km.round(1))


def _fit_layers(fit, points: pd.DataFrame, x: alt.X, y: alt.Y) -> list[alt.Chart]:
    line = fit_line(fit, points["days_since_origin"].tolist())
    if line.empty:
        return []
    line["fit"] = f"fit: {_km_per_day(fit.km_per_day)} km per day"
    drawn = (
        alt.Chart(line)
        .mark_line(color=INK, strokeDash=[6, 4], strokeWidth=1.5, description="Fitted line")
        .encode(x=x, y=y, tooltip=[alt.Tooltip("fit:N", title="Least-squares line")])
    )
    return [drawn]


def _fit_summary(fit) -> str:
    slope = float(fit.km_per_day)
    if not math.isfinite(slope):
        reason = fit.reason or "the speed could not be fitted"
        return f"no fitted line ({reason})"
    r2 = float(fit.r_squared)
    r2_text = f"{r2:.2f}" if math.isfinite(r2) else "n/a"
    return f"≈ {_km_per_day(slope)} km per day, R² = {r2_text}, n = {int(fit.n_units)}"


def _onset_subtitle(origin: Origin | None, fit: SpreadFit) -> list[str]:
    lines = []
    if origin is not None:
        where = origin.label or f"{origin.latitude:.2f}°N, {origin.longitude:.2f}°E"
        lines.append(f"Origin: {where}, {_long_day(origin.date)}")
    text = "One point per affected unit (distance to its first event)"
    if math.isfinite(float(fit.km_per_day)):
        text += (
            f"; dashed: distance = {float(fit.km_per_day):.1f} km/day × days "
            f"{'+' if fit.intercept_km >= 0 else '−'} {abs(float(fit.intercept_km)):.0f} km"
        )
    lines.append(text)
    return lines


def _km_per_day(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:.1f}"


# --- selection parsing -------------------------------------------------------------------------


def _selected_value(state) -> object | None:
    if isinstance(state, Mapping) and "selection" in state:
        state = state["selection"]
    if isinstance(state, Mapping) and SELECTION_NAME in state:
        state = state[SELECTION_NAME]
    if isinstance(state, Mapping):
        value = state.get("date")
        if isinstance(value, Sequence) and not isinstance(value, str):
            return value[-1] if len(value) else None
        return value
    if isinstance(state, Sequence) and not isinstance(state, str):
        dated = [item for item in state if isinstance(item, Mapping) and "date" in item]
        return dated[-1]["date"] if dated else None
    return None


def _parse_day(value: object) -> pd.Timestamp | None:
    try:
        if isinstance(value, bool) or value is None:
            return None
        if isinstance(value, (int, float, np.integer, np.floating)):
            if not math.isfinite(float(value)):
                return None
            stamp = pd.Timestamp(float(value), unit="ms", tz="UTC")
        elif isinstance(value, str):
            stamp = pd.Timestamp(value.strip())
        else:
            stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    if pd.isna(stamp):
        return None
    if stamp.tz is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return (stamp + _NOON).floor("D")


# --- small helpers -----------------------------------------------------------------------------


def _with_day_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as "YYYY-MM-DD" text (parsed as UTC midnight by browsers) plus a readable form."""
    days = pd.to_datetime(frame["date"])
    return frame.assign(date=[f"{d:%Y-%m-%d}" for d in days], day_text=[_long_day(d) for d in days])


def _date_tooltip() -> alt.Tooltip:
    return alt.Tooltip("day_text:N", title="Date")


def _noon_iso(days: pd.Series) -> list[str]:
    return [_iso_z_one(pd.Timestamp(d) + _NOON) for d in days]


def _iso_z(days: pd.Series) -> list[str]:
    return [_iso_z_one(d) for d in days]


def _iso_z_one(moment) -> str:
    return f"{pd.Timestamp(moment):%Y-%m-%dT%H:%M:%S}Z"


def _utc_datetime(day: pd.Timestamp) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _long_day(day) -> str:
    if day is None or pd.isna(day):
        return "unknown day"
    day = pd.Timestamp(day)
    return f"{day.day} {day:%b %Y}"


_COMPARED_PARTS = {"matched": "also in the other", "alone": "only here"}


def mirrored_timeline_chart(
    a_daily: pd.DataFrame,
    b_daily: pd.DataFrame,
    names: tuple[str, str],
    *,
    days: tuple,
    width: int = 720,
    height: int = 220,
) -> alt.LayerChart:
    """Two sources' events per day on one axis: A above it, B below, each split into the
    events the other source has too (matched) and those it alone has.

    `a_daily` and `b_daily` have date, matched and alone (events per day); `names` are A's and
    B's names for the legend and the tooltip.
    """
    for frame, name in ((a_daily, "a_daily"), (b_daily, "b_daily")):
        require_columns(frame, name, ("date", "matched", "alone"))
    first, last = _day_span([], None, None, days)
    x_scale = _x_scale(first, last)
    parts = []
    for (side, frame), source in zip((("A", a_daily), ("B", b_daily)), names, strict=True):
        sign = 1 if side == "A" else -1
        for part, order in (("matched", 0), ("alone", 1)):
            parts.append(
                pd.DataFrame(
                    {
                        "date": plain_days(frame["date"], "date", "date").dt.strftime("%Y-%m-%d"),
                        "events": frame[part].astype(int).to_numpy(),
                        "height": sign * frame[part].astype(int).to_numpy(),
                        "part": f"{side}: {_COMPARED_PARTS[part]}",
                        "source": source,
                        "part_order": order,
                    }
                )
            )
    bars_frame = pd.concat(parts, ignore_index=True)
    bars_frame = bars_frame[bars_frame["events"] > 0]
    peak = max(
        1, *(int((f["matched"] + f["alone"]).to_numpy().max(initial=0)) for f in (a_daily, b_daily))
    )
    domain = [f"{s}: {p}" for s in "AB" for p in _COMPARED_PARTS.values()]
    bars = (
        alt.Chart(bars_frame)
        .mark_bar()
        .encode(
            x=_day_x(x_scale),
            y=alt.Y(
                "height:Q",
                stack="zero",
                title=f"↑ {names[0]} · {names[1]} ↓",
                scale=alt.Scale(domain=[-peak * 1.1, peak * 1.1], nice=False),
                axis=alt.Axis(labelExpr="abs(datum.value)", tickMinStep=1),
            ),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(
                    domain=domain,
                    range=[
                        NEW_UNITS_COLOUR,
                        EARLIER_UNITS_COLOUR,
                        AFFECTED_UNIT_COLOUR,
                        EARLIER_UNITS_COLOUR,
                    ],
                ),
                legend=alt.Legend(title=None, orient="bottom", direction="horizontal"),
            ),
            order=alt.Order("part_order:Q"),
            tooltip=[
                _date_tooltip(),
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("part:N", title="Events"),
                alt.Tooltip("events:Q", title="How many"),
            ],
        )
    )
    axis_rule = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=GUIDE_INK).encode(y="zero:Q")
    a_total = int(a_daily[["matched", "alone"]].to_numpy().sum())
    b_total = int(b_daily[["matched", "alone"]].to_numpy().sum())
    return alt.layer(bars, axis_rule).properties(
        width=width,
        height=height,
        autosize=_AUTOSIZE,
        title=_title(
            "Events per day in each source",
            subtitle=[
                f"Above the line: {names[0]}; below it: {names[1]}.",
                "Dark: events the other source has too (matched); grey: only in this one.",
            ],
        ),
        description=(
            f"Mirrored bar chart of events per day from {_long_day(first)} to {_long_day(last)}: "
            f"{a_total} in {names[0]} above the axis, {b_total} in {names[1]} below it."
        ),
    )
