from __future__ import annotations

import pandas as pd
import pytest

from geo import region_day_counts, values_at


@pytest.fixture
def joined() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_id": pd.array(["a", "a", "b", None], dtype="string"),
            "event_date": pd.to_datetime(["2022-01-02", "2022-01-04", "2022-01-04", "2022-01-05"]),
            "fatalities": pd.array([None, 2, 1, 9], dtype="Int64"),
            "event_type": ["Protests", "Riots", "Protests", "Riots"],
        }
    )


def test_every_region_and_day_is_present_with_zeros(joined):
    counts = region_day_counts(joined, ["a", "b", "c"])
    assert len(counts) == 3 * 4  # 2 to 5 January
    a = counts[counts["region_id"] == "a"].set_index("date")
    assert a["events"].tolist() == [1, 0, 1, 0]
    assert a["fatalities"].tolist() == [0, 0, 2, 0]
    assert counts[counts["region_id"] == "c"]["events"].sum() == 0


@pytest.mark.parametrize(
    ("mode", "expected_a", "expected_b"),
    [("daily", 1, 1), ("cumulative", 2, 1), ("window", 1, 1)],
)
def test_values_on_a_date_by_mode(joined, mode, expected_a, expected_b):
    counts = region_day_counts(joined, ["a", "b"])
    values = values_at(counts, pd.Timestamp("2022-01-04"), mode, window_days=2).set_index(
        "region_id"
    )
    assert values.loc["a", "events"] == expected_a
    assert values.loc["b", "events"] == expected_b


def test_unknown_mode_is_refused(joined):
    counts = region_day_counts(joined, ["a"])
    with pytest.raises(ValueError, match="mode must be one of"):
        values_at(counts, pd.Timestamp("2022-01-04"), "weekly")
