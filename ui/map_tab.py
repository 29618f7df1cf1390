"""The Map tab: the player map, and beside it what follows the date (the map's words, the region
table, one region's events, the timeline); the official tolls under it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo
from geo.pipeline import Dataset
from geo.render.frames import frame_text
from geo.render.htmlsafe import markdown_text
from geo.render.listings import region_event_entries, region_events
from geo.render.style import CONNECTIVITY_CAPTION
from ui import cached, map_component, state
from ui.columns import frame_column
from ui.sidebar import MODE_LABELS
from ui.viewstate import SPEEDS, ViewState

MAP_HEIGHT = 600
PANEL_HEIGHT = 420
"""The region's events scroll inside this height, beside the regions' table."""


def map_ui(dataset: Dataset, online_tiles: bool) -> None:
    """The map, drawn outside the date's fragment: a date change does not send it again."""
    map_component.player_map(
        cached.map_args(dataset, online_tiles),
        height=MAP_HEIGHT,
        on_message=apply_map_message,
    )
    st.caption("Press ▶ on the map to play the days; click a region for its events.")
    if cached.connectivity_of(dataset) is not None:
        st.caption(CONNECTIVITY_CAPTION)
    if dataset.attribution:
        st.caption(dataset.attribution)


def apply_map_message(message: dict) -> None:
    """The person paused, stepped, changed speed or clicked a region in the map."""
    frames = state.frames()
    frame = message.get("frame")
    if isinstance(frame, int) and 0 <= frame < len(frames):
        st.session_state["date"] = frames[frame]
    if message.get("speed") in SPEEDS:
        st.session_state["speed"] = float(message["speed"])
    if isinstance(message.get("loop"), bool):
        st.session_state["loop"] = message["loop"]
    if isinstance(message.get("region"), str):
        st.session_state["region"] = message["region"]


def map_state_ui(dataset: Dataset, view: ViewState) -> None:
    """The view for the map drawn outside the fragment: a few hundred bytes a date change."""
    map_component.show_state(state.player_state(view, state.frames()).as_json())


def under_map_ui(dataset: Dataset, view: ViewState) -> None:
    """Under the map and its date, at the page's width: the map in words, the regions' table
    beside the chosen region's events, then the timeline."""
    map_state_ui(dataset, view)
    st.caption(cached.map_alt_text(dataset, pd.Timestamp(view.date)))  # the map, in words
    table_column, panel_column = st.columns([2, 3])
    with table_column:
        region_table_ui(dataset, view)
    with panel_column:
        region_panel_ui(dataset, view)
    timeline_ui(dataset, view)


def region_table_ui(dataset: Dataset, view: ViewState) -> None:
    table, with_events = cached.region_table(
        dataset, pd.Timestamp(view.date), view.mode, view.window
    )
    st.metric(
        "Regions with any event, of any type",
        f"{with_events} of {table.num_rows}",
        help=(
            f"Events of any type (decisions and emergency rule too), "
            f"{MODE_LABELS[view.mode].lower()} {frame_text(view.date, dataset.step)}. "
            "The map's “regions where the unrest has begun” counts those whose first event "
            "of the categories counted as unrest has happened."
        ),
    )
    st.dataframe(
        table,
        column_config={
            "name_en": "Region",
            "events": st.column_config.NumberColumn("Events"),
            "fatalities": st.column_config.NumberColumn("Deaths reported"),
            "onset_date": frame_column(f"First {cached.onset_noun(dataset)}", dataset.step),
            "days_since_origin": st.column_config.NumberColumn(
                "D+" if dataset.step == "day" else "D+ (days)", format="D+%d"
            ),
        },
        hide_index=True,
        width="stretch",
        height=300,
        key="region_table",
    )


def region_panel_ui(dataset: Dataset, view: ViewState) -> None:
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    region = st.selectbox(
        "Region details",
        list(names),
        index=None,  # a new dataset's options must not select their first region on their own
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
        f"{MODE_LABELS[view.mode].lower()} {frame_text(view.date, dataset.step)}, newest first"
    )
    if listed.empty:
        return
    with st.container(height=PANEL_HEIGHT, key="region_events"):
        st.markdown("\n\n".join(region_event_entries(listed)))


def timeline_ui(dataset: Dataset, view: ViewState) -> None:
    """Events per day, whatever the step: hourly frames are summed into their day."""
    spec = cached.timeline_spec(dataset, with_context=dataset.bundled)
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


def date_from_timeline() -> None:
    """A clicked day: that day, or its first hour when stepping by hour."""
    day = geo.selected_date(st.session_state.get("timeline") or {})
    if day is None:
        return
    frames = [f for f in state.frames() if state.day_of(f) == day.date()]
    if frames:
        state.set_date(frames[0])


def national_toll_ui(dataset: Dataset) -> None:
    """The official tolls of the bundled story, which no date changes."""
    if dataset.bundled:
        st.vega_lite_chart(cached.national_toll_spec(dataset), width="stretch")
