"""The dashboard's cached steps: each builds once what every rerun would otherwise rebuild.

Everything a cache depends on is an argument. The caches hold values shared by every reader and
handed out as they are (`cache_resource`), not unpickled copies (`cache_data` copies a 343 KB map
on every rerun): nothing changes a cached value; derived values are new objects
(`with_day_shown`, `view_dataset`, ...). Every per-view cache is bounded, so memory plateaus
however many views and uploads pass: a 20,000-event upload's map is ~5 MB, and useful only to its
reader (BENCHMARKS.md, "Memory").
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

import geo
from geo import pipeline
from geo.analysis.aggregate import key_days
from geo.analysis.filters import EventFilter, filter_mask
from geo.pipeline import Dataset, load_dataset, official_tolls, view_dataset
from geo.render import listings, story_charts, webmap
from geo.render.listings import frame_alt_text
from ui import map_component

LAYOUT_LABELS = {
    "auto": "By the event dates",
    "2022-01": "January 2022 (17)",
    "current": "Current (20)",
}
# The name is part of a dataset's key: the same bytes uploaded under two names are two datasets,
# and no reader sees another's file name.
HASHED = {Dataset: lambda d: (d.fingerprint, d.name), EventFilter: repr}
BOUNDS = {"max_entries": 8, "ttl": 3600}  # seconds; "1h" is parsed on every call
PER_DAY = {"max_entries": 512}
"""Values of one dataset's single day: small, and many of them."""


@st.cache_resource(show_spinner="Loading the January 2022 record…", max_entries=len(LAYOUT_LABELS))
def bundled_dataset(layout: str) -> Dataset:
    """The bundled record on the chosen boundaries ("auto": those in force on its dates)."""
    return load_dataset(None, layout)


@st.cache_resource(show_spinner=False)
def basemap():
    return geo.load_basemap()


@st.cache_resource(show_spinner=False)
def bundled_context() -> pd.DataFrame:
    return geo.load_context()


def shown(dataset: Dataset, chosen: EventFilter, step: str) -> Dataset:
    """The dataset as the view shows it: filtered, then stepped by day or by hour (the dataset
    itself when neither, never a cached copy of it)."""
    if chosen.is_empty and step == "day":
        return dataset
    return _derived(dataset, chosen, step)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def _derived(dataset: Dataset, chosen: EventFilter, step: str) -> Dataset:
    keep = None if chosen.is_empty else filter_mask(dataset.events, chosen)
    return view_dataset(dataset, keep=keep, step=step)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def tolls_of(dataset: Dataset) -> pd.DataFrame | None:
    return official_tolls(dataset)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def connectivity_of(dataset: Dataset) -> pd.DataFrame | None:
    return pipeline.connectivity_of(dataset)


@st.cache_resource(show_spinner="Drawing the map…", hash_funcs=HASHED, **BOUNDS)
def map_args(dataset: Dataset, online_tiles: bool) -> dict:
    """The map's component arguments; the bundled record's map carries its official tolls."""
    m = webmap.story_map(
        dataset,
        basemap=basemap(),
        online_tiles=online_tiles,
        tolls=tolls_of(dataset),
        connectivity=connectivity_of(dataset),
    )
    return map_component.prepared_args(m, key="map")


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def on_frames_of(dataset: Dataset, frames: tuple) -> Dataset:
    """The second source counted over the first one's days (once, not on every rerun)."""
    return pipeline.on_frames(dataset, list(frames), label="on the same days")


@st.cache_resource(show_spinner="Drawing the maps…", hash_funcs=HASHED, **BOUNDS)
def compare_map_args(
    dataset: Dataset, online_tiles: bool, scale: tuple[tuple[str, float], ...], player: bool
) -> dict:
    """One of the comparison's two maps: on the colour `scale` both share; the second without
    a player of its own (it follows the first)."""
    m = webmap.story_map(
        dataset,
        basemap=basemap(),
        online_tiles=online_tiles,
        scale_max=dict(scale),
        player=player,
    )
    return map_component.prepared_args(m, key="compare_map" if player else "compare_map_b")


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **PER_DAY)
def map_alt_text(dataset: Dataset, day: pd.Timestamp) -> str:
    return frame_alt_text(dataset.onsets, len(dataset.regions), day, step=dataset.step)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def onset_noun(dataset: Dataset) -> str:
    """What the onsets count, in words (not recounted on every date change)."""
    return listings.onset_noun(dataset)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def jump_days(dataset: Dataset):
    return key_days(dataset.counts)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **PER_DAY)
def region_table(
    dataset: Dataset, day: pd.Timestamp, mode: str, window: int
) -> tuple[pa.Table, int]:
    """The regions' values on `day` as the map counts them, and how many have any event: built
    once per view, not per rerun, and kept as the Arrow table Streamlit sends."""
    table = geo.region_table(
        dataset.regions, dataset.counts, dataset.onsets, day, mode, window, step=dataset.step
    )
    shown_table = pa.Table.from_pandas(table.drop(columns="region_id"), preserve_index=False)
    return shown_table, geo.regions_with_events(table)


# Chart specs are drawn (and validated by Altair, hundreds of milliseconds) once per dataset; a
# rerun adds only the day shown (geo.with_day_shown).
@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def timeline_spec(dataset: Dataset, *, with_context: bool) -> dict:
    context = bundled_context() if with_context else None
    return story_charts.timeline(dataset, context, connectivity_of(dataset))


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def national_toll_spec(dataset: Dataset) -> dict:
    return story_charts.national_tolls(geo.national_tolls(tolls_of(dataset)))


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def units_affected_spec(dataset: Dataset) -> dict:
    return story_charts.units_affected(dataset)


@st.cache_resource(show_spinner=False, hash_funcs=HASHED, **BOUNDS)
def onset_distance_spec(dataset: Dataset) -> dict:
    return story_charts.onset_distance(dataset)
