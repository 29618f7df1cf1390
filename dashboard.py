"""Qantar: how the January 2022 unrest spread across Kazakhstan, day by day.

Layout and wiring only; every computation lives in the `geo` package, and the map component glue
in `ui`. Shareable state lives in the URL (see ui.viewstate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from urllib.parse import quote, urlencode

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

import geo
from geo.analysis.aggregate import WINDOW_DAYS, key_days
from geo.analysis.filters import EventFilter, choices, filter_mask
from geo.analysis.spread import unrest_table
from geo.errors import summarize_problems
from geo.export import pictures, tables
from geo.export.edition import edition_zip
from geo.export.event_table import event_table
from geo.export.page import standalone_html
from geo.io.dates import DAY_FIRST, MONTH_FIRST
from geo.io.limits import UPLOAD_LIMITS
from geo.io.mapping import mapping_from_table, mapping_table
from geo.pipeline import (
    Dataset,
    has_times,
    load_dataset,
    official_tolls,
    read_counts,
    view_dataset,
    with_unrest_types,
)
from geo.render import story_charts, webmap
from geo.render.htmlsafe import markdown_text
from geo.render.listings import frame_alt_text, region_events
from geo.render.style import COUNT_METRICS, METRIC_NAMES, SOURCES_AND_LICENCES
from geo.render.webmap import PlayerState
from geo.schema import GEO_PRECISION_LABELS
from geo.uploads import read_upload
from ui import map_component
from ui.reconnect import rerun_after_restart
from ui.viewstate import (
    DEATHS,
    SPEEDS,
    ViewChoices,
    ViewState,
    parse_view,
    view_query,
)

MODE_LABELS = {"cumulative": "Up to the date", "daily": "On the date", "window": "Last k days"}
METRIC_LABELS = {**METRIC_NAMES, "onset": "Day of first protest (D+n)"}
"""The map's names of the metrics; the control also says what unit the onset is counted in."""
LAYOUT_LABELS = {
    "auto": "By the event dates",
    "2022-01": "January 2022 (17)",
    "current": "Current (20)",
}
# The name is part of a dataset's key: the same bytes uploaded under two names are two datasets,
# and no reader sees another's file name.
HASHED = {Dataset: lambda d: (d.fingerprint, d.name), EventFilter: repr}
CACHE_BOUNDS = {"max_entries": 8, "ttl": 3600}  # seconds; "1h" is parsed on every call
"""Every per-view cache is bounded, so memory plateaus however many views and uploads pass: a
20,000-event upload's map is ~5 MB, and useful only to its reader (BENCHMARKS.md, "Memory")."""
# The caches hold values shared by every reader and handed out as they are (`cache_resource`),
# not unpickled copies (`cache_data` copies a 343 KB map on every rerun): nothing here changes a
# cached value; derived values are new objects (`with_day_shown`, `view_dataset`, ...).
MAP_HEIGHT = 600
FRAME_DISPLAY = {"day": "DD MMM YYYY", "hour": "DD MMM YYYY HH:00"}
"""How a date column shows a frame's time: days, or hours when stepping by hour."""
PROBLEMS_SHOWN = 200
LINK_SAFE = ":/?&=%#+,.-_~"
"""Characters a shared link keeps as they are inside a Markdown link; any other is escaped."""
DATE_ORDERS = {
    "auto": "as the file says",
    DAY_FIRST: "day first (5 January)",
    MONTH_FIRST: "month first (1 May)",
}


# ---- data (cached: everything the cache depends on is an argument) -------------------------
@st.cache_resource(show_spinner="Loading the January 2022 record…", max_entries=len(LAYOUT_LABELS))
def bundled_dataset(layout: str) -> Dataset:
    """The bundled record on the chosen boundaries ("auto": those in force on its dates)."""
    return load_dataset(None, layout)


@st.cache_resource(show_spinner=False)
def basemap():
    return geo.load_basemap()


def shown(dataset: Dataset, chosen: EventFilter, step: str) -> Dataset:
    """The dataset as the view shows it: filtered, then stepped by day or by hour (the dataset
    itself when neither, never a cached copy of it)."""
    if chosen.is_empty and step == "day":
        return dataset
    return derived(dataset, chosen, step)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def derived(dataset: Dataset, chosen: EventFilter, step: str) -> Dataset:
    keep = None if chosen.is_empty else filter_mask(dataset.events, chosen)
    return view_dataset(dataset, keep=keep, step=step)


def frames_of(dataset: Dataset) -> list:
    """The values of the date control: days (dates) or hours (datetimes)."""
    return [as_frame(frame, dataset.step) for frame in dataset.frames]


