"""What every map page says about itself to a reader's browser: zoom allowed, language given.

The browser tests (tests/browser/test_accessibility.py) run axe-core on the drawn pages; these
check the same two rules on the rendered HTML, quickly and without a browser.
"""

from __future__ import annotations

import re

from geo.export.page import standalone_html
from geo.render import layers

VIEWPORTS = re.compile(r"<meta\s+name=[\"']viewport[\"'][^>]*content=[\"']([^\"']*)", re.I)


def test_a_map_page_lets_the_reader_pinch_zoom():
    page = layers.base_map().get_root().render()
    assert VIEWPORTS.findall(page) == ["width=device-width, initial-scale=1"]


def test_rendering_a_map_twice_keeps_one_zoomable_viewport():
    m = layers.base_map()
    m.get_root().render()
    assert VIEWPORTS.findall(m.get_root().render()) == ["width=device-width, initial-scale=1"]


def test_the_html_snapshot_is_zoomable_and_says_it_is_in_english():
    page = standalone_html(layers.base_map(), title="Qantar")
    assert re.search(r"<html\b[^>]*>", page).group(0) == '<html lang="en">'
    assert VIEWPORTS.findall(page) == ["width=device-width, initial-scale=1"]
