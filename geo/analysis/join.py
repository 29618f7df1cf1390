"""Assigning events to regions: vectorised point-in-polygon, then nearest region within a tolerance.

Points just off a coast or border (geocoded to a port, a border post, a simplified coastline) would
otherwise be lost; they go to the nearest region if it lies within `tolerance_km`, and are flagged
with `join_method == "nearest"` and their distance, so nothing moves silently.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

DEFAULT_TOLERANCE_KM = 25.0
JOIN_METHODS = ("unplaced", "within", "nearest")
_GEOD = Geod(ellps="WGS84")
_KM_PER_DEGREE_MAX = 111.4
"""Longest ground distance of one degree of latitude: turns km into a safe search box."""


def assign_regions(
    events: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    *,
    tolerance_km: float = DEFAULT_TOLERANCE_KM,
) -> pd.DataFrame:
    """Return `events` with region_id, region (English name), join_method and join_distance_km.

    join_method is "within" (inside a polygon), "nearest" (outside all, nearest region within the
    tolerance) or "unplaced" (no coordinates, or farther than the tolerance; region_id missing).
    """
    x = events["longitude"].to_numpy(dtype="float64")
    y = events["latitude"].to_numpy(dtype="float64")
    index = _index_within(regions, x, y)
    distance = np.zeros(len(events))
    outside = np.flatnonzero((index < 0) & np.isfinite(x) & np.isfinite(y))
    if outside.size:
        nearest, km = _nearest_within(regions, x[outside], y[outside], tolerance_km)
        index[outside] = nearest
        distance[outside] = km
    method = np.where(index < 0, 0, 1).astype(np.int8)
    method[outside[index[outside] >= 0]] = 2
    distance[index < 0] = np.nan
    # Categoricals from integer codes: building per-row strings would dominate at a million rows.
    return events.assign(
        region_id=pd.Categorical.from_codes(index, categories=regions["region_id"].astype(str)),
        region=pd.Categorical.from_codes(index, categories=regions["name_en"].astype(str)),
        join_method=pd.Categorical.from_codes(method, categories=JOIN_METHODS),
        join_distance_km=distance,
    )


def _index_within(regions: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Position of the region containing each point (the first one, if several do), -1 where none
    does. Many points go through a grid first (see _index_by_grid); the answer is the same."""
    geometries = regions.geometry.values
    shapely.prepare(geometries)
    if len(x) >= _GRID_MIN_POINTS and len(geometries):
        return _index_by_grid(geometries, x, y)
    return _index_exact(geometries, x, y)


_GRID_CELLS = 512
"""Grid cells along the longer side of the regions' bounding box."""
_GRID_MIN_POINTS = 20_000
"""Below this many points the exact test alone is about as fast as building the grid."""


def _index_exact(geometries: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One `contains_xy` per polygon on the points inside its bounding box: with a few dozen regions
    this beats building point geometries for an STRtree query by an order of magnitude."""
    index = np.full(len(x), -1, dtype=np.int64)
    for position, geometry in enumerate(geometries):
        minx, miny, maxx, maxy = geometry.bounds
        candidates = np.flatnonzero(
            (index < 0) & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
        )
        if candidates.size:
            inside = shapely.contains_xy(geometry, x[candidates], y[candidates])
            index[candidates[inside]] = position
    return index


def _index_by_grid(geometries: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The same answer as _index_exact, testing most points by a lookup in a grid of cells.

    Cells that a region boundary may touch are marked: the boundaries are cut into pieces shorter
    than half a cell, each piece marks the cells at the corners of its endpoints' cells (the
    piece cannot leave them, since the point -> cell mapping is monotonic), and the marks grow
    by one cell against rounding. An unmarked cell lies wholly inside one set of regions, so its
    centre's answer holds for every point in it. Points in marked cells get the exact test.
    """
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    size = max(maxx - minx, maxy - miny) / _GRID_CELLS
    if not (np.isfinite(size) and size > 0):
        return _index_exact(geometries, x, y)
    nx = int(np.floor((maxx - minx) / size)) + 1
    ny = int(np.floor((maxy - miny) / size)) + 1

    pieces = shapely.get_parts(shapely.segmentize(shapely.boundary(geometries), size / 2))
    coords, piece = shapely.get_coordinates(pieces, return_index=True)
    ci = np.floor((coords[:, 0] - minx) / size).astype(np.int64) + 1
    cj = np.floor((coords[:, 1] - miny) / size).astype(np.int64) + 1
    start = np.flatnonzero(piece[1:] == piece[:-1])
    end = start + 1
    touched = np.zeros((ny + 2, nx + 2), dtype=bool)  # one cell of padding all round
    touched[cj, ci] = True
    touched[cj[start], ci[end]] = True
    touched[cj[end], ci[start]] = True
    marked = np.zeros((ny, nx), dtype=bool)
    for dj in (0, 1, 2):
        for di in (0, 1, 2):
            marked |= touched[dj : dj + ny, di : di + nx]
    marked = marked.ravel()

    index = np.full(len(x), -1, dtype=np.int64)
    rows = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
    cell = np.floor((y[rows] - miny) / size).astype(np.int64) * nx
    cell += np.floor((x[rows] - minx) / size).astype(np.int64)
    unsure = marked[cell]
    used = np.flatnonzero(np.bincount(cell[~unsure], minlength=nx * ny))
    cell_region = np.full(nx * ny, -1, dtype=np.int64)
    centre_x = minx + (used % nx + 0.5) * size
    centre_y = miny + (used // nx + 0.5) * size
    cell_region[used] = _index_exact(geometries, centre_x, centre_y)
    index[rows] = cell_region[cell]
    hard = rows[unsure]
    index[hard] = _index_exact(geometries, x[hard], y[hard])
    return index


def _nearest_within(
    regions: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray, tolerance_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest region (by geodesic distance to its edge) within the tolerance, else -1."""
    points = shapely.points(x, y)
    tree = shapely.STRtree(regions.geometry.values)
    widest = max(np.cos(np.radians(np.max(np.abs(y)))), 0.05)
    max_degrees = tolerance_km / _KM_PER_DEGREE_MAX / widest
    pairs = tree.query(points, predicate="dwithin", distance=max_degrees)
    best = np.full(len(x), -1, dtype=np.int64)
    best_km = np.full(len(x), np.inf)
    if pairs.size:
        point_at, region_at = pairs
        lines = shapely.shortest_line(points[point_at], regions.geometry.values[region_at])
        coords = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        _, _, metres = _GEOD.inv(coords[:, 0, 0], coords[:, 0, 1], coords[:, 1, 0], coords[:, 1, 1])
        km = np.asarray(metres) / 1000.0
        order = np.lexsort((km, point_at))
        first = np.unique(point_at[order], return_index=True)[1]
        chosen = order[first]
        keep = km[chosen] <= tolerance_km
        best[point_at[chosen][keep]] = region_at[chosen][keep]
        best_km[point_at[chosen][keep]] = km[chosen][keep]
    return best, best_km