def as_frame(stamp, step: str):
    stamp = pd.Timestamp(stamp)
    return stamp.to_pydatetime() if step == "hour" else stamp.date()


@st.cache_resource(show_spinner="Drawing the map…", hash_funcs=HASHED, **CACHE_BOUNDS)
def map_args(dataset: Dataset, online_tiles: bool) -> dict:
    """The map's component arguments; the bundled record's map carries its official tolls."""
    tolls = tolls_of(dataset)
    m = webmap.story_map(dataset, basemap=basemap(), online_tiles=online_tiles, tolls=tolls)
    return map_component.prepared_args(m, key="map")


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def tolls_of(dataset: Dataset) -> pd.DataFrame | None:
    return official_tolls(dataset)


# ---- page -------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title="Qantar — Kazakhstan, January 2022", layout="wide")
    if embedded():
        hide_sidebar()
    else:
        st.title("Qantar: how the January 2022 unrest spread across Kazakhstan")
    map_component.follow_slider("Date")  # the date moves the map at once, before any rerun
    rerun_after_restart()
    with said_plainly():
        base = dataset_ui()
        restore_view_from_url(base, frames_of(base))
        step = step_ui(base)
        mode, window, metric, arrows, online_tiles = view_options_ui()
        chosen_filter = filters_ui(base.events)
        dataset = shown(base, chosen_filter, step)
        days = frames_of(dataset)
        st.session_state["frames"] = days
        keep_view_within(dataset, days)
        dated = partial(
            dated_view_ui,
            dataset,
            days,
            frames_of(base),
            (mode, window, metric, arrows, online_tiles),
            chosen_filter,
        )
        if embedded():  # a news page embeds the map, its player, the date and the credits only
            map_ui(dataset, online_tiles)
            dated(map_state_ui)
            return
        map_tab, spread_tab, data_tab = st.tabs(
            ["Map", "Spread", "Data and exports"], key="tab", on_change="rerun"
        )
        # Only the open tab runs. The map and the toll chart do not follow the date, so they
        # are drawn here, outside the date's fragment: a date change does not send them again.
        if map_tab.open:
            with map_tab:
                map_column, side_column = st.columns([3, 2])
                with map_column, said_plainly():
                    map_ui(dataset, online_tiles)
                with side_column:
                    dated(beside_map_ui)
                with said_plainly():
                    national_toll_ui(dataset)
        if spread_tab.open:
            with spread_tab:
                dated(spread_ui)
        if data_tab.open:
            with data_tab:
                dated(partial(data_ui, days=days))


@contextmanager
def said_plainly() -> Iterator[None]:
    """Runs a part of the page that calls geo. A QantarError, which geo raises on purpose with
    words meant for the reader, ends that part with its message instead of a traceback."""
    try:
        yield
    except geo.QantarError as error:
        st.error(markdown_text(error))


@st.fragment
def dated_view_ui(
    dataset: Dataset,
    days: list,
    base_days: list,
    options: tuple[str, int, str, bool, bool],
    chosen_filter: EventFilter,
    content: Callable[[Dataset, ViewState], None],
) -> None:
    """The date control, then `content`: what follows the date in the open tab.

    A fragment: moving the date, a jump button, a click in the timeline or the region rerun
    only this, not the data, the sidebar's options and filters, or the map.
    """
    date = date_ui(days, dataset)
    view = current_view(date, *options, chosen_filter)
    query = view_query(view, default_view(base_days))
    st.query_params.from_dict(query)
    share_ui(query)
    with said_plainly():  # this is a fragment, rerun on its own: it says geo's errors itself
        content(dataset, view)


def map_state_ui(dataset: Dataset, view: ViewState) -> None:
    """The view for the map drawn outside the fragment: a few hundred bytes a date change."""
    map_component.show_state(player_state(view, st.session_state["frames"]).as_json())


def beside_map_ui(dataset: Dataset, view: ViewState) -> None:
    map_state_ui(dataset, view)
    st.caption(map_alt_text(dataset, pd.Timestamp(view.date)))  # what the map shows, in words
    region_table_ui(dataset, view)
    region_panel_ui(dataset, view)
    timeline_ui(dataset, view)


def embedded() -> bool:
    """Whether the page is embedded (`?embed=true`, as in a news story's iframe)."""
    return bool(st.context.is_embedded)


def hide_sidebar() -> None:
    """Embedded, the view comes from the link alone: the sidebar's choices are not shown."""
    st.html(
        "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
        "[data-testid='stExpandSidebarButton']{display:none}</style>"
    )


