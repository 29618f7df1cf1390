"""The map's static layers: the base map and the basemap, and the regions and event points as
plain GeoJSON for the day player (geo.render.webmap), styled by geo.render.style.

Builders return a `folium.Map` and accept an existing one (`m=None`). Text from data (place names,
notes, actors, sources) is never put into folium's templates here: it travels as plain strings in
the player's JSON payload (see geo.render.htmlsafe), and the browser shows it as text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.render.assets import STREAMLIT_STATIC, AssetSource, use_local_assets
from geo.render.htmlsafe import Verbatim
from geo.render.style import (
    BASEMAP_EDGE,
    BASEMAP_FILL,
    WATER_COLOUR,
    colours_of_types,
    marker_radius,
    region_level,
    type_colours,
)

KAZAKHSTAN_BOUNDS = ((40.5, 46.4), (55.5, 87.4))
ONLINE_TILES = "CartoDB positron"
ZOOMABLE_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'
"""The page's viewport: fits the screen and leaves pinch-zoom to the reader (WCAG 1.4.4)."""
_VIEWPORT_TAG = re.compile(r"<meta\s+name=[\"']viewport[\"'][^>]*>", re.IGNORECASE)


class ZoomableMap(folium.Map):
    """A folium.Map whose page a reader can pinch-zoom.

    folium's own page header sets the viewport to `maximum-scale=1.0, user-scalable=no`, which
    stops zooming on phones and tablets; this map's header carries `ZOOMABLE_VIEWPORT` instead,
    in the dashboard's map frame and in the HTML snapshot alike.
    """

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        header = self.get_root().header
        folium_header = header._children[self.get_name()].render()
        header.add_child(
            Verbatim(_VIEWPORT_TAG.sub(ZOOMABLE_VIEWPORT, folium_header, count=1)),
            name=self.get_name(),
        )


def base_map(
    *,
    source: AssetSource = STREAMLIT_STATIC,
    online_tiles: bool = False,
    bounds: Sequence[Sequence[float]] = KAZAKHSTAN_BOUNDS,
) -> folium.Map:
    """An empty map over Kazakhstan whose JS/CSS come from `source`; no tiles unless asked."""
    m = ZoomableMap(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        zoom_start=4,
        zoom_snap=0.25,
        tiles=ONLINE_TILES if online_tiles else None,
        # The page scrolls past the map: the wheel zooms only once the reader clicks or focuses
        # it (the day player turns it on and off, as embedded maps do).
        scrollWheelZoom=False,
    )
    use_local_assets(m, source)
    m.get_root().header.add_child(
        # leaflet.css loads after this rule and sets its own background, hence !important.
        folium.Element(
            f"<style>.leaflet-container{{background:{WATER_COLOUR} !important;}}"
            ".leaflet-control-attribution{font-size:10px}</style>"
        )
    )
    m.fit_bounds([list(bounds[0]), list(bounds[1])])
    return m


def add_basemap(neighbours: gpd.GeoDataFrame, m: folium.Map | None = None) -> folium.Map:
    """Neighbouring countries in grey: the offline stand-in for tiles (the gap is the Caspian)."""
    m = m or base_map()
    folium.GeoJson(
        neighbours[["geometry"]].to_json(),  # geometry only: nothing of it is shown as text
        name="Neighbouring countries",
        style_function=lambda _: {
            "fillColor": BASEMAP_FILL,
            "color": BASEMAP_EDGE,
            "weight": 0.6,
            "fillOpacity": 1,
        },
        interactive=False,
        control=False,
        class_name="qantar-basemap",
    ).add_to(m)
    return m


BORDER_TOLERANCE = 0.02
"""How far the web map's borders may stray, in degrees (the square root of the largest triangle
area `shapely.coverage_simplify` removes): under a pixel at the map's opening zoom, and no
unit's area changes by more than 1.2 % (Shymkent, the smallest). It cuts the regions' part of
the map sent to every reader by a third (151 KB to 99 KB for the 17 units)."""


def region_features(regions: gpd.GeoDataFrame) -> dict:
    """The regions as a GeoJSON FeatureCollection carrying only their ids: names, values and
    colours travel in the day player's payload, which owns how each region looks.

    Borders are simplified as a coverage: a border two regions share is simplified once, so no
    gap or overlap opens between them. A layout that is not a clean coverage (a user's file
    with overlaps or gaps) is drawn as it is."""
    shapes = regions.geometry.to_numpy()
    if shapely.coverage_is_valid(shapes):
        shapes = shapely.coverage_simplify(shapes, BORDER_TOLERANCE)
    return regions[["region_id"]].set_geometry(shapes, crs=regions.crs).__geo_interface__


