"""The Compare tab in a browser: two maps that always show one day, on one colour scale, each
region drawn as geo counts it, and the page's numbers equal to geo.analysis.compare's."""

from __future__ import annotations

import pandas as pd
import pytest

import geo
from geo.analysis.compare import compare
from tests.analysis.test_compare import B_ROWS
from tests.app.test_app_compare import csv_of
from tests.browser.conftest import (
    MAP_FRAME,
    ST_FILE_UPLOADER_DROPZONE_INPUT,
    ST_MAIN,
    ST_METRIC,
    ST_METRIC_VALUE,
    date_slider,
    wait_for_app,
)
from tests.browser.test_map_truth import drawn, legend_colour

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def expected_cumulative(events: pd.DataFrame, regions: pd.Series, day: str) -> dict[str, str]:
    """Each region's events up to `day`, counted from the events themselves."""
    upto = events[events["event_date"].dt.normalize() <= pd.Timestamp(day)]
    counts = upto["region_id"].value_counts()
    return {rid: str(int(counts.get(rid, 0))) for rid in regions}


def assert_both_maps_show(page, day: str, record, second) -> None:
    left, right = (page.frame_locator(MAP_FRAME).nth(i) for i in (0, 1))
    for frame in (left, right):
        expect(frame.locator(f".leaflet-container[data-qantar-frame='{day}']")).to_have_count(
            1, timeout=30_000
        )
    shown = {"record": drawn(left), "second": drawn(right)}
    assert shown["record"].legend == shown["second"].legend  # one colour scale
    for name, events in (("record", record.events), ("second", second.events)):
        want = expected_cumulative(events, record.regions["region_id"], day)
        assert shown[name].values == want, (name, day)
        for rid, value in want.items():
            colour = legend_colour(shown[name].legend, "events", value, "")
            assert shown[name].fills[rid] == colour, (name, day, rid)


def test_two_maps_one_day_one_scale_and_the_numbers_geo_computes(page, app_url, tmp_path):
    path = tmp_path / "second.csv"
    path.write_bytes(csv_of(B_ROWS, shift_km=3))
    record = geo.load_dataset()
    second = geo.load_dataset(path, layout=record.layout)
    expected = compare(record, second)

    page.goto(app_url)
    wait_for_app(page)
    page.get_by_role("tab", name="Compare sources").click()
    wait_for_app(page)
    main = page.get_by_test_id(ST_MAIN)
    main.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(path))
    expect(page.locator(MAP_FRAME)).to_have_count(2, timeout=60_000)
    wait_for_app(page)
    left, right = (page.frame_locator(MAP_FRAME).nth(i) for i in (0, 1))
    expect(left.locator(".qantar-play")).to_have_count(1)
    expect(right.locator(".qantar-play")).to_have_count(0)  # one player, on the left map

    assert_both_maps_show(page, "2022-01-05", record, second)  # the day the page opens on
    left.locator(".qantar-forward").click()  # the left player steps: both maps move
    assert_both_maps_show(page, "2022-01-06", record, second)
    left.locator(".qantar-play").click()
    expect(left.locator(".leaflet-container[data-qantar-frames='2']")).to_have_count(1)
    left.locator(".qantar-play").click()
    playing_stopped_on = drawn(left).frame_id
    assert drawn(right).frame_id == playing_stopped_on  # it followed every frame of the play
    assert_both_maps_show(page, playing_stopped_on, record, second)
    date_slider(page).get_by_role("slider").focus()  # the page's date control moves both
    page.keyboard.press("Home")
    assert_both_maps_show(page, "2022-01-01", record, second)

    metric = page.get_by_test_id(ST_METRIC).filter(has_text="Events matched")
    expect(metric.get_by_test_id(ST_METRIC_VALUE)).to_have_text(f"{expected.matched:,}")
    estimated = page.get_by_test_id(ST_METRIC).filter(has_text="Estimated events in all")
    expect(estimated.get_by_test_id(ST_METRIC_VALUE)).to_have_text(
        f"{expected.estimated_total:,.0f}"
    )
    expect(
        page.get_by_text(f"{expected.matched:,} of them are the same event in both")
    ).to_be_visible()
