"""From events and a layout to everything a view needs, in one plain value."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.aggregate import region_day_counts
from geo.errors import Problem
from geo.importers import ACLED_ATTRIBUTION, ImportResult
from geo.join import DEFAULT_TOLERANCE_KM
from geo.placing import place_events
from geo.spread import diffusion_classes, onsets, spread_tree


@dataclass(frozen=True)
class Dataset:
    """Events placed in regions, per-region per-day counts, and how the unrest spread."""

    name: str
    events: pd.DataFrame
    regions: gpd.GeoDataFrame
    counts: pd.DataFrame
    problems: tuple[Problem, ...]
    unplaced: pd.DataFrame
    notes: tuple[str, ...]
    attribution: str | None
    """Credit the data's terms require on the map and on every export (ACLED's), if any."""
    onsets: pd.DataFrame
    diffusion: pd.DataFrame
    tree: pd.DataFrame
    fingerprint: str
    """Content hash of events and regions: a stable cache key for everything derived from them."""

    @property
    def days(self) -> list[pd.Timestamp]:
        return list(pd.DatetimeIndex(self.counts["date"].drop_duplicates()).sort_values())


def build_dataset(
    events: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    *,
    name: str,
    problems: tuple[Problem, ...] = (),
    notes: tuple[str, ...] = (),
    attribution: str | None = None,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> Dataset:
    """Place the events in the regions, count them per region and day, and trace the spread."""
    placed = place_events(events, regions, tolerance_km=tolerance_km)
    counts = region_day_counts(placed.events, regions["region_id"])
    onset_table = onsets(placed.events, regions)
    return Dataset(
        name=name,
        events=placed.events,
        regions=regions,
        counts=counts,
        problems=tuple(problems),
        unplaced=placed.unplaced,
        notes=(*notes, *placed.notes),
        attribution=attribution,
        onsets=onset_table,
        diffusion=diffusion_classes(placed.events, regions),
        tree=spread_tree(onset_table),
        fingerprint=_fingerprint(placed.events, regions),
    )


def restrict_dataset(dataset: Dataset, keep: np.ndarray, *, label: str) -> Dataset:
    """The same dataset with only the events in `keep`; counts and spread are recomputed over the
    same days (regions are not placed again)."""
    events = dataset.events[keep].reset_index(drop=True)
    counts = region_day_counts(events, dataset.regions["region_id"], days=dataset.days)
    onset_table = onsets(events, dataset.regions)
    return replace(
        dataset,
        name=f"{dataset.name} ({label})",
        events=events,
        counts=counts,
        onsets=onset_table,
        diffusion=diffusion_classes(events, dataset.regions),
        tree=spread_tree(onset_table),
        fingerprint=hashlib.sha256(f"{dataset.fingerprint}|{label}".encode()).hexdigest(),
    )


def dataset_from_import(result: ImportResult, regions: gpd.GeoDataFrame, *, name: str) -> Dataset:
    """A dataset from an imported file, carrying its problems, notes and required attribution."""
    return build_dataset(
        result.events,
        regions,
        name=name,
        problems=result.problems,
        notes=result.notes,
        attribution=ACLED_ATTRIBUTION if result.format == "acled" else None,
    )


def _fingerprint(events: pd.DataFrame, regions: gpd.GeoDataFrame) -> str:
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(events, index=False).to_numpy().tobytes())
    digest.update(
        pd.util.hash_pandas_object(regions.drop(columns="geometry"), index=False)
        .to_numpy()
        .tobytes()
    )
    for wkb in regions.geometry.to_wkb():
        digest.update(wkb)
    return digest.hexdigest()
