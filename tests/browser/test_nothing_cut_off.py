"""Nothing a reader needs is cut off or shown as "None", at 1400 px and on a 390 px phone: no
text wider than the box that clips it (Streamlit's labels and captions end in "…" when they do),
no chart title or subtitle shortened by Vega, no legend entry past the map's legend, and the
region's events readable under the map with their sources as links."""

from __future__ import annotations

import pytest

from tests.browser.conftest import MAP_FRAME, ST_MAIN, wait_for_app

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
TABS = ("Map", "Spread", "Compare sources", "Data and exports")

CLIPPED_TEXT = """() => {
  const clipped = [];
  for (const el of document.querySelectorAll('[data-testid=stApp] *')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent)
      .join('').trim();
    const box = el.getBoundingClientRect();
    if (!own || !el.offsetParent || box.width <= 1 || box.height <= 1) continue;  // sr-only
    const style = getComputedStyle(el);
    const clips = style.textOverflow === 'ellipsis' || style.overflowX === 'hidden' ||
      style.overflow === 'hidden';
    if (clips && el.scrollWidth > el.clientWidth + 1) clipped.push(own.slice(0, 80));
  }
  for (const text of document.querySelectorAll('svg text')) {
    if (text.textContent.endsWith('…')) clipped.push('chart: ' + text.textContent);
  }
  for (const cell of document.querySelectorAll('[data-testid=stDataFrame] td')) {
    if (cell.textContent.trim() === 'None') clipped.push('None in a table');
  }
  return clipped;
}"""
LEGEND_OUTSIDE = """box => {
  const legend = box.querySelector('.qantar-legend').getBoundingClientRect();
  const map = box.getBoundingClientRect();
  const out = [...box.querySelectorAll('.qantar-legend-item')].filter(item => {
    const r = item.getBoundingClientRect();
    return r.right > legend.right + 1 || r.left < legend.left - 1;
  }).map(item => item.textContent);
  if (legend.right > map.right + 1 || legend.left < map.left - 1) out.push('the legend box');
  return out;
}"""


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_tab_shows_its_text_whole(browser, app_url, width):
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?date=2022-01-05&region=almaty_city")
        wait_for_app(page)
        expect(page.frame_locator(MAP_FRAME).locator("path.qantar-region")).to_have_count(
            17, timeout=60_000
        )
        found = {}
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            wait_for_app(page)
            page.wait_for_timeout(1500)  # charts and tables draw after the script ends
            if clipped := page.evaluate(CLIPPED_TEXT):
                found[tab] = clipped
        page.get_by_role("tab", name="Map").click()
        wait_for_app(page)
        box = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
        if outside := box.evaluate(LEGEND_OUTSIDE):
            found["map legend"] = outside
        print("FOUND", width, found)
        assert not found, found
    finally:
        context.close()


def test_the_regions_events_are_readable_under_the_map_with_their_sources(page, app_url):
    page.goto(f"{app_url}/?date=2022-01-05&mode=daily&region=almaty_city")
    wait_for_app(page)
    map_box = page.locator(MAP_FRAME).bounding_box()
    panel = page.locator(".st-key-region_events")
    expect(panel).to_be_visible(timeout=30_000)
    panel_box = panel.bounding_box()
    assert panel_box["y"] > map_box["y"] + map_box["height"]  # under the map, not beside it
    main_width = page.get_by_test_id(ST_MAIN).bounding_box()["width"]
    assert panel_box["width"] > main_width * 0.5  # no longer a 368 px column
    links = panel.locator("a")
    assert links.count() > 16  # Almaty on 5 January: 16 events, most with several sources
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("https://", "http://")) for h in hrefs)
    assert "None" not in panel.inner_text()
