"""Two sources compared: every number of the comparison against a case worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import geo
from geo.analysis.compare import compare
from geo.errors import ArgumentError

TOWNS = {
    "Zhanaozen": (43.3412, 52.8619),
    "Aktau": (43.6611, 51.1739),
    "Atyrau": (47.1048, 51.8843),
    "Aktobe": (50.2797, 57.2072),
    "Uralsk": (51.2460, 51.4256),
    "Almaty": (43.2525, 76.9115),
}
A_ROWS = [
    ("2022-01-02", "Protests", "Zhanaozen"),
    ("2022-01-03", "Protests", "Aktau"),
    ("2022-01-04", "Protests", "Atyrau"),
    ("2022-01-04", "Protests", "Aktobe"),
    ("2022-01-05", "Riots", "Almaty"),
    ("2022-01-05", "Protests", "Uralsk"),
    ("2022-01-01", "Strategic developments", "Aktau"),  # before B's first day: left out
]
B_ROWS = [
    ("2022-01-02", "Protests", "Zhanaozen"),  # A's row 0
    ("2022-01-04", "Protests", "Aktau"),  # A's row 1, a day later
    ("2022-01-04", "Protests", "Aktobe"),  # A's row 3
    ("2022-01-05", "Protests", "Almaty"),  # A's riot: one group
    ("2022-01-05", "Battles", "Almaty"),  # no partner
    ("2022-01-03", "Protests", "Uralsk"),  # two days before A's: no partner
    ("2022-01-06", "Protests", "Atyrau"),  # after A's last day: left out
]


def dataset(rows, name: str, shift_km: float = 0.0) -> geo.Dataset:
    lines = ["event_date,event_type,location,latitude,longitude"]
    for day, kind, town in rows:
        lat, lon = TOWNS[town]
        lines.append(f"{day},{kind},{town},{lat + shift_km / 111.195:.5f},{lon}")
    return geo.load_dataset("\n".join(lines).encode(), name=name)


def day(value) -> str | None:
    return None if pd.isna(value) else str(pd.Timestamp(value).date())


@pytest.fixture(scope="module")
def comparison():
    return compare(dataset(A_ROWS, "a.csv"), dataset(B_ROWS, "b.csv", shift_km=3))


def test_the_whole(comparison):
    assert (comparison.first_day, comparison.last_day) == (
        pd.Timestamp(2022, 1, 2),
        pd.Timestamp(2022, 1, 5),
    )
    assert (comparison.a_left_out, comparison.b_left_out) == (1, 1)
    assert (len(comparison.a_events), len(comparison.b_events)) == (6, 6)
    assert (comparison.matched, comparison.a_only, comparison.b_only) == (4, 2, 2)
    assert comparison.a_match_rate == comparison.b_match_rate == pytest.approx(4 / 6)
    assert comparison.estimated_total == pytest.approx(6 * 6 / 4)


def test_the_pairs(comparison):
    a, b = comparison.a_events, comparison.b_events
    found = comparison.matches.pairs
    named = {
        (a["location"][i], str(a["event_date"][i].date()), b["event_type"][j])
        for i, j in zip(found["a_row"], found["b_row"], strict=True)
    }
    assert named == {
        ("Zhanaozen", "2022-01-02", "Protests"),
        ("Aktau", "2022-01-03", "Protests"),
        ("Aktobe", "2022-01-04", "Protests"),
        ("Almaty", "2022-01-05", "Protests"),
    }
    assert found["km"].round(1).tolist() == [3.0] * 4


def test_each_region(comparison):
    table = comparison.regions.set_index("region_id")
    expected = {
        # region: a, b, matched, a_only, b_only, a_onset, b_onset, lag
        "mangystau": (2, 2, 2, 0, 0, "2022-01-02", "2022-01-02", 0),
        "atyrau": (1, 0, 0, 1, 0, "2022-01-04", None, None),
        "aktobe": (1, 1, 1, 0, 0, "2022-01-04", "2022-01-04", 0),
        "almaty_city": (1, 2, 1, 0, 1, "2022-01-05", "2022-01-05", 0),
        "west_kazakhstan": (1, 1, 0, 1, 1, "2022-01-05", "2022-01-03", 2),
    }
    for region, (na, nb, m, a_only, b_only, a_on, b_on, lag) in expected.items():
        row = table.loc[region]
        assert (row.a_events, row.b_events, row.matched, row.a_only, row.b_only) == (
            na, nb, m, a_only, b_only,
        ), region  # fmt: skip
        lag_days = None if pd.isna(row.lag_days) else int(row.lag_days)
        assert (day(row.a_onset), day(row.b_onset), lag_days) == (a_on, b_on, lag), region
    rest = table.drop(index=list(expected))
    assert len(rest) == 17 - len(expected)
    assert (rest[["a_events", "b_events", "matched", "a_only", "b_only"]] == 0).all().all()
    assert rest[["a_onset", "b_onset", "lag_days"]].isna().all().all()


def test_the_onset_order_and_the_daily_counts(comparison):
    # regions with an onset in both: Mangystau, Aktobe, Almaty, West Kazakhstan
    a_ranks = [1, 2, 3.5, 3.5]  # 2, 4, 5, 5 January
    b_ranks = [1, 3, 4, 2]  # 2, 4, 5, 3 January
    assert comparison.onset_rank_correlation == pytest.approx(np.corrcoef(a_ranks, b_ranks)[0, 1])
    a_daily, b_daily = [1, 1, 2, 2], [1, 1, 2, 2]  # 2 to 5 January
    lagged = comparison.daily_correlations()
    assert list(lagged) == [-3, -2, -1, 0, 1, 2, 3]
    assert lagged[0] == pytest.approx(1.0)
    assert lagged[1] == pytest.approx(np.corrcoef(a_daily[:3], b_daily[1:])[0, 1])
    assert lagged[-1] == pytest.approx(np.corrcoef(a_daily[1:], b_daily[:3])[0, 1])
    assert lagged[2] is lagged[-2] is lagged[3] is lagged[-3] is None  # fewer than 3 days


def test_a_source_against_itself_matches_every_event():
    record = geo.load_dataset()
    itself = compare(record, record)
    assert itself.matched == len(record.events) == len(itself.a_events)
    assert itself.estimated_total == len(record.events)
    assert itself.onset_rank_correlation == pytest.approx(1.0)
    assert (itself.regions["lag_days"].dropna() == 0).all()


def test_sources_that_cannot_be_compared_say_why():
    record = geo.load_dataset()
    later = dataset([("2023-03-01", "Protests", "Aktau")], "later.csv")
    with pytest.raises(ArgumentError, match="different boundary layouts"):
        compare(record, later)
    same_layout = geo.load_dataset(
        f"event_date,event_type,latitude,longitude\n2023-03-01,Protests,{TOWNS['Aktau'][0]},"
        f"{TOWNS['Aktau'][1]}\n".encode(),
        name="2023.csv",
        layout=record.layout,
    )
    with pytest.raises(ArgumentError, match=r"share no day.*2022-01-01 to 2022-01-19"):
        compare(record, same_layout)
