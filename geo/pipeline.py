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
from geo.analysis.spread import diffusion_classes, onsets, spread_tree
from geo.errors import Problem
from geo.io.acled import ACLED_ATTRIBUTION
from geo.io.finish import ImportResult


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
    same days (regions are not placed again).

    Its fingerprint hashes which events were kept: two different filters of one dataset must
    never share a cache key (and so a map), whatever their label.
    """
    keep = np.asarray(keep, dtype=bool)
    events = dataset.events[keep].reset_index(drop=True)
    counts = region_day_counts(events, dataset.regions["region_id"], days=dataset.days)
    onset_table = onsets(events, dataset.regions, event_types=dataset.unrest_types)
    return replace(
        dataset,
        name=f"{dataset.name} ({label})",
        events=events,
        counts=counts,
        onsets=onset_table,
        diffusion=diffusion_classes(events, dataset.regions, event_types=dataset.unrest_types),
        tree=spread_tree(onset_table),
        fingerprint=_derived_fingerprint(dataset.fingerprint, "kept", np.packbits(keep).tobytes()),
    )


def with_unrest_types(dataset: Dataset, types: Iterable[str]) -> Dataset:
    """The same dataset with onsets and diffusion counting `types` (at least one) as unrest;
    events, counts and places are unchanged."""
    chosen = tuple(types)
    if not chosen:
        raise ValueError("at least one event category must count as unrest")
    if chosen == dataset.unrest_types:
        return dataset
    onset_table = onsets(dataset.events, dataset.regions, event_types=chosen)
    return replace(
        dataset,
        unrest_types=chosen,
        onsets=onset_table,
        diffusion=diffusion_classes(dataset.events, dataset.regions, event_types=chosen),
        tree=spread_tree(onset_table),
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
    onset_table = onsets(events, dataset.regions, event_types=dataset.unrest_types)
    untimed = int((~timed).sum())
    note = f"stepping by hour: {untimed} events without a time of day are left out"
    return replace(
        dataset,
        name=f"{dataset.name} (by hour)",
        events=events.reset_index(drop=True),
        counts=counts,
        notes=(*dataset.notes, note) if untimed else dataset.notes,
        onsets=onset_table,
        diffusion=diffusion_classes(events, dataset.regions, event_types=dataset.unrest_types),
        tree=spread_tree(onset_table),
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
