"""The record's rules (data/README.md, "Rules the tests check"), each checked on the bundled
files; the first three failed on the record before the second audit's corrections."""

from __future__ import annotations

import pandas as pd
import pytest

import geo
from geo.paths import BUNDLED_EVENTS
from geo.record.tables import read_text_csv
from geo.record.tolls import TOLLS_CSV

PAGE_STAMPS = {
    "QNT-KAZ-0172": "01:45",  # Ak Zhaik's live report: "01.45 Пятое января"
    "QNT-KAZ-0178": "16:37",  # Kursiv's timeline of 5 January
    "QNT-KAZ-0177": "16:08",  # the same timeline
    "QNT-KAZ-0044": "16:44",  # the same timeline
}
"""Times the audits found to be when a live blog or timeline posted an update."""


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return read_text_csv(BUNDLED_EVENTS).fillna("")


def test_a_page_stamp_is_never_an_exact_time(events):
    rows = events.set_index("event_id_cnty")
    exact = [
        row_id
        for row_id, stamp in PAGE_STAMPS.items()
        if row_id in rows.index
        and rows.at[row_id, "event_time"] == stamp
        and rows.at[row_id, "event_time_precision"] == "exact"
    ]
    assert exact == []


def test_no_two_rows_are_one_report(events):
    key = ["location", "event_date", "event_time", "event_type", "sub_event_type", "source_url"]
    repeated = events[events.duplicated(key, keep=False)]
    assert repeated.empty, repeated[["event_id_cnty", *key]].to_string()


def test_a_news_digest_does_not_repeat_an_arrest_a_day_later(events):
    arrests = events[events["sub_event_type"] == "Arrests"].assign(
        day=pd.to_datetime(events["event_date"])
    )
    digests = arrests[arrests["source"].str.contains("digest", case=False)]
    repeats = [
        (digest.event_id_cnty, other.event_id_cnty)
        for digest in digests.itertuples()
        for other in arrests.itertuples()
        if other.event_id_cnty != digest.event_id_cnty
        and other.location == digest.location
        and abs((other.day - digest.day).days) <= 1
    ]
    assert repeats == []


def test_the_first_tolls_are_credited_to_who_published_them():
    tolls = geo.load_official_tolls(TOLLS_CSV)
    first = tolls[tolls["given_on"] == pd.Timestamp("2022-01-09")]
    first = first[first["covers"] == "everyone"]
    assert len(first) == 5  # national 164 and four regions' shares
    assert not first["given_by"].str.startswith("Health Ministry").any()
    assert first["given_by"].str.contains("Coronavirus2020_kz").all()
