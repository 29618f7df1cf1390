"""Qantar: how the January 2022 unrest spread across Kazakhstan, day by day.

The page as a list of its parts; each part lives in `ui` (layout and wiring), every computation
in `geo`. Shareable state lives in the URL (ui.viewstate), tied to the controls by ui.state.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo.render.listings import STORY_TITLE
from ui import cached, map_component, sidebar, state
from ui.compare_tab import compare_dated_ui, compare_ui
from ui.data_tab import data_ui
from ui.dated import DATE_LABEL, dated_view_ui
from ui.map_tab import map_state_ui, map_ui, national_toll_ui, under_map_ui
from ui.page import hide_sidebar, link_notices_ui, page_style, said_plainly
from ui.reconnect import rerun_after_restart
from ui.spread_tab import spread_ui

TABS = ["Map", "Spread", "Compare sources", "Data and exports"]


def main() -> None:
    st.set_page_config(page_title="Qantar — Kazakhstan, January 2022", layout="wide")
    page_style()
    if state.embedded():
        hide_sidebar()
    else:
        st.title(STORY_TITLE)
    map_component.follow_slider(DATE_LABEL)  # the date moves the map at once, before any rerun
    rerun_after_restart()
    with said_plainly():
        base = sidebar.dataset_ui()
        link_notices_ui(state.restore_from_url(base))
        step = sidebar.step_ui(base)
        online_tiles = sidebar.view_options_ui()
        chosen_filter = sidebar.filters_ui(base.events)
        dataset = cached.shown(base, chosen_filter, step)
        state.set_frames(dataset)
        dated = partial(dated_view_ui, dataset, state.default_view(state.frames_of(base)))
        if state.embedded():  # a news page embeds the map, its player, the date and the credits
            map_ui(dataset, online_tiles)
            dated(map_state_ui)
            return
        map_tab, spread_tab, compare_tab, data_tab = st.tabs(TABS, key="tab", on_change="rerun")
        # Only the open tab runs. The map and the toll chart do not follow the date, so they
        # are drawn here, outside the date's fragment: a date change does not send them again.
        # What follows the date sits under the map, at the page's width.
        if map_tab.open:
            with map_tab:
                # One container: however many captions the map has, the date's fragment keeps
                # its place, so a new dataset's rerun replaces it rather than adding a second.
                with st.container(), said_plainly():
                    map_ui(dataset, online_tiles)
                dated(under_map_ui)
                with said_plainly():
                    national_toll_ui(dataset)
        if spread_tab.open:
            with spread_tab:
                dated(spread_ui)
        if compare_tab.open:
            with compare_tab:
                with st.container(), said_plainly():  # the fragment keeps its place (above)
                    comparison = compare_ui(dataset, online_tiles)
                with said_plainly():
                    dated(partial(compare_dated_ui, comparison))
        if data_tab.open:
            with data_tab:
                dated(data_ui)


if __name__ == "__main__":
    main()
