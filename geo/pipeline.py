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


@dataclass(frozen=True)
class Dataset:
    """Events placed in regions, the regions, and per-region per-day counts over the date range."""

    name: str
    events: pd.DataFrame
    regions: gpd.GeoDataFrame
    counts: pd.DataFrame
    problems: tuple[Problem, ...]
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
    fingerprint = _fingerprint(placed, regions)
    return Dataset(validated.file, placed, regions, counts, validated.problems, fingerprint)


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
