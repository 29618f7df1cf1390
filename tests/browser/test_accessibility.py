"""Accessibility as a reader's browser meets it: axe-core run on each tab, inside the map and on
the offline HTML snapshot; none may have a serious or critical violation, and each page keeps
pinch-zoom.

axe-core is the npm package pinned in package.json (`npm ci` puts it in node_modules/); it is
injected into the page (or the map's frame) and run there. axe examines one document at a time
here (`iframes: false`): the map frame is checked on its own, so its findings name its elements.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import geo
from geo.export.page import standalone_html
from geo.pipeline import build_dataset
from geo.render import webmap
from tests.browser.conftest import (
    MAP_FRAME,
    PROJECT_ROOT,
    ST_DATA_FRAME,
    ST_DOWNLOAD_BUTTON,
    ST_MAIN,
    ST_METRIC,
    ST_SIDEBAR,
    ST_SIDEBAR_CONTENT,
    by_test_id,
    wait_for_app,
)

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
TAB_CONTENT = {
    # What shows once the tab has drawn (axe should see the tab's content, not a spinner).
    "Map": by_test_id(ST_METRIC),
    "Spread": by_test_id(ST_DATA_FRAME),
    "Data and exports": by_test_id(ST_DOWNLOAD_BUTTON),
}


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_SCRIPT.exists():
        reason = f"axe-core not installed at {AXE_SCRIPT.relative_to(PROJECT_ROOT)}: run `npm ci`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_SCRIPT


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory) -> Path:
    """The bundled story's HTML snapshot as dashboard.py builds it, saved as a reader would."""
    bundled = geo.load_bundled_events()
    dataset = build_dataset(
        bundled.events, geo.load_regions("2022-01"), name=bundled.file, problems=bundled.problems
    )
    m = webmap.story_map(dataset, basemap=geo.load_basemap())
    page = standalone_html(m, title="Qantar: Kazakhstan, January 2022")
    target = tmp_path_factory.mktemp("snapshot") / "qantar.html"
    target.write_text(page, encoding="utf-8")
    return target


@pytest.mark.parametrize("tab", list(TAB_CONTENT))
def test_each_tab_has_no_serious_violations(page, app_url, axe_script, tab):
    page.goto(app_url)
    wait_for_app(page)
    open_tab(page, tab)
    show_everything(page)
    assert_no_blocking_violations(page, axe_script)
    assert zoom_blockers(page) == []


def test_view_controls_in_use_have_no_serious_violations(page, app_url, axe_script):
    """A view that brings out the optional controls: the window size, the event filters with the
    deaths range, and a chosen region's panel of events and sources."""
    page.goto(f"{app_url}/?mode=window&window=5&region=mangystau")
    wait_for_app(page)
    page.get_by_test_id(ST_SIDEBAR).get_by_text("Filter events").click()
    expect(page.get_by_text("Only events with reported deaths, in range")).to_be_visible()
    open_tab(page, "Map")
    expect(page.get_by_text(re.compile(r"events in Mangystau Region"))).to_be_visible()
    show_everything(page)
    assert_no_blocking_violations(page, axe_script)


def test_the_page_opens_with_its_title(page, app_url):
    """Nothing comes before the title: a bare string in dashboard.py (an attribute's docstring)
    is never written onto the page, so a screen reader starts at the page's heading."""
    page.goto(app_url)
    wait_for_app(page)
    shown = page.get_by_test_id(ST_MAIN).inner_text().split("\n")
    first_line = next(line for line in shown if line.strip())
    assert first_line == page.get_by_role("heading", level=1).inner_text()


def test_map_frame_has_no_serious_violations(page, app_url, axe_script):
    page.goto(app_url)
    wait_for_app(page)
    expect(page.frame_locator(MAP_FRAME).locator("path.qantar-region")).to_have_count(
        17, timeout=60_000
    )
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    assert_no_blocking_violations(frame, axe_script)
    assert zoom_blockers(frame) == []


def test_html_snapshot_has_no_serious_violations(browser, axe_script, snapshot_file):
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page.goto(snapshot_file.as_uri())
        expect(page.locator("path.qantar-region")).to_have_count(17)
        assert_no_blocking_violations(page, axe_script)
        assert zoom_blockers(page) == []
    finally:
        page.close()


# --- helpers ----------------------------------------------------------------------------------


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_for_app(page)
    expect(page.locator(TAB_CONTENT[name]).first).to_be_visible(timeout=60_000)


def show_everything(page) -> None:
    """Make the window as tall as the sidebar's and the main area's content, so nothing is
    scrolled out of sight: axe checks the contrast of visible text only."""
    both = json.dumps(f"{by_test_id(ST_SIDEBAR_CONTENT)}, {by_test_id(ST_MAIN)}")
    tallest = page.evaluate(
        f"Math.max(...[...document.querySelectorAll({both})].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": page.viewport_size["width"], "height": tallest + 100})
    wait_for_app(page)
    page.wait_for_timeout(500)  # one layout pass at the new size


def assert_no_blocking_violations(target, axe_script: Path) -> None:
    """axe's serious and critical violations in `target` (a page or a frame) must be none."""
    target.add_script_tag(path=str(axe_script))
    violations = target.evaluate(
        "async () => (await axe.run(document, {iframes: false, resultTypes: ['violations']}))"
        ".violations"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe found:\n" + "\n".join(map(describe, blocking))


def describe(violation: dict) -> str:
    nodes = "".join(
        f"\n    {node['target']}: {' '.join((node.get('failureSummary') or '').split())}"
        for node in violation["nodes"]
    )
    return f"  {violation['id']} ({violation['impact']}): {violation['help']}{nodes}"


MIN_ZOOM_LIMIT = 2.0
"""A page must let a reader zoom to at least 200% (WCAG 1.4.4; axe's meta-viewport threshold)."""


def zoom_blockers(target) -> list[str]:
    """Each viewport meta of `target` that stops a reader from pinch-zooming the page to 200%."""
    contents = target.evaluate(
        "[...document.querySelectorAll('meta[name=viewport]')].map(meta => meta.content)"
    )
    return [" ".join(content.split()) for content in contents if blocks_zoom(content)]


def blocks_zoom(content: str) -> bool:
    settings = dict(
        (key.strip().lower(), value.strip().lower())
        for key, _, value in (part.partition("=") for part in re.split(r"[,;]", content))
    )
    if settings.get("user-scalable") in ("no", "0"):
        return True
    try:
        return float(settings.get("maximum-scale", "inf")) < MIN_ZOOM_LIMIT
    except ValueError:
        return False
