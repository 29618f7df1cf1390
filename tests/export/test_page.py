"""The standalone page (geo.export.page), checked by its HTML; tests/browser/test_export_offline.py
opens it in a real browser, offline, from file://."""

from __future__ import annotations

import html
import re

import folium
import pytest

import geo
from geo.errors import ExportError, ExternalAssetError
from geo.export.page import standalone_html
from geo.paths import VENDOR_DIR
from geo.render import layers, style, webmap
from tests.export.samples import ACLED, XSS


def squares_map(three_squares, counts, placed) -> folium.Map:
    dataset = geo.build_dataset(placed.drop(columns="region_id"), three_squares, name="sq.csv")
    return webmap.story_map(dataset, basemap=None)


def test_standalone_html_inlines_leaflet_and_loads_nothing_from_outside(
    three_squares, counts, placed
):
    page = standalone_html(squares_map(three_squares, counts, placed), title="Squares")
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page, flags=re.IGNORECASE)
    assert not [t for t in tags if re.search(r"\b(?:src|href)\s*=", t)], tags
    leaflet = (VENDOR_DIR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    assert leaflet[:2000] in page
    assert "url(images/" not in page and 'url("data:image/png;base64,' in page
    assert "<title>Squares</title>" in page
    assert 'class="qantar-credits"' in page and style.DEFAULT_CREDITS in page


def test_standalone_html_escapes_data_title_and_attribution(three_squares, counts, placed):
    m = squares_map(three_squares, counts, placed)
    page = standalone_html(m, title="<b>Kazakhstan</b> & co", attribution=f"{ACLED} <i>")
    assert XSS not in page
    assert "alert(2)</script>" not in page
    assert "<title>&lt;b&gt;Kazakhstan&lt;/b&gt; &amp; co</title>" in page
    assert html.escape(f"{ACLED} <i>") in page and f"{ACLED} <i>" not in page


def test_standalone_html_refuses_a_map_that_loads_from_a_cdn():
    with pytest.raises(ExternalAssetError, match="from outside the page"):
        standalone_html(folium.Map(tiles=None), title="CDN map")


def test_standalone_html_escapes_closing_script_tags_in_inlined_files(monkeypatch, tmp_path):
    vendored = tmp_path / "leaflet"
    vendored.mkdir()
    (vendored / "leaflet.js").write_text('var tag = "</script><!--";', encoding="utf-8")
    (vendored / "leaflet.css").write_text(".x{background:url(images/none.png)}", encoding="utf-8")
    monkeypatch.setattr("geo.export.page.VENDOR_DIR", tmp_path)
    page = standalone_html(layers.base_map(), title="Escapes")
    assert 'var tag = "<\\/script><\\!--";' in page
    assert ".x{background:none}" in page


def test_standalone_html_needs_a_title():
    with pytest.raises(ExportError, match="title must be a non-empty string"):
        standalone_html(layers.base_map(), title=" ")
