from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import Polygon, mapping

from geo import RegionDataError, UnknownLayoutError, load_regions, repair_regions
from geo.record.regions import layout_for_dates


def write_layout(path, geometry, crs="urn:ogc:def:crs:OGC:1.3:CRS84"):
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": crs}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"region_id": "bow", "name_en": "Bow tie"},
                        "geometry": mapping(geometry),
                    }
                ],
            }
        )
    )
    return path


def test_bundled_layouts_load():
    assert len(load_regions("2022-01")) == 17
    assert len(load_regions("current")) == 20


def test_unknown_layout_names_the_choices():
    with pytest.raises(UnknownLayoutError, match="use one of 2022-01, current"):
        load_regions("1997")


def test_invalid_geometry_says_why(tmp_path):
    bow_tie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    path = write_layout(tmp_path / "bow.geojson", bow_tie)
    with pytest.raises(RegionDataError, match=r"bow: Self-intersection"):
        load_regions(path)


def test_repair_is_visible(tmp_path):
    import geopandas as gpd

    bow_tie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    regions = gpd.read_file(write_layout(tmp_path / "bow.geojson", bow_tie))
    repaired, notes = repair_regions(regions)
    assert shapely.is_valid(repaired.geometry.values).all()
    assert notes == ["bow: Self-intersection[0.5 0.5] (repaired with make_valid)"]


def test_wrong_crs_is_refused(tmp_path):
    square = Polygon([(0, 0), (1000, 0), (1000, 1000), (0, 1000)])
    path = write_layout(tmp_path / "utm.geojson", square, crs="urn:ogc:def:crs:EPSG::32642")
    with pytest.raises(RegionDataError, match="must be in EPSG:4326"):
        load_regions(path)


def test_layout_follows_the_dates():
    import pandas as pd

    assert layout_for_dates(pd.Series(pd.to_datetime(["2022-01-05"]))) == "2022-01"
    assert layout_for_dates(pd.Series(pd.to_datetime(["2022-01-05", "2023-03-01"]))) == "current"