def event_features(
    events: pd.DataFrame, frames: Sequence[pd.Timestamp], *, by_place: bool = False
) -> dict:
    """One point per located event as a GeoJSON FeatureCollection, for the day player; with
    `by_place`, one point per place, frame and category, sized by its count (`_by_place`).

    Each point carries the index of its frame (the player shows or hides it by that), its type
    colour, whether it is region-level (geo_precision 3: drawn as a hollow ring, since the point
    is a stand-in, not where it happened), a radius that grows with the reported deaths, the
    number of events it stands for (`count`), and its text as plain strings, which the browser
    puts on the page as text, never as markup.
    """
    located = events[events["latitude"].notna() & events["longitude"].notna()]
    colours = colours_of_types(located["event_type"], type_colours(events["event_type"]))
    frame = _frame_index(located["event_date"], frames)
    if by_place:
        return _by_place(located, frame, colours)
    points = gpd.GeoDataFrame(
        {
            "frame": frame,
            "colour": colours,
            "approximate": region_level(located["geo_precision"]),
            "radius": marker_radius(located["fatalities"]).round(1).tolist(),
            "count": 1,
            **_event_texts(located),
        },
        geometry=gpd.points_from_xy(located["longitude"], located["latitude"]),
        crs="EPSG:4326",
    )
    return json.loads(points.to_json(drop_id=True))


PLACE_DIGITS = 3
"""Points that round to the same 0.001° (about 100 m) are one place on a map of many events
(GDELT and ACLED give every event of a place that place's one point)."""


def _by_place(located: pd.DataFrame, frame: list[int], colours: list[str]) -> dict:
    """One mark per place, frame, category and kind of location, standing for its events: a
    large upload costs the browser what its places cost, not its events (BENCHMARKS.md,
    "Research files at real size"). Its radius grows with the square root of its count; its
    tooltip names the place, the day, the category, the count and the deaths reported."""
    table = pd.DataFrame(
        {
            "frame": frame,
            "latitude": located["latitude"].astype("float64").round(PLACE_DIGITS).to_numpy(),
            "longitude": located["longitude"].astype("float64").round(PLACE_DIGITS).to_numpy(),
            "colour": colours,
            "approximate": region_level(located["geo_precision"]),
            "kind": located["event_type"].astype("string").fillna("").to_numpy(),
            "place": located["location"].astype("string").fillna("").to_numpy(),
            "day": pd.to_datetime(located["event_date"]).dt.strftime("%Y-%m-%d").to_numpy(),
            "fatalities": located["fatalities"].astype("Float64").to_numpy(),
        }
    )
    keys = ["frame", "latitude", "longitude", "colour", "approximate", "kind"]
    marks = table.groupby(keys, sort=False, dropna=False).agg(
        count=("day", "size"),
        place=("place", "first"),
        date=("day", "first"),
        deaths=("fatalities", lambda d: d.sum(min_count=1)),
    )
    marks = marks.reset_index()
    counts = marks["count"].to_numpy()
    deaths = marks["deaths"].astype("Float64")
    points = gpd.GeoDataFrame(
        {
            "frame": marks["frame"],
            "colour": marks["colour"],
            "approximate": marks["approximate"],
            "radius": np.round(4 + 2.5 * np.sqrt(counts - 1), 1),
            "count": counts,
            "place": marks["place"].mask(marks["place"] == "", "Unnamed place"),
            "date": marks["date"],
            "kind": marks["kind"]
            + np.where(counts > 1, " · " + marks["count"].astype(str) + " events", ""),
            "notes": "",
            "deaths": deaths.map(lambda n: "" if pd.isna(n) else f"Deaths reported: {int(n)}"),
            "source": "",
        },
        geometry=gpd.points_from_xy(marks["longitude"], marks["latitude"]),
        crs="EPSG:4326",
    )
    return json.loads(points.to_json(drop_id=True))


def _frame_index(dates: pd.Series, frames: Sequence[pd.Timestamp]) -> list[int]:
    return pd.DatetimeIndex(frames).get_indexer(pd.DatetimeIndex(dates)).tolist()


def _event_texts(events: pd.DataFrame) -> dict[str, list[str]]:
    """The tooltip lines of each event as plain text (empty where the data has nothing)."""
    rows = events.to_dict("records")
    return {
        "place": [_plain(row.get("location")) or "Unnamed place" for row in rows],
        "date": [pd.Timestamp(row["event_date"]).strftime("%Y-%m-%d") for row in rows],
        "kind": [
            " / ".join(
                t for t in (_plain(row.get("event_type")), _plain(row.get("sub_event_type"))) if t
            )
            for row in rows
        ],
        "notes": [_shortened(_plain(row.get("notes")), NOTE_LENGTH) for row in rows],
        "deaths": [_deaths_line(row) for row in rows],
        "source": [_plain(row.get("source")) for row in rows],
    }


NOTE_LENGTH = 280
"""Notes longer than this are cut with an ellipsis in the map's tooltips."""


def _plain(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _shortened(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _deaths_line(row: dict) -> str:
    fatalities = row.get("fatalities")
    if fatalities is None or fatalities is pd.NA or pd.isna(fatalities):
        return ""
    who = _plain(row.get("fatalities_source"))
    return f"Deaths reported: {int(fatalities)}" + (f" ({who})" if who else "")
