"""Invariants of the bundled event record (data/events/*.csv and data/places.csv)."""

from pathlib import Path

import pandas as pd
import pytest

from geo.record.events import TIME_COLUMNS
from geo.schema import ACLED_SUB_EVENT_TYPES, CANONICAL_COLUMNS
from tests.paths import ROOT

DATA = ROOT / "data"
EVENTS = DATA / "events" / "kz_jan2022_events.csv"
COLUMNS = DATA / "events" / "columns.csv"
PLACES = DATA / "places.csv"

EXPECTED_COLUMNS = [*CANONICAL_COLUMNS, *TIME_COLUMNS]

ADMIN1_JAN2022 = {
    "Akmola Region",
    "Aktobe Region",
    "Almaty",
    "Almaty Region",
    "Atyrau Region",
    "East Kazakhstan Region",
    "Jambyl Region",
    "Karaganda Region",
    "Kostanay Region",
    "Kyzylorda Region",
    "Mangystau Region",
    "North Kazakhstan Region",
    "Nur-Sultan",
    "Pavlodar Region",
    "Shymkent",
    "Turkistan Region",
    "West Kazakhstan Region",
}

ACLED_TYPES = ACLED_SUB_EVENT_TYPES

LAT_RANGE = (40.5, 55.5)
LON_RANGE = (46.4, 87.4)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return _read(EVENTS)


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return _read(PLACES)


def test_columns_and_size(events):
    assert list(events.columns) == EXPECTED_COLUMNS
    assert len(events) >= 205


def test_ids_unique_and_ordered(events):
    """Rows run by date; ids are stable (0001-0165 in date order, later additions from 0166)."""
    assert events["event_id_cnty"].is_unique
    assert events["event_id_cnty"].str.fullmatch(r"QNT-KAZ-\d{4}").all()
    key = list(zip(events["event_date"], events["event_id_cnty"], strict=False))
    assert key == sorted(key)
    numbers = sorted(int(i[-4:]) for i in events["event_id_cnty"])
    retired = {211}  # repeated 0114 (data/README.md, "Corrections"); ids are never reused
    assert numbers == [n for n in range(1, len(events) + len(retired) + 1) if n not in retired]


def test_times_of_day(events):
    timed = events["event_time"] != ""
    assert timed.sum() >= 25
    assert events.loc[timed, "event_time"].str.fullmatch(r"([01]\d|2[0-3]):[0-5]\d").all()
    assert events.loc[timed, "event_time_precision"].isin({"exact", "approximate"}).all()
    assert (events.loc[~timed, "event_time_precision"] == "").all()
    # the hours of Almaty and Taldykorgan on 4-6 January are what "Step through: hours" plays
    story = events[timed & events["location"].isin({"Almaty", "Taldykorgan"})]
    assert set(story["event_date"]) >= {"2022-01-05", "2022-01-06"}
    assert len(story) >= 12


def test_dates_in_range(events):
    dates = pd.to_datetime(events["event_date"], format="%Y-%m-%d", errors="raise")
    assert dates.min() >= pd.Timestamp("2022-01-01")
    assert dates.max() <= pd.Timestamp("2022-01-19")


def test_precision_codes(events):
    assert events["time_precision"].isin({"1", "2", "3"}).all()
    assert events["geo_precision"].isin({"1", "2", "3"}).all()


def test_admin1_valid_and_all_units_present(events):
    assert set(events["admin1"]) <= ADMIN1_JAN2022
    assert set(events["admin1"]) == ADMIN1_JAN2022


def test_source_urls(events):
    for value in events["source_url"]:
        urls = [u.strip() for u in value.split(" | ")]
        assert urls and all(urls), value
        assert all(u.startswith(("http://", "https://")) and " " not in u for u in urls), value
    assert (events["source"].str.strip() != "").all()


def test_notes_present(events):
    assert (events["notes"].str.strip() != "").all()


def test_fatalities(events):
    fat = events["fatalities"]
    filled = fat != ""
    assert fat[filled].str.fullmatch(r"\d+").all()
    assert (events["fatalities_source"] != "").eq(filled).all()


def test_event_types_are_acled(events):
    for et, st in zip(events["event_type"], events["sub_event_type"], strict=False):
        assert et in ACLED_TYPES, et
        assert st in ACLED_TYPES[et], (et, st)


def test_actors(events):
    assert (events["actor1"].str.strip() != "").all()
    assert (events["actor1"] != events["actor2"]).all()


