"""From events and a layout to everything a view needs, in one plain value."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.aggregate import region_day_counts
from geo.analysis.join import DEFAULT_TOLERANCE_KM
from geo.analysis.local_days import with_local_days
from geo.analysis.placing import PLACE_METHODS, place_events
from geo.analysis.scope import outside_reasons
from geo.analysis.spread import (
    Origin,
    SpreadFit,
    default_origin,
    diffusion_classes,
    onsets,
    spread_speed,
    spread_tree,
)
from geo.errors import ArgumentError, EventDataError, Problem
from geo.io.abroad import OUTSIDE_COLUMNS, no_outside
from geo.io.acled import ACLED_ATTRIBUTION
from geo.io.finish import ImportResult
from geo.io.importers import read_events
from geo.io.limits import ImportLimits
from geo.io.many import is_many
from geo.paths import BUNDLED_EVENTS
from geo.record.events import load_bundled_events
from geo.record.regions import layout_for_dates, load_regions
from geo.record.tolls import load_official_tolls


@dataclass(frozen=True)
class Dataset:
    """Events placed in regions, per-region per-day counts, and how the unrest spread."""

    name: str
    events: pd.DataFrame
    regions: gpd.GeoDataFrame
    counts: pd.DataFrame
    problems: tuple[Problem, ...]
    unplaced: pd.DataFrame
    """Every row not placed, as UNPLACED_COLUMNS: loaded rows placed nowhere, and the rows set
    aside as abroad at import."""
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
    """What one frame (one entry of `frames`) is: a "day", or an "hour" (see `by_hour`)."""
    duplicates: pd.DataFrame | None = None
    """Rows of the file collapsed into an earlier row of the same event (ImportResult's)."""

    unrest_types: tuple[str, ...] | None = None
    """Event categories counted as unrest for onsets and diffusion (the person's choice, see
    `with_unrest_types`); None: the data's own, geo.analysis.spread.unrest_types."""
    mapping: dict[str, str] = field(default_factory=dict)
    """How the file's columns were read (ImportResult.mapping); empty for the bundled record."""
    file_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The file's columns with a few values each (ImportResult.file_columns)."""
    format: str | None = None
    """How the file was read (ImportResult.format; "csv" for the bundled record)."""
    layout: str | None = None
    """The boundary layout the events are placed in (a REGION_LAYOUTS name or a GeoJSON path),
    if `load_dataset` chose it."""
    bundled: bool = False
    """Whether these are the bundled January 2022 record's events (its context and official
    tolls belong with it, and no other data's)."""
    outside: pd.DataFrame = field(default_factory=no_outside)
    """Rows set aside at import because the file places them in another country
    (geo.io.abroad): never validated or placed; listed in `unplaced` too, with their reason."""

    @property
    def frames(self) -> list[pd.Timestamp]:
        """The frames a view steps through: days, or hours once stepped by hour."""
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
    outside: pd.DataFrame | None = None,
) -> Dataset:
    """Place the events in the regions, count them per region and day, and trace the spread;
    `outside` are the rows the import set aside as abroad (ImportResult.outside)."""
    placed = with_local_days(place_events(events, regions, tolerance_km=tolerance_km))
    counts = region_day_counts(placed.events, regions["region_id"])
    outside = no_outside() if outside is None else outside
    return Dataset(
        name=name,
        events=placed.events,
        regions=regions,
        counts=counts,
        problems=tuple(problems),
        unplaced=_with_set_aside(placed.unplaced, outside),
        outside=outside,
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
    return view_dataset(dataset, keep=keep, label=label)


def view_dataset(
    dataset: Dataset, *, keep: np.ndarray | None = None, label: str = "filtered", step: str = "day"
) -> Dataset:
    """What one view shows: the events in `keep` (all when None), stepped by "day" or "hour"
    (see `by_hour`), with its counts and its spread computed once (not once per step)."""
    if step not in ("day", "hour"):
        raise ArgumentError(f"step must be 'day' or 'hour', got {step!r}")
    view = dataset if keep is None else _restricted(dataset, np.asarray(keep, dtype=bool), label)
    if step == "hour":
        view = _hourly(view)
    if view is dataset:
        return dataset
    return replace(view, **_spread_fields(view.events, view.regions, view.unrest_types))


def _restricted(dataset: Dataset, keep: np.ndarray, label: str) -> Dataset:
    """`restrict_dataset` without its spread (the caller computes it once, for the view)."""
    events = dataset.events[keep].reset_index(drop=True)
    counts = region_day_counts(events, dataset.regions["region_id"], days=dataset.frames)
    return replace(
        dataset,
        name=f"{dataset.name} ({label})",
        events=events,
        counts=counts,
        fingerprint=_derived_fingerprint(dataset.fingerprint, "kept", np.packbits(keep).tobytes()),
    )


def on_frames(dataset: Dataset, frames: list[pd.Timestamp], *, label: str) -> Dataset:
    """`dataset` counted over another dataset's daily `frames`, so that the two are shown with
    one date (the frame indices agree); its events outside those days are left out."""
    day = dataset.events["event_date"].dt.normalize()
    keep = ((day >= frames[0]) & (day <= frames[-1])).to_numpy()
    events = dataset.events[keep].reset_index(drop=True)
    counted = replace(
        dataset,
        name=f"{dataset.name} ({label})",
        events=events,
        counts=region_day_counts(events, dataset.regions["region_id"], days=list(frames)),
        fingerprint=_derived_fingerprint(
            dataset.fingerprint, "frames", json.dumps([str(f) for f in frames]).encode()
        ),
    )
    return replace(counted, **_spread_fields(events, dataset.regions, dataset.unrest_types))


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
    return view_dataset(dataset, step="hour")


def _hourly(dataset: Dataset) -> Dataset:
    """`by_hour` without its spread (the caller computes it once, for the view)."""
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
        attribution=acled_attribution() if result.format == "acled" else None,
        outside=result.outside,
    )
    return replace(
        dataset,
        duplicates=result.duplicates,
        mapping=dict(result.mapping),
        file_columns=dict(result.file_columns),
        format=result.format,
    )


