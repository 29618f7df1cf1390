"""The Spread tab: how many regions were affected by each day, how far from the origin, and the
onset of each region with its sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo
from geo.pipeline import Dataset
from ui import cached
from ui.columns import source_link_columns
from ui.viewstate import ViewState


def spread_ui(dataset: Dataset, view: ViewState) -> None:
    left, right = st.columns(2)
    with left:
        day = pd.Timestamp(view.date).normalize()
        spec = geo.inline_data(geo.with_day_shown(cached.units_affected_spec(dataset), day))
        st.vega_lite_chart(spec, width="stretch")
    with right:
        st.vega_lite_chart(cached.onset_distance_spec(dataset), width="stretch")
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
            "onset_date": st.column_config.DateColumn(f"First {cached.onset_noun(dataset)}"),
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
