"""The Compare tab: the data shown set beside a second source (an upload, or the bundled record
when the data shown is an upload), on two maps with one date and one player, a mirrored
timeline and the "Sources compared" table (geo.analysis.compare)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import geo
from geo.analysis.compare import Comparison, compare
from geo.analysis.matching import category_group
from geo.export.tables import comparison_csv
from geo.pipeline import Dataset
from geo.render import story_charts, webmap
from geo.render.compared import comparison_sentences
from geo.render.htmlsafe import markdown_text
from ui import cached, map_component, state
from ui.map_tab import apply_map_message, map_state_ui
from ui.sidebar import uploaded_dataset_ui
from ui.viewstate import MATCH_DAYS, MATCH_KM, ViewState

BUNDLED_CHOICE = "The bundled January 2022 record"
FILE_CHOICE = "A file of your own"
COMPARE_MAP_HEIGHT = 480


def compare_ui(dataset: Dataset, online_tiles: bool) -> Comparison | None:
    """The second source and the windows, then the two maps; returns the comparison for the
    date's fragment (compare_dated_ui), or None while there is nothing to compare."""
    if dataset.step != "day":
        st.info("Sources are compared day by day: choose “Step through: days” in the sidebar.")
        return None
    second = second_source_ui(dataset)
    if second is None:
        return None
    left, right = st.columns(2)
    left.select_slider("Same event if within (km)", MATCH_KM, key="match_km")
    right.select_slider(
        "… and within (days)",
        list(MATCH_DAYS),
        key="match_days",
        help="Reports of one event can be dated a day apart (a late report, a time zone).",
    )
    groups = category_groups_ui(dataset, second)
    with st.spinner("Matching the two sources' events…"):
        comparison = comparison_of(dataset, second, groups)
    maps_ui(dataset, second, online_tiles)
    return comparison


def second_source_ui(dataset: Dataset) -> Dataset | None:
    """The source to compare with: the bundled record (when the data shown is an upload) or a
    file uploaded here, placed in the layout of the data shown."""
    chosen = FILE_CHOICE
    if not dataset.bundled:  # the bundled record is a second source only beside an upload
        chosen = st.radio(
            "Compare with", [BUNDLED_CHOICE, FILE_CHOICE], key="compare_with", horizontal=True
        )
    if chosen == BUNDLED_CHOICE:
        return cached.bundled_dataset(dataset.layout or "auto")
    upload = st.file_uploader(
        "Second source (ACLED or GDELT export, CSV, XLSX, GeoJSON)",
        type=["csv", "tsv", "txt", "xlsx", "geojson", "json", "zip"],
        key="compare_upload",
        help="Stays in this browser session, like the sidebar's upload.",
    )
    if upload is None:
        st.info(
            f"Upload a second source to set it beside {markdown_text(dataset.name)}: its events "
            "are matched one to one with these, nearest first."
        )
        return None
    try:
        return uploaded_dataset_ui(upload, dataset.layout or "auto", kept_as="compare_uploaded")
    except geo.QantarError as error:
        st.error(f"{markdown_text(upload.name)} could not be used: {markdown_text(error)}")
        return None


def category_groups_ui(a: Dataset, b: Dataset) -> dict[str, str]:
    """Which categories of the two sources count as the same kind of event: each category's
    group, editable (defaults: geo.analysis.matching.CATEGORY_GROUPS)."""
    present = pd.unique(pd.concat([a.events["event_type"], b.events["event_type"]]).dropna())
    table = pd.DataFrame(
        {"category": [str(c) for c in present], "group": [category_group(c) for c in present]}
    ).sort_values(["group", "category"], ignore_index=True)
    with st.expander("Which categories match each other"):
        st.caption("Events match only within one group. Rename a group to merge or split them.")
        edited = st.data_editor(
            table,
            key="compare_groups",
            hide_index=True,
            disabled=["category"],
            width="stretch",
            column_config={"category": "Category", "group": "Matches within the group"},
        )
    return {
        str(c): str(g).strip() or str(c)
        for c, g in zip(edited["category"], edited["group"].fillna(""), strict=True)
    }


