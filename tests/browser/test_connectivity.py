"""The hours the internet was cut, as a reader sees them: each region's badge and outline on the
map, day by day, equal to what geo.record.connectivity says; the bands on the timeline; the same
in the edition for readers."""

from __future__ import annotations

import pytest

import geo
from geo.export.edition import write_edition
from geo.record.connectivity import connectivity_by_frame, load_connectivity
from geo.render.style import CONNECTIVITY_BADGES
from tests.browser.conftest import MAP_FRAME, ST_VEGA_LITE_CHART, wait_for_app

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser
DAYS = ("2022-01-03", "2022-01-05", "2022-01-08", "2022-01-10", "2022-01-12")


@pytest.fixture(scope="module")
def record() -> geo.Dataset:
    return geo.load_dataset()


@pytest.fixture(scope="module")
def states(record) -> dict[str, dict[str, str]]:
    """Each day's state per region, as geo computes it."""
    by_region = connectivity_by_frame(
        load_connectivity(), record.regions["region_id"], record.frames, "day"
    )
    days = [f"{f:%Y-%m-%d}" for f in record.frames]
    return {day: {rid: s[days.index(day)] for rid, s in by_region.items()} for day in DAYS}


def shown_states(frame) -> tuple[dict[str, str], list[str], bool]:
    box = frame.locator(".leaflet-container").first
    return box.evaluate(
        """box => [
          Object.fromEntries([...box.querySelectorAll('path.qantar-region')].map(p => [
            p.getAttribute('data-region'), p.getAttribute('data-connectivity')])),
          [...box.querySelectorAll('.qantar-net')].map(b => b.textContent).sort(),
          !!box.querySelector('.qantar-legend-net'),
        ]"""
    )


def assert_day(frame, day: str, want: dict[str, str]) -> None:
    expect(frame.locator(f".leaflet-container[data-qantar-frame='{day}']")).to_have_count(
        1, timeout=30_000
    )
    regions, badges, noted = shown_states(frame)
    assert regions == want, day
    expected_badges = sorted(
        CONNECTIVITY_BADGES[s] for s in want.values() if s in CONNECTIVITY_BADGES
    )
    assert badges == expected_badges, day
    assert noted == bool(expected_badges), day


def test_the_dashboards_map_marks_the_cut_regions_of_each_day(page, app_url, states):
    for day in DAYS:
        page.goto(f"{app_url}/?date={day}")
        wait_for_app(page)
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=60_000)
        assert_day(frame, day, states[day])
    assert any(s == "full cut" for s in states["2022-01-05"].values())
    assert not any(states["2022-01-03"].values())
    timeline = page.get_by_test_id(ST_VEGA_LITE_CHART).first
    national = load_connectivity().query("scope == 'national'")
    bands = timeline.locator("[aria-roledescription='rect mark'][aria-label='Internet cut']")
    expect(bands).to_have_count(len(national), timeout=30_000)  # one band per national row
    labels = timeline.locator("[aria-roledescription='text mark'][aria-label*='Internet: ']")
    assert sorted(
        t.split("Internet: ")[1].split(";")[0]
        for t in labels.evaluate_all("ts => ts.map(t => t.getAttribute('aria-label'))")
    ) == sorted(CONNECTIVITY_BADGES[w] for w in national["what"])


def test_the_edition_marks_them_too(browser, record, states, tmp_path):
    write_edition(record, tmp_path, basemap=geo.load_basemap(), context=geo.load_context())
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        for day in ("2022-01-05", "2022-01-10"):
            page.goto((tmp_path / "index.html").as_uri() + f"#date={day}")
            frame = page.frame_locator("#map")
            expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=60_000)
            assert_day(frame, day, states[day])
        assert "internet cut 05 Jan 16:30" in page.locator("#chart-timeline").get_attribute(
            "aria-label"
        )
    finally:
        page.close()
