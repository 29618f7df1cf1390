"""The hours the internet was cut: every row cited and checked, and each region's state per frame
as the rows say, worked out by hand."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import geo
from geo.errors import EventDataError
from geo.pipeline import by_hour
from geo.record.connectivity import (
    CONNECTIVITY_CSV,
    CONNECTIVITY_STATES,
    connectivity_by_frame,
    load_connectivity,
)

HEADER = (
    "interval_id,scope,region_id,start_utc,end_utc,what,start_precision,end_precision,"
    "measured_by,source,source_url,notes\n"
)


@pytest.fixture(scope="module")
def intervals() -> pd.DataFrame:
    return load_connectivity()


@pytest.fixture(scope="module")
def record() -> geo.Dataset:
    return geo.load_dataset()


def test_every_row_loads_with_a_page(intervals):
    with open(CONNECTIVITY_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(intervals) == len(rows) >= 6
    assert set(intervals["what"]) <= set(CONNECTIVITY_STATES)
    for urls in intervals["source_url"]:
        assert all(u.startswith("https://") for u in urls.split(" | "))
    assert intervals["start_utc"].dt.tz is not None


def test_a_bad_row_is_named_by_row_and_column(tmp_path):
    path = tmp_path / "net.csv"
    path.write_text(
        HEADER
        + "N1,national,,2022-01-05T10:30:00Z,2022-01-05T09:00:00Z,full cut,hour,hour,x,x,,x\n"
        + "N2,city,atlantis,2022-01-05 10:30,,offline,minute,,x,x,ftp://a,x\n"
    )
    with pytest.raises(EventDataError) as caught:
        load_connectivity(path, region_ids={"almaty_city"})
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "end_utc"), (2, "source_url"), (3, "region_id"), (3, "start_utc"),
            (3, "what"), (3, "start_precision"), (3, "source_url")} <= found  # fmt: skip


def test_each_region_is_in_the_worst_state_of_its_own_local_day(intervals, record):
    states = connectivity_by_frame(intervals, record.regions["region_id"], record.frames, "day")
    days = [f"{f:%m-%d}" for f in record.frames]

    def on(region: str) -> dict[str, str]:
        return dict(zip(days, states[region], strict=True))

    almaty, astana, aktau = on("almaty_city"), on("astana"), on("mangystau")
    assert almaty["01-03"] == "" and almaty["01-04"] == "mobile throttled"  # from 22:00 local
    assert almaty["01-05"] == "full cut"  # throttled in the morning, cut from 16:30
    assert almaty["01-08"] == almaty["01-09"] == "full cut"  # Almaty's own 111 hours
    assert almaty["01-10"] == "full cut"  # back only at 08:00 local: the day's worst
    assert almaty["01-11"] == almaty["01-19"] == "restored"
    assert astana["01-08"] == "partial restore"  # the national row: no row of its own yet
    assert astana["01-19"] == "partial restore"  # fixed line back, mobile off, no end given
    # Mangystau is on UTC+5: its 7 January ends at 19:00 UTC, after the cut's end at 18:00
    assert aktau["01-07"] == "full cut" and aktau["01-08"] == "partial restore"
    assert aktau["01-10"] == "partial restore"  # until 02:00 UTC = 07:00 local
    assert aktau["01-11"] == ""


def test_by_hour_the_cut_starts_in_its_hour(intervals, record):
    hourly = by_hour(record)
    states = connectivity_by_frame(intervals, hourly.regions["region_id"], hourly.frames, "hour")
    by_frame = dict(zip(hourly.frames, states["almaty_city"], strict=True))
    assert by_frame[pd.Timestamp("2022-01-04 21:00")] == ""  # 15:00-16:00 UTC
    assert by_frame[pd.Timestamp("2022-01-04 22:00")] == "mobile throttled"
    assert by_frame[pd.Timestamp("2022-01-05 15:00")] == "mobile throttled"  # 09:00-10:00 UTC
    # the national cut at 10:30 UTC makes the 16:00 hour's worst a cut, before Almaty's own
    # row (from 11:00 UTC) takes over
    assert by_frame[pd.Timestamp("2022-01-05 16:00")] == "full cut"
    assert by_frame[pd.Timestamp("2022-01-07 13:00")] == "full cut"


def test_the_map_carries_each_regions_state_and_the_badges(record, intervals):
    from geo.render.style import CONNECTIVITY_BADGES
    from geo.render.webmap import player_payload

    payload = player_payload(record, connectivity=intervals)
    expected = connectivity_by_frame(intervals, record.regions["region_id"], record.frames, "day")
    assert payload["connectivity"] == expected
    assert payload["connectivity_badges"] == CONNECTIVITY_BADGES
    assert player_payload(record)["connectivity"] == {}


def test_the_standalone_snapshot_carries_the_cut_and_other_data_does_not(tmp_path):
    from geo.cli.commands import main

    record_page, other_page = tmp_path / "record.html", tmp_path / "other.html"
    assert main(["export", "--what", "html", "--out", str(record_page)]) == 0
    other = tmp_path / "other.csv"
    other.write_text("event_date,event_type,latitude,longitude\n2022-01-05,Protests,43.66,51.17\n")
    assert main(["export", "--events", str(other), "--what", "html", "--out", str(other_page)]) == 0
    record_html, other_html = record_page.read_text(), other_page.read_text()
    assert '"connectivity":{"akmola":["",' in record_html.replace(" ", "")
    assert '"connectivity":{}' in other_html.replace(" ", "")  # the record's cut, not theirs