def dataset_ui() -> Dataset:
    """Sidebar: the bundled record, or a file the person uploads (kept in this session only)."""
    with st.sidebar:
        st.header("Data")
        upload = st.file_uploader(
            "Your events (ACLED or GDELT export, CSV, XLSX, GeoJSON)",
            type=["csv", "tsv", "txt", "xlsx", "geojson", "json", "zip"],
            key="upload",
            help="Stays in this browser session; the bundled data is never changed.",
        )
        layout = st.selectbox(
            "Boundaries", list(LAYOUT_LABELS), format_func=LAYOUT_LABELS.get, key="layout"
        )
        if upload is None:
            return bundled_dataset(layout)
        date_order = date_order_ui()
        try:
            dataset = uploaded_dataset_ui(upload, layout, date_order, corrected_columns(upload))
            columns_ui(upload, dataset)
            return unrest_ui(dataset)
        except geo.QantarError as error:
            st.error(f"{markdown_text(upload.name)} could not be used: {markdown_text(error)}")
            return bundled_dataset(layout)


def date_order_ui() -> str | None:
    """How to read numeric dates of the upload; None lets the file decide (the report says how)."""
    choice = st.radio(
        "Numeric dates such as 05/01/2022",
        list(DATE_ORDERS),
        format_func=DATE_ORDERS.get,
        key="date_order",
        help="By default a date only one reading allows (28/1/2022) decides for the whole "
        "column; otherwise the file's language does, and the report says which was used.",
    )
    return None if choice == "auto" else choice


def uploaded_dataset_ui(
    upload, layout: str, date_order: str | None = None, mapping: dict[str, str] | None = None
) -> Dataset:
    """Read, place and count the upload in a capped worker process (geo.uploads), saying which
    step it is at. The result lives in this session only, never in a cache another reader could
    hit, and goes with the session; a new upload replaces it."""
    key = (upload.file_id, upload.name, layout, date_order, tuple(sorted((mapping or {}).items())))
    kept = st.session_state.get("uploaded")
    if kept is None or kept[0] != key:
        st.session_state.pop("uploaded", None)  # the previous upload's memory goes first
        with st.status(
            f"Reading {markdown_text(upload.name)} ({upload.size / 1e6:.1f} MB)…"
        ) as status:
            try:
                dataset = read_upload(
                    upload.getvalue(),
                    upload.name,
                    layout,
                    UPLOAD_LIMITS,
                    on_progress=lambda line: status.update(label=line),
                    date_order=date_order,
                    mapping=mapping,
                )
            except geo.QantarError:
                status.update(
                    label=f"{markdown_text(upload.name)} could not be used", state="error"
                )
                raise
            status.update(label=placed_label(upload, dataset), state="complete", expanded=False)
        st.session_state["uploaded"] = (key, dataset)
        return dataset
    st.status(placed_label(upload, kept[1]), state="complete", expanded=False)
    return kept[1]


def placed_label(upload, dataset: Dataset) -> str:
    counts = read_counts(dataset)
    return f"{markdown_text(upload.name)}: {counts.placed:,} of {counts.rows_read:,} rows placed"


def corrected_columns(upload) -> dict[str, str] | None:
    """The person's corrected column mapping for this upload, if they made one (columns_ui)."""
    kept = st.session_state.get("corrected_columns")
    return kept[1] if kept and kept[0] == upload.file_id else None


def columns_ui(upload, dataset: Dataset) -> None:
    """The columns the upload was read with, one select per field; a change reads it again."""
    if not dataset.file_columns:
        return
    table = mapping_table(dataset.mapping, dataset.file_columns)
    with st.expander("Columns read from your file", expanded=False):
        edited = st.data_editor(
            table,
            key="columns_table",
            hide_index=True,
            disabled=["field", "values"],
            column_config={
                "field": "Field",
                "column": st.column_config.SelectboxColumn(
                    "Your column", options=["", *dataset.file_columns]
                ),
                "values": "Values in the column read",
            },
        )
    chosen = mapping_from_table(edited)
    if chosen != dataset.mapping and "event_date" in chosen:
        st.session_state["corrected_columns"] = (upload.file_id, chosen)
        st.rerun()


