"""Day-by-day playback inside the map: all per-day values go to the browser once, and a day
change is a tiny command that restyles regions and filters event points, never a new map.

`StoryLayer` embeds the regions, the event points, the per-region series, the playback controls
(play/pause, step, first/last, speed, loop) and `window.qantarShow(state)` in the map's script,
as data (geo.render.htmlsafe.script_json), never as template source. Playback runs in the
browser; the map tells Streamlit the chosen day when the person pauses or steps (through
`window.Streamlit.setComponentValue`, where the map runs inside streamlit-folium), and Streamlit
moves the map by calling `window.qantarCommand(state)` with `PlayerState.as_json()` (see
ui/map_component.py). The standalone HTML export carries the same player.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.analysis.aggregate import DEFAULT_WINDOW_DAYS, MODES, WINDOW_DAYS, frame_window
from geo.errors import ArgumentError
from geo.pipeline import Dataset
from geo.record.connectivity import connectivity_by_frame
from geo.record.tolls import regional_tolls_known_by
from geo.render.assets import CLUSTER_CSS, CLUSTER_JS, STREAMLIT_STATIC, AssetSource
from geo.render.frames import frame_text
from geo.render.htmlsafe import RenderedOnce, script_json
from geo.render.layers import add_basemap, base_map, event_features, region_features
from geo.render.listings import frame_alt_text, onset_noun
from geo.render.style import (
    CLASS_COLOURS,
    CONNECTIVITY_BADGES,
    CONNECTIVITY_LEGEND,
    COUNT_METRICS,
    CUT_OUTLINE,
    DIFFUSION_COLOURS,
    MAP_CREDITS,
    METRIC_NAMES,
    METRICS,
    ONSET_COLOURS,
    REGION_EDGE,
    ZERO_COLOUR,
    Bins,
    type_legend,
    value_bins,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
ONSET_PREFIX = {"day": "D+", "hour": "H+"}
"""Onset labels count frames since the origin: days, or hours when stepping by hour."""
STEP_WORDS = {
    "day": {"unit": "day", "playback": "Day-by-day playback"},
    "hour": {"unit": "hour", "playback": "Hour-by-hour playback"},
}
"""Per time step: what the player's buttons step by ("One hour back") and its toolbar's name."""
CLUSTER_THRESHOLD = 2000
"""Above this many events the points stand for their place, frame and category (one mark each,
geo.render.layers.event_features(by_place=True)), and above this many marks they are clustered:
thousands of SVG circles make panning slow."""


@dataclass(frozen=True)
class PlayerState:
    """What the map shows: a frame (index into the frames: days, or hours), how to count, what
    to colour by, and whether the spread arrows are drawn."""

    frame: int
    mode: str = "cumulative"
    metric: str = "events"
    window_days: int = DEFAULT_WINDOW_DAYS
    arrows: bool = True
    speed: float = 1.0
    loop: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ArgumentError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.metric not in METRICS:
            raise ArgumentError(f"metric must be one of {METRICS}, got {self.metric!r}")
        if self.window_days < 1:
            raise ArgumentError(f"window_days must be at least 1, got {self.window_days}")

    def as_json(self) -> str:
        return json.dumps(
            {
                "frame": self.frame,
                "mode": self.mode,
                "metric": self.metric,
                "window": self.window_days,
                "arrows": self.arrows,
                "speed": self.speed,
                "loop": self.loop,
            }
        )


def player_payload(
    dataset: Dataset,
    *,
    windows: Iterable[int] = WINDOW_DAYS,
    tolls: pd.DataFrame | None = None,
    scale_max: Mapping[str, float] | None = None,
    player: bool = True,
    connectivity: pd.DataFrame | None = None,
) -> dict:
    """Everything the player needs for every frame, ready for `script_json`.

    Text is plain (names, the event lines): the browser puts it on the page as text. The one
    exception is `attribution_html`, which Leaflet's attribution control inserts as HTML, so it
    is HTML-escaped here. The frames each view counts (`window_starts`, for the k in `windows`)
    and each frame's alt text are Python's too: the player looks them up, never derives them.

    `scale_max` (see `shared_scale`) gives the colour classes' top value per metric, so that two
    maps shown side by side share one scale; `player` False draws the map without its own
    player buttons (it follows another map's, through the page). `connectivity`
    (geo.record.connectivity.load_connectivity) marks the regions whose internet was cut in
    each frame.
    """
    counts, regions = dataset.counts, dataset.regions
    frames = dataset.frames
    series = {}
    for metric in COUNT_METRICS:
        wide = counts.pivot(index="region_id", columns="date", values=metric)
        wide = wide.reindex(columns=frames)
        series[metric] = {rid: [int(v) for v in row] for rid, row in wide.fillna(0).iterrows()}
    tops = scale_max or shared_scale(dataset)
    bins: dict[str, Bins] = {m: value_bins(tops[m], m) for m in COUNT_METRICS}
    frame_index = {frame: i for i, frame in enumerate(frames)}
    onset = {
        rid: (None if pd.isna(date) else frame_index.get(pd.Timestamp(date)))
        for rid, date in zip(dataset.onsets["region_id"], dataset.onsets["onset_date"], strict=True)
    }
    ids, names = regions["region_id"], regions["name_en"].astype(str)
    anchors = regions.geometry.representative_point()
    prefix = ONSET_PREFIX[dataset.step]
    placed = dataset.events[dataset.events["region_id"].notna()]
    marks = event_features(placed, frames, by_place=len(placed) > CLUSTER_THRESHOLD)
    onset_words = onset_noun(dataset)
    return {
        "frames": [frame_text(f, dataset.step, "key") for f in frames],
        "labels": [frame_text(f, dataset.step) for f in frames],
        "step_words": STEP_WORDS[dataset.step],
        "alt": [frame_alt_text(dataset.onsets, len(regions), f, step=dataset.step) for f in frames],
        "window_starts": window_starts(frames, dataset.step, windows),
        "series": series,
        "names": dict(zip(ids, names, strict=True)),
        "edges": {metric: list(b.edges) for metric, b in bins.items()},
        "legend": {
            **{metric: b.labels() for metric, b in bins.items()},
            "onset": [
                *(
                    (c, f"{prefix}{k}" + ("+" if k == len(ONSET_COLOURS) - 1 else ""))
                    for k, c in enumerate(ONSET_COLOURS)
                ),
                (ZERO_COLOUR, "not yet"),
            ],
            "diffusion": [(c, name) for name, c in DIFFUSION_COLOURS.items()],
        },
        "metric_names": {**METRIC_NAMES, "onset": f"First {onset_words}"},
        "onset_noun": onset_words,
        "type_legend": type_legend(placed["event_type"]),
        "colours": list(CLASS_COLOURS),
        "zero": ZERO_COLOUR,
        "region_edge": REGION_EDGE,
        "onset": onset,
        "origin_day": min((i for i in onset.values() if i is not None), default=0),
        "onset_prefix": prefix,
        "onset_colours": list(ONSET_COLOURS),
        "diffusion": _diffusion_codes(dataset.diffusion, ids, frames),
        "diffusion_names": list(DIFFUSION_COLOURS),
        "diffusion_colours": list(DIFFUSION_COLOURS.values()),
        "anchors": {
            rid: [round(p.y, 4), round(p.x, 4)] for rid, p in zip(ids, anchors, strict=True)
        },
        "attribution_html": html.escape(
            " · ".join(filter(None, [dataset.attribution, MAP_CREDITS]))
        ),
        "tree": [
            {
                "from": [round(row.from_latitude, 4), round(row.from_longitude, 4)],
                "to": [round(row.to_latitude, 4), round(row.to_longitude, 4)],
                "frame": frame_index.get(pd.Timestamp(row.onset_date), 0),
            }
            for row in dataset.tree.itertuples()
            if pd.notna(row.parent_region_id)
        ],
        "regions": region_features(regions),
        "events": marks,
        "cluster": len(marks["features"]) > CLUSTER_THRESHOLD,
        "tolls": official_tolls_by_frame(tolls, regions["region_id"], frames),
        "player": player,
        "connectivity": (
            {}
            if connectivity is None
            else connectivity_by_frame(connectivity, ids, frames, dataset.step)
        ),
        "connectivity_badges": CONNECTIVITY_BADGES,
        "connectivity_legend": CONNECTIVITY_LEGEND.format(unit=STEP_WORDS[dataset.step]["unit"]),
        "cut_outline": CUT_OUTLINE,
    }


def shared_scale(*datasets: Dataset) -> dict[str, float]:
    """The top of the colour scale per metric that fits every one of `datasets`: the largest
    total of any region over all frames (each map's own scale, for one dataset)."""
    tops = {m: 0.0 for m in COUNT_METRICS}
    for dataset in datasets:
        totals = dataset.counts.groupby("region_id")[list(COUNT_METRICS)].sum()
        for metric in COUNT_METRICS:
            top = totals[metric].max() if len(totals) else 0
            tops[metric] = max(tops[metric], 0.0 if pd.isna(top) else float(top))
    return tops


def window_starts(frames: list[pd.Timestamp], step: str, windows: Iterable[int]) -> dict:
    """Per mode, the index of the first frame each frame's view counts, as
    `geo.analysis.aggregate.frame_window` decides (the last is the frame itself): `{"daily":
    [0, 1, …], "cumulative": [0, 0, …], "window": {"3": [0, 0, 0, 1, …], …}}`, one list entry
    per frame and, for "window", one list per k in `windows`."""
    index = pd.DatetimeIndex(frames)

    def firsts(mode: str, k: int = 1) -> list[int]:
        # Clipped to the first frame: "every frame up to it" starts at pd.Timestamp.min.
        starts = [max(frame_window(frame, mode, k, step=step)[0], index[0]) for frame in frames]
        return [int(i) for i in index.searchsorted(starts)]

    return {
        "daily": firsts("daily"),
        "cumulative": firsts("cumulative"),
        "window": {str(k): firsts("window", k) for k in sorted(set(windows))},
    }


def official_tolls_by_frame(
    tolls: pd.DataFrame | None, region_ids: pd.Series, frames: list[pd.Timestamp]
) -> dict[str, list[dict]]:
    """Per region, the official toll known at each frame, as the frames where it changes:
    `{"almaty_city": [{"from": 8, "deaths": 103, "by": "Health Ministry …", "on": "09 Jan
    2022"}]}`. These are statements about a region's whole unrest, shown as their own layer
    beside the event-level deaths, never added to them (`geo.record.tolls`)."""
    if tolls is None or tolls.empty:
        return {}
    changes: dict[str, list[dict]] = {}
    known = set(region_ids)
    days = {day: regional_tolls_known_by(tolls, day) for day in {f.normalize() for f in frames}}
    for index, frame in enumerate(frames):  # hourly frames share their day's statements
        for row in days[frame.normalize()].itertuples():
            if row.region_id not in known:
                continue
            entry = {
                "from": index,
                "deaths": int(row.deaths),
                "by": str(row.given_by),
                "on": f"{row.given_on:%d %b %Y}",
            }
            previous = changes.setdefault(row.region_id, [])
            if not previous or {**previous[-1], "from": index} != entry:
                previous.append(entry)
    return changes


def _diffusion_codes(diffusion: pd.DataFrame, region_ids: pd.Series, frames: list) -> dict:
    """Class codes per region and frame; classes are daily, so hourly frames take their day's."""
    codes = {name: code for code, name in enumerate(DIFFUSION_COLOURS)}
    table = diffusion.assign(code=diffusion["class"].astype(object).map(codes).fillna(0))
    wide = table.pivot(index="region_id", columns="date", values="code")
    frame_days = pd.DatetimeIndex(frames).normalize()
    wide = wide.reindex(index=list(region_ids), columns=frame_days).fillna(0).astype(int)
    return {rid: row.tolist() for rid, row in wide.iterrows()}


class StoryLayer(JSCSSMixin, RenderedOnce):
    """The regions, the event points, their labels and arrows, and the day player, as one layer.

    It owns how every region and point looks on every frame (folium's GeoJson layers would
    restore a stale style on hover, and would put data text into template source): the data
    goes into its script once, as `script_json`, and `window.qantarShow(state)` draws a frame.
    """

    def __init__(self, payload: dict, initial: PlayerState, *, source: AssetSource):
        super().__init__()
        if str(initial.window_days) not in payload["window_starts"]["window"]:
            raise ArgumentError(
                f"the payload has no frames for a window of {initial.window_days}: "
                "give player_payload that window"
            )
        self._name = "StoryLayer"
        self._template = _player_template()
        self.payload_json = script_json(payload)
        self.initial_json = initial.as_json()
        if payload["cluster"]:
            self.default_js = [(CLUSTER_JS[0], source.url(CLUSTER_JS[1]))]
            self.default_css = [(name, source.url(path)) for name, path in CLUSTER_CSS]


@cache
def _player_template() -> Template:
    return Template((TEMPLATES / "day_player.js.j2").read_text(encoding="utf-8"))


def story_map(
    dataset: Dataset,
    *,
    basemap: gpd.GeoDataFrame | None,
    online_tiles: bool = False,
    initial: PlayerState | None = None,
    source: AssetSource = STREAMLIT_STATIC,
    tolls: pd.DataFrame | None = None,
    scale_max: Mapping[str, float] | None = None,
    player: bool = True,
    connectivity: pd.DataFrame | None = None,
) -> folium.Map:
    """The playable map of a dataset: basemap, regions, every event, and the day player.

    Everything that varies with the date is in the player's data, so one map serves every day.
    `tolls` (geo.load_official_tolls) adds the official regional tolls as their own labelled
    layer on the "Deaths reported" view. `scale_max`, `player` and `connectivity` (the hours
    the internet was cut): see `player_payload`.
    """
    m = base_map(source=source, online_tiles=online_tiles)
    if basemap is not None:
        add_basemap(basemap, m)
    initial = initial or PlayerState(frame=0)
    payload = player_payload(
        dataset,
        windows={*WINDOW_DAYS, initial.window_days},
        tolls=tolls,
        scale_max=scale_max,
        player=player,
        connectivity=connectivity,
    )
    StoryLayer(payload, initial, source=source).add_to(m)
    return m
