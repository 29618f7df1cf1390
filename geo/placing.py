"""Placing events in regions: by coordinates when they have them, else by region code or name.

Rows with coordinates go through geo.join.assign_regions (inside a unit, or the nearest one within
the tolerance). A point that falls in no unit but lands inside one with latitude and longitude
swapped is taken swapped and flagged. Rows without coordinates are placed by their region code
(`admin1_code`: FIPS 10-4 such as GDELT's KZ09, or ISO 3166-2), their place name (`location`) or
their region name (`admin1`), matched transliteration-insensitively (geo.gazetteer). A place name
that agrees with the row's region, or is unique, places the row at the place; an ambiguous one
is settled by the region name if there is one, else the row stays unplaced with the reason.

Nothing is dropped silently: every row that cannot be placed is returned in `unplaced` with its
`unplaced_reason`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo.gazetteer import (
    SOURCE_GEONAMES,
    SOURCE_PLACES,
    SOURCE_REGIONS,
    PlaceMatch,
    RegionNames,
    find_places,
)
from geo.join import DEFAULT_TOLERANCE_KM, assign_regions
from geo.regions import layout_for_dates, load_regions

PLACE_METHODS = (
    "coordinates",
    "swapped coordinates",
    "place name",
    "region name",
    "region code",
    "unplaced",
)
COUNTRY_LEVEL_REASON = "located only at the country's centroid (country-level report)"


@dataclass(frozen=True)
class PlacedEvents:
    """Events with their unit and how it was found; the rows that could not be placed, and why."""

    events: pd.DataFrame
    unplaced: pd.DataFrame
    notes: tuple[str, ...] = ()


def place_events(
    events: pd.DataFrame,
    regions: gpd.GeoDataFrame | None = None,
    *,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> PlacedEvents:
    """Give every event a region_id, region, join_method, join_distance_km, place_method,
    place_source and unplaced_reason (empty when placed).

    Without `regions`, the bundled layout in force on the event dates is used (see
    geo.regions.layout_for_dates). Rows placed by a place name get the gazetteer's coordinates
    when they had none.
    """
    notes: list[str] = []
    if regions is None:
        layout = layout_for_dates(events["event_date"]) if "event_date" in events else "2022-01"
        regions = load_regions(layout)
        notes.append(f"boundary layout {layout!r} chosen from the event dates")
    frame = _with_coordinates(events.reset_index(drop=True))
    placed = _by_coordinates(frame, regions, tolerance_km, notes)
    placed = _by_names(placed, regions, tolerance_km, notes)
    placed = _country_level(placed, notes)
    unplaced = placed[placed["region_id"].isna()]
    counts = placed["place_method"].value_counts()
    notes.insert(
        0,
        "placed by " + ", ".join(f"{m}: {counts[m]}" for m in PLACE_METHODS if counts.get(m)),
    )
    return PlacedEvents(placed, unplaced.reset_index(drop=True), tuple(notes))


def _with_coordinates(events: pd.DataFrame) -> pd.DataFrame:
    missing = {c: np.nan for c in ("latitude", "longitude") if c not in events}
    frame = events.assign(**missing) if missing else events.copy()
    frame["latitude"] = pd.to_numeric(frame["latitude"], errors="coerce").astype("float64")
    frame["longitude"] = pd.to_numeric(frame["longitude"], errors="coerce").astype("float64")
    if "source_row" not in frame:
        frame["source_row"] = np.arange(1, len(frame) + 1)
    return frame


def _by_coordinates(
    frame: pd.DataFrame, regions: gpd.GeoDataFrame, tolerance_km: float, notes: list[str]
) -> pd.DataFrame:
    joined = assign_regions(frame, regions, tolerance_km=tolerance_km)
    has_xy = np.isfinite(joined["latitude"].to_numpy()) & np.isfinite(joined["longitude"])
    placed = joined["region_id"].notna().to_numpy()
    method = np.where(placed, _COORDINATES, _UNPLACED).astype(np.int8)  # PLACE_METHODS positions
    reasons = [""]
    reason = np.zeros(len(joined), dtype=np.int64)  # positions in `reasons`

    outside = np.flatnonzero(has_xy & ~placed)
    if outside.size:
        trial = joined.iloc[outside][["latitude", "longitude"]].rename(
            columns={"latitude": "longitude", "longitude": "latitude"}
        )
        swapped = assign_regions(trial, regions, tolerance_km=0.0)
        inside = (swapped["join_method"] == "within").to_numpy()
        rows = outside[inside]
        for column in ("region_id", "region", "join_method", "join_distance_km"):
            joined.loc[joined.index[rows], column] = swapped[column].to_numpy()[inside]
        lat = joined["latitude"].to_numpy().copy()
        joined.loc[joined.index[rows], "latitude"] = joined["longitude"].to_numpy()[rows]
        joined.loc[joined.index[rows], "longitude"] = lat[rows]
        method[rows] = _SWAPPED
        if rows.size:
            notes.append(
                f"{rows.size} row(s) had latitude and longitude swapped (outside every unit as "
                "given, inside one swapped): swapped and flagged"
            )
        for row in outside[~inside]:
            reason[row] = len(reasons)
            reasons.append(
                f"coordinates ({joined['latitude'].iat[row]:.4f}, "
                f"{joined['longitude'].iat[row]:.4f}) lie more than {tolerance_km:g} km outside "
                "every unit"
            )
    nearest = int((joined["join_method"] == "nearest").sum())
    if nearest:
        notes.append(
            f"{nearest} point(s) just outside every unit (coast, border) were given the nearest "
            f"unit within {tolerance_km:g} km (join_method 'nearest')"
        )
    return joined.assign(
        place_method=_labels(method, PLACE_METHODS),
        place_source=_labels((method != _UNPLACED).astype(np.int8), ("", "coordinates")),
        unplaced_reason=_labels(reason, reasons),
    )


_COORDINATES = PLACE_METHODS.index("coordinates")
_SWAPPED = PLACE_METHODS.index("swapped coordinates")
_UNPLACED = PLACE_METHODS.index("unplaced")


def _labels(
    codes: np.ndarray, labels: list[str] | tuple[str, ...]
) -> pd.arrays.ArrowStringArray | np.ndarray:
    """`labels[codes]` as a text column of the dtype pandas gives Python strings (`str`).

    Built from the integer codes through an Arrow dictionary: turning a million Python strings
    into that dtype costs about 0.2 s per column, decoding the dictionary a few milliseconds.
    """
    dtype = pd.Series(list(labels)).dtype  # what pandas infers for text
    if getattr(dtype, "storage", None) != "pyarrow":
        return np.asarray(labels, dtype=object)[codes]
    dictionary = pa.DictionaryArray.from_arrays(
        pa.array(codes, pa.int32()), pa.array(list(labels), pa.large_string())
    )
    return pd.arrays.ArrowStringArray(dictionary, dtype=dtype)


def _by_names(
    joined: pd.DataFrame, regions: gpd.GeoDataFrame, tolerance_km: float, notes: list[str]
) -> pd.DataFrame:
    unplaced = joined["region_id"].isna().to_numpy()  # cheap: usually every row has coordinates
    if not unplaced.any():
        return joined
    todo = unplaced & (joined["unplaced_reason"] == "").to_numpy()
    if not todo.any():
        return joined
    keys = pd.DataFrame(
        {c: _text_column(joined, c)[todo] for c in ("admin1_code", "admin1", "location")}
    )
    unique = keys.drop_duplicates()
    resolver = _Resolver(regions, unique["location"], tolerance_km)
    results = pd.DataFrame(
        [resolver.resolve(*combo) for combo in unique.itertuples(index=False)],
        index=unique.index,
        columns=["region_id", "place_method", "place_source", "reason", "lat", "lon"],
    )
    looked_up = keys.merge(
        pd.concat([unique, results], axis=1), on=["admin1_code", "admin1", "location"], how="left"
    )
    looked_up.index = keys.index
    placed = looked_up["region_id"].notna()
    rows = joined.index[todo]
    names = dict(zip(regions["region_id"], regions["name_en"], strict=True))
    joined.loc[rows, "region_id"] = looked_up["region_id"].astype("string")
    joined.loc[rows, "region"] = looked_up["region_id"].map(names).astype("string")
    joined.loc[rows, "join_method"] = np.where(placed, "within", "unplaced")
    joined.loc[rows, "place_method"] = looked_up["place_method"]
    joined.loc[rows, "place_source"] = looked_up["place_source"]
    joined.loc[rows, "unplaced_reason"] = looked_up["reason"]
    fill = looked_up["lat"].notna()
    joined.loc[rows[fill.to_numpy()], "latitude"] = looked_up.loc[fill, "lat"].to_numpy()
    joined.loc[rows[fill.to_numpy()], "longitude"] = looked_up.loc[fill, "lon"].to_numpy()
    notes.extend(resolver.notes)
    if fill.any():
        notes.append(
            f"{int(fill.sum())} row(s) placed by place name got the gazetteer's coordinates"
        )
    return joined


def _country_level(joined: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    if "country_level" not in joined:
        return joined
    country = joined["country_level"].fillna(False).astype(bool).to_numpy()
    if country.any():
        joined.loc[country, ["region_id", "region"]] = pd.NA
        joined.loc[country, "join_method"] = "unplaced"
        joined.loc[country, "join_distance_km"] = np.nan
        joined.loc[country, "place_method"] = "unplaced"
        joined.loc[country, "place_source"] = ""
        joined.loc[country, "unplaced_reason"] = COUNTRY_LEVEL_REASON
        notes.append(f"{int(country.sum())} country-level row(s) left out of regional views")
    return joined


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype("string").fillna("").str.strip().astype(object)


class _Resolver:
    """Resolves (region code, region name, place name) combinations to a unit."""

    def __init__(self, regions: gpd.GeoDataFrame, locations: pd.Series, tolerance_km: float):
        self.names = RegionNames(regions)
        self.notes: list[str] = []
        self._seen_notes: set[str] = set()
        self._point_region = self._join_gazetteer_points(regions, locations, tolerance_km)

    def resolve(self, code: str, admin1: str, location: str) -> tuple:
        region, method, reasons = None, "unplaced", []
        if code:
            match = self.names.match_code(code)
            region, method = (match.region_id, "region code") if match.region_id else (None, method)
            if not match.region_id:
                reasons.append(match.reason)
        if region is None and admin1:
            match = self.names.match(admin1, prefer="region")
            if match.region_id:
                region, method = match.region_id, "region name"
                self._note(match.note)
            else:
                reasons.append(match.reason)
        if location:
            candidates, reason = self._place_candidates(location)
            if region is not None and region in candidates:
                return _placed(region, candidates[region])
            if region is None and len(candidates) == 1:
                ((found, place),) = candidates.items()
                return _placed(found, place)
            if region is None and len(candidates) > 1:
                listed = " and ".join(
                    f"{place.name} ({self.names.name_of(rid)})" for rid, place in candidates.items()
                )
                return _unplaced(f"ambiguous place name: {location!r} matches {listed}")
            if region is not None and candidates:
                self._note(
                    f"place {location!r} lies outside {self.names.name_of(region)}, the row's "
                    "region: placed by the region"
                )
            if region is None and reason:
                reasons.append(reason)
        if region is not None:
            source = "region codes" if method == "region code" else SOURCE_REGIONS
            return (region, method, source, "", np.nan, np.nan)
        fields = (("admin1_code", code), ("admin1", admin1), ("location", location))
        given = [f"{label} {value!r}" for label, value in fields if value]
        if not given:
            return _unplaced("no coordinates and no place or region name")
        return _unplaced(
            "no coordinates, and no known place or region: " + "; ".join(reasons or given)
        )

    def _place_candidates(self, location: str) -> tuple[dict[str, PlaceMatch], str]:
        """Units a place name may be in, each with the matching place, from the first source
        that knows the name: data/places.csv, then region names, then GeoNames."""
        curated = self._regions_of(find_places(location, source=SOURCE_PLACES))
        if curated:
            return curated, ""
        match = self.names.match(location, prefer="city")
        if match.region_id:
            self._note(match.note)
            label = self.names.name_of(match.region_id)
            return {match.region_id: PlaceMatch(label, np.nan, np.nan, SOURCE_REGIONS)}, ""
        if match.reason.startswith("ambiguous"):
            return {}, match.reason
        geonames = self._regions_of(find_places(location, source=SOURCE_GEONAMES))
        if geonames:
            return geonames, ""
        return {}, f"unknown place name {location!r}"

    def _regions_of(self, matches: tuple[PlaceMatch, ...]) -> dict[str, PlaceMatch]:
        found: dict[str, PlaceMatch] = {}
        for match in matches:
            region = self._point_region.get((match.latitude, match.longitude))
            if region is not None:
                found.setdefault(region, match)
        return found

    def _join_gazetteer_points(self, regions, locations: pd.Series, tolerance_km: float) -> dict:
        points = {
            (m.latitude, m.longitude)
            for location in locations.unique()
            if location
            for source in (SOURCE_PLACES, SOURCE_GEONAMES)
            for m in find_places(location, source=source)
        }
        if not points:
            return {}
        lat, lon = zip(*points, strict=True)
        joined = assign_regions(
            pd.DataFrame({"latitude": lat, "longitude": lon}), regions, tolerance_km=tolerance_km
        )
        ids = joined["region_id"].astype(object).where(joined["region_id"].notna(), None)
        return dict(zip(points, ids, strict=True))

    def _note(self, note: str) -> None:
        if note and note not in self._seen_notes:
            self._seen_notes.add(note)
            self.notes.append(note)


def _placed(region: str, place: PlaceMatch) -> tuple:
    method = "region name" if place.source == SOURCE_REGIONS else "place name"
    return (region, method, place.source, "", place.latitude, place.longitude)


def _unplaced(reason: str) -> tuple:
    return (None, "unplaced", "", reason, np.nan, np.nan)