def unrest_ui(dataset: Dataset) -> Dataset:
    """The file's event categories, with which count as unrest for onsets (defaults from
    geo.analysis.spread.is_unrest); the dataset with the person's choice."""
    table = unrest_table(dataset.events["event_type"])
    if table.empty:
        return dataset
    with st.expander("Categories counted as unrest", expanded=not table["unrest"].any()):
        edited = st.data_editor(
            table,
            key="unrest_table",
            hide_index=True,
            disabled=["category", "events"],
            column_config={"unrest": st.column_config.CheckboxColumn("Counts as unrest")},
        )
    chosen = tuple(edited.loc[edited["unrest"].astype(bool), "category"])
    if not chosen:
        st.warning("No category counts as unrest, so no unit has an onset: tick at least one.")
        return dataset
    if chosen == tuple(table.loc[table["unrest"], "category"]):
        return dataset
    key = (dataset.fingerprint, chosen)  # recounted once per choice, not on every rerun
    kept = st.session_state.get("unrest_dataset")
    if kept is None or kept[0] != key:
        kept = st.session_state["unrest_dataset"] = (key, with_unrest_types(dataset, chosen))
    return kept[1]


def default_view(days: list[dt.date]) -> ViewState:
    """Opens on the fourth day of the data: for the bundled story, 5 January, the day the
    government fell and the emergency was declared."""
    return ViewState(date=days[min(4, len(days) - 1)])


def restore_view_from_url(dataset: Dataset, days: list[dt.date]) -> None:
    """Once per session: the link's view goes into the widgets; ignored parts are announced."""
    if "view_restored" in st.session_state:
        return
    allowed = ViewChoices(
        days=days,
        regions=list(dataset.regions["region_id"]),
        types=choices(dataset.events, "event_type"),
        subtypes=choices(dataset.events, "sub_event_type"),
        actors=sorted({*choices(dataset.events, "actor1"), *choices(dataset.events, "actor2")}),
    )
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view, notices = parse_view(params, allowed, default_view(days))
    upload = upload_state()
    if upload == "gone":
        notices.append(
            "The file you uploaded is gone: the server restarted, or this page was away too "
            "long, and uploads are kept only while their page is connected. Showing the bundled "
            "data; remove the file from the list under the upload box and upload it again."
        )
    elif view.dataset == "upload" and upload == "none":
        notices.append(
            "This view was made with an uploaded file, which a link cannot carry. Showing the "
            "bundled data; upload the file to see that view."
        )
    st.session_state.update(
        date=view.date,
        mode=view.mode,
        window=view.window,
        metric=view.metric,
        arrows=view.arrows,
        tiles=view.tiles,
        region=view.region,
        speed=view.speed,
        loop=view.loop,
        step=view.step,
        types=list(view.types),
        subtypes=list(view.subtypes),
        actors=list(view.actors),
        precision=list(view.precision),
        deaths=view.deaths is not None,
        deaths_range=view.deaths or (1, 100),
        view_restored=True,
    )
    st.session_state.setdefault("speed", 1.0)
    if notices:  # one notice, however many parameters were ignored
        st.warning(
            "**This link's view was not fully restored.**\n"
            + "".join(f"\n- {notice}" for notice in notices),
            icon="⚠️",
        )


def upload_state() -> str:
    """ "present"; "gone" when the page still lists a file the server no longer has (it
    restarted, or the session expired: Streamlit then holds a DeletedFile); or "none"."""
    value = st.session_state.get("upload")
    if value is None:
        return "none"
    return "gone" if isinstance(value, DeletedFile) else "present"


def keep_view_within(dataset: Dataset, days: list[dt.date]) -> None:
    """After a new upload the date and region may not exist in it: fall back to the defaults."""
    chosen = st.session_state.get("date")
    if chosen not in days:
        same_day = [
            frame for frame in days if chosen is not None and _day_of(frame) == _day_of(chosen)
        ]
        st.session_state["date"] = same_day[0] if same_day else default_view(days).date
    if st.session_state.get("region") not in (None, *dataset.regions["region_id"]):
        st.session_state["region"] = None


def _day_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def step_ui(dataset: Dataset) -> str:
    """Day or hour steps; hours only when the data has times of day."""
    if not has_times(dataset):
        st.session_state["step"] = "day"
        return "day"
    with st.sidebar:
        return st.radio(
            "Step through",
            ["day", "hour"],
            key="step",
            horizontal=True,
            format_func={"day": "days", "hour": "hours"}.get,
            help="Hours use the events' times of day; events without a time are left out",
        )


def view_options_ui() -> tuple[str, int, str, bool, bool]:
    with st.sidebar:
        st.header("View")
        metric = st.radio(
            "Colour regions by", list(METRIC_LABELS), format_func=METRIC_LABELS.get, key="metric"
        )
        mode = st.radio("Count events", list(MODE_LABELS), format_func=MODE_LABELS.get, key="mode")
        in_use = mode == "window"
        if not in_use:  # a disabled widget's own label is too faint to read (2.3:1)
            st.caption("k (days in the window): for “Last k days”")
        window = st.slider(
            "k (days in the window)",
            WINDOW_DAYS.start,
            WINDOW_DAYS.stop - 1,
            key="window",
            disabled=not in_use,
            label_visibility="visible" if in_use else "collapsed",
        )
        arrows = st.toggle(
            "Spread arrows",
            key="arrows",
            help="Each newly affected region, linked to the nearest region affected before it",
        )
        online_tiles = st.toggle("Online map tiles (needs internet)", key="tiles")
    return mode, window, metric, arrows, online_tiles


