"""The first screen in a real browser, offline: all 17 regions draw and follow the date."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, MAP_FRAME, date_slider, date_value, wait_for_app

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser


def region_fills(frame) -> list[str]:
    return frame.locator("path.qantar-region").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )


def test_map_draws_every_region_offline_and_follows_the_date_slider(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=30_000)
    expect(frame.locator("path.qantar-basemap").first).to_be_attached()
    expect(frame.locator(".qantar-legend")).to_contain_text("Events")
    before = region_fills(frame)

    slider = date_slider(page).locator("input[type=range]")
    slider.focus()
    page.keyboard.press("End")
    wait_for_app(page)
    expect(date_value(page)).to_have_text("Wed 19 Jan 2022")
    expect(frame.locator(".qantar-legend-title")).to_contain_text("19 Jan 2022", timeout=30_000)
    expect(frame.locator("path.qantar-region")).to_have_count(17)
    assert region_fills(frame) != before

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
    print("requests aborted (not loopback):", page.outside_requests)
