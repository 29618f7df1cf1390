"""Placing events in units: coordinates, swapped coordinates, place and region names, codes."""

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.analysis.join import assign_regions
from geo.analysis.placing import COUNTRY_LEVEL_REASON, place_events
from geo.record.gazetteer import SOURCE_GEONAMES, SOURCE_PLACES
from geo.record.regions import load_regions


@pytest.fixture(scope="module")
def regions():
    return load_regions("2022-01")


def events(**columns) -> pd.DataFrame:
    """A small event table; every column has one value per row, dates default to 5 Jan 2022."""
    length = len(next(iter(columns.values())))
    frame = pd.DataFrame(columns)
    if "event_date" not in frame:
        frame["event_date"] = pd.Timestamp("2022-01-05")
    frame["source_row"] = np.arange(1, length + 1)
    return frame


def test_points_inside_units(regions):
    placed = place_events(
        events(latitude=[43.3412, 51.1801], longitude=[52.8619, 71.4460]), regions
    )
    assert placed.events["region_id"].tolist() == ["mangystau", "astana"]
    assert placed.events["place_method"].tolist() == ["coordinates", "coordinates"]
    assert placed.events["unplaced_reason"].tolist() == ["", ""]
    assert placed.unplaced.empty


def test_swapped_coordinates_are_detected_and_corrected(regions):
    # Almaty written as (lat, lon) = (76.9115, 43.2525): outside every unit, inside Almaty swapped
    placed = place_events(events(latitude=[76.9115], longitude=[43.2525]), regions)
    row = placed.events.iloc[0]
    assert row["region_id"] == "almaty_city"
    assert row["place_method"] == "swapped coordinates"
    assert (row["latitude"], row["longitude"]) == (43.2525, 76.9115)
    assert any("swapped" in note for note in placed.notes)


def test_point_5_km_off_the_caspian_coast_goes_to_mangystau_as_nearest(regions):
    # The simplified coastline west of Aktau is at about 51.14 E on 43.65 N
    placed = place_events(events(latitude=[43.65], longitude=[51.075]), regions)
    row = placed.events.iloc[0]
    assert row["region_id"] == "mangystau"
    assert row["join_method"] == "nearest"
    assert row["place_method"] == "coordinates"
    assert 4.0 < row["join_distance_km"] < 6.0


def test_point_far_outside_is_unplaced_with_its_reason(regions):
    placed = place_events(events(latitude=[0.0], longitude=[0.0]), regions, tolerance_km=25)
    row = placed.unplaced.iloc[0]
    assert row["source_row"] == 1
    assert row["unplaced_reason"] == ("the point lies more than 25 km outside every unit")


@pytest.mark.parametrize("name", ["Zhanaozen", "Janaozen", "Жаңаөзен", "Жанаозен", "Novy Uzen"])
def test_place_names_in_any_spelling(regions, name):
    placed = place_events(events(location=[name]), regions)
    row = placed.events.iloc[0]
    assert row["region_id"] == "mangystau"
    assert row["place_method"] == "place name"
    assert row["place_source"] == SOURCE_PLACES
    assert (row["latitude"], row["longitude"]) == (43.3412, 52.8619)


def test_place_from_geonames_says_so(regions):
    placed = place_events(events(location=["Ekibastuz"]), regions)
    assert placed.events.iloc[0]["region_id"] == "pavlodar"
    assert placed.events.iloc[0]["place_source"] == SOURCE_GEONAMES


def test_ambiguous_place_name_is_reported(regions):
    placed = place_events(events(location=["Aksu"]), regions)
    row = placed.unplaced.iloc[0]
    assert row["unplaced_reason"].startswith("ambiguous place name: 'Aksu' matches Aksu (")
    assert "(Pavlodar Region)" in row["unplaced_reason"]
    assert "(Akmola Region)" in row["unplaced_reason"]


def test_ambiguous_place_name_is_settled_by_the_region_column(regions):
    placed = place_events(events(location=["Aksu"], admin1=["Pavlodar Region"]), regions)
    row = placed.events.iloc[0]
    assert row["region_id"] == "pavlodar"
    assert row["place_method"] == "place name"