def filters_ui(events: pd.DataFrame) -> EventFilter:
    with st.sidebar.expander("Filter events"):
        types = st.multiselect("Event type", choices(events, "event_type"), key="types")
        subtypes = st.multiselect("Sub-type", choices(events, "sub_event_type"), key="subtypes")
        actor_names = sorted({*choices(events, "actor1"), *choices(events, "actor2")})
        actors = st.multiselect("Actor", actor_names, key="actors")
        precision = st.multiselect(
            "Location precision",
            list(GEO_PRECISION_LABELS),
            key="precision",
            format_func=GEO_PRECISION_LABELS.get,
        )
        deaths = st.checkbox("Only events with reported deaths, in range", key="deaths")
        deaths_range = st.slider(
            "Deaths",
            DEATHS.start,
            DEATHS.stop - 1,
            key="deaths_range",
            disabled=not deaths,
            # The checkbox above names it; a disabled widget's own label is too faint (2.3:1).
            label_visibility="visible" if deaths else "collapsed",
        )
    return EventFilter(
        event_types=tuple(types),
        sub_event_types=tuple(subtypes),
        actors=tuple(actors),
        geo_precision=tuple(precision),
        fatalities=tuple(deaths_range) if deaths else None,
    )


def date_ui(days: list, dataset: Dataset) -> dt.date:
    """The one date control; the jump buttons and the map's own player all move it."""
    label_format = "%a %d %b %Y %H:00" if dataset.step == "hour" else "%a %d %b %Y"
    date = st.select_slider(
        "Date", options=days, format_func=lambda day: day.strftime(label_format), key="date"
    )
    if embedded():
        return date
    jumps = jump_days(dataset)
    row = st.container(horizontal=True)  # one block, not four columns: fewer messages a rerun
    targets = {
        "First event": jumps.first,
        "Peak day": jumps.peak,
        "Last event": jumps.last,
    }
    for label, day in targets.items():
        row.button(
            label,
            on_click=set_date,
            args=(as_frame(day, dataset.step),),
            key=f"jump_{label}",
            width="stretch",
            help=f"{day:%d %b %Y}",
        )
    onset_day = region_onset(dataset, st.session_state.get("region"))
    row.button(
        "Selected region's onset",
        key="jump_onset",
        width="stretch",
        disabled=onset_day is None,
        on_click=set_date,
        args=(onset_day,),
        help="Choose a region (click it on the map) to jump to its first protest",
    )
    return date


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def jump_days(dataset: Dataset):
    return key_days(dataset.counts)


def region_onset(dataset: Dataset, region: str | None) -> dt.date | None:
    onset = dataset.onsets.set_index("region_id")["onset_date"].get(region) if region else None
    return None if onset is None or pd.isna(onset) else as_frame(onset, dataset.step)


def set_date(day: dt.date) -> None:
    st.session_state["date"] = day


def current_view(date, mode, window, metric, arrows, online_tiles, chosen) -> ViewState:
    state = st.session_state
    return ViewState(
        date=date,
        mode=mode,
        window=window,
        metric=metric,
        arrows=arrows,
        tiles=online_tiles,
        region=state.get("region"),
        speed=float(state.get("speed", 1.0)),
        loop=bool(state.get("loop", False)),
        types=chosen.event_types,
        subtypes=chosen.sub_event_types,
        actors=chosen.actors,
        precision=chosen.geo_precision,
        deaths=chosen.fatalities,
        dataset="upload" if upload_state() == "present" else "bundled",
        step=state.get("step", "day"),
    )


# ---- the map and what sits beside it -------------------------------------------------------
def share_ui(query: dict[str, str]) -> None:
    """The link to this view (the address bar holds the same link). A Markdown link, not
    `st.code`: the code block's highlighter is 1.5 MB of JavaScript that every reader would
    load before the map (BENCHMARKS.md, "Page open")."""
    base = (st.context.url or "").split("?")[0]
    link = f"{base}?{urlencode(query)}" if query else base
    with st.sidebar:
        st.caption("Link to this view")
        st.markdown(f"[{markdown_text(link)}]({quote(link, safe=LINK_SAFE)})")