def load_dataset(
    source: str | Path | bytes | None = None,
    layout: str = "auto",
    *,
    name: str | None = None,
    format: str = "auto",
    mapping: Mapping[str, str] | None = None,
    date_order: str | None = None,
    limits: ImportLimits | None = None,
    on_stage: Callable[[str], None] = lambda _: None,
) -> Dataset:
    """The one recipe from an event source to a Dataset: read, place in `layout`, count, trace.

    `source` is None for the bundled January 2022 record (its file's path means it too), or an
    event file: a path, or its bytes with their file `name`. `layout` is a bundled layout's name,
    a GeoJSON path, or "auto": the layout in force on the events' dates. `format`, `mapping`,
    `date_order` and `limits` say how to read a file (geo.io.importers.read_events); the bundled
    record is read one way only (geo.record.events.load_bundled_events), so they must be left
    unset for it. `on_stage` hears a short line when placing starts, for a progress message.
    """
    if _is_bundled(source):
        if format != "auto" or mapping or date_order is not None:
            raise EventDataError.of_file(
                BUNDLED_EVENTS.name,
                "the bundled record is read one way: a format, column mapping or date order "
                "applies to an event file of your own",
            )
        return _bundled_dataset(layout, on_stage)
    name = name or (Path(source).name if isinstance(source, str | Path) else "upload")
    if is_many(source) and not Path(source).is_dir():
        name = str(source)  # a glob: its pattern says which files
    imported = read_events(
        source,
        format=format,
        mapping=dict(mapping) if mapping else None,
        name=name,
        limits=limits,
        date_order=date_order,
    )
    on_stage(f"Placing {len(imported.events):,} events of {name} in regions…")
    chosen = _layout_of(layout, imported.events)
    dataset = dataset_from_import(imported, load_regions(chosen), name=name)
    return replace(dataset, layout=chosen)


def official_tolls(dataset: Dataset) -> pd.DataFrame | None:
    """The official tolls that belong with `dataset`: the bundled record's statements
    (geo.record.tolls), shown beside its events and never mixed with them; None for other data,
    whose tolls Qantar does not know. Every front end asks here (map, exports, edition)."""
    return load_official_tolls() if dataset.bundled else None


def connectivity_of(dataset: Dataset) -> pd.DataFrame | None:
    """The hours the internet was cut (geo.record.connectivity) that belong with `dataset`: the
    bundled record's; None for other data. Every front end asks here (map, timeline, edition)."""
    if not dataset.bundled:
        return None
    from geo.record.connectivity import load_connectivity

    return load_connectivity()


def acled_attribution(accessed: dt.date | None = None) -> str:
    """ACLED's required credit with the date of access (default: today), as every map and
    export of ACLED data carries it."""
    return f"{ACLED_ATTRIBUTION}, accessed {(accessed or dt.date.today()).isoformat()}"


