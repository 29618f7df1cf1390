"""Download as a page: a standalone HTML snapshot of the interactive map that works offline.

The vendored scripts and stylesheets the map points at are inlined (their images as data: URIs);
anything else from outside the page is refused. The page gets its title, its language and a
footer with the credit lines (geo.export.tables.credit_lines). Reads only the vendored assets.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from typing import TYPE_CHECKING

from geo.errors import ExportError, ExternalAssetError
from geo.export.tables import credit_lines
from geo.paths import VENDOR_DIR
from geo.render.assets import VENDORED_FILES

if TYPE_CHECKING:
    import folium

PAGE_LANGUAGE = "en"
"""The language of the HTML snapshot's own text (legend, controls, credits)."""

_ASSET_TAG = re.compile(
    r"<script\b[^>]*?\bsrc\s*=\s*[\"']([^\"']*)[\"'][^>]*>\s*</script\s*>"
    r"|<link\b[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>",
    re.IGNORECASE,
)
_ANY_EXTERNAL = re.compile(
    r"<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]*)", re.IGNORECASE
)
_PLACEHOLDER = re.compile(r"<!--qantar-asset-(\d+)-->")
_CSS_URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")


def standalone_html(m: folium.Map, *, title: str, attribution: str | None = None) -> str:
    """A self-contained HTML page of `m` that works offline, from any static host or file://.

    Scripts and stylesheets that point at the vendored files (`geo.render.assets.VENDORED_FILES`,
    under any base URL ending in `vendor/`) are inlined, with the images their CSS refers to as
    data: URIs. Any other script or stylesheet raises ExternalAssetError: the page would be blank
    offline. The page gets an escaped <title> and a visible footer with the credit lines. A map
    made with online tiles still fetches them when there is a network; offline it draws without.
    """
    if not isinstance(title, str) or not title.strip():
        raise ExportError(f"title must be a non-empty string, got {title!r}")
    lines = credit_lines(attribution)
    page, assets = _inline_assets(m.get_root().render())
    page = _with_title(page, title.strip())
    page = _with_language(page)
    page = _with_footer(page, lines)
    return _PLACEHOLDER.sub(lambda match: assets[int(match.group(1))], page)


def _inline_assets(page: str) -> tuple[str, list[str]]:
    """Swap each vendored script/stylesheet tag for a placeholder; refuse anything external.

    Placeholders keep the inlined files out of the final check, which must only see the page.
    """
    assets: list[str] = []
    refused: list[str] = []

    def swap(match: re.Match) -> str:
        is_script = match.group(1) is not None
        url = match.group(1) if is_script else match.group(2)
        tag = match.group(0)
        if url.startswith(("data:", "blob:", "#")):
            return tag
        relative = _vendored_path(url)
        if relative is None:
            if (
                is_script
                or re.search(r"\brel\s*=\s*[\"']?stylesheet", tag, re.IGNORECASE)
                or url.startswith(("http:", "https:", "//"))
            ):
                refused.append(url)
            return tag
        assets.append(_inline_script(relative) if is_script else _inline_style(relative))
        return f"<!--qantar-asset-{len(assets) - 1}-->"

    page = _ASSET_TAG.sub(swap, page)
    refused += [url for url in _ANY_EXTERNAL.findall(page) if url not in refused]
    if refused:
        raise ExternalAssetError(
            f"the map loads {sorted(set(refused))} from outside the page, so it would not work "
            f"offline; only the vendored files {list(VENDORED_FILES)} can be inlined (build the "
            f"map with geo.render.layers.base_map, which points folium at them)"
        )
    return page, assets


def _vendored_path(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    _, found, relative = path.rpartition("vendor/")
    if found and relative in VENDORED_FILES:
        return relative
    return None


def _inline_script(relative: str) -> str:
    code = (VENDOR_DIR / relative).read_text(encoding="utf-8")
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    return f"<script>/* {relative} (vendored, inlined) */\n{code}\n</script>"


def _inline_style(relative: str) -> str:
    css = (VENDOR_DIR / relative).read_text(encoding="utf-8")
    folder = (VENDOR_DIR / relative).parent

    def data_uri(match: re.Match) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            return match.group(0)
        if target.startswith(("http:", "https:", "//")):
            return "none"  # a request from outside the page; the picture is decoration
        file = (folder / target).resolve()
        if not file.is_relative_to(VENDOR_DIR.resolve()) or not file.is_file():
            return "none"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        encoded = base64.b64encode(file.read_bytes()).decode("ascii")
        return f'url("data:{kind};base64,{encoded}")'

    css = _CSS_URL.sub(data_uri, css)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return f"<style>/* {relative} (vendored, inlined) */\n{css}\n</style>"


def _with_language(page: str) -> str:
    """The page says it is in English (its legend, controls and credits are), so screen readers
    pronounce it as such."""
    return re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{PAGE_LANGUAGE}"', page, count=1)


def _with_title(page: str, title: str) -> str:
    tag = f"<title>{html.escape(title)}</title>"
    if re.search(r"<title>.*?</title>", page, flags=re.IGNORECASE | re.DOTALL):
        return re.sub(
            r"<title>.*?</title>", lambda _: tag, page, count=1, flags=re.IGNORECASE | re.DOTALL
        )
    return re.sub(r"<head[^>]*>", lambda m: f"{m.group(0)}\n    {tag}", page, count=1)


_LAYOUT = """
<style>
html, body {height: 100%; margin: 0;}
body {display: flex; flex-direction: column;}
body > .folium-map {flex: 1 1 auto; height: auto !important; min-height: 0;}
.qantar-credits {flex: 0 0 auto; font: 12px/1.4 sans-serif; color: #333; background: #fff;
  padding: 4px 8px; border-top: 1px solid #ccc;}
</style>
"""
_MOVE_LEGEND = """
<script>
(function () {
  /* The legend is absolutely placed at the bottom; keep it on the map, above the footer. */
  var legend = document.querySelector(".qantar-legend");
  var map = document.querySelector(".folium-map");
  if (!legend || !map || legend.parentNode === map) return;
  map.appendChild(legend);
  if (window.L && L.DomEvent) {
    L.DomEvent.disableClickPropagation(legend);
    L.DomEvent.disableScrollPropagation(legend);
  }
})();
</script>
"""


def _with_footer(page: str, lines: tuple[str, ...]) -> str:
    footer = (
        '<footer class="qantar-credits">'
        + "".join(f"<div>{html.escape(line)}</div>" for line in lines)
        + "</footer>\n"
    )
    page = re.sub(r"</head>", lambda _: _LAYOUT + "</head>", page, count=1, flags=re.IGNORECASE)
    at = page.lower().rfind("</body>")
    if at < 0:
        raise ExportError("the rendered map has no </body>; cannot add the credits footer")
    page = page[:at] + footer + page[at:]
    end = page.lower().rfind("</html>")
    return page[:end] + _MOVE_LEGEND + page[end:] if end >= 0 else page + _MOVE_LEGEND
