"""Which rows are about Kazakhstan: the country a file names, and the country a point lies in.

A row is *out of scope* when its file says it is in another country (ACLED `country`/`iso`, GDELT
`ActionGeo_CountryCode`, a generic `country` column) or when its point lies inside a neighbouring
country (Natural Earth, data/basemap/neighbours.geojson). Out-of-scope rows are kept in the table,
never placed, and reported with their country ("outside Kazakhstan (KG)").

Countries are written as ISO 3166-1 alpha-2 codes. Names and codes are read with the GeoNames
country table (data/countries.csv: ISO alpha-2, alpha-3, numeric, FIPS 10-4, English name), since
GDELT writes FIPS 10-4 codes (Russia is `RS` there, Serbia in ISO).
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.gazetteer import normalise_name
from geo.join import assign_regions
from geo.paths import BASEMAP, COUNTRIES

KAZAKHSTAN = "KZ"
CODINGS = ("auto", "fips")
"""How a country column is written: "auto" (names, ISO alpha-2/alpha-3/numeric) or "fips"."""
_KAZAKHSTAN_STEMS = ("kazak", "kazah")
"""Folded stems of every spelling of Kazakhstan's name (Kazakhstan, Qazaqstan, Казахстан,
Қазақстан, Republic of Kazakhstan...)."""


def country_codes(values: pd.Series, *, coding: str = "auto") -> pd.Series:
    """The ISO alpha-2 code of each value; "" where the value is missing.

    A value that is not a known name or code is kept as written (stripped), so that a row naming
    a country we cannot read is still out of scope, and says what its file wrote.
    """
    if coding not in CODINGS:
        raise ValueError(f"coding must be one of {CODINGS}, got {coding!r}")
    text = values.astype("string").str.strip().fillna("")
    unique = pd.Series(text.unique())
    table = _fips_codes() if coding == "fips" else _country_keys()
    codes = unique.map(lambda value: _code_of(value, table, coding))
    return text.map(dict(zip(unique, codes, strict=True))).astype("string")


def is_outside(codes: pd.Series) -> np.ndarray:
    """True where a country code is known and is not Kazakhstan's."""
    text = codes.astype("string").fillna("")
    return ((text != "") & (text != KAZAKHSTAN)).to_numpy(dtype=bool)


def outside_reason(code: str, detail: str = "") -> str:
    """The not-placed reason of a row outside Kazakhstan, e.g. 'outside Kazakhstan (KG)'."""
    return f"outside Kazakhstan ({code})" + (f": {detail}" if detail else "")


def countries_at(
    latitude: np.ndarray, longitude: np.ndarray, *, inside: gpd.GeoDataFrame | None = None
) -> np.ndarray:
    """ISO alpha-2 code of the neighbouring country each point lies in; "" for none.

    Kazakhstan itself is not in the neighbours file: "" means in Kazakhstan, at sea, or in a
    country farther away than the neighbours drawn on the basemap. With `inside` (a layout's
    units, for points known to lie in one of them) only the slivers where a neighbour overlaps
    those units are tested (simplified unit borders reach a few km over the real border, as
    at Tokmok in Kyrgyzstan): the same answer for those points, at a fraction of the cost.
    """
    points = pd.DataFrame({"latitude": latitude, "longitude": longitude})
    if points.empty:
        return np.array([], dtype=object)
    if inside is None:
        joined = assign_regions(points, _neighbours(), tolerance_km=0.0)
        return joined["region_id"].astype(object).where(joined["region_id"].notna(), "").to_numpy()
    codes = np.full(len(points), "", dtype=object)
    x, y = np.asarray(longitude, dtype="float64"), np.asarray(latitude, dtype="float64")
    for code, piece in _overlap(inside):  # small pieces: a bounding-box test rules most out
        minx, miny, maxx, maxy = piece.bounds
        near = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if near.size:
            codes[near[shapely.contains_xy(piece, x[near], y[near])]] = code
    return codes


