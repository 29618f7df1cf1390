"""Placing events in regions: by coordinates when they have them, else by region code or name.

Rows of another country are never placed (geo.analysis.scope): a row whose file names another
country, a point outside every unit that lies inside a neighbouring country (the nearest-unit
tolerance does not reach across a land border), and a place name that means a town abroad rather
than a Kazakh place (see `_larger_town_abroad`). Their reason starts "outside Kazakhstan (XX)" and
`country` says XX.

Rows with coordinates go through geo.analysis.join.assign_regions (inside a unit, or the nearest
one within the tolerance). A point that falls in no unit and in no country, but lands inside a unit
with latitude and longitude swapped, is taken swapped and flagged. Rows without coordinates are
placed by their region code (`admin1_code`: FIPS 10-4 such as GDELT's KZ09, or ISO 3166-2),
their place name (`location`) or their region name (`admin1`), matched transliteration-
insensitively (geo.record.gazetteer). A place name that agrees with the row's region, or is
unique, places the row at the place; an ambiguous one is settled by the region name if there is one,
else the row stays unplaced with the reason. A place name is not used when the row's `admin1`
is given but is no region of Kazakhstan (`Alga` in `Centre-Nord` is not Alga in Aktobe Region).

Nothing is dropped silently: every row that cannot be placed is returned in `unplaced` with its
`unplaced_reason`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from geo.analysis.join import DEFAULT_TOLERANCE_KM, JOIN_METHODS, assign_regions
from geo.analysis.scope import (
    countries_at,
    nearest_neighbour_country,
    outside_reason,
)
from geo.record.countries import KAZAKHSTAN, country_name, is_outside
from geo.record.gazetteer import (
    SOURCE_GEONAMES,
    SOURCE_PLACES,
    SOURCE_REGIONS,
    PlaceMatch,
    RegionNames,
    find_places,
    normalise_name,
    places_elsewhere,
)
from geo.record.regions import layout_for_dates, load_regions
from geo.schema import missing_text

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
    place_source, unplaced_reason (empty when placed) and country (ISO 3166-1 alpha-2: the
    file's, else where the point or place name was found abroad; missing when unknown).

    Without `regions`, the bundled layout in force on the event dates is used (see
    geo.record.regions.layout_for_dates). Rows placed by a place name get the gazetteer's
    coordinates when they had none.
    """
    notes: list[str] = []
    if regions is None:
        layout = layout_for_dates(events["event_date"]) if "event_date" in events else "2022-01"
        regions = load_regions(layout)
        notes.append(f"boundary layout {layout!r} chosen from the event dates")
    frame = _with_coordinates(events.reset_index(drop=True))
    # Scope first: a row whose file names another country is not placed, whatever its point
    # or names, so none of the per-point work below is spent on it.
    in_scope = ~is_outside(frame["country"])
    reasons = _Reasons(len(frame))
    abroad = np.flatnonzero(~in_scope)
    reasons.set(abroad, frame["country"].to_numpy(dtype=object)[abroad], outside_reason)
    placed = _by_coordinates(frame, regions, tolerance_km, notes, in_scope, reasons)
    placed["unplaced_reason"] = reasons.labels()
    placed = _by_names(placed, regions, tolerance_km, notes, in_scope)
    placed = _country_level(placed, notes, in_scope)
    _note_outside(placed, notes)
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
    if "country" in frame:
        frame["country"] = frame["country"].astype("string").replace("", pd.NA)
    else:
        frame["country"] = missing_text(frame.index)
    return frame


