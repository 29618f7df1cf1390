"""Where the map's JavaScript and CSS come from: the app's own static files, never a CDN.

folium points every map at public CDNs for Leaflet, jQuery and Bootstrap; with no network the map
iframe stays blank. `use_local_assets` replaces those links with files vendored from npm
(static/vendor, see scripts/vendor_assets.sh), which Streamlit serves at /app/static/ when
enableStaticServing is on. jQuery, Bootstrap and Font Awesome are dropped: nothing Qantar draws
needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
from folium.plugins import MarkerCluster


@dataclass(frozen=True)
class AssetSource:
    """Base URL under which static/vendor is reachable (a path on this server, or a site root)."""

    base_url: str = "app/static/vendor"

    def url(self, relative: str) -> str:
        return f"{self.base_url.rstrip('/')}/{relative}"


STREAMLIT_STATIC = AssetSource("/app/static/vendor")

LEAFLET_JS = ("leaflet", "leaflet/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "leaflet/leaflet.css")
CLUSTER_JS = ("markerclusterjs", "leaflet.markercluster/leaflet.markercluster.js")
CLUSTER_CSS = (
    ("markerclustercss", "leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", "leaflet.markercluster/MarkerCluster.Default.css"),
)
VENDORED_FILES = (
    LEAFLET_JS[1],
    LEAFLET_CSS[1],
    CLUSTER_JS[1],
    *(path for _, path in CLUSTER_CSS),
)


def use_local_assets(element: folium.Map | MarkerCluster, source: AssetSource) -> None:
    """Point a map or marker cluster at the vendored assets (instance attributes, not the class)."""
    if isinstance(element, MarkerCluster):
        element.default_js = [(CLUSTER_JS[0], source.url(CLUSTER_JS[1]))]
        element.default_css = [(name, source.url(path)) for name, path in CLUSTER_CSS]
    else:
        element.default_js = [(LEAFLET_JS[0], source.url(LEAFLET_JS[1]))]
        element.default_css = [(LEAFLET_CSS[0], source.url(LEAFLET_CSS[1]))]


def source_of(m: folium.Map) -> AssetSource:
    """The asset source a map was given by `use_local_assets` (its Leaflet URL's base)."""
    leaflet_url = dict(m.default_js)[LEAFLET_JS[0]]
    return AssetSource(leaflet_url.removesuffix(LEAFLET_JS[1]).rstrip("/"))