def country_name(code: str) -> str:
    """English name of an ISO alpha-2 code (the code itself when unknown)."""
    return _names().get(code, code)


def _code_of(value: str, table: dict[str, str], coding: str) -> str:
    if not value:
        return ""
    if coding == "fips":
        return table.get(value.upper(), value)
    key = normalise_name(value)
    if any(stem in key for stem in _KAZAKHSTAN_STEMS) or value.upper() in ("KZ", "KAZ", "398"):
        return KAZAKHSTAN
    upper = value.upper()
    return table.get(upper) or table.get(key) or value


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with COUNTRIES.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _country_keys() -> dict[str, str]:
    """ISO alpha-2, alpha-3, numeric code and folded English name -> ISO alpha-2."""
    keys: dict[str, str] = {}
    for row in _rows():
        for key in (row["iso"], row["iso3"], row["isonumeric"], normalise_name(row["name"])):
            keys.setdefault(key, row["iso"])
    keys.update({normalise_name(n): iso for n, iso in _OTHER_NAMES.items()})
    return keys


_OTHER_NAMES = {
    "Russian Federation": "RU",
    "Democratic Republic of Congo": "CD",
    "Republic of Congo": "CG",
    "Cote d'Ivoire": "CI",
    "China, People's Republic of": "CN",
    "Kyrgyz Republic": "KG",
    "Россия": "RU",
    "Кыргызстан": "KG",
    "Киргизия": "KG",
    "Узбекистан": "UZ",
    "Туркменистан": "TM",
    "Таджикистан": "TJ",
    "Китай": "CN",
    "Ресей": "RU",
    "Қырғызстан": "KG",
    "Өзбекстан": "UZ",
    "Түрікменстан": "TM",
    "Тәжікстан": "TJ",
    "Қытай": "CN",
}
"""Names ACLED and Russian/Kazakh newsroom files use that GeoNames spells otherwise."""


@cache
def _fips_codes() -> dict[str, str]:
    return {row["fips"]: row["iso"] for row in _rows() if row["fips"]}


@cache
def _names() -> dict[str, str]:
    return {row["iso"]: row["name"] for row in _rows()}


@cache
def _neighbours() -> gpd.GeoDataFrame:
    """Neighbouring countries keyed by ISO alpha-2 (the shape geo.join.assign_regions wants)."""
    basemap = gpd.read_file(BASEMAP)
    alpha2 = {row["iso3"]: row["iso"] for row in _rows()}
    return gpd.GeoDataFrame(
        {
            "region_id": basemap["iso_a3"].map(alpha2).fillna(basemap["iso_a3"]),
            "name_en": basemap["name"],
        },
        geometry=basemap.geometry.values,
        crs=basemap.crs,
    )


def _overlap(regions: gpd.GeoDataFrame) -> tuple[tuple[str, object], ...]:
    """(ISO code, polygon) for each piece of a neighbouring country inside `regions`, shrunk by
    BORDER_MARGIN_DEG (cached per layout)."""
    digest = hashlib.sha256()
    for wkb in regions.geometry.to_wkb():
        digest.update(wkb)
    return _overlap_of(digest.hexdigest(), tuple(regions.geometry.values))


BORDER_MARGIN_DEG = 0.01
"""How far (about 1 km) a point within a unit must lie inside a neighbour to count as abroad:
Natural Earth's borders are not exact either (Khorgos, on the Chinese border, stays Kazakh)."""


@cache
def _overlap_of(key: str, geometries: tuple) -> tuple[tuple[str, object], ...]:
    neighbours = _neighbours()
    overlap = shapely.intersection(neighbours.geometry.values, shapely.union_all(geometries))
    shrunk = shapely.buffer(overlap, -BORDER_MARGIN_DEG)
    pieces = []
    for code, geometry in zip(neighbours["region_id"], shrunk, strict=True):
        for piece in shapely.get_parts(geometry):
            shapely.prepare(piece)
            pieces.append((str(code), piece))
    return tuple(pieces)
