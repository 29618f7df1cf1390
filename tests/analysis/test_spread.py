"""Spread analytics on hand-made squares whose answers are worked out on paper, then the real data.

Layout (unit squares one degree wide, lying between latitudes 0 and 1):

    A | B | C        D        lon 0-1, 1-2, 2-3 and 5-6; D touches nothing

Events sit at the squares' centres (latitude 0.5). One degree of longitude there is
111.32 km x cos(0.5°) = 111.3 km, so centre-to-centre distances are 111.3 km per square apart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

import geo
from geo.analysis.spread import (
    DIFFUSION_CLASSES,
    Origin,
    SpreadFit,
    adjacency,
    default_origin,
    diffusion_classes,
    onsets,
    origin_of_event,
    spread_speed,
    spread_tree,
    units_affected_per_day,
)

KM_PER_DEGREE = 111.3
CENTRES = {"a": (0.5, 0.5), "b": (1.5, 0.5), "c": (2.5, 0.5), "d": (5.5, 0.5)}


def squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"region_id": ["a", "b", "c", "d"], "name_en": ["A", "B", "C", "D"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(5, 0, 6, 1)],
        crs="EPSG:4326",
    )


def events(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    """(unit, day of January 2022, event type) → a canonical-looking events frame, file order."""
    return pd.DataFrame(
        {
            "event_id_cnty": [f"E{i + 1}" for i in range(len(rows))],
            "event_date": pd.to_datetime([f"2022-01-{day:02d}" for _, day, _ in rows]),
            "time_precision": pd.array([1] * len(rows), dtype="Int8"),
            "event_type": [kind for _, _, kind in rows],
            "location": [f"town {unit.upper()}" for unit, _, _ in rows],
            "latitude": [CENTRES[unit][1] for unit, _, _ in rows],
            "longitude": [CENTRES[unit][0] for unit, _, _ in rows],
            "source_url": [f"https://example.org/{i + 1}" for i in range(len(rows))],
        }
    )


# Unrest: A on days 1, 2, 5; B on 2, 3; C and D on 3. C also has a decree on day 1, listed first.
STORY = [
    ("c", 1, "Strategic developments"),
    ("a", 1, "Protests"),
    ("a", 2, "Protests"),
    ("b", 2, "Riots"),
    ("b", 3, "Protests"),
    ("c", 3, "Riots"),
    ("d", 3, "Protests"),
    ("a", 5, "Protests"),
]


@pytest.fixture
def placed() -> pd.DataFrame:
    return geo.assign_regions(events(STORY), squares())


@pytest.fixture
def table(placed) -> pd.DataFrame:
    return onsets(placed, squares())


# --- onsets --------------------------------------------------------------------------------------


def test_onsets_ignore_decrees_and_rank_units_by_first_unrest_day(table, placed):
    assert table["region_id"].tolist() == ["a", "b", "c", "d"]
    assert table["unit"].tolist() == ["A", "B", "C", "D"]
    assert table["onset_date"].dt.day.tolist() == [1, 2, 3, 3]  # C's decree on day 1 is ignored
    assert table["onset_rank"].tolist() == [1, 2, 3, 3]
    assert table["days_since_origin"].tolist() == [0, 1, 2, 2]
    assert table["first_event_id"].tolist() == ["E2", "E4", "E6", "E7"]
    assert table["first_place"].tolist() == ["town A", "town B", "town C", "town D"]
    assert table["first_source_url"].iloc[0] == "https://example.org/2"
    assert table["onset_precision"].tolist() == [1, 1, 1, 1]
    expected_km = [0, KM_PER_DEGREE, 2 * KM_PER_DEGREE, 5 * KM_PER_DEGREE]
    assert table["distance_km"].tolist() == pytest.approx(expected_km, abs=0.1)
    assert default_origin(placed) == Origin(pd.Timestamp("2022-01-01"), 0.5, 0.5, "town A")


def test_onsets_list_unaffected_units_with_missing_values():
    placed = geo.assign_regions(events([("b", 4, "Protests")]), squares())
    table = onsets(placed, squares())
    assert table["region_id"].tolist() == ["b", "a", "c", "d"]  # affected first, then layout order
    assert table["onset_rank"].tolist() == [1, pd.NA, pd.NA, pd.NA]
    assert table.loc[1:, "onset_date"].isna().all()
    assert table.loc[1:, "distance_km"].isna().all()


def test_event_types_are_a_parameter(placed):
    types = ["Protests", "Riots", "Strategic developments"]
    table = onsets(placed, squares(), event_types=types)
    assert table["onset_date"].dt.day.tolist() == [1, 1, 2, 3]
    assert table["region_id"].tolist() == ["c", "a", "b", "d"]
    # Same-day tie: the decree in C comes first in file order, so it is the origin.
    assert default_origin(placed, types).label == "town C"
    assert table["distance_km"].tolist() == pytest.approx(
        [0, 2 * KM_PER_DEGREE, KM_PER_DEGREE, 3 * KM_PER_DEGREE], abs=0.1
    )


def test_origin_ties_go_to_the_first_row_in_file_order():
    rows = [("d", 1, "Protests"), ("a", 1, "Protests"), ("b", 2, "Protests")]
    assert default_origin(events(rows)).label == "town D"
    assert default_origin(events(rows[1:] + rows[:1])).label == "town A"


def test_an_explicit_origin_moves_the_zero(placed):
    table = onsets(placed, squares(), origin=Origin("2021-12-31", 0.5, 5.5, "D"))
    assert table["days_since_origin"].tolist() == [1, 2, 3, 3]
    assert table["distance_km"].tolist() == pytest.approx(
        [5 * KM_PER_DEGREE, 4 * KM_PER_DEGREE, 3 * KM_PER_DEGREE, 0], abs=0.1
    )


# --- speed ---------------------------------------------------------------------------------------


def hand_table(days: list[int | None], km: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_id": [f"u{i}" for i in range(len(days))],
            "days_since_origin": pd.array(days, dtype="Int64"),
            "distance_km": km,
        }
    )


def test_speed_of_exactly_linear_spread():
    fit = spread_speed(hand_table([0, 1, 2, 3, None], [10.0, 60.0, 110.0, 160.0, np.nan]))
    assert isinstance(fit, SpreadFit)
    assert fit.km_per_day == pytest.approx(50.0)
    assert fit.intercept_km == pytest.approx(10.0)
    assert fit.r_squared == pytest.approx(1.0)
    assert fit.n_units == 4  # the unit with no onset is left out
    assert fit.points["region_id"].tolist() == ["u0", "u1", "u2", "u3"]
    assert fit.reason is None


def test_speed_on_the_squares(table):
    # Points (days, degrees) (0, 0), (1, 1), (2, 2), (2, 5): means 1.25 and 2, Sxx = 2.75,
    # Sxy = 5, so the slope is 20/11 degrees a day and the intercept 2 - 1.25 x 20/11 = -3/11.
    fit = spread_speed(table)
    assert fit.km_per_day == pytest.approx(20 / 11 * KM_PER_DEGREE, abs=0.5)
    assert fit.intercept_km == pytest.approx(-3 / 11 * KM_PER_DEGREE, abs=0.5)
    assert fit.n_units == 4


def test_speed_needs_two_distinct_days():
    fit = spread_speed(hand_table([2, 2], [100.0, 300.0]))
    assert np.isnan(fit.km_per_day) and np.isnan(fit.intercept_km) and np.isnan(fit.r_squared)
    assert fit.n_units == 2
    assert "at least 2 distinct days" in fit.reason


# --- adjacency -----------------------------------------------------------------------------------


def test_adjacency_of_the_squares():
    edges = adjacency(squares())
    assert list(zip(edges["region_id_a"], edges["region_id_b"], strict=True)) == [
        ("a", "b"),
        ("b", "c"),
    ]
    # The shared side is the meridian arc from latitude 0 to 1: 110.57 km. The default tolerance
    # adds the 0.001° stubs of the top and bottom sides (2 x 0.11 km).
    exact = adjacency(squares(), tolerance_deg=0)
    assert exact["shared_border_km"].tolist() == pytest.approx([110.57, 110.57], abs=0.01)
    assert edges["shared_border_km"].tolist() == pytest.approx([110.80, 110.80], abs=0.01)


def test_adjacency_tolerates_a_small_gap_and_ignores_corners():
    regions = gpd.GeoDataFrame(
        {"region_id": ["a", "gap", "corner"], "name_en": ["A", "Gap", "Corner"]},
        geometry=[box(0, 0, 1, 1), box(1.0005, 0, 2, 1), box(-1, 1, 0, 2)],
        crs="EPSG:4326",
    )
    edges = adjacency(regions)
    assert list(zip(edges["region_id_a"], edges["region_id_b"], strict=True)) == [("a", "gap")]
    assert adjacency(regions, tolerance_deg=0).empty
    with_corners = adjacency(regions, min_shared_km=0)
    assert ("a", "corner") in set(
        zip(with_corners["region_id_a"], with_corners["region_id_b"], strict=True)
    )


def test_an_enclaved_city_shares_its_whole_perimeter():
    city = box(1, 1, 2, 2)
    region = Polygon([(0, 0), (3, 0), (3, 3), (0, 3)], holes=[list(city.exterior.coords)])
    regions = gpd.GeoDataFrame(
        {"region_id": ["region", "city"], "name_en": ["Region", "City"]},
        geometry=[region, city],
        crs="EPSG:4326",
    )
    edges = adjacency(regions, tolerance_deg=0)
    assert edges[["region_id_a", "region_id_b"]].values.tolist() == [["city", "region"]]
    # Two meridian arcs of 1° (110.6 km) and two parallels at latitudes 1 and 2 (111.3 and 111.2)
    assert edges["shared_border_km"].iloc[0] == pytest.approx(443.6, abs=0.3)


def test_bundled_enclaves_are_adjacent_to_their_regions():
    edges = adjacency(geo.load_regions("2022-01"))
    pairs = set(zip(edges["region_id_a"], edges["region_id_b"], strict=True))
    assert {("almaty_city", "almaty_region"), ("akmola", "astana"), ("shymkent", "turkistan")} <= (
        pairs
    )
    assert ("atyrau", "mangystau") in pairs
    assert ("mangystau", "west_kazakhstan") not in pairs
    assert (edges["shared_border_km"] >= 1).all()


# --- diffusion classes ---------------------------------------------------------------------------


def classes(placed: pd.DataFrame, k: int) -> dict[str, list[str]]:
    """Per unit, the class of each day as a letter: F, E, C, R, or '.' when inactive."""
    letters = {"flashpoint": "F", "escalation": "E", "containment": "C", "relocation": "R"}
    table = diffusion_classes(placed, squares(), k=k)
    shown = table["class"].map(letters).astype(object).fillna(".")
    return {rid: "".join(shown[table["region_id"] == rid]) for rid in table["region_id"].unique()}


def test_diffusion_classes_with_k_1(placed):
    # Day 2: B is new, neighbour A was active on day 1 and still is → escalation; A → containment.
    # Day 3: C is new, B was active on day 2 and still is → escalation; D has no neighbours.
    # Day 5: A is new again; no neighbour was active on day 4 → flashpoint.
    assert classes(placed, 1) == {"a": "FC..F", "b": ".EC..", "c": "..E..", "d": "..F.."}


def test_diffusion_classes_with_k_2(placed):
    # Day 5: A was quiet on days 3-4, neighbour B was active on day 3 and is quiet today →
    # relocation.
    assert classes(placed, 2) == {"a": "FC..R", "b": ".EC..", "c": "..E..", "d": "..F.."}


def test_diffusion_table_shape_and_types(placed):
    table = diffusion_classes(placed, squares(), k=1)
    assert list(table.columns) == ["region_id", "date", "active", "class"]
    assert len(table) == 4 * 5  # every unit x every day from 1 to 5 January
    assert table["date"].min() == pd.Timestamp("2022-01-01")
    assert list(table["class"].cat.categories) == list(DIFFUSION_CLASSES)
    assert table["class"].isna().equals(~table["active"])
    # The decree in C on day 1 does not make C active.
    assert not table.loc[(table["region_id"] == "c") & (table["date"].dt.day == 1), "active"].any()


def test_escalation_wins_when_one_neighbour_goes_quiet_and_another_stays_active():
    # Day 1: A and C active. Day 2: A still active, C quiet, B new → escalation (not relocation).
    rows = [("a", 1, "Protests"), ("c", 1, "Protests"), ("a", 2, "Protests"), ("b", 2, "Riots")]
    placed = geo.assign_regions(events(rows), squares())
    assert classes(placed, 1)["b"] == ".E"
    # Without A on day 2, every window-active neighbour of B is quiet → relocation.
    placed = geo.assign_regions(events([rows[0], rows[1], rows[3]]), squares())
    assert classes(placed, 1)["b"] == ".R"


def test_diffusion_uses_given_edges(placed):
    edges = pd.DataFrame({"region_id_a": ["c"], "region_id_b": ["d"], "shared_border_km": [1.0]})
    table = diffusion_classes(placed, squares(), k=1, edges=edges)
    day3 = table[table["date"].dt.day == 3].set_index("region_id")["class"]
    assert day3["c"] == "flashpoint"  # B is no longer C's neighbour
    assert day3["d"] == "flashpoint"  # C is D's neighbour but was quiet on day 2


# --- spread tree and daily counts ----------------------------------------------------------------


def test_spread_tree_links_to_the_nearest_earlier_unit(table):
    tree = spread_tree(table)
    assert tree["region_id"].tolist() == ["a", "b", "c", "d"]
    # D's nearest unit is C (3°), but C was reached the same day; B (4°) is nearer than A (5°).
    assert tree["parent_region_id"].tolist() == [pd.NA, "a", "b", "b"]
    assert tree["distance_km"].tolist() == pytest.approx(
        [np.nan, KM_PER_DEGREE, KM_PER_DEGREE, 4 * KM_PER_DEGREE], abs=0.1, nan_ok=True
    )
    assert tree["parent_onset_date"].dt.day.tolist()[1:] == [1, 2, 2]
    assert pd.isna(tree["parent_onset_date"].iloc[0])
    d = tree.iloc[3]
    assert (d["from_longitude"], d["from_latitude"]) == (1.5, 0.5)
    assert (d["to_longitude"], d["to_latitude"]) == (5.5, 0.5)


def test_units_affected_per_day(table):
    daily = units_affected_per_day(table)
    assert daily["date"].dt.day.tolist() == [1, 2, 3]
    assert daily["new_units"].tolist() == [1, 1, 2]
    assert daily["cumulative_units"].tolist() == [1, 2, 4]
    assert daily["new_unit_names"].tolist() == ["A", "B", "C, D"]


def test_units_affected_per_day_fills_quiet_days():
    placed = geo.assign_regions(events([("a", 1, "Protests"), ("b", 4, "Riots")]), squares())
    daily = units_affected_per_day(onsets(placed, squares()))
    assert daily["new_units"].tolist() == [1, 0, 0, 1]
    assert daily["cumulative_units"].tolist() == [1, 1, 1, 2]
    assert daily["new_unit_names"].tolist() == ["A", "", "", "B"]


# --- bad arguments -------------------------------------------------------------------------------


def test_unknown_region_ids_are_refused(placed):
    stray = placed.assign(region_id=placed["region_id"].astype("string").replace("d", "zz"))
    with pytest.raises(ValueError, match=r"placed has region_id value\(s\) \['zz'\]"):
        onsets(stray, squares())
    with pytest.raises(ValueError, match=r"placed has region_id value\(s\) \['zz'\]"):
        diffusion_classes(stray, squares())
    edges = pd.DataFrame({"region_id_a": ["a"], "region_id_b": ["nowhere"]})
    with pytest.raises(ValueError, match=r"edges has region_id value\(s\) \['nowhere'\]"):
        diffusion_classes(placed, squares(), edges=edges)


@pytest.mark.parametrize("k", [0, -1, 1.5, True, "3"])
def test_k_must_be_a_whole_number_of_days(placed, k):
    with pytest.raises(ValueError, match=r"k must be a whole number of days >= 1, got"):
        diffusion_classes(placed, squares(), k=k)


def test_other_bad_arguments(placed, table):
    with pytest.raises(ValueError, match=r"event_types .* single string 'Protests'"):
        onsets(placed, squares(), event_types="Protests")
    with pytest.raises(ValueError, match=r"event_types must be a non-empty collection"):
        onsets(placed, squares(), event_types=[])
    with pytest.raises(ValueError, match=r"Origin.latitude must be a number between -90 and 90"):
        Origin("2022-01-02", 95.0, 52.0)
    with pytest.raises(ValueError, match=r"Origin.date must be a date, got 'soon'"):
        Origin("soon", 43.0, 52.0)
    with pytest.raises(ValueError, match=r"origin must be an Origin or None, got tuple"):
        onsets(placed, squares(), origin=("2022-01-02", 43.0, 52.0))
    with pytest.raises(ValueError, match=r"placed is missing column\(s\) \['region_id'\]"):
        onsets(placed.drop(columns="region_id"), squares())
    with pytest.raises(ValueError, match=r"onset_table is missing column\(s\) \['distance_km'\]"):
        spread_speed(table.drop(columns="distance_km"))
    with pytest.raises(ValueError, match=r"tolerance_deg must be a number in \[0, 1\)"):
        adjacency(squares(), tolerance_deg=-0.1)


# --- the bundled January 2022 record -------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    regions = geo.load_regions("2022-01")
    return geo.assign_regions(geo.load_bundled_events().events, regions), regions


def test_bundled_onsets(bundled):
    placed, regions = bundled
    table = onsets(placed, regions).set_index("region_id")
    assert len(table) == 17 and set(table.index) == set(regions["region_id"])
    day = table["onset_date"].dt.day
    assert table.loc["mangystau", "onset_rank"] == 1
    assert table.loc["mangystau", "onset_date"] == pd.Timestamp("2022-01-02")
    assert (table["onset_rank"] == 1).sum() == 1
    assert day[["west_kazakhstan", "atyrau"]].tolist() == [3, 3]
    assert day["almaty_city"] <= 4 and day["astana"] == 4
    assert day[["pavlodar", "north_kazakhstan", "east_kazakhstan"]].tolist() == [5, 5, 5]
    # Akmola and Turkistan have only decrees and reports (Strategic developments) in the record.
    assert table.loc[["akmola", "turkistan"], "onset_date"].isna().all()
    assert table["onset_date"].notna().sum() == 15
    assert table["days_since_origin"].max() == 3  # all 15 reached within four days (2-5 Jan)
    assert table.loc["almaty_city", "distance_km"] == pytest.approx(2075, abs=150)
    counted = onsets(placed, regions, event_types=geo.EVENT_TYPES).set_index("region_id")
    assert counted["onset_date"].notna().all()


def test_bundled_origin_is_zhanaozen(bundled):
    # Aktau and Zhanaozen both protested on 2 January; the tie goes to the first row, and the
    # record lists Zhanaozen first because the reports put the start of the unrest there.
    placed, regions = bundled
    table = onsets(placed, regions).set_index("region_id")
    assert table.loc["mangystau", "first_place"] == "Zhanaozen"
    assert table.loc["mangystau", "onset_rank"] == 1
    assert default_origin(placed).label == "Zhanaozen"


def test_bundled_origin_can_be_pinned_to_another_event(bundled):
    placed, regions = bundled
    aktau = origin_of_event(placed, "QNT-KAZ-0003")
    assert aktau == Origin(pd.Timestamp("2022-01-02"), 43.6611, 51.1739, "Aktau")
    table = onsets(placed, regions, origin=aktau).set_index("region_id")
    # Zhanaozen, the first event in Mangystau, is 140 km east of Aktau.
    assert table.loc["mangystau", "distance_km"] == pytest.approx(140, abs=10)
    with pytest.raises(ValueError, match=r"event_id 'QNT-KAZ-9999' is not an event_id_cnty"):
        origin_of_event(placed, "QNT-KAZ-9999")


def test_bundled_diffusion_and_tree(bundled):
    placed, regions = bundled
    table = diffusion_classes(placed, regions, k=3)
    assert len(table) == 17 * table["date"].nunique()
    first = table[table["active"]].sort_values("date").iloc[0]
    assert (first["region_id"], first["class"]) == ("mangystau", "flashpoint")
    tree = spread_tree(onsets(placed, regions))
    assert len(tree) == 15
    assert tree["parent_region_id"].isna().sum() == 1
    daily = units_affected_per_day(onsets(placed, regions))
    # 2 Jan Mangystau; 3 Jan West Kazakhstan, Atyrau and Almaty (the city police chief's account
    # of that day's gatherings); 4 Jan eight more; 5 Jan Pavlodar, North and East Kazakhstan
    assert daily["cumulative_units"].tolist() == [1, 4, 12, 15]
