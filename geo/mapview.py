"""Folium map builders: basemap, choropleth of region values, event points, legend.

Every builder returns a `folium.Map` and accepts an existing one (`m=None`), so layers compose and
can be tested by rendering HTML, without Streamlit. Text that came from data (place names, notes,
actors, sources) is HTML-escaped here, before it reaches a tooltip: Leaflet inserts tooltip content
as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.plugins import MarkerCluster

from geo.assets import STREAMLIT_STATIC, AssetSource, source_of, use_local_assets

KAZAKHSTAN_BOUNDS = ((40.5, 46.4), (55.5, 87.4))
WATER_COLOUR = "#d4e4ee"
EVENT_TYPE_COLOURS = {
    "Protests": "#0072B2",
    "Riots": "#E69F00",
    "Battles": "#D55E00",
    "Violence against civilians": "#CC79A7",
    "Explosions/Remote violence": "#000000",
    "Strategic developments": "#009E73",
}
"""Okabe-Ito colours: distinguishable with the common colour-vision deficiencies."""
OTHER_TYPE_COLOUR = "#999999"
CLASS_COLOURS = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")
ZERO_COLOUR = "#f4f4f4"
ONLINE_TILES = "CartoDB positron"


@dataclass(frozen=True)
class Bins:
    """Upper edges of the colour classes; values above the last edge take the last colour."""

    edges: tuple[float, ...]
    metric: str

    def colour(self, value: float) -> str:
        if not value or value <= 0:
            return ZERO_COLOUR
        position = int(np.searchsorted(self.edges, value, side="left"))
        return CLASS_COLOURS[min(position, len(CLASS_COLOURS) - 1)]

    def labels(self) -> list[tuple[str, str]]:
        rows = [(ZERO_COLOUR, "0")]
        lower = 1
        for colour, upper in zip(CLASS_COLOURS, self.edges, strict=False):
            upper = int(upper)
            rows.append((colour, f"{lower}" if upper == lower else f"{lower}–{upper}"))
            lower = upper + 1
        rows[-1] = (rows[-1][0], f"{rows[-1][1].split('–')[0]}+")
        return rows


def value_bins(maximum: float, metric: str) -> Bins:
    """Roughly geometric classes up to `maximum`, fixed for a whole playback so days compare."""
    maximum = max(int(np.ceil(maximum)), 1)
    edges = sorted({max(1, round(maximum ** (i / len(CLASS_COLOURS)))) for i in range(1, 7)})
    return Bins(tuple(float(e) for e in edges), metric)


def base_map(
    *,
    source: AssetSource = STREAMLIT_STATIC,
    online_tiles: bool = False,
    bounds: Sequence[Sequence[float]] = KAZAKHSTAN_BOUNDS,
) -> folium.Map:
    """An empty map over Kazakhstan whose JS/CSS come from `source`; no tiles unless asked."""
    m = folium.Map(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        zoom_start=4,
        zoom_snap=0.25,
        tiles=ONLINE_TILES if online_tiles else None,
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
        neighbours[["name", "geometry"]].to_json(),
        name="Neighbouring countries",
        style_function=lambda _: {
            "fillColor": "#e8e4dc",
            "color": "#b8b2a6",
            "weight": 0.6,
            "fillOpacity": 1,
        },
        interactive=False,
        control=False,
        class_name="qantar-basemap",
    ).add_to(m)
    return m


def add_choropleth(
    regions: gpd.GeoDataFrame,
    values: pd.DataFrame,
    bins: Bins,
    *,
    m: folium.Map | None = None,
    caption: str = "",
) -> folium.Map:
    """Regions coloured by `values[bins.metric]` (joined on region_id), with escaped tooltips."""
    m = m or base_map()
    table = regions[["region_id", "name_en", "geometry"]].merge(
        values, on="region_id", how="left", validate="one_to_one"
    )
    table[bins.metric] = table[bins.metric].fillna(0)
    table["fill"] = [bins.colour(v) for v in table[bins.metric]]
    table["label"] = [
        _region_label(name, row) for name, row in zip(table["name_en"], _rows(table), strict=True)
    ]
    folium.GeoJson(
        table[["region_id", "label", "fill", "geometry"]].to_json(),
        name="Regions",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "color": "#555555",
            "weight": 1,
            "fillOpacity": 0.85,
        },
        highlight_function=lambda _: {"weight": 3, "color": "#222222"},
        class_name="qantar-region",
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=False),
    ).add_to(m)
    _add_legend(m, bins, caption)
    return m


def add_event_points(
    events: pd.DataFrame,
    m: folium.Map | None = None,
    *,
    days: Sequence[pd.Timestamp] | None = None,
    cluster: bool = False,
) -> folium.Map:
    """One circle per event, coloured by type. Region-level locations (geo_precision 3) are
    drawn as hollow rings: the point is a stand-in, not where it happened. With `days`, each
    point carries the index of its day, which the day player uses to show or hide it. Circles
    grow with the reported deaths; `cluster` groups dense points (Leaflet.markercluster)."""
    m = m or base_map()
    located = events[events["latitude"].notna() & events["longitude"].notna()]
    if located.empty:
        return m
    points = gpd.GeoDataFrame(
        {
            "label": [_event_label(row) for row in _rows(located)],
            "colour": [EVENT_TYPE_COLOURS.get(t, OTHER_TYPE_COLOUR) for t in located["event_type"]],
            "approximate": (located["geo_precision"].fillna(1) >= 3).to_numpy(),
            "radius": (4 + 2.5 * np.sqrt(located["fatalities"].fillna(0).astype(float))).round(1),
            **({"day": _day_index(located["event_date"], days)} if days is not None else {}),
        },
        geometry=gpd.points_from_xy(located["longitude"], located["latitude"]),
        crs="EPSG:4326",
    )
    target = m
    if cluster:
        target = MarkerCluster(name="Events", options={"chunkedLoading": True})
        use_local_assets(target, source_of(m))
        target.add_to(m)
    folium.GeoJson(
        points.to_json(),
        name="Events",
        marker=folium.CircleMarker(radius=5, class_name="qantar-event"),
        style_function=lambda feature: {
            "color": feature["properties"]["colour"],
            "fillColor": feature["properties"]["colour"],
            "fillOpacity": 0 if feature["properties"]["approximate"] else 0.75,
            "weight": 2,
            "dashArray": "3 3" if feature["properties"]["approximate"] else None,
            "radius": feature["properties"]["radius"],
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(target)
    return m


def _day_index(dates: pd.Series, days: Sequence[pd.Timestamp]) -> list[int]:
    return pd.DatetimeIndex(days).get_indexer(pd.DatetimeIndex(dates)).tolist()


def _rows(frame: pd.DataFrame):
    return frame.to_dict("records")


def _text(value: object) -> str:
    """Escaped text of a data value; empty for missing values."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def _region_label(name: str, row: dict) -> str:
    parts = [f"<b>{_text(name)}</b>", f"{int(row.get('events', 0))} events"]
    if row.get("fatalities"):
        parts.append(f"{int(row['fatalities'])} deaths reported")
    return "<br>".join(parts)


