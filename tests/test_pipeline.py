"""From events to a dataset (the one recipe, load_dataset), stepped by day or by hour."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import geo.pipeline
from geo.analysis.aggregate import values_at
from geo.errors import EventDataError
from geo.io.acled import ACLED_ATTRIBUTION
from geo.paths import BUNDLED_EVENTS
from geo.pipeline import (
    acled_attribution,
    build_dataset,
    by_hour,
    has_times,
    load_dataset,
    read_counts,
    restrict_dataset,
    view_dataset,
)
from geo.render.listings import frame_alt_text, region_events
from geo.render.webmap import player_payload
from tests.paths import FIXTURES

TWO_PROBLEMS_IN_ONE_ROW = (
    b"event_date,event_type,location,latitude,longitude,fatalities\n"
    b"2022-01-04,Protests,Aktobe,50.2797,57.2072,2\n"
    b"2022-01-05,Protests,Atyrau,95,51.8843,many\n"
)
"""Two data rows; the second has two problems (latitude and fatalities)."""


@pytest.fixture
def timed(three_squares):
    events = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-05", "2022-01-05", "2022-01-06"]),
            "event_datetime": pd.to_datetime(["2022-01-05 14:10", "2022-01-05 16:50", None]),
            "latitude": [0.5, 0.5, 0.5],
            "longitude": [0.5, 1.5, 2.5],
            "event_type": ["Protests", "Protests", "Riots"],
            "sub_event_type": ["Peaceful protest", "Peaceful protest", "Mob violence"],
            "source": ["S", "S", "S"],
            "fatalities_source": [None, "Ministry", None],
            "location": ["A town", "B town", "C town"],
            "notes": ["a", "b", "c"],
            "source_url": [None, None, None],
            "fatalities": pd.array([None, 1, None], dtype="Int64"),
            "time_precision": pd.array([1, 1, 1], dtype="Int8"),
            "geo_precision": pd.array([1, 1, 1], dtype="Int8"),
        }
    )
    return build_dataset(events, three_squares, name="timed.csv")


def test_by_hour_steps_through_the_hours_of_the_timed_events(timed):
    assert has_times(timed)
    hourly = by_hour(timed)
    assert hourly.step == "hour"
    assert hourly.frames == list(pd.date_range("2022-01-05 14:00", "2022-01-05 16:00", freq="h"))
    per_hour = hourly.counts.groupby("date")["events"].sum().tolist()
    assert per_hour == [1, 0, 1]
    onsets = hourly.onsets.set_index("region_id")["onset_date"]
    assert onsets["a"] == pd.Timestamp("2022-01-05 14:00")
    assert onsets["b"] == pd.Timestamp("2022-01-05 16:00")
    assert pd.isna(onsets["c"])  # its only event has no time of day
    assert hourly.notes[-1] == "stepping by hour: 1 events without a time of day are left out"


def test_the_hourly_player_labels_hours_and_counts_in_hours(timed):
    payload = player_payload(by_hour(timed))
    assert payload["frames"] == ["2022-01-05T14:00", "2022-01-05T15:00", "2022-01-05T16:00"]
    assert payload["labels"][0] == "05 Jan 2022 14:00"
    assert payload["onset"]["b"] == 2 and payload["origin_day"] == 0
    assert payload["onset_prefix"] == "H+"


def test_the_hourly_player_shows_pythons_alt_text_for_each_hour(timed):
    hourly = by_hour(timed)
    payload = player_payload(hourly)
    assert payload["alt"] == [
        frame_alt_text(hourly.onsets, 3, hour, step="hour") for hour in hourly.frames
    ]
    assert (
        payload["alt"][-1]
        == "2022-01-05 16:00: 2 of 3 regions where the unrest has begun; new that hour: B."
    )


def test_hourly_text_and_panel_use_the_hour(timed):
    hourly = by_hour(timed)
    hour = pd.Timestamp("2022-01-05 16:00")
    assert frame_alt_text(hourly.onsets, 3, hour, step="hour") == (
        "2022-01-05 16:00: 2 of 3 regions where the unrest has begun; new that hour: B."
    )
    assert region_events(hourly.events, "b", hour, "daily", step="hour")["notes"].tolist() == ["b"]
    assert region_events(hourly.events, "a", hour, "daily", step="hour").empty
    assert region_events(hourly.events, "a", hour, "window", 3, step="hour")["notes"].tolist() == [
        "a"
    ]


def test_hourly_values_count_the_hour_not_its_day(timed):
    """The side table at 16:00 counts what happened by 16:00 (before: the day's midnight, 0)."""
    hourly = by_hour(timed)
    hour = pd.Timestamp("2022-01-05 16:00")
    daily = values_at(hourly.counts, hour, "daily", step="hour").set_index("region_id")
    assert daily["events"].to_dict() == {"a": 0, "b": 1, "c": 0}
    upto = values_at(hourly.counts, hour, "cumulative", step="hour").set_index("region_id")
    assert upto["events"].to_dict() == {"a": 1, "b": 1, "c": 0}
    before = values_at(hourly.counts, hour - pd.Timedelta(hours=1), "window", 1, step="hour")
    assert before.set_index("region_id")["events"].sum() == 0


def test_untimed_data_is_not_offered_hours(three_squares):
    events = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-05"]),
            "latitude": [0.5],
            "longitude": [0.5],
            "event_type": ["Protests"],
            "fatalities": pd.array([None], dtype="Int64"),
        }
    )
    assert not has_times(build_dataset(events, three_squares, name="untimed.csv"))


