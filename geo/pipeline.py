"""From events and a layout to everything a view needs, in one plain value."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.aggregate import region_day_counts
from geo.analysis.join import DEFAULT_TOLERANCE_KM
from geo.analysis.placing import place_events
from geo.analysis.spread import (
    Origin,
    SpreadFit,
    default_origin,
    diffusion_classes,
    onsets,
    spread_speed,
    spread_tree,
)
from geo.errors import ArgumentError, Problem
from geo.io.importers import ACLED_ATTRIBUTION, ImportResult


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
    origin: Origin | None
    """Where and when the spread is measured from (None: no event to measure from)."""
    onsets: pd.DataFrame
    fit: SpreadFit
    """How fast the unrest spread: distance from `origin` against days since it."""
    diffusion: pd.DataFrame
    tree: pd.DataFrame
    fingerprint: str
    """Content hash of events and regions: a stable cache key for everything derived from them."""
    step: str = "day"
    duplicates: pd.DataFrame | None = None
    """Rows of the file collapsed into an earlier row of the same event (ImportResult's)."""
    """What one frame (one entry of `days`) is: a "day", or an "hour" (see `by_hour`)."""

    unrest_types: tuple[str, ...] | None = None
    """Event categories counted as unrest for onsets and diffusion (the person's choice, see
    `with_unrest_types`); None: the data's own, geo.analysis.spread.unrest_types."""
    mapping: dict[str, str] = field(default_factory=dict)
    """How the file's columns were read (ImportResult.mapping); empty for the bundled record."""
    file_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The file's columns with a few values each (ImportResult.file_columns)."""

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
    return Dataset(
        name=name,
        events=placed.events,
        regions=regions,
        counts=counts,
        problems=tuple(problems),
        unplaced=placed.unplaced,
        notes=(*notes, *placed.notes),
        attribution=attribution,
        **_spread_fields(placed.events, regions),
        fingerprint=_fingerprint(placed.events, regions),
    )


def restrict_dataset(dataset: Dataset, keep: np.ndarray, *, label: str) -> Dataset:
    """The same dataset with only the events in `keep`; counts and spread are recomputed over the
    same days (regions are not placed again).

    Its fingerprint hashes which events were kept: two different filters of one dataset must
    never share a cache key (and so a map), whatever their label.
    """
    keep = np.asarray(keep, dtype=bool)
    events = dataset.events[keep].reset_index(drop=True)
    counts = region_day_counts(events, dataset.regions["region_id"], days=dataset.days)
    return replace(
        dataset,
        name=f"{dataset.name} ({label})",
        events=events,
        counts=counts,
        **_spread_fields(events, dataset.regions, dataset.unrest_types),
        fingerprint=_derived_fingerprint(dataset.fingerprint, "kept", np.packbits(keep).tobytes()),
    )


def with_unrest_types(dataset: Dataset, types: Iterable[str]) -> Dataset:
    """The same dataset with onsets and diffusion counting `types` (at least one) as unrest;
    events, counts and places are unchanged."""
    chosen = tuple(types)
    if not chosen:
        raise ArgumentError("at least one event category must count as unrest")
    if chosen == dataset.unrest_types:
        return dataset
    return replace(
        dataset,
        unrest_types=chosen,
        **_spread_fields(dataset.events, dataset.regions, chosen),
        fingerprint=_derived_fingerprint(
            dataset.fingerprint, "unrest", json.dumps(sorted(chosen)).encode()
        ),
    )


def has_times(dataset: Dataset) -> bool:
    """Whether some events carry a time of day, so the data can be stepped through by hour."""
    return "event_datetime" in dataset.events and bool(
        dataset.events["event_datetime"].notna().any()
    )


def by_hour(dataset: Dataset) -> Dataset:
    """The same dataset stepped by hour: frames are the hours from the first to the last timed
    event, and each event counts in its hour (local time, as the importer kept it).

    Events without a time of day are left out (a note says how many). Onsets are dated to the
    hour; diffusion classes stay daily (they are defined over days) and each hour shows its day's.
    """
    stamps = pd.to_datetime(dataset.events["event_datetime"])
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    timed = stamps.notna().to_numpy()
    events = dataset.events[timed].assign(event_date=stamps[timed].dt.floor("h"))
    hours = list(pd.date_range(events["event_date"].min(), events["event_date"].max(), freq="h"))
    counts = region_day_counts(events, dataset.regions["region_id"], days=hours)
    untimed = int((~timed).sum())
    note = f"stepping by hour: {untimed} events without a time of day are left out"
    return replace(
        dataset,
        name=f"{dataset.name} (by hour)",
        events=events.reset_index(drop=True),
        counts=counts,
        notes=(*dataset.notes, note) if untimed else dataset.notes,
        **_spread_fields(events, dataset.regions, dataset.unrest_types),
        fingerprint=_derived_fingerprint(dataset.fingerprint, "by hour"),
        step="hour",
    )


def dataset_from_import(result: ImportResult, regions: gpd.GeoDataFrame, *, name: str) -> Dataset:
    """A dataset from an imported file, carrying its problems, notes, duplicates and required
    attribution."""
    dataset = build_dataset(
        result.events,
        regions,
        name=name,
        problems=result.problems,
        notes=result.notes,
        attribution=ACLED_ATTRIBUTION if result.format == "acled" else None,
    )
    return replace(
        dataset,
        duplicates=result.duplicates,
        mapping=dict(result.mapping),
        file_columns=dict(result.file_columns),
    )


def _spread_fields(
    events: pd.DataFrame, regions: gpd.GeoDataFrame, event_types: tuple[str, ...] | None = None
) -> dict:
    """A Dataset's spread fields over `events`: the origin, the onsets measured from it, the
    speed fit, the diffusion classes and the spread tree (geo.analysis.spread)."""
    origin = default_origin(events, event_types)
    table = onsets(events, regions, origin=origin, event_types=event_types)
    return {
        "origin": origin,
        "onsets": table,
        "fit": spread_speed(table),
        "diffusion": diffusion_classes(events, regions, event_types=event_types),
        "tree": spread_tree(table),
    }


def _derived_fingerprint(base: str, how: str, detail: bytes = b"") -> str:
    """The fingerprint of a dataset derived from `base` by `how`, with what defines it."""
    digest = hashlib.sha256(f"{base}|{how}|{len(detail)}|".encode())
    digest.update(detail)
    return digest.hexdigest()


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
