"""The dashboard script with Streamlit's AppTest: widgets, state and the URL.

st_folium is opaque to AppTest; map content is tested at the builder level
(tests/render/test_webmap.py) and in the browser (tests/browser).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.paths import APP

TIMEOUT = 60


@pytest.fixture(autouse=True)
def clear_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def run_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def affected(at: AppTest) -> str:
    return next(m for m in at.metric if m.label == "Regions with any event, of any type").value


def test_first_screen_shows_the_story_without_errors():
    at = run_app()
    assert not at.exception and not at.error
    assert at.select_slider(key="date").value == dt.date(2022, 1, 5)
    assert affected(at) == "17 of 17"  # the emergency decrees of 5 January reached every unit


def share_link(at) -> str:
    """The sidebar's link to this view: the target of its Markdown link."""
    [link] = [m.value for m in at.sidebar.markdown if m.value.startswith("[")]
    return re.fullmatch(r"\[.*\]\((.*)\)", link, flags=re.S).group(1)


def test_moving_the_date_changes_the_region_count():
    at = run_app()
    at.select_slider(key="date").set_value(dt.date(2022, 1, 2)).run()
    assert affected(at) == "1 of 17"
    assert at.query_params["date"] == "2022-01-02"
    assert share_link(at).endswith("?date=2022-01-02")  # the link to copy
    at.select_slider(key="date").set_value(dt.date(2022, 1, 5)).run()
    assert "date" not in at.query_params  # the default date keeps the link short


def test_daily_mode_counts_only_that_day():
    at = run_app()
    at.radio(key="mode").set_value("daily").run()
    at.select_slider(key="date").set_value(dt.date(2022, 1, 2)).run()
    assert affected(at) == "1 of 17"
    at.select_slider(key="date").set_value(dt.date(2022, 1, 19)).run()
    assert affected(at) not in ("1 of 17", "17 of 17")


def test_query_parameters_restore_the_view():
    at = run_app(date="2022-01-03", mode="daily", metric="fatalities")
    assert at.select_slider(key="date").value == dt.date(2022, 1, 3)
    assert at.radio(key="mode").value == "daily"
    assert at.radio(key="metric").value == "fatalities"


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"date": "2030-01-01"}, "Ignored the link's date='2030-01-01'"),
        ({"mode": "<script>alert(1)</script>"}, "Ignored the link's mode='scriptalert(1)/script'"),
        ({"tiles": "maybe"}, "expected on or off"),
    ],
)
def test_a_bad_link_falls_back_to_the_default_with_a_notice(query, notice):
    at = run_app(**query)
    assert not at.exception
    assert any(notice in w.value for w in at.warning)
    assert at.select_slider(key="date").value == dt.date(2022, 1, 5)
    assert at.radio(key="mode").value == "cumulative"


def test_jump_buttons_move_the_one_date_control():
    at = run_app()
    at.button(key="jump_Peak day").click().run()
    assert at.select_slider(key="date").value == dt.date(2022, 1, 5)
    at.button(key="jump_Last event").click().run()
    assert at.select_slider(key="date").value == dt.date(2022, 1, 19)
    at.button(key="jump_First event").click().run()
    assert at.select_slider(key="date").value == dt.date(2022, 1, 1)


def test_a_region_in_the_link_opens_its_panel_and_its_onset_jump():
    at = run_app(region="almaty_city", date="2022-01-19")
    assert at.selectbox(key="region").value == "almaty_city"
    assert any("events in Almaty" in c.value for c in at.caption)
    at.button(key="jump_onset").click().run()
    # Almaty's first protest: 3 January (QNT-KAZ-0168, the police chief's account of that day)
    assert at.select_slider(key="date").value == dt.date(2022, 1, 3)


def test_filters_change_the_counts_and_go_into_the_link():
    at = run_app(date="2022-01-19")
    at.multiselect(key="types").set_value(["Riots"]).run()
    assert affected(at) != "17 of 17"
    assert at.query_params["types"] == "Riots"


def test_window_mode_and_k_come_from_the_link():
    at = run_app(mode="window", window="5", metric="onset", arrows="off")
    assert at.radio(key="mode").value == "window"
    assert at.slider(key="window").value == 5
    assert at.radio(key="metric").value == "onset"
    assert at.toggle(key="arrows").value is False


