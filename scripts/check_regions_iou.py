"""Compare the January 2022 region layer with an independent 17-unit layout, unit by unit.

Usage: python scripts/check_regions_iou.py [REFERENCE_GEOJSON]

The default reference is the statistics agency's 2018-2022 layout kept outside the repository
(../shared/reference/kazstat_regions_2018-2022.geojson relative to the repo root).  It is for
local checks only and must never be copied into the repository.  It has 17 units with
properties kzCode and kzName (Russian); some of its geometries are invalid until make_valid.

Each reference unit is matched to the unit of ours it overlaps most.  IoU is intersection area
over union area, computed in an equal-area CRS.
"""

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import shapely

REPO_ROOT = Path(__file__).resolve().parents[1]
OURS_PATH = REPO_ROOT / "data" / "regions" / "kz_regions_2022-01.geojson"
DEFAULT_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "kazstat_regions_2018-2022.geojson"
EQUAL_AREA_CRS = "EPSG:6933"


def read_equal_area(path: Path) -> gpd.GeoDataFrame:
    """Read a layer, repair invalid geometries (reporting them) and project to equal area."""
    layer = gpd.read_file(path)
    invalid = ~layer.geometry.is_valid
    for idx in layer.index[invalid]:
        print(
            f"{path.name}: feature {idx} invalid ({shapely.is_valid_reason(layer.geometry[idx])})"
        )
    layer.loc[invalid, "geometry"] = layer.geometry[invalid].make_valid()
    return layer.to_crs(EQUAL_AREA_CRS)


def match_and_score(ours: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> list[tuple]:
    """Rows of (region_id, name_en, kzName, IoU), one per reference unit, by best overlap."""
    rows = []
    for ref_name, ref_geom in zip(reference["kzName"], reference.geometry, strict=True):
        overlaps = ours.geometry.intersection(ref_geom).area
        best = overlaps.idxmax()
        union = ours.geometry[best].union(ref_geom).area
        rows.append(
            (ours.at[best, "region_id"], ours.at[best, "name_en"], ref_name, overlaps[best] / union)
        )
    return sorted(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args()
    if not args.reference.is_file():
        sys.exit(f"Reference layout not found: {args.reference} (pass its path as an argument)")

    rows = match_and_score(read_equal_area(OURS_PATH), read_equal_area(args.reference))
    print(f"{'region_id':18} {'name_en':24} {'reference kzName':24} {'IoU':>6}")
    for region_id, name_en, ref_name, iou in rows:
        print(f"{region_id:18} {name_en:24} {ref_name:24} {iou:6.3f}")
    mean_iou = sum(row[3] for row in rows) / len(rows)
    print(f"{'mean':68} {mean_iou:6.3f}")
    matched = {row[0] for row in rows}
    if len(matched) != len(rows):
        print("warning: several reference units matched the same unit of ours")


if __name__ == "__main__":
    main()