@dataclass(frozen=True)
class ReadCounts:
    """How the rows of a dataset's file fared, as the reports (dashboard and CLI) give them."""

    rows_read: int
    """Data rows of the file: loaded, rejected, or counted once as a duplicate of another."""
    loaded: int
    placed: int
    rejected: int
    """Rows not loaded for their problems (a row with two problems is one row)."""
    unplaced: int
    """Rows not placed: loaded rows placed nowhere, and the rows set aside as abroad."""
    set_aside: int
    """Rows set aside at import because the file places them in another country."""
    duplicates: int
    placed_by: dict[str, int]
    """Placed rows per method (geo.analysis.placing.PLACE_METHODS order; methods used only)."""


def read_counts(dataset: Dataset) -> ReadCounts:
    """Rows read, loaded, placed (by method), rejected, unplaced and duplicates of `dataset`.

    A row is counted once however many problems it has, and a loaded row with a problem in one
    of its values (the bundled record's unreadable time of day) is loaded, not rejected.
    """
    events = dataset.events
    duplicates = dataset.duplicates if dataset.duplicates is not None else events.iloc[:0]
    # Rows of several files (geo.io.many) are their file and their row there, as problems say.
    many = "source_file" in events
    loaded_rows = _row_keys(events, many)
    problem_rows = {
        (p.file, p.row) if many else p.row for p in dataset.problems if p.row is not None
    }
    rejected_rows = problem_rows - loaded_rows
    placed = events["region_id"].notna()
    methods = events.loc[placed, "place_method"].value_counts()
    set_aside = len(dataset.outside)  # rows of their own: not loaded, rejected or repeated
    return ReadCounts(
        rows_read=len(loaded_rows | _row_keys(duplicates, many) | rejected_rows) + set_aside,
        loaded=len(events),
        placed=int(placed.sum()),
        rejected=len(rejected_rows),
        unplaced=len(dataset.unplaced),
        set_aside=set_aside,
        duplicates=len(duplicates),
        placed_by={m: int(methods[m]) for m in PLACE_METHODS if methods.get(m)},
    )


def _row_keys(frame: pd.DataFrame, many: bool) -> set:
    """The row of each row of one file; (file, row) of each row of several."""
    rows = frame.get("source_row", pd.Series(dtype="int64")).astype("int64")
    if not many:
        return set(rows)
    return set(zip(frame["source_file"], rows, strict=True))


UNPLACED_COLUMNS = (*OUTSIDE_COLUMNS, "unplaced_reason")
"""What a dataset keeps of each row not placed (Dataset.unplaced): its row (and file, for
several), id, date, category, place names, country and reason. Narrow on purpose: a GDELT month
leaves millions of rows abroad."""


def _with_set_aside(unplaced: pd.DataFrame, outside: pd.DataFrame) -> pd.DataFrame:
    """The unplaced rows and the rows set aside as abroad, in file order, as UNPLACED_COLUMNS
    (dates as YYYY-MM-DD, or as the file wrote them for rows set aside unread)."""
    many = "source_file" in unplaced or "source_file" in outside
    columns = ["source_file", *UNPLACED_COLUMNS] if many else list(UNPLACED_COLUMNS)
    missing = pd.Series(pd.NA, index=unplaced.index, dtype="string")
    placed_part = pd.DataFrame({c: unplaced.get(c, missing) for c in columns})
    placed_part["event_date"] = pd.to_datetime(placed_part["event_date"]).dt.strftime("%Y-%m-%d")
    if outside.empty:
        return placed_part.reset_index(drop=True)
    reasons = pd.array(outside_reasons(outside["country"]), dtype="string")
    set_aside = outside.assign(unplaced_reason=reasons)
    table = pd.concat([placed_part, set_aside[columns]], ignore_index=True)
    order = ["source_file", "source_row"] if many else ["source_row"]
    return table.sort_values(order, kind="stable", ignore_index=True)


def _is_bundled(source: str | Path | bytes | None) -> bool:
    if source is None:
        return True
    return isinstance(source, str | Path) and Path(source).resolve() == BUNDLED_EVENTS.resolve()


def _bundled_dataset(layout: str, on_stage: Callable[[str], None]) -> Dataset:
    bundled = load_bundled_events()
    on_stage(f"Placing {len(bundled.events):,} events of {bundled.file} in regions…")
    chosen = _layout_of(layout, bundled.events)
    dataset = build_dataset(
        bundled.events, load_regions(chosen), name=bundled.file, problems=bundled.problems
    )
    return replace(dataset, format="csv", layout=chosen, bundled=True)


def _layout_of(layout: str, events: pd.DataFrame) -> str:
    return layout_for_dates(events["event_date"]) if layout == "auto" else layout


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
