"""The sidebar: the data (the bundled record, or the reader's upload), then the view's options
and filters. Each control's key is its row in ui.state.CONTROLS."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

import geo
from geo.analysis.aggregate import WINDOW_DAYS
from geo.analysis.filters import EventFilter, choices
from geo.analysis.spread import unrest_table
from geo.io.dates import DAY_FIRST, MONTH_FIRST
from geo.io.limits import UPLOAD_LIMITS
from geo.io.mapping import mapping_from_table, mapping_table
from geo.pipeline import Dataset, has_times, read_counts, with_unrest_types
from geo.render.htmlsafe import LINK_SAFE, markdown_text
from geo.render.style import METRIC_NAMES
from geo.schema import GEO_PRECISION_LABELS
from geo.uploads import read_upload
from ui import cached, state
from ui.viewstate import DEATHS

MODE_LABELS = {"cumulative": "Up to the date", "daily": "On the date", "window": "Last k days"}
METRIC_LABELS = {**METRIC_NAMES, "onset": "Day of the first unrest event (D+n)"}
"""The map's names of the metrics; the control also says what unit the onset is counted in."""
DATE_ORDERS = {
    "auto": "as the file says",
    DAY_FIRST: "day first (5 January)",
    MONTH_FIRST: "month first (1 May)",
}


def dataset_ui() -> Dataset:
    """The bundled record, or a file the person uploads (kept in this session only)."""
    with st.sidebar:
        st.header("Data")
        upload = st.file_uploader(
            "Your events (ACLED or GDELT export, CSV, XLSX, GeoJSON)",
            type=["csv", "tsv", "txt", "xlsx", "geojson", "json", "zip"],
            key="upload",
            help="Stays in this browser session; the bundled data is never changed.",
        )
        layout = st.selectbox(
            "Boundaries",
            list(cached.LAYOUT_LABELS),
            format_func=cached.LAYOUT_LABELS.get,
            key="layout",
        )
        if upload is None:
            return cached.bundled_dataset(layout)
        date_order = date_order_ui()
        try:
            dataset = uploaded_dataset_ui(upload, layout, date_order, corrected_columns(upload))
            columns_ui(upload, dataset)
            return unrest_ui(dataset)
        except geo.QantarError as error:
            st.error(f"{markdown_text(upload.name)} could not be used: {markdown_text(error)}")
            return cached.bundled_dataset(layout)


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
    upload,
    layout: str,
    date_order: str | None = None,
    mapping: dict[str, str] | None = None,
    *,
    kept_as: str = "uploaded",
) -> Dataset:
    """Read, place and count the upload in a capped worker process (geo.uploads), saying which
    step it is at. The result lives in this session only (under `kept_as`), never in a cache
    another reader could hit, and goes with the session; a new upload replaces it."""
    key = (upload.file_id, upload.name, layout, date_order, tuple(sorted((mapping or {}).items())))
    kept = st.session_state.get(kept_as)
    if kept is None or kept[0] != key:
        st.session_state.pop(kept_as, None)  # the previous upload's memory goes first
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
        st.session_state[kept_as] = (key, dataset)
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
                "field": st.column_config.TextColumn("Field", width="small"),
                "column": st.column_config.SelectboxColumn(
                    "Column",
                    options=["", *dataset.file_columns],
                    width="medium",
                    help="Your file's column this field is read from",
                ),
                "values": st.column_config.TextColumn("Values read", width="large"),
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
            column_config={
                "category": st.column_config.TextColumn("Category", width="medium"),
                "events": st.column_config.NumberColumn("Rows", width="small"),
                "unrest": st.column_config.CheckboxColumn(
                    "Unrest", width="small", help="Counts as unrest for the onsets and spread"
                ),
            },
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


def view_options_ui() -> bool:
    """How the map counts and colours; returns whether it draws online tiles."""
    with st.sidebar:
        st.header("View")
        st.radio(
            "Colour regions by", list(METRIC_LABELS), format_func=METRIC_LABELS.get, key="metric"
        )
        mode = st.radio("Count events", list(MODE_LABELS), format_func=MODE_LABELS.get, key="mode")
        in_use = mode == "window"
        if not in_use:  # a disabled widget's own label is too faint to read (2.3:1)
            st.caption("k (days in the window): for “Last k days”")
        st.slider(
            "k (days in the window)",
            WINDOW_DAYS.start,
            WINDOW_DAYS.stop - 1,
            key="window",
            disabled=not in_use,
            label_visibility="visible" if in_use else "collapsed",
        )
        st.toggle(
            "Spread arrows",
            key="arrows",
            help="Each newly affected region, linked to the nearest region affected before it",
        )
        return st.toggle("Online map tiles (needs internet)", key="tiles")


def filters_ui(events: pd.DataFrame) -> EventFilter:
    with st.sidebar.expander("Filter events"):
        st.multiselect("Event type", choices(events, "event_type"), key="types")
        st.multiselect("Sub-type", choices(events, "sub_event_type"), key="subtypes")
        actor_names = sorted({*choices(events, "actor1"), *choices(events, "actor2")})
        st.multiselect("Actor", actor_names, key="actors")
        st.multiselect(
            "Location precision",
            list(GEO_PRECISION_LABELS),
            key="precision",
            format_func=GEO_PRECISION_LABELS.get,
        )
        deaths = st.checkbox("Only events with reported deaths, in range", key=state.DEATHS_SWITCH)
        st.slider(
            "Deaths",
            DEATHS.start,
            DEATHS.stop - 1,
            key=state.DEATHS_RANGE,
            disabled=not deaths,
            # The checkbox above names it; a disabled widget's own label is too faint (2.3:1).
            label_visibility="visible" if deaths else "collapsed",
        )
    return state.event_filter(state.current_view())


def share_ui(query: dict[str, str]) -> None:
    """The link to this view (the address bar holds the same link). A Markdown link, not
    `st.code`: the code block's highlighter is 1.5 MB of JavaScript that every reader would
    load before the map (BENCHMARKS.md, "Page open")."""
    base = (st.context.url or "").split("?")[0]
    link = f"{base}?{urlencode(query)}" if query else base
    with st.sidebar:
        st.caption("Link to this view")
        st.markdown(f"[{markdown_text(link)}]({quote(link, safe=LINK_SAFE)})")
