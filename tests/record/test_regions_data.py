"""Checks of the committed region layers and basemap written by data/build_regions.py."""

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tests.paths import ROOT

DATA_DIR = ROOT / "data"
REGIONS_2022_PATH = DATA_DIR / "regions" / "kz_regions_2022-01.geojson"
REGIONS_CURRENT_PATH = DATA_DIR / "regions" / "kz_regions_current.geojson"
BASEMAP_PATH = DATA_DIR / "basemap" / "neighbours.geojson"
ALL_PATHS = (REGIONS_2022_PATH, REGIONS_CURRENT_PATH, BASEMAP_PATH)
EQUAL_AREA_CRS = "EPSG:6933"

NAMES_2022 = {
    "Akmola Region",
    "Aktobe Region",
    "Almaty",
    "Almaty Region",
    "Atyrau Region",
    "East Kazakhstan Region",
    "Jambyl Region",
    "Karaganda Region",
    "Kostanay Region",
    "Kyzylorda Region",
    "Mangystau Region",
    "North Kazakhstan Region",
    "Nur-Sultan",
    "Pavlodar Region",
    "Shymkent",
    "Turkistan Region",
    "West Kazakhstan Region",
}
NAMES_CURRENT = (NAMES_2022 - {"Nur-Sultan"}) | {
    "Astana",
    "Abai Region",
    "Jetisu Region",
    "Ulytau Region",
}
PROPERTIES = {
    "region_id",
    "name_en",
    "name_kk",
    "name_ru",
    "iso_3166_2",
    "fips_10_4",
    "vintage",
    "valid_from",
    "valid_to",
    "source",
}
# Units created on 8 June 2022 and the unit each was split from.
SPLITS = {"abai": "east_kazakhstan", "jetisu": "almaty_region", "ulytau": "karaganda"}


@pytest.fixture(scope="module")
def jan2022() -> gpd.GeoDataFrame:
    return gpd.read_file(REGIONS_2022_PATH)


@pytest.fixture(scope="module")
def current() -> gpd.GeoDataFrame:
    return gpd.read_file(REGIONS_CURRENT_PATH)


@pytest.fixture(scope="module")
def basemap() -> gpd.GeoDataFrame:
    return gpd.read_file(BASEMAP_PATH)


def properties(path: Path) -> list[dict]:
    """Raw feature properties (geopandas would turn the date strings into timestamps)."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [feature["properties"] for feature in collection["features"]]


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: p.name)
def test_file_under_300_kb(path):
    assert path.stat().st_size < 300_000


@pytest.mark.parametrize(
    ("path", "count", "vintage", "valid_from", "valid_to"),
    [
        (REGIONS_2022_PATH, 17, "2022-01", "2018-06-19", "2022-06-07"),
        (REGIONS_CURRENT_PATH, 20, "current", "2022-06-08", None),
    ],
    ids=["2022-01", "current"],
)
def test_properties(path, count, vintage, valid_from, valid_to):
    props = properties(path)
    assert len(props) == count
    ids = [p["region_id"] for p in props]
    assert ids == sorted(set(ids)), "region_id must be unique and sorted"
    assert all(re.fullmatch(r"[a-z_]+", region_id) for region_id in ids)
    for p in props:
        assert set(p) == PROPERTIES
        assert (p["vintage"], p["valid_from"], p["valid_to"]) == (vintage, valid_from, valid_to)
        assert p["name_kk"] and p["name_ru"] and p["source"]


def test_iso_codes():
    jan = {p["region_id"]: p["iso_3166_2"] for p in properties(REGIONS_2022_PATH)}
    now = {p["region_id"]: p["iso_3166_2"] for p in properties(REGIONS_CURRENT_PATH)}
    assert all(re.fullmatch(r"KZ-[A-Z]{3}", code) for code in jan.values())
    assert all(re.fullmatch(r"KZ-\d\d", code) for code in now.values())
    assert len(set(jan.values())) == 17 and len(set(now.values())) == 20
    assert (jan["mangystau"], now["mangystau"]) == ("KZ-MAN", "KZ-47")
    assert (jan["turkistan"], jan["almaty_city"], jan["almaty_region"]) == (
        "KZ-YUZ",
        "KZ-ALA",
        "KZ-ALM",
    )
    assert (now["abai"], now["jetisu"], now["ulytau"]) == ("KZ-10", "KZ-33", "KZ-62")


def test_region_ids_stable_across_layouts(jan2022, current):
    assert set(current["region_id"]) == set(jan2022["region_id"]) | set(SPLITS)


def test_names(jan2022, current):
    assert set(jan2022["name_en"]) == NAMES_2022
    assert set(current["name_en"]) == NAMES_CURRENT


@pytest.mark.parametrize(
    ("region_id", "code"),
    [
        ("mangystau", "KZ09"),
        ("west_kazakhstan", "KZ07"),
        ("almaty_region", "KZ01"),
        ("almaty_city", "KZ02"),
        ("astana", "KZ05"),
        ("shymkent", None),
    ],
)
def test_fips_codes(region_id, code):
    fips = {p["region_id"]: p["fips_10_4"] for p in properties(REGIONS_2022_PATH)}
    assert fips[region_id] == code


@pytest.mark.parametrize("layer_name", ["jan2022", "current"])
def test_geometry_valid_in_wgs84(request, layer_name):
    layer = request.getfixturevalue(layer_name)
    assert layer.crs.to_epsg() == 4326
    assert layer.geometry.is_valid.all()
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("layer_name", ["jan2022", "current"])
def test_no_overlaps_between_units(request, layer_name):
    geoms = request.getfixturevalue(layer_name).geometry.to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.max() < 1e-8  # square degrees, about 0.1 ha


@pytest.mark.parametrize(("new_unit", "old_unit"), sorted(SPLITS.items()))
def test_dissolved_area_matches_parts(jan2022, current, new_unit, old_unit):
    jan_km2 = jan2022.to_crs(EQUAL_AREA_CRS).set_index("region_id").area
    now_km2 = current.to_crs(EQUAL_AREA_CRS).set_index("region_id").area
    assert jan_km2[old_unit] == pytest.approx(now_km2[old_unit] + now_km2[new_unit], rel=0.005)


@pytest.mark.parametrize(
    ("lat", "lon", "in_2022", "in_current"),
    [
        (43.34, 52.86, "mangystau", "mangystau"),  # Zhanaozen
        (43.25, 76.95, "almaty_city", "almaty_city"),
        (42.32, 69.60, "shymkent", "shymkent"),
        (45.02, 78.37, "almaty_region", "jetisu"),  # Taldykorgan
        (50.41, 80.23, "east_kazakhstan", "abai"),  # Semey
        (47.78, 67.71, "karaganda", "ulytau"),  # Zhezkazgan
    ],
)
def test_city_in_expected_unit(jan2022, current, lat, lon, in_2022, in_current):
    point = shapely.Point(lon, lat)
    for layer, expected in ((jan2022, in_2022), (current, in_current)):
        assert list(layer.loc[layer.contains(point), "region_id"]) == [expected]


def test_basemap(basemap):
    assert basemap.crs.to_epsg() == 4326
    assert list(basemap.columns) == ["name", "iso_a3", "geometry"]
    assert basemap.geometry.is_valid.all()
    codes = set(basemap["iso_a3"])
    assert "KAZ" not in codes
    assert {"RUS", "CHN", "UZB", "KGZ", "TKM"} <= codes