def test_region_column_wins_over_a_place_elsewhere(regions):
    placed = place_events(events(location=["Aktau"], admin1=["Atyrau Region"]), regions)
    assert placed.events.iloc[0]["region_id"] == "atyrau"
    assert placed.events.iloc[0]["place_method"] == "region name"
    assert any("lies outside Atyrau Region" in note for note in placed.notes)


def test_region_names_and_codes(regions):
    frame = events(
        admin1=["Мангистауская область", "ЗКО", "", "", "Akmola", ""],
        admin1_code=["", "", "KZ09", "KZ-AKT", "", ""],
        location=["", "", "", "", "", "Akmola"],
    )
    placed = place_events(frame, regions).events
    assert placed["region_id"].tolist() == [
        "mangystau",
        "west_kazakhstan",
        "mangystau",
        "aktobe",
        "akmola",
        "astana",
    ]
    assert placed["place_method"].tolist() == [
        "region name",
        "region name",
        "region code",
        "region code",
        "region name",
        "region name",
    ]


def test_rows_that_cannot_be_placed_are_all_returned_with_reasons(regions):
    frame = events(
        location=["", "Atlantis", ""],
        admin1=["", "", "Narnia Oblast"],
        latitude=[np.nan, np.nan, np.nan],
        longitude=[np.nan, np.nan, np.nan],
    )
    placed = place_events(frame, regions)
    assert len(placed.events) == 3
    assert placed.unplaced["source_row"].tolist() == [1, 2, 3]
    assert placed.unplaced["unplaced_reason"].tolist() == [
        "no coordinates and no place or region name",
        "no coordinates, and no known place or region: unknown place name 'Atlantis'",
        "no coordinates, and no known place or region: unknown region name 'Narnia Oblast'",
    ]
    assert set(placed.unplaced["place_method"]) == {"unplaced"}
    assert placed.unplaced["region_id"].isna().all()


def test_country_level_rows_are_kept_but_unplaced(regions):
    frame = events(latitude=[48.0, 43.3412], longitude=[68.0, 52.8619], country_level=[True, False])
    placed = place_events(frame, regions)
    assert placed.events["region_id"].isna().tolist() == [True, False]
    assert placed.unplaced["unplaced_reason"].tolist() == [COUNTRY_LEVEL_REASON]


def test_layout_follows_the_dates_when_not_given():
    frame = events(latitude=[50.4206], longitude=[80.2502], event_date=[pd.Timestamp("2022-07-01")])
    placed = place_events(frame)
    assert placed.events.iloc[0]["region_id"] == "abai"  # Semey, after the June 2022 split
    assert any("'current'" in note for note in placed.notes)


def test_place_events_keeps_the_input_columns(regions):
    frame = events(latitude=[43.3412], longitude=[52.8619], notes=["kept"])
    placed = place_events(frame, regions).events
    assert placed.iloc[0]["notes"] == "kept"
    assert {
        "region_id",
        "region",
        "join_method",
        "join_distance_km",
        "place_method",
        "unplaced_reason",
    } <= set(placed.columns)


def test_many_points_are_placed_exactly_as_point_in_polygon_places_them(regions):
    """Tens of thousands of points take geo.analysis.join's grid shortcut: it must agree with
    shapely.contains_xy on every point, including vertices, edge midpoints and points a hair
    from the boundaries (the hard cases for a grid)."""
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = regions.total_bounds
    vertices = shapely.get_coordinates(shapely.boundary(regions.geometry.values))
    midpoints = (vertices[:-1] + vertices[1:]) / 2
    nudged = vertices + rng.normal(scale=1e-9, size=vertices.shape)
    random = np.column_stack(
        [rng.uniform(minx - 1, maxx + 1, 30_000), rng.uniform(miny - 1, maxy + 1, 30_000)]
    )
    x, y = np.concatenate([random, vertices, midpoints, nudged]).T
    expected = np.full(len(x), None, dtype=object)
    for region_id, geometry in zip(regions["region_id"], regions.geometry, strict=True):
        expected[(expected == None) & shapely.contains_xy(geometry, x, y)] = region_id  # noqa: E711
    placed = assign_regions(events(latitude=y, longitude=x), regions, tolerance_km=0)
    within = (placed["join_method"] == "within").to_numpy()
    got = placed["region_id"].astype(object).where(within, None).to_numpy()
    assert (got == expected).all()
    assert 0.3 < within.mean() < 0.7