def player_state(view: ViewState, frames: list[dt.date]) -> PlayerState:
    return PlayerState(
        frame=frames.index(view.date),
        mode=view.mode,
        metric=view.metric,
        window_days=view.window,
        arrows=view.arrows,
        speed=view.speed,
        loop=view.loop,
    )


def map_ui(dataset: Dataset, online_tiles: bool) -> None:
    map_component.player_map(
        map_args(dataset, online_tiles),
        height=MAP_HEIGHT,
        on_message=apply_map_message,
    )
    st.caption("Press ▶ on the map to play the days; click a region for its events.")
    if dataset.attribution:
        st.caption(dataset.attribution)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, max_entries=512)
def map_alt_text(dataset: Dataset, day: pd.Timestamp) -> str:
    return frame_alt_text(dataset.onsets, len(dataset.regions), day, step=dataset.step)


def apply_map_message(message: dict) -> None:
    """The person paused, stepped, changed speed or clicked a region in the map."""
    frames = st.session_state["frames"]
    frame = message.get("frame")
    if isinstance(frame, int) and 0 <= frame < len(frames):
        st.session_state["date"] = frames[frame]
    if message.get("speed") in SPEEDS:
        st.session_state["speed"] = float(message["speed"])
    if isinstance(message.get("loop"), bool):
        st.session_state["loop"] = message["loop"]
    if isinstance(message.get("region"), str):
        st.session_state["region"] = message["region"]


def region_table_ui(dataset: Dataset, view: ViewState) -> None:
    table, with_events = region_table(dataset, pd.Timestamp(view.date), view.mode, view.window)
    st.metric(
        "Regions with any event",
        f"{with_events} of {table.num_rows}",
        help=(
            f"Events of any type (decisions and emergency rule too), "
            f"{MODE_LABELS[view.mode].lower()} {frame_label(view.date, dataset.step)}. "
            "The map's “regions affected” counts regions whose first protest, riot or clash "
            "has happened."
        ),
    )
    st.dataframe(
        table,
        column_config={
            "name_en": "Region",
            "events": st.column_config.NumberColumn("Events"),
            "fatalities": st.column_config.NumberColumn("Deaths reported"),
            "onset_date": st.column_config.DatetimeColumn(
                "First protest", format=FRAME_DISPLAY[dataset.step]
            ),
            "days_since_origin": st.column_config.NumberColumn(
                "D+" if dataset.step == "day" else "D+ (days)", format="D+%d"
            ),
        },
        hide_index=True,
        width="stretch",
        height=300,
        key="region_table",
    )


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, max_entries=512)
def region_table(
    dataset: Dataset, day: pd.Timestamp, mode: str, window: int
) -> tuple[pa.Table, int]:
    """The regions' values on `day` as the map counts them, and how many have any event: built
    once per view, not per rerun, and kept as the Arrow table Streamlit sends."""
    table = geo.region_table(
        dataset.regions, dataset.counts, dataset.onsets, day, mode, window, step=dataset.step
    )
    shown = pa.Table.from_pandas(table.drop(columns="region_id"), preserve_index=False)
    return shown, geo.regions_with_events(table)


def frame_label(date, step: str) -> str:
    return pd.Timestamp(date).strftime(webmap.FRAME_FORMATS[step][1])  # as the map labels it


def region_panel_ui(dataset: Dataset, view: ViewState) -> None:
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    region = st.selectbox(
        "Region details",
        list(names),
        key="region",
        format_func=names.get,
        placeholder="Click a region on the map, or choose one",
    )
    if region is None:
        return
    listed = region_events(
        dataset.events,
        region,
        pd.Timestamp(view.date),
        view.mode,
        view.window,
        step=dataset.step,
    )
    st.caption(
        f"{len(listed)} events in {markdown_text(names[region])} "
        f"{MODE_LABELS[view.mode].lower()} {frame_label(view.date, dataset.step)}"
    )
    st.dataframe(
        listed,
        column_config={
            **source_link_columns(listed),
            "deaths": st.column_config.NumberColumn("Deaths"),
            "deaths_reported_by": "Deaths reported by",
            "sub_type": "Sub-type",
            "time": st.column_config.TextColumn("Time (local)", help="~ = approximate"),
            "disputed": st.column_config.TextColumn("Other sources say"),
            "when": "Date precision",
            "where": "Place precision",
        },
        hide_index=True,
        width="stretch",
        key="region_events",
    )


def source_link_columns(table: pd.DataFrame) -> dict:
    """Each `source_k` column of a geo listing as its own clickable link."""
    return {
        column: st.column_config.LinkColumn(f"Source {column.removeprefix('source_')}")
        for column in table.columns
        if column.startswith("source_") and column.removeprefix("source_").isdigit()
    }


