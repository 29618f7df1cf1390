"""From validated events and a layout to everything a view needs, in one plain value."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.aggregate import region_day_counts
from geo.errors import Problem
from geo.join import DEFAULT_TOLERANCE_KM, assign_regions
from geo.schema import ValidatedEvents
from geo.spread import diffusion_classes, onsets, spread_tree


@dataclass(frozen=True)
class Dataset:
    """Events placed in regions, per-region per-day counts, and how the unrest spread."""

    name: str
    events: pd.DataFrame
    regions: gpd.GeoDataFrame
    counts: pd.DataFrame
    problems: tuple[Problem, ...]
    onsets: pd.DataFrame
    diffusion: pd.DataFrame
    tree: pd.DataFrame
    fingerprint: str
    """Content hash of events and regions: a stable cache key for everything derived from them."""

    @property
    def days(self) -> list[pd.Timestamp]:
        return list(pd.DatetimeIndex(self.counts["date"].drop_duplicates()).sort_values())

    @property
    def unplaced(self) -> pd.DataFrame:
        return self.events[self.events["region_id"].isna()]


def build_dataset(
    validated: ValidatedEvents,
    regions: gpd.GeoDataFrame,
    *,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> Dataset:
    """Join the events to the regions and count them per region and day."""
    placed = assign_regions(validated.events, regions, tolerance_km=tolerance_km)
    counts = region_day_counts(placed, regions["region_id"])
    onset_table = onsets(placed, regions)
    return Dataset(
        name=validated.file,
        events=placed,
        regions=regions,
        counts=counts,
        problems=validated.problems,
        onsets=onset_table,
        diffusion=diffusion_classes(placed, regions),
        tree=spread_tree(onset_table),
        fingerprint=_fingerprint(placed, regions),
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