def test_each_filter_of_a_dataset_has_its_own_fingerprint(timed):
    """The cache key of a filtered dataset is what it keeps, not the word "filtered": two
    filters used to share one key, and so one (wrong) map."""
    keep_a = (timed.events["region_id"] == "a").to_numpy()
    keep_b = (timed.events["region_id"] == "b").to_numpy()
    only_a = restrict_dataset(timed, keep_a, label="filtered")
    only_b = restrict_dataset(timed, keep_b, label="filtered")
    assert only_a.fingerprint != only_b.fingerprint
    assert only_a.fingerprint != timed.fingerprint
    assert restrict_dataset(timed, keep_a, label="other").fingerprint == only_a.fingerprint
    assert by_hour(only_a).fingerprint != by_hour(only_b).fingerprint


def test_a_row_with_two_problems_is_one_row_read():
    dataset = load_dataset(TWO_PROBLEMS_IN_ONE_ROW, name="two.csv")
    assert [(p.row, p.column) for p in dataset.problems] == [(2, "latitude"), (2, "fatalities")]
    counts = read_counts(dataset)
    assert (counts.rows_read, counts.loaded, counts.placed, counts.rejected) == (2, 1, 1, 1)
    assert counts.placed_by == {"coordinates": 1}
    assert (dataset.format, dataset.layout, dataset.bundled) == ("csv", "2022-01", False)


def test_the_bundled_record_is_read_one_way_whether_named_or_not():
    default = load_dataset()
    by_path = load_dataset(BUNDLED_EVENTS, "auto")
    assert list(default.events.columns) == list(by_path.events.columns)
    assert default.fingerprint == by_path.fingerprint
    assert {"disputes", "event_time", "event_datetime"} <= set(default.events.columns)
    assert (default.bundled, default.layout, default.attribution) == (True, "2022-01", None)
    assert read_counts(default).rows_read == len(pd.read_csv(BUNDLED_EVENTS))
    with pytest.raises(EventDataError, match="the bundled record is read one way"):
        load_dataset(None, format="acled")


def test_an_acled_file_is_credited_to_acled_with_the_date_of_access():
    dataset = load_dataset(FIXTURES / "acled_current.csv")
    assert dataset.format == "acled"
    assert (
        dataset.attribution
        == acled_attribution()
        == (f"{ACLED_ATTRIBUTION}, accessed {dt.date.today().isoformat()}")
    )


def test_a_filtered_hourly_view_traces_the_spread_once(monkeypatch):
    """One view (a filter, by hour) computes its onsets, tree and classes once, and they are the
    ones the two steps give one after the other."""
    dataset = load_dataset()
    keep = (dataset.events["event_type"] == "Protests").to_numpy()
    expected = by_hour(restrict_dataset(dataset, keep, label="filtered"))
    calls = []
    traced = geo.pipeline._spread_fields

    def counting(*args, **kwargs):
        calls.append(args)
        return traced(*args, **kwargs)

    monkeypatch.setattr(geo.pipeline, "_spread_fields", counting)
    view = view_dataset(dataset, keep=keep, step="hour")
    assert len(calls) == 1
    assert view.fingerprint == expected.fingerprint and view.step == "hour"
    pd.testing.assert_frame_equal(view.counts, expected.counts)
    pd.testing.assert_frame_equal(view.onsets, expected.onsets)
    assert np.array_equal(view.frames, expected.frames)
    assert view_dataset(dataset) is dataset