def timeline_ui(dataset: Dataset, view: ViewState) -> None:
    """Events per day, whatever the step: hourly frames are summed into their day."""
    spec = timeline_spec(dataset, with_context=dataset.bundled)
    st.vega_lite_chart(
        geo.inline_data(geo.with_day_shown(spec, pd.Timestamp(view.date).normalize())),
        on_select=date_from_timeline,
        selection_mode=geo.SELECTION_NAME,
        key="timeline",
        width="stretch",
    )
    st.caption(
        "◆ Deaths reported: deaths that sources tie to one event (place and day). They are a "
        "floor, not the death toll: official tolls are statements about the whole unrest and "
        "are shown separately below."
    )


def national_toll_ui(dataset: Dataset) -> None:
    """The official tolls of the bundled story, which no date changes."""
    if dataset.bundled:
        st.vega_lite_chart(national_toll_spec(dataset), width="stretch")


# Chart specs are drawn (and validated by Altair, hundreds of milliseconds) once per dataset; a
# rerun adds only the day shown (geo.with_day_shown).
@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def timeline_spec(dataset: Dataset, *, with_context: bool) -> dict:
    return story_charts.timeline(dataset, bundled_context() if with_context else None)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def national_toll_spec(dataset: Dataset) -> dict:
    return story_charts.national_tolls(geo.national_tolls(tolls_of(dataset)))


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def units_affected_spec(dataset: Dataset) -> dict:
    return story_charts.units_affected(dataset)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **CACHE_BOUNDS)
def onset_distance_spec(dataset: Dataset) -> dict:
    return story_charts.onset_distance(dataset)


@st.cache_resource(show_spinner=False)
def bundled_context() -> pd.DataFrame:
    return geo.load_context()


def date_from_timeline() -> None:
    """A clicked day: that day, or its first hour when stepping by hour."""
    day = geo.selected_date(st.session_state.get("timeline") or {})
    frames = [f for f in st.session_state["frames"] if day is not None and _day_of(f) == day.date()]
    if frames:
        st.session_state["date"] = frames[0]


# ---- spread, report, exports -----------------------------------------------------------------
def spread_ui(dataset: Dataset, view: ViewState) -> None:
    left, right = st.columns(2)
    with left:
        day = pd.Timestamp(view.date).normalize()
        spec = geo.inline_data(geo.with_day_shown(units_affected_spec(dataset), day))
        st.vega_lite_chart(spec, width="stretch")
    with right:
        st.vega_lite_chart(onset_distance_spec(dataset), width="stretch")
    if (origin := dataset.origin) is not None:
        st.caption(
            f"Origin: {origin.label}, {origin.date:%d %b %Y} (the earliest protest, riot "
            "or clash). Regions without a dated protest have no onset."
        )
    table = geo.onset_listing(dataset.onsets)
    st.dataframe(
        table,
        column_config={
            "onset_rank": "Rank",
            "unit": "Region",
            "onset_date": st.column_config.DateColumn("First protest"),
            "days_since_origin": st.column_config.NumberColumn("D+", format="D+%d"),
            "distance_km": st.column_config.NumberColumn("km from origin", format="%.0f"),
            "first_place": "First place",
            **source_link_columns(table),
            "disputes": st.column_config.TextColumn("Other sources say"),
            "note": "Note",
        },
        hide_index=True,
        width="stretch",
        key="onset_table",
    )


def data_ui(dataset: Dataset, view: ViewState, *, days: list) -> None:
    report_ui(dataset)
    exports_ui(dataset, view, days)
    sources_ui()


def report_ui(dataset: Dataset) -> None:
    st.subheader(f"Data: {markdown_text(dataset.name)}")
    counts = read_counts(dataset)
    st.write(
        f"{counts.rows_read} rows read · {counts.loaded} loaded · {counts.placed} placed in a "
        f"region · {counts.rejected} rejected · {counts.unplaced} not placed · "
        f"{counts.duplicates} duplicates counted once"
    )
    st.dataframe(
        pd.DataFrame(
            {"placed by": list(counts.placed_by), "events": list(counts.placed_by.values())}
        ),
        hide_index=True,
        key="place_methods",
    )
    for note in dataset.notes:
        st.caption(markdown_text(note))
    if dataset.problems:
        lines = summarize_problems(dataset.problems)  # a failing column is one line
        shown = lines[:PROBLEMS_SHOWN]
        more = len(lines) - len(shown)
        st.markdown("**Rejected rows** (file, row, column, what was expected):")
        st.code("\n".join(shown) + (f"\n… and {more} more" if more > 0 else ""), language=None)
    if len(dataset.unplaced):
        st.dataframe(
            dataset.unplaced[["source_row", "event_date", "location", "unplaced_reason"]],
            hide_index=True,
            width="stretch",
            key="unplaced",
        )
    if counts.duplicates:
        st.markdown("**Duplicates**, each counted once with the row it repeats:")
        st.dataframe(dataset.duplicates, hide_index=True, width="stretch", key="duplicates")