def _event_label(row: dict) -> str:
    date = pd.Timestamp(row["event_date"]).strftime("%Y-%m-%d")
    kind = " / ".join(
        t for t in (_text(row.get("event_type")), _text(row.get("sub_event_type"))) if t
    )
    lines = [f"<b>{_text(row.get('location')) or 'Unnamed place'}</b> · {date}", kind]
    notes = _text(row.get("notes"))
    if notes:
        lines.append(notes if len(notes) <= 280 else notes[:277] + "…")
    fatalities = row.get("fatalities")
    if fatalities is not None and fatalities is not pd.NA and not pd.isna(fatalities):
        who = _text(row.get("fatalities_source"))
        lines.append(f"Deaths reported: {int(fatalities)}" + (f" ({who})" if who else ""))
    if _text(row.get("source")):
        lines.append(f"<i>Source: {_text(row.get('source'))}</i>")
    return "<br>".join(line for line in lines if line)


def _add_legend(m: folium.Map, bins: Bins, caption: str) -> None:
    """A compact two-line legend along the bottom of the map: colour classes, then event types.

    The day player rewrites the title and the classes (`.qantar-legend-classes`) per metric.
    """
    item = '<span style="display:inline-block;white-space:nowrap;margin-right:6px">'
    rows = " ".join(
        f'{item}<span style="background:{colour};display:inline-block;width:12px;height:10px;'
        'border:1px solid #777;margin-right:2px;vertical-align:-1px"></span>'
        f"{html.escape(label)}</span>"
        for colour, label in bins.labels()
    )
    types = " ".join(
        f'{item}<span style="color:{colour}">●</span> {html.escape(kind)}</span>'
        for kind, colour in EVENT_TYPE_COLOURS.items()
    )
    legend = (
        '<div class="qantar-legend" style="position:absolute;bottom:20px;left:0;right:0;'
        "margin:0 auto;width:fit-content;max-width:calc(100% - 24px);box-sizing:border-box;"
        "z-index:1000;"
        "background:rgba(255,255,255,.9);padding:3px 6px;font:11px/1.4 sans-serif;"
        "border-radius:4px;"
        'box-shadow:0 1px 4px rgba(0,0,0,.3)"><b class="qantar-legend-title">'
        f"{html.escape(caption)}</b> "
        f'<span class="qantar-legend-classes">{rows}</span><br>'
        f"{types}<span>◌ region-level place</span></div>"
    )
    m.get_root().html.add_child(folium.Element(legend))
