"""Playback, map-to-widget sync and shared links, in a real browser, offline."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    MAP_FRAME,
    ST_ALERT,
    ST_TOOLBAR,
    ST_VEGA_LITE_CHART,
    by_test_id,
    date_value,
    wait_for_app,
)

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser


def map_frame(page):
    expect(page.frame_locator(MAP_FRAME).locator("path.qantar-region")).to_have_count(
        17, timeout=30_000
    )
    return page.locator(MAP_FRAME).element_handle().content_frame()


def shown_day(frame) -> str:
    return frame.evaluate("document.querySelector('.leaflet-container').dataset.qantarFrame")


def test_play_advances_the_days_without_reloading_the_map(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    frame = map_frame(page)
    frame.evaluate("window.__qantarSameDocument = true")
    assert shown_day(frame) == "2022-01-05"

    frame.locator(".qantar-speed").select_option("4")
    frame.locator(".qantar-play").click()
    expect(frame.locator(".qantar-play")).to_have_attribute("aria-pressed", "true")
    frame.wait_for_function(
        "document.querySelector('.leaflet-container').dataset.qantarFrame >= '2022-01-09'",
        timeout=10_000,
    )
    frame.locator(".qantar-play").click()  # pause: the widgets follow the map
    paused_on = shown_day(frame)
    assert paused_on >= "2022-01-09"
    expect(date_value(page)).to_contain_text(f"{paused_on[-2:]} Jan 2022")
    wait_for_app(page)
    assert frame.evaluate("window.__qantarSameDocument === true"), "the map iframe was reloaded"
    assert page.url.endswith(f"date={paused_on}") or f"date={paused_on}" in page.url


def test_a_shared_link_restores_the_view_in_a_new_page(browser, app_url, page):
    page.goto(f"{app_url}/?date=2022-01-03&mode=daily&metric=fatalities")
    wait_for_app(page)
    frame = map_frame(page)
    expect(frame.locator(".qantar-legend-title")).to_have_text("Deaths reported on 03 Jan 2022")
    expect(page.get_by_role("radio", name="On the date")).to_be_checked()
    expect(page.get_by_role("radio", name="Deaths reported")).to_be_checked()
    expect(date_value(page)).to_have_text("Mon 03 Jan 2022")
    assert page.locator(by_test_id(ST_ALERT)).count() == 0


def test_clicking_a_region_opens_its_panel(page, app_url):
    page.goto(f"{app_url}/?date=2022-01-02")
    wait_for_app(page)
    frame = map_frame(page)
    frame.locator("path.qantar-region").nth(11).dispatch_event("click")  # mangystau (sorted ids)
    expect(page.get_by_text("events in Mangystau Region up to the date")).to_be_visible(
        timeout=20_000
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "region-panel.png"), full_page=True)


def test_an_embedded_link_keeps_embed_and_the_view(page, app_url):
    page.goto(f"{app_url}/?embed=true&date=2022-01-03&metric=onset")
    wait_for_app(page)
    frame = map_frame(page)
    expect(frame.locator(".qantar-legend-title")).to_have_text("First unrest event on 03 Jan 2022")
    labels = frame.locator(".qantar-region-label")
    expect(labels.filter(has_text="D+0")).to_have_count(1)  # Mangystau, 2 January
    # Atyrau, West Kazakhstan and Almaty (3 January in the record)
    expect(labels.filter(has_text="D+1")).to_have_count(3)
    assert "embed=true" in page.url and "date=2022-01-03" in page.url
    assert page.get_by_test_id(ST_TOOLBAR).count() == 0


def test_clicking_a_day_in_the_timeline_moves_the_date(page, app_url):
    page.goto(f"{app_url}/?date=2022-01-10")
    wait_for_app(page)
    map_frame(page)
    timeline = page.get_by_test_id(ST_VEGA_LITE_CHART).first
    timeline.scroll_into_view_if_needed()
    bar = timeline.locator("path[aria-roledescription='bar'][aria-label^='Date: 3 Jan;']").first
    bar.click(force=True)
    expect(date_value(page)).to_have_text("Mon 03 Jan 2022", timeout=20_000)
    expect(page.frame_locator(MAP_FRAME).locator(".qantar-legend-title")).to_contain_text(
        "03 Jan 2022"
    )