def exports_ui(dataset: Dataset, view: ViewState, days: list[dt.date]) -> None:
    st.subheader("Exports")
    credit = dataset.attribution
    day = pd.Timestamp(view.date)
    stem = f"qantar-{view.date:%Y-%m-%d}"
    scene = (dataset.regions, dataset.counts, dataset.events)
    drawing = {
        "mode": view.mode,
        "metric": export_metric(view.metric),
        "basemap": basemap(),
        "attribution": credit,
    }
    downloads = [
        (
            "Cleaned event table (CSV)",
            "events.csv",
            "text/csv",
            lambda: tables.event_table_csv(
                event_table(dataset.events, dataset.duplicates, dataset.problems),
                attribution=credit,
            ),
        ),
        (
            "Region-day table (CSV)",
            "region-days.csv",
            "text/csv",
            lambda: tables.region_day_csv(
                dataset.counts,
                dataset.regions,
                attribution=credit,
                tolls=tolls_of(dataset),
            ),
        ),
        (
            "Onset table (CSV)",
            "onsets.csv",
            "text/csv",
            lambda: tables.onset_csv(dataset.onsets, dataset.origin, attribution=credit),
        ),
        (
            "Region-days (GeoJSON)",
            "region-days.geojson",
            "application/geo+json",
            lambda: tables.region_days_geojson(dataset.counts, dataset.regions, attribution=credit),
        ),
        (
            "This frame (PNG)",
            f"{stem}.png",
            "image/png",
            partial(pictures.frame_png, *scene, day, window_days=view.window, **drawing),
        ),
        (
            "The whole spread (GIF)",
            "qantar-spread.gif",
            "image/gif",
            partial(pictures.spread_gif, *scene, **drawing),
        ),
        (
            "Offline map with player (HTML)",
            "qantar-map.html",
            "text/html",
            lambda: standalone_snapshot(dataset, view, days),
        ),
        (
            "The edition for readers (static site, ZIP)",
            "qantar-edition.zip",
            "application/zip",
            lambda: reader_edition(dataset, view),
        ),
    ]
    if pictures.mp4_unavailable_reason() is None:
        downloads.append(
            (
                "The whole spread (MP4)",
                "qantar-spread.mp4",
                "video/mp4",
                partial(pictures.spread_mp4, *scene, **drawing),
            )
        )
    if dataset.step == "hour":  # an animation with one frame per hour would run for minutes
        downloads = [d for d in downloads if not d[1].startswith("qantar-spread.")]
        st.caption("The GIF and MP4 step by day: switch “Step through” to days for them.")
    columns = st.columns(3)
    for index, (label, file_name, mime, make) in enumerate(downloads):
        columns[index % 3].download_button(
            label,
            data=make,
            file_name=file_name,
            mime=mime,
            key=f"export_{file_name}",
            width="stretch",
            on_click="ignore",
        )


def export_metric(metric: str) -> str:
    """PNG and GIF exports draw counts; onset and diffusion views export as event counts."""
    return metric if metric in COUNT_METRICS else "events"


def standalone_snapshot(dataset: Dataset, view: ViewState, days: list[dt.date]) -> str:
    tolls = tolls_of(dataset)
    m = webmap.story_map(dataset, basemap=basemap(), initial=player_state(view, days), tolls=tolls)
    return standalone_html(m, title=f"Qantar — {dataset.name}", attribution=dataset.attribution)


def reader_edition(dataset: Dataset, view: ViewState) -> bytes:
    """The edition for readers of this data, opening on the view's day (geo.export.edition): a
    folder that any static host serves, for an audience too large for one dashboard."""
    tolls = tolls_of(dataset)
    return edition_zip(
        dataset,
        basemap=basemap(),
        day=pd.Timestamp(view.date).normalize(),
        context=bundled_context() if dataset.bundled else None,
        tolls=None if tolls is None else geo.national_tolls(tolls),
    )


def sources_ui() -> None:
    st.subheader("Sources and licences")
    st.markdown("\n".join(f"- {line}" for line in SOURCES_AND_LICENCES))


if __name__ == "__main__":
    main()