def test_locations_match_gazetteer(events, places):
    assert places["name"].is_unique and places["place_id"].is_unique
    merged = events.merge(
        places,
        left_on="location",
        right_on="name",
        how="left",
        suffixes=("", "_place"),
        indicator=True,
    )
    missing = merged.loc[merged["_merge"] != "both", "location"].unique()
    assert len(missing) == 0, f"locations not in places.csv: {list(missing)}"
    assert (merged["latitude"] == merged["latitude_place"]).all()
    assert (merged["longitude"] == merged["longitude_place"]).all()
    assert (merged["admin1"] == merged["admin1_place"]).all()


def test_coordinates_in_kazakhstan(events, places):
    for df in (events, places):
        lat = df["latitude"].astype(float)
        lon = df["longitude"].astype(float)
        assert lat.between(*LAT_RANGE).all()
        assert lon.between(*LON_RANGE).all()
        assert df["latitude"].str.fullmatch(r"-?\d+\.\d{4}").all()
        assert df["longitude"].str.fullmatch(r"-?\d+\.\d{4}").all()


def test_places_file(places):
    assert list(places.columns) == [
        "place_id",
        "name",
        "variants",
        "latitude",
        "longitude",
        "admin1",
        "geonames_id",
        "coord_source",
        "coord_note",
    ]
    assert set(places["admin1"]) <= ADMIN1_JAN2022
    assert places["geonames_id"].str.fullmatch(r"\d+").all()
    assert places["coord_source"].str.contains("GeoNames").all()
    assert places["coord_source"].str.contains("CC BY 4.0").all()


def test_every_column_of_every_events_file_is_documented():
    doc = _read(COLUMNS)
    assert list(doc.columns) == ["file", "column", "meaning", "type", "unit_or_allowed_values"]
    assert (doc["meaning"].str.strip() != "").all()
    assert not doc.duplicated(["file", "column"]).any()
    files = sorted(p.name for p in COLUMNS.parent.glob("*.csv") if p != COLUMNS)
    assert sorted(doc["file"].unique()) == files
    for name in files:
        documented = list(doc.loc[doc["file"] == name, "column"])
        assert documented == list(_read(COLUMNS.parent / name).columns), name


def test_rows_of_every_events_file_are_well_formed():
    """Sources are http(s) URLs, dates fall in January 2022 (tolls: when they were given, any
    year), scopes and fields are known: checked here by hand, independently of the loaders."""
    url = r"https?://\S+( \| https?://\S+)*"
    for name, date_columns in {
        "kz_jan2022_events.csv": ["event_date"],
        "kz_jan2022_disputes.csv": [],
        "kz_jan2022_official_tolls.csv": ["period_start"],
        "context.csv": ["start_date", "end_date"],
    }.items():
        frame = _read(COLUMNS.parent / name)
        if "source_url" in frame:
            assert frame["source_url"].str.fullmatch(url).all(), name
        for column in date_columns:
            filled = frame.loc[frame[column] != "", column]
            assert filled.str.fullmatch(r"2022-01-(0[1-9]|1\d|2\d|3[01])").all(), (name, column)
    tolls = _read(COLUMNS.parent / "kz_jan2022_official_tolls.csv")
    ended = tolls[tolls["period_end"] != ""]
    assert (ended["period_end"] >= ended["period_start"]).all()
    assert ((ended["period_end"] <= ended["given_on"]) | (ended["given_on"] == "")).all()
    assert set(tolls["scope"]) <= {"national", "region-period"}
    assert (tolls["region_id"] == "").eq(tolls["scope"] == "national").all()
    disputes = _read(COLUMNS.parent / "kz_jan2022_disputes.csv")
    assert set(disputes["field"]) <= {
        "event_date",
        "event_time",
        "location",
        "fatalities",
        "figure",
        "onset_date",
    }
    dated = disputes[disputes["field"].isin(["event_date", "onset_date"])]
    assert dated["claimed_value"].str.fullmatch(r"2022-01-\d\d").all()
    assert ((disputes["event_id_cnty"] == "") != (disputes["region_id"] == "")).all()


def test_zhanaozen_first_protest(events):
    protests = events[events["event_type"] == "Protests"]
    first_day = protests["event_date"].min()
    assert first_day == "2022-01-02"
    assert "Zhanaozen" in set(protests.loc[protests["event_date"] == first_day, "location"])
    # nothing of kind Protests/Riots anywhere before Zhanaozen's first day
    unrest = events[events["event_type"].isin(["Protests", "Riots", "Battles"])]
    assert unrest["event_date"].min() == "2022-01-02"