def _by_coordinates(
    frame: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    tolerance_km: float,
    notes: list[str],
    in_scope: np.ndarray,
    reasons: _Reasons,
) -> pd.DataFrame:
    """Places the rows in scope by their points. Rows out of scope (their file names another
    country) are not looked at: the region join, the border tests and the swap test cost per
    point, and a day of GDELT is 97% abroad."""
    lat = frame["latitude"].to_numpy(dtype="float64", copy=True)
    lon = frame["longitude"].to_numpy(dtype="float64", copy=True)
    has_xy = np.isfinite(lat) & np.isfinite(lon) & in_scope
    look = np.flatnonzero(has_xy)
    found = assign_regions(
        pd.DataFrame({"latitude": lat[look], "longitude": lon[look]}),
        regions,
        tolerance_km=tolerance_km,
    )
    index = np.full(len(frame), -1, dtype=np.int64)
    index[look] = found["region_id"].cat.codes.to_numpy()
    join = np.zeros(len(frame), dtype=np.int8)  # positions in JOIN_METHODS
    join[look] = found["join_method"].cat.codes.to_numpy()
    distance = np.full(len(frame), np.nan)
    distance[look] = found["join_distance_km"].to_numpy()
    country = frame["country"].fillna("").to_numpy(dtype=object, copy=True)
    method = np.where(index >= 0, _COORDINATES, _UNPLACED).astype(np.int8)  # PLACE_METHODS

    def unplace(rows: np.ndarray) -> None:
        index[rows], join[rows], distance[rows], method[rows] = (
            -1,
            _JOIN_UNPLACED,
            np.nan,
            _UNPLACED,
        )

    def swap_into(rows: np.ndarray, units: np.ndarray) -> None:
        """Rows whose point, latitude and longitude swapped, lies within the unit `units`."""
        index[rows], join[rows], distance[rows], method[rows] = units, _JOIN_WITHIN, 0.0, _SWAPPED
        lat[rows], lon[rows] = lon[rows], lat[rows].copy()

    # A point in a neighbouring country is abroad, not just off a border, unless its file says
    # it is in Kazakhstan (then the border is off by its width: Khorgos, on the Chinese border).
    said_kazakh = country == KAZAKHSTAN
    near = join == _JOIN_NEAREST
    placed = index >= 0
    in_country = _countries(lat, lon, has_xy & ~placed)
    abroad = np.where(said_kazakh, "", in_country)
    abroad = _countries(lat, lon, has_xy & near & ~said_kazakh, abroad)
    abroad = _countries(lat, lon, has_xy & placed & ~near & ~said_kazakh, abroad, regions)
    rows = np.flatnonzero(abroad != "")
    unplace(rows)
    reasons.set(
        rows, abroad[rows], lambda c: outside_reason(c, f"the point lies in {country_name(c)}")
    )
    country[rows] = np.where(country[rows] == "", abroad[rows], country[rows])
    # Off a border, the tolerance gives a point to the nearest unit only when no neighbouring
    # country is nearer (Tokmok, Kyrgyzstan: 0.5 km from its border, 1.8 km from Jambyl's
    # outline). Otherwise the importer is not sure, and says so.
    closer = _nearer_to_a_neighbour(
        lat, lon, distance, has_xy & (join == _JOIN_NEAREST) & ~said_kazakh
    )
    rows = np.flatnonzero(closer != "")
    if rows.size:
        names = regions["name_en"].to_numpy(dtype=object)
        reasons.set(
            rows,
            list(zip(closer[rows], names[index[rows]], strict=True)),
            lambda key: (
                f"the point lies outside every unit, nearer to {country_name(key[0])} "
                f"({key[0]}) than to {key[1]}, the nearest unit: nearer to the neighbour, so not "
                "placed"
            ),
        )
        unplace(rows)
        notes.append(
            f"{rows.size:,} point(s) outside every unit but nearer to a neighbouring country "
            "than to any unit were not placed"
        )
    placed = index >= 0
    kazakh_abroad = np.flatnonzero(said_kazakh & (in_country != "") & ~placed)
    # The file says Kazakhstan and names the unit, the point lies abroad, and swapped it lies in
    # that unit: latitude and longitude were swapped (Aktau, 43.65 N 51.16 E, written 51.16 N
    # 43.65 E lands in Russia).
    rows, units = _swapped_into_named_unit(frame, lat, lon, kazakh_abroad, regions)
    if rows.size:
        swap_into(rows, units)
        kazakh_abroad = np.setdiff1d(kazakh_abroad, rows)
        notes.append(
            f"{rows.size:,} row(s) of Kazakhstan had latitude and longitude swapped (the point "
            "as given lies abroad; swapped, it lies in the unit the row names): swapped and "
            "flagged"
        )
    reasons.set(  # the file says Kazakhstan, the point says not
        kazakh_abroad,
        in_country[kazakh_abroad],
        lambda c: (
            f"the point lies in {country_name(c)} ({c}), more than {tolerance_km:g} km "
            "from every unit, though the file says Kazakhstan"
        ),
    )
    outside = np.flatnonzero(
        has_xy & ~placed & (in_country == "") & (abroad == "") & (closer == "")
    )
    if outside.size:
        swapped = assign_regions(
            pd.DataFrame({"latitude": lon[outside], "longitude": lat[outside]}),
            regions,
            tolerance_km=0.0,
        )
        inside = (swapped["join_method"] == "within").to_numpy()
        rows = outside[inside]
        swap_into(rows, swapped["region_id"].cat.codes.to_numpy()[inside])
        if rows.size:
            notes.append(
                f"{rows.size:,} row(s) had latitude and longitude swapped (outside every unit "
                "and every country as given, inside a unit swapped): swapped and flagged"
            )
        rows = outside[~inside]
        reasons.set(
            rows,
            np.zeros(rows.size, dtype=np.int8),
            lambda _: f"the point lies more than {tolerance_km:g} km outside every unit",
        )
    nearest = int((join == _JOIN_NEAREST).sum())
    if nearest:
        notes.append(
            f"{nearest:,} point(s) just outside every unit (coast, border) were given the nearest "
            f"unit within {tolerance_km:g} km (join_method 'nearest')"
        )
    return frame.assign(
        latitude=lat,
        longitude=lon,
        country=pd.array(np.where(country == "", None, country), dtype="string"),
        region_id=pd.Categorical.from_codes(index, categories=regions["region_id"].astype(str)),
        region=pd.Categorical.from_codes(index, categories=regions["name_en"].astype(str)),
        join_method=pd.Categorical.from_codes(join, categories=JOIN_METHODS),
        join_distance_km=distance,
        place_method=_labels(method, PLACE_METHODS),
        place_source=_labels((method != _UNPLACED).astype(np.int8), ("", "coordinates")),
    )


