"""How unrest spread between first-level units: onsets, speed, neighbours, diffusion classes.

Every function takes and returns plain data: a *placed* events frame (canonical events plus
`region_id`, as returned by `geo.analysis.join.assign_regions`), the regions GeoDataFrame
(EPSG:4326, `region_id`, `name_en`, geometry), DataFrames and frozen dataclasses. Distances are
geodesic on the WGS 84 ellipsoid (`pyproj.Geod`).

By default only event types that signal unrest count, so that a decree (a "Strategic
development") in a quiet region does not mark it as affected. Which categories do is decided in
one place, `is_unrest` (ACLED's types, GDELT's CAMEO families, and a newsroom's own categories in
English, Russian or Kazakh); every function takes the chosen types as `event_types`, and without
them uses `unrest_types(placed["event_type"])`, the file's categories that count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from geo.checks import plain_day, require_columns
from geo.errors import ArgumentError

UNREST_TYPES: tuple[str, ...] = ("Protests", "Riots", "Battles", "Violence against civilians")
"""ACLED event types that signal unrest; decrees and arrests (Strategic developments) do not."""
UNREST_WORDS: tuple[str, ...] = (
    "protest", "riot", "demonstrat", "strike", "clash", "violen", "battle", "unrest", "rally",
    "fight", "assault", "disorder", "uprising",
    "митинг", "протест", "забастов", "стачк", "беспоряд", "столкнов", "демонстрац", "насили",
    "бунт", "погром", "волнен", "шеств",
    "наразылық", "шеру", "ереуіл", "тәртіпсіздік", "қақтығыс", "зорлық", "бүлік", "толқу",
)  # fmt: skip
"""Word stems (lower case) of categories that count as unrest, in English, Russian and Kazakh."""
NOT_UNREST_WORDS: tuple[str, ...] = (
    "remote", "strategic", "arrest", "decree", "statement", "coercion",
    "арест", "задержан", "указ", "заявлен", "қамау", "жарлық", "мәлімдеме",
)  # fmt: skip
"""Stems that keep a category out even when it has an unrest word ("Explosions/Remote violence",
"Coercion (incl. arrests)")."""
DIFFUSION_CLASSES: tuple[str, ...] = ("flashpoint", "escalation", "containment", "relocation")
DEFAULT_K = 3
"""Look-back window of `diffusion_classes`, in days."""
ADJACENCY_TOLERANCE_DEG = 0.001
"""Borders this close count as shared (about 110 m north-south, 80 m east-west at 45°N): closes
the slivers and gaps that simplifying the polygons leaves between neighbours."""
MIN_SHARED_BORDER_KM = 1.0
"""Units whose borders meet over less than this (a corner, a tolerance artefact) are not
neighbours (rook contiguity)."""

_GEOD = Geod(ellps="WGS84")
_PLACED_COLUMNS = ("event_date", "event_type", "region_id", "latitude", "longitude")
_OPTIONAL_TEXT = ("location", "event_id_cnty", "source_url")
NO_ONSET_NOTE = "no dated protest, riot or clash in this data"
"""What the onset table says of a unit without an onset (for the bundled record: in the sources
read, e.g. Akmola and Turkistan regions)."""
_ONSET_COLUMNS = ("region_id", "unit", "onset_date", "first_latitude", "first_longitude")


@dataclass(frozen=True)
class Origin:
    """Where and when the spread is measured from: a day and a point (WGS 84 degrees)."""

    date: pd.Timestamp
    latitude: float
    longitude: float
    label: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "date", plain_day(self.date, "Origin.date"))
        for name, limit in (("latitude", 90.0), ("longitude", 180.0)):
            value = getattr(self, name)
            if not _is_number(value) or not -limit <= float(value) <= limit:
                raise ArgumentError(
                    f"Origin.{name} must be a number between -{limit:g} and {limit:g} degrees, "
                    f"got {value!r}"
                )
            object.__setattr__(self, name, float(value))


@dataclass(frozen=True)
class SpreadFit:
    """Least-squares line distance_km = km_per_day * days_since_origin + intercept_km.

    `points` holds the units used (region_id, unit, days_since_origin, distance_km). When the fit
    is impossible (fewer than two distinct days) the numbers are NaN and `reason` says why.
    """

    km_per_day: float
    intercept_km: float
    r_squared: float
    n_units: int
    points: pd.DataFrame = field(compare=False, repr=False)
    reason: str | None = None


def onsets(
    placed: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    *,
    origin: Origin | None = None,
    event_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """When each unit was first affected, one row per unit of `regions` (never-affected ones too).

    Only events of `event_types` (default: `unrest_types` of the data) that have a region
    count. A unit's *first event* is its earliest by `event_date`; ties on the same day go to
    the row that comes first in `placed` (for a file read with `geo.load_events_csv`: file
    order). Columns:

    - region_id, unit (`name_en`)
    - onset_date, onset_precision (ACLED time_precision of the first event), first_place
      (its `location`), first_event_id, first_source_url, first_latitude, first_longitude
    - disputes: other dates sources give for the unit's first protest (the first event's
      `onset_disputes`, see `geo.record.disputes.attach_disputes`), missing when none or no column
    - note: `NO_ONSET_NOTE` for a unit never affected
    - onset_rank: dense rank of onset_date (1 = first day; same day, same rank)
    - days_since_origin: onset_date minus the origin's date, in days
    - distance_km: geodesic distance from the origin's point to the unit's first-event point

    Units never affected have missing values in all of these. Rows come in onset order (ties in
    `placed` order), then the unaffected units in `regions` order. `origin` defaults to
    `default_origin(placed, event_types)`; a caller that needs the origin (to name it beside the
    table) chooses it first and passes it in: the table itself is plain data.
    """
    types = _types_or_unrest(event_types, placed)
    _check_placed(placed, regions)
    if origin is not None and not isinstance(origin, Origin):
        raise ArgumentError(f"origin must be an Origin or None, got {type(origin).__name__}")
    if origin is None:
        origin = default_origin(placed, types)
    first = _first_events(_considered(placed, types))
    table = _onset_table(first, regions)
    return _add_origin_measures(table, origin)


def is_unrest(category: object) -> bool:
    """Whether an event category counts as unrest for onsets (the one rule; see UNREST_WORDS)."""
    if not isinstance(category, str):
        return False
    text = category.strip().lower()
    return any(w in text for w in UNREST_WORDS) and not any(w in text for w in NOT_UNREST_WORDS)


def unrest_types(categories: Iterable[object]) -> tuple[str, ...]:
    """The distinct categories among `categories` that count as unrest, in first-seen order."""
    seen = pd.unique(pd.Series(list(categories), dtype=object).dropna())
    return tuple(str(c) for c in seen if is_unrest(c))


def unrest_table(categories: pd.Series) -> pd.DataFrame:
    """The file's event categories, most frequent first: category, events (rows), unrest (whether
    `is_unrest` counts it by default). What the upload shows for the person to correct."""
    counts = categories.dropna().astype(str).value_counts(sort=False)
    table = pd.DataFrame({"category": counts.index.astype(str), "events": counts.to_numpy()})
    table["unrest"] = table["category"].map(is_unrest).astype(bool)
    return table.sort_values(["events", "category"], ascending=[False, True], ignore_index=True)


def default_origin(placed: pd.DataFrame, event_types: Iterable[str] | None = None) -> Origin | None:
    """The earliest event of `event_types` placed inside the layout at point precision (ties:
    first in `placed` order), or None when there is none.

    Only rows with coordinates count, and where the columns exist only rows with a region, not
    country-level, and not placed as the nearest unit to a point outside every unit; among those,
    rows of ACLED geo_precision 1 (the exact place) are preferred to coarser ones.
    """
    types = _types_or_unrest(event_types, placed)
    require_columns(placed, "placed", ("event_date", "event_type", "latitude", "longitude"))
    keep = placed["event_type"].isin(types).fillna(False).to_numpy(dtype=bool, copy=True)
    if "region_id" in placed:
        keep &= placed["region_id"].notna().to_numpy()
    if "country_level" in placed:
        keep &= ~placed["country_level"].fillna(False).to_numpy(dtype=bool)
    if "join_method" in placed:
        keep &= (placed["join_method"].astype(object) != "nearest").to_numpy()
    chosen = placed[keep]
    if "geo_precision" in chosen:
        exact = pd.to_numeric(chosen["geo_precision"], errors="coerce") == 1
        if exact.any():
            chosen = chosen[exact.to_numpy()]
    return _origin_from(_sorted_by_date(chosen))


def origin_of_event(events: pd.DataFrame, event_id: str) -> Origin:
    """The Origin at one event, chosen by its `event_id_cnty` (e.g. to pin the start explicitly)."""
    require_columns(events, "events", ("event_id_cnty", "event_date", "latitude", "longitude"))
    match = events[events["event_id_cnty"] == event_id]
    if match.empty:
        raise ArgumentError(f"event_id {event_id!r} is not an event_id_cnty of events")
    row = match.iloc[0]
    label = row["location"] if "location" in events.columns else None
    return Origin(
        date=row["event_date"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        label="" if pd.isna(label) else str(label),
    )


def spread_speed(onset_table: pd.DataFrame) -> SpreadFit:
    """Fit distance from the origin against days since the origin over the affected units.

    Ordinary least squares of degree 1 (`numpy.polyfit`); units without a distance (no
    coordinates) are left out. r_squared is NaN when all distances are equal.
    """
    require_columns(onset_table, "onset_table", ("region_id", "days_since_origin", "distance_km"))
    points = _fit_points(onset_table)
    x = points["days_since_origin"].to_numpy(dtype="float64")
    y = points["distance_km"].to_numpy(dtype="float64")
    if np.unique(x).size < 2:
        reason = (
            f"need affected units on at least 2 distinct days to fit a speed, "
            f"got {len(points)} unit(s) on {np.unique(x).size} day(s)"
        )
        return SpreadFit(np.nan, np.nan, np.nan, len(points), points, reason)
    slope, intercept = np.polyfit(x, y, 1)
    residual = float(np.sum((y - (slope * x + intercept)) ** 2))
    total = float(np.sum((y - y.mean()) ** 2))
    r_squared = 1.0 - residual / total if total > 0 else np.nan
    return SpreadFit(float(slope), float(intercept), r_squared, len(points), points)


def adjacency(
    regions: gpd.GeoDataFrame,
    *,
    tolerance_deg: float = ADJACENCY_TOLERANCE_DEG,
    min_shared_km: float = MIN_SHARED_BORDER_KM,
) -> pd.DataFrame:
    """Neighbouring units and the length of border they share (geodesic km), one row per pair.

    Two units are neighbours when their polygons come within `tolerance_deg` of each other
    (STRtree query, predicate "dwithin") and the shared border is at least `min_shared_km` long.
    The shared border of A and B is the part of A's boundary within `tolerance_deg` of B, measured
    on the ellipsoid; of the two directions (A's boundary near B, B's near A) the longer is kept,
    so that a city enclaved in a region (a hole in it, or drawn on top of it) shares its whole
    perimeter with the region. Columns region_id_a < region_id_b, shared_border_km; sorted.
    """
    require_columns(regions, "regions", ("region_id", "geometry"))
    if not _is_number(tolerance_deg) or not 0 <= tolerance_deg < 1:
        raise ArgumentError(
            f"tolerance_deg must be a number in [0, 1) degrees, got {tolerance_deg!r}"
        )
    if not _is_number(min_shared_km) or min_shared_km < 0:
        raise ArgumentError(f"min_shared_km must be a number >= 0, got {min_shared_km!r}")
    geometries = np.asarray(regions.geometry.values)
    left, right = _candidate_pairs(geometries, tolerance_deg)
    shared = np.maximum(
        _shared_km(geometries[left], geometries[right], tolerance_deg),
        _shared_km(geometries[right], geometries[left], tolerance_deg),
    )
    return _edge_frame(
        regions["region_id"].to_numpy(dtype=object), left, right, shared, min_shared_km
    )


def diffusion_classes(
    placed: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    *,
    k: int = DEFAULT_K,
    edges: pd.DataFrame | None = None,
    event_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Classify every unit-day as in Baudains, Johnson & Braithwaite (2013, Applied Geography 45).

    A unit is *active* on a day with at least one event of `event_types`. The *window* of day t is
    days t-k … t-1 (days before the data range count as inactive). For an active unit-day:

    - containment: the unit itself was active in the window;
    - otherwise the unit is newly active, and with N = its neighbours active in the window:
      - flashpoint: N is empty;
      - escalation: some unit of N is also active today (unrest spread and kept its ground);
      - relocation: N is not empty and every unit of N is inactive today (unrest moved).

    So when one window-active neighbour is still active and another has gone quiet, the day is
    an escalation: relocation needs all of them to have stopped. Inactive days have class <NA>.
    Neighbours come from `edges` (default: `adjacency(regions)`). Rows: every unit of `regions`
    (in that order) × every day from the first to the last event date in `placed`; columns
    region_id, date, active, class (categorical of DIFFUSION_CLASSES).
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ArgumentError(f"k must be a whole number of days >= 1, got {k!r}")
    types = _types_or_unrest(event_types, placed)
    _check_placed(placed, regions)
    region_ids = regions["region_id"].to_numpy(dtype=object)
    if edges is None:
        edges = adjacency(regions)
    neighbours = _neighbour_matrix(edges, region_ids)
    days = _day_range(placed["event_date"])
    active = _activity(_considered(placed, types), region_ids, days)
    labels = _classify(active, neighbours, int(k))
    return pd.DataFrame(
        {
            "region_id": pd.array(np.repeat(region_ids, len(days)), dtype="string"),
            "date": np.tile(days.to_numpy(), len(region_ids)),
            "active": active.ravel(),
            "class": pd.Categorical.from_codes(labels.ravel(), categories=DIFFUSION_CLASSES),
        }
    )


def spread_tree(onset_table: pd.DataFrame) -> pd.DataFrame:
    """Link each newly affected unit to the nearest unit affected strictly earlier.

    Distance is geodesic between first-event points. Units affected on the first onset day (the
    origin's unit among them) have no parent, and units affected on the same day never link to
    each other; distance ties go to the unit listed first in `onset_table`. A unit without
    first-event coordinates gets no parent and is never chosen as one. One row per affected unit,
    in `onset_table` order: region_id, parent_region_id, onset_date, parent_onset_date,
    distance_km, from_latitude, from_longitude (the parent's point), to_latitude, to_longitude.
    """
    require_columns(onset_table, "onset_table", _ONSET_COLUMNS)
    affected = onset_table[onset_table["onset_date"].notna()].reset_index(drop=True)
    lat = affected["first_latitude"].to_numpy(dtype="float64", na_value=np.nan)
    lon = affected["first_longitude"].to_numpy(dtype="float64", na_value=np.nan)
    parent, km = _nearest_earlier(affected["onset_date"].to_numpy(), lat, lon)
    has = parent >= 0
    at = np.maximum(parent, 0)
    ids = affected["region_id"].to_numpy(dtype=object)
    dates = affected["onset_date"].to_numpy()
    return pd.DataFrame(
        {
            "region_id": pd.array(ids, dtype="string"),
            "parent_region_id": pd.array(np.where(has, ids[at], None), dtype="string"),
            "onset_date": dates,
            "parent_onset_date": np.where(has, dates[at], np.datetime64("NaT")).astype(dates.dtype),
            "distance_km": np.where(has, km, np.nan),
            "from_latitude": np.where(has, lat[at], np.nan),
            "from_longitude": np.where(has, lon[at], np.nan),
            "to_latitude": lat,
            "to_longitude": lon,
        }
    )


def units_affected_per_day(onset_table: pd.DataFrame) -> pd.DataFrame:
    """New and cumulative affected units per day, every day from the first to the last onset.

    Columns date, new_units, cumulative_units, new_unit_names (", "-joined, in table order;
    empty on days with no new unit).
    """
    require_columns(onset_table, "onset_table", ("unit", "onset_date"))
    affected = onset_table[onset_table["onset_date"].notna()]
    if affected.empty:
        return pd.DataFrame(
            {
                "date": pd.Series([], dtype="datetime64[ns]"),
                "new_units": pd.Series([], dtype="int64"),
                "cumulative_units": pd.Series([], dtype="int64"),
                "new_unit_names": pd.Series([], dtype="string"),
            }
        )
    days = _day_range(affected["onset_date"])
    grouped = affected.groupby("onset_date", sort=True)["unit"]
    new = grouped.size().reindex(days, fill_value=0)
    names = grouped.agg(lambda units: ", ".join(map(str, units))).reindex(days, fill_value="")
    return pd.DataFrame(
        {
            "date": days.to_numpy(),
            "new_units": new.to_numpy(dtype="int64"),
            "cumulative_units": new.cumsum().to_numpy(dtype="int64"),
            "new_unit_names": pd.array(names.to_numpy(dtype=object), dtype="string"),
        }
    )


# --- checks at the boundary -------------------------------------------------------------------


def _types_or_unrest(event_types: Iterable[str] | None, placed: pd.DataFrame) -> tuple[str, ...]:
    """`event_types` checked, or when None the categories of `placed` that count as unrest."""
    if event_types is None:
        found = unrest_types(placed["event_type"]) if "event_type" in placed else ()
        return found or UNREST_TYPES
    return _check_event_types(event_types)


def _check_event_types(event_types: Iterable[str]) -> tuple[str, ...]:
    if isinstance(event_types, str):
        raise ArgumentError(
            f"event_types must be a collection of event type names, got the single string "
            f"{event_types!r}; write ({event_types!r},)"
        )
    types = tuple(event_types)
    if not types or not all(isinstance(t, str) for t in types):
        raise ArgumentError(
            f"event_types must be a non-empty collection of event type names such as "
            f"{UNREST_TYPES}, got {types!r}"
        )
    return types


def _check_placed(placed: pd.DataFrame, regions: gpd.GeoDataFrame) -> None:
    require_columns(placed, "placed", _PLACED_COLUMNS)
    require_columns(regions, "regions", ("region_id", "name_en", "geometry"))
    known = set(regions["region_id"])
    used = placed["region_id"].dropna().unique()
    unknown = sorted(str(r) for r in used if r not in known)
    if unknown:
        raise ArgumentError(
            f"placed has region_id value(s) {unknown[:10]} that are not in regions "
            f"(allowed: {sorted(map(str, known))}); join with the same regions"
        )
    if not pd.api.types.is_datetime64_any_dtype(placed["event_date"]):
        raise ArgumentError(
            f"placed column 'event_date' must be datetime64 (as validate_events makes it), "
            f"got {placed['event_date'].dtype}"
        )


def _is_number(value: object) -> bool:
    return (
        isinstance(value, (int, float, np.integer, np.floating))
        and not isinstance(value, bool)
        and bool(np.isfinite(value))
    )


# --- onsets -----------------------------------------------------------------------------------


def _considered(placed: pd.DataFrame, types: tuple[str, ...]) -> pd.DataFrame:
    """Dated events of the chosen types that have a region, sorted by date (stable)."""
    keep = (
        placed["event_type"].isin(types).fillna(False).to_numpy(dtype=bool)
        & placed["region_id"].notna().to_numpy()
        & placed["event_date"].notna().to_numpy()
    )
    return _sorted_by_date(placed[keep])


def _sorted_by_date(events: pd.DataFrame) -> pd.DataFrame:
    return events.sort_values("event_date", kind="stable", na_position="last")


def _origin_from(events_by_date: pd.DataFrame) -> Origin | None:
    located = events_by_date[
        events_by_date["latitude"].notna()
        & events_by_date["longitude"].notna()
        & events_by_date["event_date"].notna()
    ]
    if located.empty:
        return None
    row = located.iloc[0]
    label = row["location"] if "location" in located.columns else None
    return Origin(
        date=row["event_date"],
        latitude=float(row["latitude"]),
        longitude=float(row["longitude"]),
        label="" if pd.isna(label) else str(label),
    )


def _first_events(considered: pd.DataFrame) -> pd.DataFrame:
    first = considered.drop_duplicates("region_id", keep="first")
    columns = {
        "region_id": first["region_id"].astype("string"),
        "onset_date": first["event_date"],
        "onset_precision": (
            first["time_precision"].astype("Int8")
            if "time_precision" in first.columns
            else pd.Series(pd.NA, index=first.index, dtype="Int8")
        ),
    }
    for name, source in (
        ("first_place", "location"),
        ("first_event_id", "event_id_cnty"),
        ("first_source_url", "source_url"),
        ("disputes", "onset_disputes"),
    ):
        columns[name] = (
            first[source].astype("string")
            if source in first.columns
            else pd.Series(pd.NA, index=first.index, dtype="string")
        )
    columns["first_latitude"] = first["latitude"].astype("float64")
    columns["first_longitude"] = first["longitude"].astype("float64")
    return pd.DataFrame(columns).reset_index(drop=True)


def _onset_table(first: pd.DataFrame, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    units = pd.DataFrame(
        {
            "region_id": regions["region_id"].astype("string").to_numpy(),
            "unit": regions["name_en"].astype("string").to_numpy(),
        }
    )
    unaffected = units[~units["region_id"].isin(first["region_id"])]
    affected = first.merge(units, on="region_id", how="left")
    table = pd.concat([affected, unaffected], ignore_index=True)
    table["onset_date"] = table["onset_date"].astype("datetime64[ns]")
    table["onset_rank"] = table["onset_date"].rank(method="dense").astype("Int64")
    table["note"] = pd.array(
        [NO_ONSET_NOTE if pd.isna(day) else pd.NA for day in table["onset_date"]], dtype="string"
    )
    order = [
        "region_id",
        "unit",
        "onset_date",
        "onset_precision",
        "first_place",
        "first_event_id",
        "first_source_url",
        "first_latitude",
        "first_longitude",
        "onset_rank",
        "disputes",
        "note",
    ]
    return table[order].astype(
        {
            "region_id": "string",
            "unit": "string",
            "onset_precision": "Int8",
            "first_place": "string",
            "first_event_id": "string",
            "first_source_url": "string",
            "disputes": "string",
            "first_latitude": "float64",
            "first_longitude": "float64",
        }
    )


def _add_origin_measures(table: pd.DataFrame, origin: Origin | None) -> pd.DataFrame:
    if origin is None:
        return table.assign(
            days_since_origin=pd.array([pd.NA] * len(table), dtype="Int64"),
            distance_km=np.full(len(table), np.nan),
        )
    days = (table["onset_date"] - origin.date).dt.days.astype("Int64")
    lat = table["first_latitude"].to_numpy(dtype="float64")
    lon = table["first_longitude"].to_numpy(dtype="float64")
    _, _, metres = _GEOD.inv(
        np.full(len(table), origin.longitude), np.full(len(table), origin.latitude), lon, lat
    )
    return table.assign(days_since_origin=days, distance_km=np.asarray(metres) / 1000.0)


def _fit_points(onset_table: pd.DataFrame) -> pd.DataFrame:
    usable = onset_table["days_since_origin"].notna() & onset_table["distance_km"].notna()
    columns = [
        c for c in ("region_id", "unit", "days_since_origin", "distance_km") if c in onset_table
    ]
    return onset_table.loc[usable, columns].reset_index(drop=True)


# --- adjacency --------------------------------------------------------------------------------


def _candidate_pairs(geometries: np.ndarray, tolerance_deg: float) -> tuple[np.ndarray, np.ndarray]:
    tree = shapely.STRtree(geometries)
    if tolerance_deg > 0:
        pairs = tree.query(geometries, predicate="dwithin", distance=tolerance_deg)
    else:
        pairs = tree.query(geometries, predicate="intersects")
    left, right = pairs
    keep = left < right
    return left[keep], right[keep]


def _shared_km(owners: np.ndarray, others: np.ndarray, tolerance_deg: float) -> np.ndarray:
    """Geodesic length of each owner's boundary lying within the tolerance of the other."""
    near = shapely.buffer(others, tolerance_deg) if tolerance_deg > 0 else others
    lines = shapely.intersection(shapely.boundary(owners), near)
    return _geodesic_lengths_km(lines)


def _geodesic_lengths_km(geometries: np.ndarray) -> np.ndarray:
    """Summed geodesic length of the line parts of each geometry (points count zero)."""
    parts, owner = shapely.get_parts(geometries, return_index=True)
    while parts.size and np.isin(shapely.get_type_id(parts), (4, 5, 6, 7)).any():
        deeper, at = shapely.get_parts(parts, return_index=True)
        parts, owner = deeper, owner[at]
    lengths = np.zeros(len(geometries))
    if not parts.size:
        return lengths
    lines = np.isin(shapely.get_type_id(parts), (1, 2))  # LineString, LinearRing
    coords, part_of = shapely.get_coordinates(parts[lines], return_index=True)
    if len(coords) < 2:
        return lengths
    same = part_of[1:] == part_of[:-1]
    _, _, metres = _GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    segment_owner = owner[lines][part_of[:-1]]
    np.add.at(lengths, segment_owner[same], np.asarray(metres)[same] / 1000.0)
    return lengths


def _edge_frame(
    ids: np.ndarray, left: np.ndarray, right: np.ndarray, shared: np.ndarray, min_km: float
) -> pd.DataFrame:
    keep = shared >= min_km if min_km > 0 else shared > 0
    a, b = ids[left[keep]], ids[right[keep]]
    swap = np.array([str(x) > str(y) for x, y in zip(a, b, strict=True)], dtype=bool)
    first = np.where(swap, b, a)
    second = np.where(swap, a, b)
    edges = pd.DataFrame(
        {
            "region_id_a": pd.array(first, dtype="string"),
            "region_id_b": pd.array(second, dtype="string"),
            "shared_border_km": shared[keep].astype("float64"),
        }
    )
    return edges.sort_values(["region_id_a", "region_id_b"], ignore_index=True)


# --- diffusion classes ------------------------------------------------------------------------


def _neighbour_matrix(edges: pd.DataFrame, region_ids: np.ndarray) -> np.ndarray:
    require_columns(edges, "edges", ("region_id_a", "region_id_b"))
    position = {rid: i for i, rid in enumerate(region_ids)}
    ends = pd.concat([edges["region_id_a"], edges["region_id_b"]]).dropna().unique()
    unknown = sorted(str(r) for r in ends if r not in position)
    if unknown:
        raise ArgumentError(
            f"edges has region_id value(s) {unknown[:10]} that are not in regions "
            f"(allowed: {sorted(map(str, position))})"
        )
    matrix = np.zeros((len(region_ids), len(region_ids)), dtype=bool)
    a = edges["region_id_a"].map(position).to_numpy(dtype="int64")
    b = edges["region_id_b"].map(position).to_numpy(dtype="int64")
    matrix[a, b] = True
    matrix[b, a] = True
    np.fill_diagonal(matrix, False)
    return matrix


def _day_range(dates: pd.Series) -> pd.DatetimeIndex:
    dates = dates.dropna()
    if dates.empty:
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="date")
    return pd.date_range(
        dates.min().normalize(), dates.max().normalize(), freq="D", name="date", unit="ns"
    )


def _activity(
    considered: pd.DataFrame, region_ids: np.ndarray, days: pd.DatetimeIndex
) -> np.ndarray:
    """Boolean matrix units × days: at least one considered event."""
    active = np.zeros((len(region_ids), len(days)), dtype=bool)
    if considered.empty or not len(days):
        return active
    unit = pd.Index(region_ids).get_indexer(considered["region_id"])
    day = days.get_indexer(considered["event_date"].dt.normalize())
    ok = (unit >= 0) & (day >= 0)
    active[unit[ok], day[ok]] = True
    return active


def _classify(active: np.ndarray, neighbours: np.ndarray, k: int) -> np.ndarray:
    """Category codes per unit-day (index into DIFFUSION_CLASSES), -1 where inactive."""
    counts = np.cumsum(np.pad(active.astype(np.int64), ((0, 0), (1, 0))), axis=1)
    days = active.shape[1]
    end = np.arange(days)  # window t-k .. t-1 is cumulative[t] - cumulative[max(t-k, 0)]
    window = (counts[:, end] - counts[:, np.maximum(end - k, 0)]) > 0
    link = neighbours.astype(np.int64)
    neighbour_in_window = (link @ window.astype(np.int64)) > 0
    neighbour_still = (link @ (window & active).astype(np.int64)) > 0
    new = active & ~window
    codes = np.full(active.shape, -1, dtype=np.int8)
    codes[new & ~neighbour_in_window] = DIFFUSION_CLASSES.index("flashpoint")
    codes[new & neighbour_in_window & neighbour_still] = DIFFUSION_CLASSES.index("escalation")
    codes[new & neighbour_in_window & ~neighbour_still] = DIFFUSION_CLASSES.index("relocation")
    codes[active & window] = DIFFUSION_CLASSES.index("containment")
    return codes


# --- spread tree ------------------------------------------------------------------------------


def _nearest_earlier(
    dates: np.ndarray, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest unit with a strictly earlier date (-1 if none) and its distance."""
    n = len(dates)
    parent = np.full(n, -1, dtype=np.int64)
    km = np.full(n, np.nan)
    if n < 2:
        return parent, km
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    _, _, metres = _GEOD.inv(lon[j].ravel(), lat[j].ravel(), lon[i].ravel(), lat[i].ravel())
    distance = (np.asarray(metres) / 1000.0).reshape(n, n)
    allowed = (dates[j] < dates[i]) & np.isfinite(distance)
    distance = np.where(allowed, distance, np.inf)
    best = np.argmin(distance, axis=1)  # first minimum: ties go to the earlier-listed unit
    found = np.isfinite(distance[np.arange(n), best])
    parent[found] = best[found]
    km[found] = distance[np.arange(n), best][found]
    return parent, km
