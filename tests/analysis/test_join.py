from __future__ import annotations

import pandas as pd
import pytest

from geo import assign_regions


def points(coords: list[tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"longitude": [x for x, _ in coords], "latitude": [y for _, y in coords]}, dtype="float64"
    )


def test_points_inside_go_to_their_square(three_squares):
    joined = assign_regions(points([(0.5, 0.5), (1.5, 0.2), (2.9, 0.9)]), three_squares)
    assert joined["region_id"].tolist() == ["a", "b", "c"]
    assert joined["join_method"].tolist() == ["within"] * 3
    assert joined["join_distance_km"].tolist() == [0, 0, 0]


def test_a_point_just_off_an_edge_goes_to_the_nearest_unit_and_is_flagged(three_squares):
    # 0.05 degrees east of C at the equator: about 5.57 km.
    joined = assign_regions(points([(3.05, 0.5)]), three_squares, tolerance_km=10)
    assert joined.loc[0, "region_id"] == "c"
    assert joined.loc[0, "join_method"] == "nearest"
    assert joined.loc[0, "join_distance_km"] == pytest.approx(5.566, abs=0.01)


def test_far_and_missing_points_stay_unplaced(three_squares):
    joined = assign_regions(points([(3.5, 0.5), (float("nan"), float("nan"))]), three_squares)
    assert joined["region_id"].isna().all()
    assert joined["join_method"].tolist() == ["unplaced", "unplaced"]


def test_bundled_events_all_fall_in_the_unit_they_name(bundled):
    joined = bundled
    assert (joined["join_method"] == "within").all()
    assert (joined["region"] == joined["admin1"]).all()


@pytest.fixture
def bundled():
    from geo import load_bundled_events, load_regions

    return assign_regions(load_bundled_events().events, load_regions("2022-01"))