def test_the_boundaries_choice_redraws_the_bundled_record_on_that_layout():
    """It used to do nothing on the bundled data: the record stayed on the 17 units."""
    import geo

    at = run_app()
    assert affected(at).endswith("of 17")
    at.selectbox(key="layout").set_value("current").run()
    assert not at.exception
    current = geo.load_regions("current")
    record = geo.load_bundled_events()
    dataset = geo.build_dataset(record.events, current, name=record.file)
    table = geo.region_table(
        dataset.regions, dataset.counts, dataset.onsets, dt.date(2022, 1, 5), "cumulative"
    )
    assert affected(at) == f"{geo.regions_with_events(table)} of {len(current)}"
    assert len(current) == 20


def test_an_upload_without_event_types_draws_its_timeline_on_its_own_days(tmp_path):
    """A file with no event_type column used to crash the Map tab: its timeline fell back to
    a fixed day, and the day shown (May 2022) lay outside it."""
    import pandas as pd

    import geo

    rows = pd.DataFrame(
        {
            "date": ["2022-05-01", "2022-05-02", "2022-05-09"],
            "place": ["Zhanaozen", "Aktau", "Almaty"],
            "lat": [43.3412, 43.6611, 43.2567],
            "lon": [52.8619, 51.1739, 76.9286],
        }
    )
    content = rows.to_csv(index=False).encode()
    imported = geo.read_events(content, name="untyped.csv")
    dataset = geo.dataset_from_import(imported, geo.load_regions("2022-01"), name="untyped.csv")
    at = AppTest.from_function(_timeline_of, args=(dataset,), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    # The scale runs from the first day to the end of the last (9 May, up to 10 May 00:00).
    assert at.session_state["timeline_days"] == ["2022-05-01", "2022-05-10"]


def _timeline_of(dataset) -> None:
    """The dashboard's timeline for `dataset` on its middle day, alone on a page."""
    import pandas as pd
    import streamlit as st

    import geo
    from ui import cached

    spec = cached.timeline_spec(dataset, with_context=False)
    shown = geo.with_day_shown(spec, pd.Timestamp("2022-05-05"))
    domain = next(layer for layer in shown["layer"] if "encoding" in layer)["encoding"]["x"]
    st.session_state["timeline_days"] = [
        f"{d['year']}-{d['month']:02d}-{d['date']:02d}" for d in domain["scale"]["domain"]
    ]


@pytest.mark.parametrize(("mode", "day"), [("cumulative", "2022-01-05"), ("daily", "2022-01-06")])
def test_the_region_table_shows_what_the_record_says(mode, day):
    """Every row of the region table beside the map, against a count made here from the
    placed events with plain Python: events and reported deaths per region, up to the day
    (cumulative) or on it (daily), and each region's first protest day."""
    from collections import Counter

    import pandas as pd

    import geo

    at = run_app(date=day, mode=mode)
    shown = next(d.value for d in at.dataframe if "days_since_origin" in d.value.columns)
    dataset = geo.load_dataset()
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    target = dt.date.fromisoformat(day)
    events, deaths = Counter(), Counter()
    for row in dataset.events.itertuples():
        if pd.isna(row.region_id):
            continue
        date = row.event_date.date()
        if date == target or (mode == "cumulative" and date < target):
            events[names[row.region_id]] += 1
            deaths[names[row.region_id]] += 0 if pd.isna(row.fatalities) else int(row.fatalities)
    onsets = dict(zip(dataset.onsets["region_id"], dataset.onsets["onset_date"], strict=True))
    assert sorted(shown["name_en"]) == sorted(names.values())
    for row in shown.itertuples():
        assert row.events == events[row.name_en], row
        assert row.fatalities == deaths[row.name_en], row
        region = next(rid for rid, name in names.items() if name == row.name_en)
        first = onsets[region]
        assert (pd.isna(row.onset_date) and pd.isna(first)) or (
            pd.Timestamp(row.onset_date).date() == pd.Timestamp(first).date()
        ), row
    assert sum(events.values()) > 0