def comparison_of(a: Dataset, b: Dataset, groups: dict[str, str]) -> Comparison:
    """Kept in this session (the second source may be an upload), once per choice."""
    view = state.current_view()
    key = (a.fingerprint, b.fingerprint, view.match_km, view.match_days, sorted(groups.items()))
    kept = st.session_state.get("comparison")
    if kept is None or kept[0] != key:
        found = compare(a, b, km=view.match_km, days=view.match_days, groups=groups)
        kept = st.session_state["comparison"] = (key, found)
    return kept[1]


def maps_ui(a: Dataset, b: Dataset, online_tiles: bool) -> None:
    """Both sources on one colour scale; the second map follows the first one's player (and
    the date), so the two always show the same day. Stacked on a phone (Streamlit's columns)."""
    b_shown = cached.on_frames_of(b, tuple(a.frames))
    scale = webmap.shared_scale(a, b_shown)
    map_component.share_frames()
    shown = ((a.name, a, True), (b.name, b_shown, False))
    for column, (name, dataset, player) in zip(st.columns(2), shown, strict=True):
        with column:
            st.markdown(f"**{markdown_text(name)}**")
            map_component.player_map(
                cached.compare_map_args(dataset, online_tiles, tuple(scale.items()), player),
                height=COMPARE_MAP_HEIGHT,
                on_message=apply_map_message,
            )
            if dataset.attribution:
                st.caption(dataset.attribution)
    st.caption("One colour scale for both maps; ▶ on the left map plays both.")


def compare_dated_ui(comparison: Comparison | None, dataset: Dataset, view: ViewState) -> None:
    """What follows the date: the maps' day, the mirrored timeline; then the table."""
    map_state_ui(dataset, view)
    if comparison is None:
        return
    for line in comparison_sentences(comparison):
        st.markdown(markdown_text(line))
    whole = st.container(horizontal=True)
    whole.metric("Events matched", f"{comparison.matched:,}")
    whole.metric(f"Only in {comparison.a_name}", f"{comparison.a_only:,}")
    whole.metric(f"Only in {comparison.b_name}", f"{comparison.b_only:,}")
    total = comparison.estimated_total
    whole.metric("Estimated events in all", "—" if total is None else f"{total:,.0f}")
    day = pd.Timestamp(view.date).normalize()
    spec = story_charts.mirrored_timeline(comparison)
    if comparison.first_day <= day <= comparison.last_day:
        spec = geo.with_day_shown(spec, day)
    st.vega_lite_chart(geo.inline_data(spec), width="stretch", key="mirrored_timeline")
    compared_table_ui(comparison)


def compared_table_ui(comparison: Comparison) -> None:
    a, b = comparison.a_name, comparison.b_name
    st.subheader("Sources compared, region by region")
    st.dataframe(
        comparison.regions.drop(columns="region_id"),
        column_config={
            "region": "Region",
            "a_events": st.column_config.NumberColumn(f"Events in {a}"),
            "b_events": st.column_config.NumberColumn(f"Events in {b}"),
            "matched": st.column_config.NumberColumn(
                "Matched", help=f"{a}'s events here that {b} has too"
            ),
            "a_only": st.column_config.NumberColumn(f"Only in {a}"),
            "b_only": st.column_config.NumberColumn(f"Only in {b}"),
            "a_onset": st.column_config.DateColumn(f"Unrest began ({a})"),
            "b_onset": st.column_config.DateColumn(f"Unrest began ({b})"),
            "lag_days": st.column_config.NumberColumn(
                "Lag (days)", help=f"The day unrest began in {a} minus the day in {b}"
            ),
        },
        hide_index=True,
        width="stretch",
        key="compared_table",
    )
    lagged = comparison.daily_correlations()
    st.caption(
        "Daily counts, correlation when "
        + markdown_text(b)
        + " is shifted by n days: "
        + ", ".join(f"{lag:+d}: {'—' if r is None else f'{r:.2f}'}" for lag, r in lagged.items())
    )
    st.download_button(
        "Download the comparison (CSV)",
        comparison_csv(comparison),
        file_name="qantar_sources_compared.csv",
        mime="text/csv",
        key="compared_csv",
    )
