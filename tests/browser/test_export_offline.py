"""Exports opened the way a reader opens them: the offline HTML snapshot from a file."""

from __future__ import annotations

import pytest

import geo
from geo.export.page import standalone_html
from geo.pipeline import build_dataset
from geo.render import webmap

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser
ACLED = "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com"


@pytest.fixture(scope="module")
def story_page() -> str:
    """The bundled story's player map, built as dashboard.py builds it."""
    bundled = geo.load_bundled_events()
    dataset = build_dataset(
        bundled.events, geo.load_regions("2022-01"), name=bundled.file, problems=bundled.problems
    )
    m = webmap.story_map(dataset, basemap=geo.load_basemap())
    return standalone_html(m, title="Qantar: Kazakhstan, January 2022", attribution=ACLED)


def test_standalone_story_plays_offline_from_a_file(story_page, tmp_path, browser):
    target = tmp_path / "qantar.html"
    target.write_text(story_page, encoding="utf-8")
    outside: list[str] = []

    def only_the_file(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.route("**/*", only_the_file)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(target.as_uri())
        expect(page.locator("path.qantar-region")).to_have_count(17)
        page.locator(".qantar-play").click()  # its own player works with no server
        page.wait_for_function(
            "document.querySelector('.leaflet-container').dataset.qantarFrame > '2022-01-01'"
        )
        page.evaluate('window.qantarShow({frame: 18, mode: "cumulative", metric: "events"})')
        expect(page.locator(".qantar-legend-title")).to_contain_text("19 Jan 2022")
        expect(page.locator(".qantar-credits")).to_contain_text("(ACLED)")
        assert errors == []
    finally:
        page.close()
    assert outside == [], f"the page asked for {outside}"


def settled_width(page, region) -> float:
    """The region's drawn width once it stays the same for half a second."""
    last = None
    for _ in range(40):
        width = region.bounding_box()["width"]
        if last is not None and abs(width - last) < 0.5:
            return width
        last = width
        page.wait_for_timeout(500)
    pytest.fail("the map did not settle in 20 s")


def test_scrolling_over_the_map_scrolls_the_page_until_the_reader_clicks_it(
    story_page, tmp_path, browser
):
    """A reader scrolling a news page past the map must not zoom it (the zoom then stayed
    through reruns); once they click it, the wheel zooms, as embedded maps do."""
    target = tmp_path / "qantar.html"
    target.write_text(story_page, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.goto(target.as_uri())
        region = page.locator("path.qantar-region").first
        expect(page.locator("path.qantar-region")).to_have_count(17)
        before = settled_width(page, region)  # the map fits its bounds after it opens
        box = page.locator(".leaflet-container").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -600)
        page.wait_for_timeout(800)  # Leaflet's wheel debounce and zoom animation
        assert region.bounding_box()["width"] == pytest.approx(before, rel=0.01)
        page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 40)  # the sea, off the regions
        page.mouse.wheel(0, -600)
        grown = "document.querySelector('path.qantar-region').getBoundingClientRect().width"
        page.wait_for_function(f"{grown} > {before * 1.2}")
    finally:
        page.close()
