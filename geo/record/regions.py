"""Boundary layouts: the bundled ones by name, or a user's GeoJSON, checked before use."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.errors import RegionDataError, UnknownLayoutError
from geo.paths import BASEMAP, REGION_LAYOUTS

CRS = "EPSG:4326"
REGION_COLUMNS = ("region_id", "name_en", "geometry")
LAYOUT_CHANGE = pd.Timestamp("2022-06-08")
"""Abai, Jetisu and Ulytau regions exist from this day; before it the 17-unit layout applies."""


def load_regions(layout: str | Path = "2022-01") -> gpd.GeoDataFrame:
    """A layout by name ('2022-01', 'current') or a GeoJSON path, with CRS and validity checked.

    A user file needs `region_id` and `name_en` (or `name`) properties. Invalid polygons are an
    error that says why (shapely.is_valid_reason); repair them with `repair_regions` explicitly.
    """
    path = _layout_path(layout)
    try:
        regions = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise RegionDataError(f"{path.name}: not a readable boundary file ({exc})") from exc
    regions = _normalise_columns(regions, path.name)
    check_regions(regions, path.name)
    return regions


def layout_for_dates(dates: pd.Series) -> str:
    """The bundled layout in force for these event dates (the later one if they straddle it)."""
    return "current" if len(dates) and dates.max() >= LAYOUT_CHANGE else "2022-01"


def load_basemap() -> gpd.GeoDataFrame:
    """Neighbouring countries (Natural Earth, public domain) drawn under the regions offline."""
    return gpd.read_file(BASEMAP)


def check_regions(regions: gpd.GeoDataFrame, name: str) -> None:
    """Raise RegionDataError unless the layout is EPSG:4326, polygonal, valid and uniquely keyed."""
    if regions.crs is None or regions.crs != CRS:
        raise RegionDataError(
            f"{name}: boundaries must be in {CRS} (WGS 84 longitude/latitude), got {regions.crs}"
        )
    if regions.empty:
        raise RegionDataError(f"{name}: the boundary file has no features")
    duplicated = regions["region_id"][regions["region_id"].duplicated()]
    if not duplicated.empty:
        raise RegionDataError(f"{name}: region_id must be unique, repeated: {list(duplicated)}")
    kinds = set(regions.geom_type.dropna())
    if not kinds <= {"Polygon", "MultiPolygon"} or regions.geometry.isna().any():
        raise RegionDataError(
            f"{name}: every feature must be a Polygon or MultiPolygon, got {kinds}"
        )
    invalid = ~shapely.is_valid(regions.geometry.values)
    if invalid.any():
        reasons = shapely.is_valid_reason(regions.geometry.values[invalid])
        detail = "; ".join(
            f"{rid}: {reason}"
            for rid, reason in zip(regions.loc[invalid, "region_id"], reasons, strict=True)
        )
        raise RegionDataError(f"{name}: invalid geometry ({detail}); repair it with make_valid")


def repair_regions(regions: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Repair invalid polygons with make_valid; returns the repaired layout and what was done."""
    geometry = regions.geometry.values
    invalid = ~shapely.is_valid(geometry)
    notes = [
        f"{rid}: {reason} (repaired with make_valid)"
        for rid, reason in zip(
            regions.loc[invalid, "region_id"],
            shapely.is_valid_reason(geometry[invalid]),
            strict=True,
        )
    ]
    repaired = regions.copy()
    fixed = shapely.make_valid(geometry[invalid])
    repaired.loc[invalid, "geometry"] = [_polygonal_part(g) for g in fixed]
    return repaired, notes


def _layout_path(layout: str | Path) -> Path:
    if isinstance(layout, str) and layout in REGION_LAYOUTS:
        return REGION_LAYOUTS[layout]
    path = Path(layout)
    if not path.is_file():
        names = ", ".join(REGION_LAYOUTS)
        raise UnknownLayoutError(
            f"unknown layout {str(layout)!r}: use one of {names} or a GeoJSON path"
        )
    return path


def _normalise_columns(regions: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    if "name_en" not in regions.columns and "name" in regions.columns:
        regions = regions.rename(columns={"name": "name_en"})
    if "region_id" not in regions.columns and "name_en" in regions.columns:
        regions = regions.assign(region_id=regions["name_en"])
    missing = [c for c in REGION_COLUMNS if c not in regions.columns]
    if missing:
        raise RegionDataError(
            f"{name}: boundary features need properties {missing} (found {list(regions.columns)})"
        )
    return regions


def _polygonal_part(geometry):
    parts = shapely.get_parts(geometry)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons)
