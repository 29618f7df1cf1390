"""Disputes: each other claim kept with its source and shown in the panel and onset table."""

import csv

import pandas as pd
import pytest

import geo
from geo.analysis.spread import NO_ONSET_NOTE
from geo.errors import EventDataError
from geo.pipeline import build_dataset
from geo.record.disputes import DISPUTES_CSV, attach_disputes, load_disputes
from geo.render.listings import region_events

PGO = "Prosecutor General's Office (Serik Shalabayev) via Baribar.kz"


def _rows(path=DISPUTES_CSV) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def bundled():
    return build_dataset(
        geo.load_bundled_events().events, geo.load_regions("2022-01"), name="bundled"
    )


def test_every_claim_reaches_its_event(bundled):
    events = bundled.events.set_index("event_id_cnty")
    for row in _rows():
        if row["event_id_cnty"]:
            assert f"per {row['claimed_by']}" in events.at[row["event_id_cnty"], "disputes"]
    undisputed = set(events.index) - {r["event_id_cnty"] for r in _rows()}
    assert events.loc[sorted(undisputed), "disputes"].isna().all()


def test_onset_table_shows_the_other_first_days(bundled):
    table = bundled.onsets.set_index("region_id")
    # worked out from the disputes file: Zhanaozen's 2 January protest is dated 1 January by
    # the prosecutors; the same chronology puts four units' first rallies on 3 January.
    shown = table["disputes"].dropna().to_dict()
    assert shown == {
        "mangystau": f"1 Jan per {PGO}",
        "aktobe": f"3 Jan per {PGO}",
        "almaty_region": f"3 Jan per {PGO}",
        "east_kazakhstan": f"3 Jan per {PGO}",
        "astana": f"3 Jan per {PGO}",
    }
    assert table.at["mangystau", "onset_date"] == pd.Timestamp("2022-01-02")
    # a later date claimed for a first event (Atyrau's 3 January rally per Time.kz: 4 January)
    # does not make the unit's first day later, so it is not shown there
    assert pd.isna(table.at["atyrau", "disputes"])


def test_units_without_a_dated_protest_say_so(bundled):
    table = bundled.onsets.set_index("region_id")
    assert table.loc[["akmola", "turkistan"], "note"].tolist() == [NO_ONSET_NOTE] * 2
    assert table["onset_date"].isna().sum() == 2
    assert table.loc[table["onset_date"].notna(), "note"].isna().all()


def test_region_panel_lists_the_claims_beside_the_event(bundled):
    listed = region_events(bundled.events, "almaty_city", pd.Timestamp("2022-01-06"), "daily")
    convoy = listed[listed["notes"].str.contains("Bazarbayev")].iloc[0]
    assert convoy["time"] == "~21:00"
    assert convoy["disputed"] == (
        "time: 23:00 per Orda.kz (via Kloop); date: 5 Jan per VOA (via New Delhi Times)"
    )
    assert convoy["deaths"] == 1


def test_attach_rule_on_a_small_table():
    events = pd.DataFrame(
        {
            "event_id_cnty": ["E1", "E2", "E3"],
            "event_date": pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-03"]),
            "admin1": ["North", "North", "South"],
        }
    )
    disputes = pd.DataFrame(
        {
            "event_id_cnty": ["E1", "E1", None, "E3"],
            "region_id": [None, None, "south", None],
            "field": ["event_date", "event_date", "onset_date", "event_time"],
            "claimed_value": ["2022-01-01", "2022-01-04", "2022-01-02", "10:00"],
            "claimed_by": ["A", "B", "C", "D"],
            "source_url": ["https://a", "https://b", "https://c", "https://d"],
            "notes": ["", "", "", ""],
        }
    )
    out = attach_disputes(events, disputes, {"North": "north", "South": "south"})
    assert out["disputes"].tolist() == [
        "date: 1 Jan per A; date: 4 Jan per B",
        pd.NA,
        "time: 10:00 per D",
    ]
    assert out["onset_disputes"].tolist() == ["1 Jan per A", pd.NA, "2 Jan per C"]


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("event_id_cnty", "QNT-KAZ-9999", "names an event of the record"),
        ("field", "crowd", "expected one of"),
        ("claimed_value", "1 January", "expected a date such as 2022-01-01"),
        ("source_url", "baribar.kz/177827", "http\\(s\\) URLs"),
        ("region_id", "mangystau", "either an event or a unit"),
        ("claimed_by", "", "must not be empty"),
    ],
)
def test_bad_dispute_rows_are_named(tmp_path, bundled, cell, value, message):
    rows = _rows()
    rows[0][cell] = value  # row 1: a date claim on QNT-KAZ-0002
    path = tmp_path / "disputes.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    region_ids = set(bundled.regions["region_id"])
    with pytest.raises(EventDataError, match=f"disputes.csv, row 1, column '{cell}'"):
        load_disputes(bundled.events, region_ids, path)
    with pytest.raises(EventDataError, match=message):
        load_disputes(bundled.events, region_ids, path)
