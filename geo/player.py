"""Day-by-day playback inside the map: all per-day values go to the browser once, and a day
change is a tiny command that restyles regions and filters event points, never a new map.

`add_day_player` embeds the per-region daily series, the playback controls (play/pause, step,
first/last, speed, loop) and `window.qantarShow(state)` in the map's script. Playback runs in the
browser; the map tells Streamlit the chosen day when the person pauses or steps (through
`window.Streamlit.setComponentValue`, where the map runs inside streamlit-folium), and Streamlit
moves the map with `command_script`, a one-line call evaluated in the drawn map. The standalone
HTML export carries the same player.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.aggregate import MODES, values_at
from geo.assets import STREAMLIT_STATIC, AssetSource
from geo.mapview import (
    CLASS_COLOURS,
    ZERO_COLOUR,
    Bins,
    add_basemap,
    add_choropleth,
    add_event_points,
    base_map,
    value_bins,
)
from geo.pipeline import Dataset

METRICS = ("events", "fatalities")
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class PlayerState:
    """What the map shows: a day (index into the day list), how to count, and what to colour by."""

    day: int
    mode: str = "cumulative"
    metric: str = "events"
    window_days: int = 3

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {self.metric!r}")
        if self.window_days < 1:
            raise ValueError(f"window_days must be at least 1, got {self.window_days}")

    def as_json(self) -> str:
        return json.dumps(
            {"day": self.day, "mode": self.mode, "metric": self.metric, "window": self.window_days}
        )


def player_payload(counts: pd.DataFrame, regions: pd.DataFrame) -> dict:
    """Per-region daily series and fixed colour classes per metric, ready for JSON."""
    days = sorted(counts["date"].drop_duplicates())
    series = {}
    for metric in METRICS:
        wide = counts.pivot(index="region_id", columns="date", values=metric).reindex(columns=days)
        series[metric] = {rid: [int(v) for v in row] for rid, row in wide.fillna(0).iterrows()}
    totals = counts.groupby("region_id")[list(METRICS)].sum()
    bins: dict[str, Bins] = {metric: value_bins(totals[metric].max(), metric) for metric in METRICS}
    return {
        "days": [pd.Timestamp(d).strftime("%Y-%m-%d") for d in days],
        "labels": [pd.Timestamp(d).strftime("%d %b %Y") for d in days],
        "series": series,
        "names": {
            rid: html.escape(str(name))
            for rid, name in zip(regions["region_id"], regions["name_en"], strict=True)
        },
        "edges": {metric: list(b.edges) for metric, b in bins.items()},
        "legend": {metric: b.labels() for metric, b in bins.items()},
        "colours": list(CLASS_COLOURS),
        "zero": ZERO_COLOUR,
    }


class DayPlayer(MacroElement):
    """Defines window.qantarShow(state) for the map it is added to."""

    def __init__(
        self, payload: dict, initial: PlayerState, *, speed: float = 1, loop: bool = False
    ):
        super().__init__()
        self._name = "DayPlayer"
        self._template = _player_template()
        self.payload = payload
        self.initial = initial.as_json()
        self.speed = speed
        self.loop = loop


def add_day_player(
    m: folium.Map,
    counts: pd.DataFrame,
    regions: pd.DataFrame,
    initial: PlayerState,
    *,
    speed: float = 1,
    loop: bool = False,
) -> folium.Map:
    """Embed the daily series and the playback controls in `m` and show `initial`.

    Call it after the regions and events are added: it finds them by their class names.
    Playback starts paused.
    """
    DayPlayer(player_payload(counts, regions), initial, speed=speed, loop=loop).add_to(m)
    return m


@cache
def _player_template() -> Template:
    return Template((TEMPLATES / "day_player.js.j2").read_text(encoding="utf-8"))


def command_script(state: PlayerState) -> str:
    """JavaScript that shows `state` in an already-drawn player map (and stops any playback)."""
    return f"window.qantarCommand && window.qantarCommand({state.as_json()});"


def story_map(
    dataset: Dataset,
    *,
    basemap: gpd.GeoDataFrame | None,
    online_tiles: bool = False,
    speed: float = 1,
    loop: bool = False,
    source: AssetSource = STREAMLIT_STATIC,
) -> folium.Map:
    """The playable map of a dataset: basemap, regions, every event, and the day player.

    Everything that varies with the date is in the player's data, so one map serves every day.
    """
    m = base_map(source=source, online_tiles=online_tiles)
    if basemap is not None:
        add_basemap(basemap, m)
    first_day = values_at(dataset.counts, dataset.days[0], "daily")
    add_choropleth(dataset.regions, first_day, value_bins(1, "events"), m=m, caption="Events")
    add_event_points(dataset.events[dataset.events["region_id"].notna()], m, days=dataset.days)
    return add_day_player(
        m, dataset.counts, dataset.regions, PlayerState(day=0), speed=speed, loop=loop
    )
