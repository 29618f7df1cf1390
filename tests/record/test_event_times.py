"""The bundled record's times of day: read into event_datetime, stepped through by hour."""

import csv
from datetime import datetime, timedelta

import pandas as pd
import pytest

import geo
from geo.errors import EventDataError
from geo.pipeline import build_dataset, by_hour, has_times
from tests.paths import ROOT

EVENTS_CSV = ROOT / "data" / "events" / "kz_jan2022_events.csv"
UTC5_UNITS = {
    "Aktobe Region",
    "Atyrau Region",
    "Kyzylorda Region",
    "Mangystau Region",
    "West Kazakhstan Region",
}
"""Written out here (not imported): the units whose clocks were an hour behind Almaty's."""


def _expected_hours() -> dict[str, datetime]:
    """Oracle: each timed row's hour in Almaty time, computed from the CSV text alone."""
    hours = {}
    with open(EVENTS_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["event_time"]:
                continue
            local = datetime.strptime(f"{row['event_date']} {row['event_time']}", "%Y-%m-%d %H:%M")
            almaty = local + timedelta(hours=1 if row["admin1"] in UTC5_UNITS else 0)
            hours[row["event_id_cnty"]] = almaty.replace(minute=0)
    return hours


@pytest.fixture(scope="module")
def bundled():
    return build_dataset(
        geo.load_bundled_events().events, geo.load_regions("2022-01"), name="bundled"
    )


def test_the_bundled_record_can_be_stepped_by_hour(bundled):
    assert has_times(bundled)


def test_hourly_frames_put_each_timed_event_at_its_hour(bundled):
    expected = _expected_hours()
    assert len(expected) >= 25
    hourly = by_hour(bundled)
    got = dict(zip(hourly.events["event_id_cnty"], hourly.events["event_date"], strict=True))
    assert got == {k: pd.Timestamp(v) for k, v in expected.items()}
    untimed = len(bundled.events) - len(expected)
    assert f"{untimed} events without a time of day are left out" in hourly.notes[-1]


def test_almaty_and_taldykorgan_hours_on_5_january(bundled):
    hourly = by_hour(bundled)
    counts = hourly.counts.set_index(["region_id", "date"])["events"]
    taldykorgan = {
        hour: counts["almaty_region", pd.Timestamp(f"2022-01-05 {hour}:00")]
        for hour in ("12", "15", "16", "17", "19")
    }
    # emergency rule 12:30; akimat attacked 15:27; soldiers attacked 16:30; vehicles 17:00;
    # police HQ seized 19:48 (Kazinform's chronology)
    assert taldykorgan == {"12": 1, "15": 1, "16": 1, "17": 1, "19": 1}
    expected = _expected_hours()
    with open(EVENTS_CSV, encoding="utf-8", newline="") as handle:
        almaty = [r["event_id_cnty"] for r in csv.DictReader(handle) if r["admin1"] == "Almaty"]
    for hour in range(24):
        stamp = datetime(2022, 1, 5, hour)
        want = sum(1 for i in almaty if expected.get(i) == stamp)
        assert counts["almaty_city", pd.Timestamp(stamp)] == want, hour
    assert counts["almaty_city", pd.Timestamp("2022-01-05 16:00")] >= 3  # 16:08, 16:37, 16:44


def test_a_western_time_is_an_hour_behind_almaty():
    events = geo.load_bundled_events().events.set_index("event_id_cnty")
    atyrau = events.loc["QNT-KAZ-0007"]  # Atyrau rally, 15:00 local on 3 January
    assert atyrau["event_time"] == "15:00"
    assert atyrau["event_datetime"] == pd.Timestamp("2022-01-03 16:00", tz="Asia/Almaty")
    fire = events.loc["QNT-KAZ-0178"]  # Almaty, ~16:00 (Kloop)
    assert fire["event_datetime"] == pd.Timestamp("2022-01-05 16:00", tz="Asia/Almaty")


def test_a_bad_time_is_reported_and_the_event_kept_untimed(tmp_path):
    text = EVENTS_CSV.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    timed = next(i for i, line in enumerate(rows) if line.endswith(",15:00,exact"))
    rows[timed] = rows[timed].replace(",15:00,exact", ",3pm,exact")
    untimed_precision = next(i for i, line in enumerate(rows) if line.endswith(",15:27,exact"))
    rows[untimed_precision] = rows[untimed_precision].replace(",15:27,exact", ",15:27,")
    path = tmp_path / "events.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    loaded = geo.load_events_csv(path, strict_types=True)
    messages = {(p.row, p.column, p.value): p.message for p in loaded.problems}
    assert messages[(timed + 1, "event_time", "3pm")] == "expected a time such as 16:37"
    assert "needs its precision" in messages[(untimed_precision + 1, "event_time_precision", None)]
    assert len(loaded.events) == len(rows)
    assert loaded.events["event_datetime"].isna().iloc[[timed, untimed_precision]].all()


def test_files_without_times_read_as_before(tmp_path):
    frame = pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)
    path = tmp_path / "no_times.csv"
    frame.drop(columns=["event_time", "event_time_precision"]).to_csv(path, index=False)
    loaded = geo.load_events_csv(path)
    assert "event_datetime" not in loaded.events
    with pytest.raises(EventDataError):
        geo.load_events_csv(tmp_path / "missing.csv")