def _swapped_into_named_unit(
    frame: pd.DataFrame,
    lat: np.ndarray,
    lon: np.ndarray,
    candidates: np.ndarray,
    regions: gpd.GeoDataFrame,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows among `candidates` whose swapped point lies within the unit their admin1 names, and
    that unit's position in `regions`."""
    if not candidates.size or "admin1" not in frame:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    swapped = assign_regions(
        pd.DataFrame({"latitude": lon[candidates], "longitude": lat[candidates]}),
        regions,
        tolerance_km=0.0,
    )
    found = swapped["region_id"].cat.codes.to_numpy()
    admin1 = _text_column(frame, "admin1").iloc[candidates]
    names = RegionNames(regions)
    position = {rid: i for i, rid in enumerate(regions["region_id"])}
    named = {  # one lookup per distinct name
        value: position.get(names.match(value, prefer="region").region_id, -2)
        for value in admin1.unique()
    }
    wanted = admin1.map(named).to_numpy(dtype=np.int64)
    same = (found >= 0) & (found == wanted)
    return candidates[same], found[same]


def _countries(
    lat: np.ndarray,
    lon: np.ndarray,
    candidates: np.ndarray,
    known: np.ndarray | None = None,
    inside: gpd.GeoDataFrame | None = None,
) -> np.ndarray:
    """ISO code of the neighbouring country each of the `candidates`' points lies in (or only
    near a unit; with `inside`, points within a unit of that layout), "" elsewhere; codes in
    `known` are kept where this finds none."""
    codes = np.full(len(lat), "", dtype=object) if known is None else known.copy()
    rows = np.flatnonzero(candidates)
    if rows.size:
        found = countries_at(lat[rows], lon[rows], inside=inside)
        codes[rows] = np.where(found != "", found, codes[rows])
    return codes


def _nearer_to_a_neighbour(
    lat: np.ndarray, lon: np.ndarray, unit_km: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """The neighbouring country nearer to each of the `candidates` (points given the nearest
    unit) than that unit; "" for none and for the other rows."""
    codes = np.full(len(lat), "", dtype=object)
    rows = np.flatnonzero(candidates)
    if not rows.size:
        return codes
    found, km = nearest_neighbour_country(
        lat[rows], lon[rows], within_km=float(np.nanmax(unit_km[rows]))
    )
    nearer = (found != "") & (km < unit_km[rows])
    codes[rows[nearer]] = found[nearer]
    return codes


class _Reasons:
    """Why each row was not placed, as an integer code into a small table of texts: a text is
    written once per group of rows that share it, never once per row."""

    def __init__(self, size: int):
        self.codes = np.zeros(size, dtype=np.int64)
        self.texts: list[str] = [""]

    def set(self, rows: np.ndarray, keys, text: Callable[[object], str]) -> None:
        """Rows `rows` get `text(key)`, each with its own key (a code, a pair, ...)."""
        if not len(rows):
            return
        groups, uniques = pd.factorize(pd.Series(list(keys), dtype=object))
        self.codes[rows] = len(self.texts) + groups
        self.texts.extend(text(key) for key in uniques)

    def labels(self):
        return _labels(self.codes, self.texts)


_COORDINATES = PLACE_METHODS.index("coordinates")
_SWAPPED = PLACE_METHODS.index("swapped coordinates")
_UNPLACED = PLACE_METHODS.index("unplaced")
_JOIN_UNPLACED, _JOIN_WITHIN, _JOIN_NEAREST = map(
    JOIN_METHODS.index, ("unplaced", "within", "nearest")
)


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
    joined: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    tolerance_km: float,
    notes: list[str],
    in_scope: np.ndarray,
) -> pd.DataFrame:
    unplaced = joined["region_id"].isna().to_numpy() & in_scope  # usually none: points placed
    if not unplaced.any():
        return joined
    todo = unplaced & (joined["unplaced_reason"] == "").to_numpy()
    if not todo.any():
        return joined
    keys = pd.DataFrame({c: _text_column(joined, c)[todo] for c in _NAME_KEYS})
    unique = keys.drop_duplicates()
    resolver = _Resolver(regions, unique["location"], tolerance_km)
    results = pd.DataFrame(
        [resolver.resolve(*combo) for combo in unique.itertuples(index=False)],
        index=unique.index,
        columns=["region_id", "place_method", "place_source", "reason", "lat", "lon", "abroad"],
    )
    looked_up = keys.merge(pd.concat([unique, results], axis=1), on=list(_NAME_KEYS), how="left")
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
    abroad = (looked_up["abroad"] != "").to_numpy()
    joined.loc[rows[abroad], "country"] = looked_up.loc[abroad, "abroad"].to_numpy()
    fill = looked_up["lat"].notna()
    joined.loc[rows[fill.to_numpy()], "latitude"] = looked_up.loc[fill, "lat"].to_numpy()
    joined.loc[rows[fill.to_numpy()], "longitude"] = looked_up.loc[fill, "lon"].to_numpy()
    notes.extend(resolver.notes)
    if fill.any():
        notes.append(
            f"{int(fill.sum())} row(s) placed by place name got the gazetteer's coordinates"
        )
    return joined


def _country_level(joined: pd.DataFrame, notes: list[str], in_scope: np.ndarray) -> pd.DataFrame:
    """Rows located only at Kazakhstan's centroid (GDELT's country-level reports)."""
    if "country_level" not in joined:
        return joined
    country = joined["country_level"].fillna(False).astype(bool).to_numpy() & in_scope
    if country.any():
        joined.loc[country, ["region_id", "region"]] = pd.NA
        joined.loc[country, "join_method"] = "unplaced"
        joined.loc[country, "join_distance_km"] = np.nan
        joined.loc[country, "place_method"] = "unplaced"
        joined.loc[country, "place_source"] = ""
        joined.loc[country, "unplaced_reason"] = COUNTRY_LEVEL_REASON
        notes.append(f"{int(country.sum())} country-level row(s) left out of regional views")
    return joined


_NAME_KEYS = ("admin1_code", "admin1", "location", "country")


def _note_outside(joined: pd.DataFrame, notes: list[str]) -> None:
    """How many rows lie outside Kazakhstan, by country (the file's, the point's or the place
    name's)."""
    outside = joined["unplaced_reason"].str.startswith("outside Kazakhstan").to_numpy(dtype=bool)
    if outside.any():
        counts = joined.loc[outside, "country"].value_counts()
        ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
        listed = ", ".join(f"{code} {n:,}" for code, n in ordered)
        notes.append(f"outside Kazakhstan: {int(outside.sum()):,} rows ({listed}), not placed")


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

    def resolve(self, code: str, admin1: str, location: str, country: str) -> tuple:
        region, method, reasons = None, "unplaced", []
        unknown_admin1 = False
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
                unknown_admin1 = not match.reason.startswith("ambiguous")
        if location:
            candidates, reason = self._place_candidates(location)
            larger = _larger_town_abroad(location, candidates) if country != KAZAKHSTAN else None
            if region is None and larger is not None:
                names = sorted({place.name for place in candidates.values()})
                kazakh = f", not {' or '.join(names)} in Kazakhstan" if names else ""
                where = f"{larger.name}, {country_name(larger.country)}"
                detail = f"the place name {location!r} is {where}{kazakh}"
                return _unplaced(outside_reason(larger.country, detail), abroad=larger.country)
            if region is None and unknown_admin1 and candidates:
                listed = " and ".join(
                    f"{place.name} ({self.names.name_of(rid)})" for rid, place in candidates.items()
                )
                return _unplaced(
                    f"admin1 {admin1!r} is no region of Kazakhstan, so {location!r} is not "
                    f"taken for {listed}"
                )
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
            return (region, method, source, "", np.nan, np.nan, "")
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
    return (region, method, place.source, "", place.latitude, place.longitude, "")


def _unplaced(reason: str, abroad: str = "") -> tuple:
    return (None, "unplaced", "", reason, np.nan, np.nan, abroad)


def _larger_town_abroad(location: str, candidates: dict[str, PlaceMatch]) -> PlaceMatch | None:
    """The town abroad a place name means rather than the Kazakh places GeoNames gives for it.

    Names from data/places.csv or region names are ours and always stay at home. Otherwise the
    town abroad wins when no Kazakh place has the name as its own (only as an old or alternate
    name: 'Samarkand' is not Temirtau, 'Astrakhan' not Astrakhanka) or when it is a city at
    least LARGER_ABROAD times the largest Kazakh one ('Sevastopol' is not a village of 850).
    """
    if any(place.source != SOURCE_GEONAMES for place in candidates.values()):
        return None
    elsewhere = [p for p in places_elsewhere(location) if _own_name(p, location)]
    if not elsewhere:
        return None
    abroad = elsewhere[0]
    own = [place for place in candidates.values() if _own_name(place, location)]
    if not own:
        return abroad
    at_home = max(place.population for place in own)
    return abroad if abroad.population >= LARGER_ABROAD * max(at_home, 1) else None


LARGER_ABROAD = 100
"""How many times larger a town abroad must be than a Kazakh place of the same name to win."""


def _own_name(place: PlaceMatch, name: str) -> bool:
    return normalise_name(place.name) == normalise_name(name)
