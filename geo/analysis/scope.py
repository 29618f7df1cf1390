"""Which rows are about Kazakhstan: the country a file names, and the country a point lies in.

A row is *out of scope* when its file says it is in another country (ACLED `country`/`iso`, GDELT
`ActionGeo_CountryCode`, a generic `country` column) or when its point lies inside a neighbouring
country (Natural Earth, data/basemap/neighbours.geojson). Out-of-scope rows are kept in the table,
never placed, and reported with their country ("outside Kazakhstan (KG)").

Countries are written as ISO 3166-1 alpha-2 codes (geo.record.countries reads a file's names and
codes).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.join import assign_regions
from geo.paths import BASEMAP
from geo.record.countries import alpha2_of_alpha3


def outside_reason(code: str, detail: str = "") -> str:
    """The not-placed reason of a row outside Kazakhstan, e.g. 'outside Kazakhstan (KG)'."""
    return f"outside Kazakhstan ({code})" + (f": {detail}" if detail else "")


def outside_reasons(codes: pd.Series) -> np.ndarray:
    """`outside_reason` of each row's country code, each text written once per country."""
    groups, uniques = pd.factorize(codes.astype("string").fillna(""))
    return np.asarray([outside_reason(code) for code in uniques], dtype=object)[groups]


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
    overlap = _overlap(inside)
    rows = overlap.candidates(x, y)
    x, y = x[rows], y[rows]
    for code, piece in overlap.pieces:  # small pieces: a bounding-box test rules most out
        minx, miny, maxx, maxy = piece.bounds
        near = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if near.size:
            codes[rows[near[shapely.contains_xy(piece, x[near], y[near])]]] = code
    return codes


def nearest_neighbour_country(
    latitude: np.ndarray, longitude: np.ndarray, *, within_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """The neighbouring country nearest each point within `within_km` ("" for none) and the
    geodesic distance to its border (NaN for none); 0 for a point inside it."""
    points = pd.DataFrame({"latitude": latitude, "longitude": longitude})
    joined = assign_regions(points, _neighbours(), tolerance_km=within_km)
    codes = joined["region_id"].astype(object).where(joined["region_id"].notna(), "")
    return codes.to_numpy(), joined["join_distance_km"].to_numpy(dtype="float64")


@cache
def _neighbours() -> gpd.GeoDataFrame:
    """Neighbouring countries keyed by ISO alpha-2 (the shape geo.analysis.join.assign_regions
    wants)."""
    basemap = gpd.read_file(BASEMAP)
    alpha2 = alpha2_of_alpha3()
    return gpd.GeoDataFrame(
        {
            "region_id": basemap["iso_a3"].map(alpha2).fillna(basemap["iso_a3"]),
            "name_en": basemap["name"],
        },
        geometry=basemap.geometry.values,
        crs=basemap.crs,
    )


def _overlap(regions: gpd.GeoDataFrame) -> _Overlap:
    """The parts of the neighbouring countries inside `regions` (cached per layout)."""
    digest = hashlib.sha256()
    for wkb in regions.geometry.to_wkb():
        digest.update(wkb)
    return _overlap_of(digest.hexdigest(), tuple(regions.geometry.values))


BORDER_MARGIN_DEG = 0.01
"""How far (about 1 km) a point within a unit must lie inside a neighbour to count as abroad:
Natural Earth's borders are not exact either (Khorgos, on the Chinese border, stays Kazakh)."""
_CELL_DEG = 0.05
"""Cell size of the grid that rules out, by one lookup, points far from every overlap piece."""


@dataclass(frozen=True)
class _Overlap:
    """(ISO code, polygon) pieces of neighbours inside a layout, shrunk by BORDER_MARGIN_DEG,
    and a grid of the cells the pieces touch."""

    pieces: tuple[tuple[str, object], ...]
    cells: np.ndarray
    origin: tuple[float, float]

    def candidates(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Positions of the points in a touched cell (the others are in no piece)."""
        i = np.floor((x - self.origin[0]) / _CELL_DEG)
        j = np.floor((y - self.origin[1]) / _CELL_DEG)
        ny, nx = self.cells.shape
        inside = (i >= 0) & (i < nx) & (j >= 0) & (j < ny)
        rows = np.flatnonzero(inside)
        hit = self.cells[j[rows].astype(np.int64), i[rows].astype(np.int64)]
        return rows[hit]


@cache
def _overlap_of(key: str, geometries: tuple) -> _Overlap:
    neighbours = _neighbours()
    overlap = shapely.intersection(neighbours.geometry.values, shapely.union_all(geometries))
    shrunk = shapely.buffer(overlap, -BORDER_MARGIN_DEG)
    pieces = []
    for code, geometry in zip(neighbours["region_id"], shrunk, strict=True):
        for piece in shapely.get_parts(geometry):
            if piece.is_empty:
                continue
            shapely.prepare(piece)
            pieces.append((str(code), piece))
    minx, miny, maxx, maxy = shapely.total_bounds(np.asarray(geometries))
    nx = int(np.ceil((maxx - minx) / _CELL_DEG)) + 1
    ny = int(np.ceil((maxy - miny) / _CELL_DEG)) + 1
    cells = np.zeros((ny, nx), dtype=bool)
    for _, piece in pieces:
        px0, py0, px1, py1 = piece.bounds
        i0, i1 = int((px0 - minx) // _CELL_DEG), int((px1 - minx) // _CELL_DEG)
        j0, j1 = int((py0 - miny) // _CELL_DEG), int((py1 - miny) // _CELL_DEG)
        i0, j0 = max(i0, 0), max(j0, 0)
        jj, ii = np.mgrid[j0 : j1 + 1, i0 : i1 + 1]
        boxes = shapely.box(
            minx + ii * _CELL_DEG,
            miny + jj * _CELL_DEG,
            minx + (ii + 1) * _CELL_DEG,
            miny + (jj + 1) * _CELL_DEG,
        )
        touched = shapely.intersects(piece, boxes)
        cells[jj[touched], ii[touched]] = True
    return _Overlap(tuple(pieces), cells, (float(minx), float(miny)))
