"""Matching two sources' events: hand-built cases, and a brute-force oracle on random data.

Distances are set along a meridian, where 1 degree of latitude is EARTH_RADIUS_KM·π/180 km
(111.195 km), so a case's kilometres are written as they are meant.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.analysis.matching import (
    CATEGORY_GROUPS,
    EARTH_RADIUS_KM,
    category_group,
    great_circle_km,
    match_events,
)
from geo.errors import ArgumentError

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
ZHANAOZEN = (43.3412, 52.8619)


def events(*rows: tuple) -> pd.DataFrame:
    """Rows of (km north of Zhanaozen, day of January 2022, category)."""
    return pd.DataFrame(
        {
            "event_date": [pd.Timestamp(2022, 1, day) for _, day, _ in rows],
            "event_type": [category for _, _, category in rows],
            "latitude": [ZHANAOZEN[0] + km / KM_PER_DEGREE for km, _, _ in rows],
            "longitude": [ZHANAOZEN[1]] * len(rows),
        }
    )


def pairs(a: pd.DataFrame, b: pd.DataFrame, **windows) -> list[tuple[int, int]]:
    found = match_events(a, b, **windows).pairs
    return list(zip(found["a_row"].tolist(), found["b_row"].tolist(), strict=True))


def test_nearest_first_is_not_each_event_taking_its_nearest_in_file_order():
    """A0 at 0 km, A1 at 10 km; B0 at 6 km, B1 at 48 km. Taking each A's nearest free B in
    file order pairs A0-B0 (6 km) and A1-B1 (38 km); nearest first pairs A1-B0 (4 km), then
    A0-B1 (48 km), within 50 km."""
    a = events((0, 5, "Protests"), (10, 5, "Protests"))
    b = events((6, 5, "Protests"), (48, 5, "Protests"))
    assert pairs(a, b) == [(0, 1), (1, 0)]
    found = match_events(a, b).pairs
    assert found["km"].round(3).tolist() == [48.0, 4.0]


def test_an_event_matches_once_and_the_rest_stay_unmatched():
    a = events((0, 5, "Protests"))
    b = events((1, 5, "Protests"), (2, 5, "Protests"))
    matches = match_events(a, b)
    assert pairs(a, b) == [(0, 0)]
    assert matches.b_matched.tolist() == [True, False]


def test_the_windows_are_inclusive_and_nothing_beyond_them_matches():
    a = events((0, 5, "Protests"), (0, 5, "Battles"), (0, 3, "Protests"))
    b = events((49.99, 6, "Protests"), (50.01, 5, "Battles"), (0, 7, "Protests"))
    assert pairs(a, b) == [(0, 0)]  # 49.99 km and 1 day apart; the rest too far or too late
    assert pairs(a, b, km=51, days=2) == [(0, 2), (1, 1)]  # 0 km but 2 days apart goes first
    assert pairs(a, b, km=51, days=4) == [(0, 2), (1, 1), (2, 0)]
    assert pairs(a, b, days=0) == []


def test_a_tie_in_distance_goes_to_the_smaller_day_gap_then_to_file_order():
    a = events((0, 5, "Protests"), (0, 6, "Protests"))
    b = events((5, 6, "Protests"))
    assert pairs(a, b) == [(1, 0)]  # same distance: the same-day event wins
    a = events((0, 5, "Protests"), (10, 5, "Protests"))
    b = events((5, 5, "Protests"))
    assert pairs(a, b) == [(0, 0)]  # same distance, same day: the first in A's file
    a = events((0, 5, "Protests"), (0, 5, "Protests"))
    b = events((3, 5, "Protests"), (3, 5, "Protests"), (3, 5, "Protests"))
    assert pairs(a, b) == [(0, 0), (1, 1)]  # one place each side: paired in file order


def test_categories_match_within_their_group_only():
    a = events((0, 5, "Protests"), (0, 5, "Battles"), (0, 5, "Strategic developments"))
    b = events(
        (1, 5, "Coercion (incl. arrests)"),  # CAMEO 17 -> strategic developments
        (1, 5, "14"),  # CAMEO's protest root -> demonstrations
        (1, 5, "Violence against civilians"),  # -> political violence
    )
    assert pairs(a, b) == [(0, 1), (1, 2), (2, 0)]


def test_a_category_not_in_the_table_matches_itself_only_and_the_table_can_be_changed():
    a = events((0, 5, "Strike"), (0, 5, "Protests"))
    b = events((1, 5, "Protests"), (1, 5, "Strike"))
    assert pairs(a, b) == [(0, 1), (1, 0)]
    merged = {**CATEGORY_GROUPS, "Strike": "Demonstrations"}
    a = events((0, 5, "Strike"))
    b = events((1, 5, "Protests"))
    assert pairs(a, b) == []
    assert pairs(a, b, groups=merged) == [(0, 0)]
    assert category_group(None) == ""
    assert category_group("Riots") == category_group("Protests") == "Demonstrations"


def test_rows_without_a_day_or_a_point_never_match():
    a = events((0, 5, "Protests"), (0, 5, "Protests"))
    a.loc[0, "latitude"] = np.nan
    b = events((0, 5, "Protests"), (0, 5, "Protests"))
    b.loc[1, "event_date"] = pd.NaT
    matches = match_events(a, b)
    assert pairs(a, b) == [(1, 0)]
    assert matches.a_matched.tolist() == [False, True]
    assert match_events(a.iloc[:0], b).pairs.empty


@pytest.mark.parametrize("km, days", [(0, 1), (5000, 1), ("far", 1), (50, -1), (50, 1.5)])
def test_windows_out_of_range_say_what_is_allowed(km, days):
    with pytest.raises(ArgumentError, match="window"):
        match_events(events(), events(), km=km, days=days)


def brute_force(a: pd.DataFrame, b: pd.DataFrame, km: float, days: int) -> list[tuple[int, int]]:
    """The rule in its plainest form: every pair within the windows and of one group, taken
    nearest first (ties: day gap, then the site first seen in A's file, then in B's, then file
    order), each event once."""

    def site_ranks(frame: pd.DataFrame) -> list[int]:
        keys = zip(
            frame["event_date"],
            frame["event_type"].map(category_group),
            frame["latitude"],
            frame["longitude"],
            strict=True,
        )
        seen: dict = {}
        return [seen.setdefault(key, len(seen)) for key in keys]

    a_site, b_site = site_ranks(a), site_ranks(b)
    candidates = []
    for i, ra in enumerate(a.itertuples()):
        for j, rb in enumerate(b.itertuples()):
            if category_group(ra.event_type) != category_group(rb.event_type):
                continue
            distance = float(great_circle_km(ra.latitude, ra.longitude, rb.latitude, rb.longitude))
            gap = abs((rb.event_date - ra.event_date).days)
            if distance <= km and gap <= days:
                candidates.append((round(distance, 3), gap, a_site[i], b_site[j], i, j))
    used_a, used_b, found = set(), set(), []
    for *_, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            found.append((i, j))
    return sorted(found)


def random_events(rng: np.random.Generator, towns: np.ndarray, n: int) -> pd.DataFrame:
    """Half the events on a town's exact point (as GDELT puts them), half scattered near it."""
    town = rng.integers(0, len(towns), n)
    scattered = rng.random(n) < 0.5
    return pd.DataFrame(
        {
            "event_date": pd.Timestamp(2022, 1, 3) + pd.to_timedelta(rng.integers(0, 4, n), "D"),
            "event_type": rng.choice(["Protests", "Riots", "14", "Battles", "Strike"], n),
            "latitude": (towns[town, 0] + scattered * rng.normal(0, 0.3, n)).round(2),
            "longitude": (towns[town, 1] + scattered * rng.normal(0, 0.3, n)).round(2),
        }
    )


@pytest.mark.parametrize("seed", range(12))
def test_it_pairs_exactly_what_the_brute_force_rule_pairs(seed):
    rng = np.random.default_rng(seed)
    towns = np.column_stack([rng.uniform(42, 45, 6), rng.uniform(50, 54, 6)])
    a = random_events(rng, towns, int(rng.integers(20, 70)))
    b = random_events(rng, towns, int(rng.integers(20, 70)))
    km, days = float(rng.choice([5, 20, 50])), int(rng.integers(0, 3))
    assert sorted(pairs(a, b, km=km, days=days)) == brute_force(a, b, km, days)


def test_points_across_the_antimeridian_and_near_a_pole_are_measured_on_the_sphere():
    a = pd.DataFrame(
        {
            "event_date": [pd.Timestamp(2022, 1, 5)] * 2,
            "event_type": ["Protests"] * 2,
            "latitude": [0.0, 89.9],
            "longitude": [179.9, 0.0],
        }
    )
    b = a.assign(longitude=[-179.9, 180.0])
    found = match_events(a, b, km=30).pairs
    assert found[["a_row", "b_row"]].values.tolist() == [[0, 0], [1, 1]]
    assert found["km"].round(1).tolist() == [22.2, 22.2]
