"""The date control and what follows it: one fragment per open tab, rerun on its own when the
date moves, a jump button is pressed, or the map's player or the timeline picks a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.pipeline import Dataset
from geo.render.frames import frame_text
from ui import cached, state
from ui.page import said_plainly
from ui.sidebar import share_ui
from ui.viewstate import ViewState, view_query

DATE_LABEL = "Date"
"""The date control's label: the map follows the control found by it (ui.map_component)."""
JUMPS = {"First event": "first", "Peak day": "peak", "Last event": "last"}
"""The jump buttons and the key days (geo.analysis.aggregate.key_days) they go to."""


@st.fragment
def dated_view_ui(
    dataset: Dataset, default: ViewState, content: Callable[[Dataset, ViewState], None]
) -> None:
    """The date control, then `content`: what follows the date in the open tab.

    A fragment: moving the date, a jump button, a click in the timeline or the region rerun
    only this, not the data, the sidebar's options and filters, or the map.
    """
    date_ui(dataset)
    view = state.current_view()
    query = view_query(view, default)
    st.query_params.from_dict(query)
    share_ui(query)
    with said_plainly():  # this is a fragment, rerun on its own: it says geo's errors itself
        content(dataset, view)


def date_ui(dataset: Dataset) -> None:
    """The one date control; the jump buttons and the map's own player all move it."""
    st.select_slider(
        DATE_LABEL,
        options=state.frames(),
        format_func=lambda frame: frame_text(frame, dataset.step, "control"),
        key="date",
    )
    if state.embedded():
        return
    jumps = cached.jump_days(dataset)
    row = st.container(horizontal=True)  # one block, not four columns: fewer messages a rerun
    for label, name in JUMPS.items():
        day = getattr(jumps, name)
        row.button(
            label,
            on_click=state.set_date,
            args=(state.as_frame(day, dataset.step),),
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
        on_click=state.set_date,
        args=(onset_day,),
        help="Choose a region (click it on the map) to jump to its first protest",
    )


def region_onset(dataset: Dataset, region: str | None) -> dt.date | None:
    onset = dataset.onsets.set_index("region_id")["onset_date"].get(region) if region else None
    return None if onset is None or pd.isna(onset) else state.as_frame(onset, dataset.step)
