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


def test_hourly_counts_use_the_time_of_day():
    from geo.analysis.aggregate import region_hour_counts

    joined = pd.DataFrame(
        {
            "region_id": pd.array(["a", "a", "b", "a"], dtype="string"),
            "event_datetime": pd.to_datetime(
                ["2022-01-05 14:10", "2022-01-05 14:50", "2022-01-05 16:05", None]
            ),
            "fatalities": pd.array([1, None, 2, 5], dtype="Int64"),
        }
    )
    counts = region_hour_counts(joined, ["a", "b"]).set_index(["region_id", "hour"])
    assert len(counts) == 2 * 3  # 14:00, 15:00 and 16:00 for each region
    assert counts.loc[("a", pd.Timestamp("2022-01-05 14:00")), "events"] == 2
    assert counts.loc[("a", pd.Timestamp("2022-01-05 14:00")), "fatalities"] == 1
    assert counts.loc[("b", pd.Timestamp("2022-01-05 16:00")), "events"] == 1
    assert counts.loc[("a", pd.Timestamp("2022-01-05 15:00")), "events"] == 0
    assert region_hour_counts(joined, ["a", "b"]).attrs["rows_without_time"] == 1


def test_hourly_counts_need_times():
    from geo.analysis.aggregate import region_hour_counts

    with pytest.raises(ValueError, match="need an event_datetime column"):
        region_hour_counts(pd.DataFrame({"region_id": ["a"]}), ["a"])


def test_hourly_counts_from_an_imported_file_with_zoned_times():
    import geo
    from geo.analysis.aggregate import region_hour_counts

    csv = (
        b"date,lat,lon\n"
        b"2022-01-05T14:10:00+06:00,43.25,76.95\n"  # Almaty, local time
        b"2022-01-05T09:20:00+01:00,43.25,76.95\n"  # the same hour, reported in UTC+1
    )
    imported = geo.read_events(csv, name="timed.csv")
    placed = geo.assign_regions(imported.events, geo.load_regions("2022-01"))
    counts = region_hour_counts(placed, ["almaty_city"])
    assert counts["events"].tolist() == [2]
    assert counts["hour"].tolist() == [pd.Timestamp("2022-01-05 14:00")]


def test_counts_by_region_day_and_type(joined):
    from geo import region_day_type_counts

    table = region_day_type_counts(joined)
    assert table.to_dict("records") == [
        {
            "region_id": "a",
            "date": pd.Timestamp("2022-01-02"),
            "event_type": "Protests",
            "events": 1,
        },
        {"region_id": "a", "date": pd.Timestamp("2022-01-04"), "event_type": "Riots", "events": 1},
        {
            "region_id": "b",
            "date": pd.Timestamp("2022-01-04"),
            "event_type": "Protests",
            "events": 1,
        },
    ]
