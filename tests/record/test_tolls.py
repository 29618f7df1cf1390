"""Official death tolls: their own sourced rows, checked, never mixed with event deaths."""

import csv

import pandas as pd
import pytest

import geo
from geo.errors import EventDataError
from geo.record.tolls import TOLLS_CSV
from tests.paths import ROOT

EVENTS_CSV = ROOT / "data" / "events" / "kz_jan2022_events.csv"


def _rows(path=TOLLS_CSV) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def tolls() -> pd.DataFrame:
    return geo.load_official_tolls()


def test_every_bundled_toll_loads_with_its_source(tolls):
    rows = _rows()
    assert len(tolls) == len(rows)
    assert set(tolls["scope"]) == {"national", "region-period"}
    assert tolls["source_url"].str.startswith("https://").all()
    assert (tolls["given_by"].str.strip() != "").all()


def test_national_toll_rises_as_the_pages_give_it(tolls):
    national = geo.national_tolls(tolls)
    dated = national.dropna(subset=["given_on"])
    assert list(zip(dated["given_on"].dt.strftime("%Y-%m-%d"), dated["deaths"], strict=True)) == [
        ("2022-01-09", 164),
        ("2022-01-15", 225),
        ("2022-03-14", 230),
        ("2022-03-14", 238),
        ("2023-01-05", 238),
    ]
    assert list(national.loc[national["given_on"].isna(), "deaths"]) == [227]


def test_partial_official_figures_are_kept_apart(tolls):
    police = geo.national_tolls(tolls, "security forces")
    dated = police.dropna(subset=["given_on"])
    assert list(zip(dated["given_on"].dt.strftime("%Y-%m-%d"), dated["deaths"], strict=True)) == [
        ("2022-01-07", 18),
        ("2022-01-09", 16),
        ("2022-01-15", 19),
    ]
    assert list(geo.national_tolls(tolls, "attackers")["deaths"]) == [26]
    # Almaty's 12 and 13 dead police (6 January) never stand in for the city's toll
    known = geo.regional_tolls_known_by(tolls, "2022-01-08")
    assert set(known["region_id"]) == {"atyrau"}
    with pytest.raises(ValueError, match="covers must be one of"):
        geo.national_tolls(tolls, "police")


def test_regional_tolls_known_by_a_day_match_the_file(tolls):
    # oracle: read the CSV by hand and keep, per region, the latest figure given by the day
    for day in ("2022-01-07", "2022-01-08", "2022-01-10", "2022-03-14", "2023-12-31"):
        expected: dict[str, tuple[str, int]] = {}
        for row in _rows():
            if row["scope"] != "region-period" or row["covers"] != "everyone":
                continue
            if not row["given_on"] or row["given_on"] > day:
                continue
            best = expected.get(row["region_id"])
            candidate = (row["given_on"], int(row["deaths"]))
            if best is None or candidate > best:
                expected[row["region_id"]] = candidate
        known = geo.regional_tolls_known_by(tolls, day)
        got = {r.region_id: (f"{r.given_on:%Y-%m-%d}", r.deaths) for r in known.itertuples()}
        assert got == expected, day
    assert geo.regional_tolls_known_by(tolls, "2022-01-07").empty
    almaty = geo.regional_tolls_known_by(tolls, "2022-03-14").set_index("region_id")
    assert almaty.loc["almaty_city", "deaths"] == 139
    assert "Prosecutor General" in almaty.loc["almaty_city", "given_by"]


def test_event_rows_never_carry_a_toll_as_their_deaths(tolls):
    events = pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)
    with_deaths = events[events["fatalities"] != ""]
    authorities = ("Health Ministry", "Prosecutor General", "Ombudswoman")
    for toll in tolls.itertuples():
        same = with_deaths[with_deaths["fatalities"].astype(int) == toll.deaths]
        for source in same["fatalities_source"]:
            assert not any(a in source and a in toll.given_by for a in authorities), source
    assert with_deaths["fatalities"].astype(int).max() < tolls["deaths"].max()


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("scope", "city", "expected one of"),
        ("covers", "civilians", "expected one of"),
        ("region_id", "jetisu", "region_id of the 2022-01 layout"),
        ("source_url", "www.example.kz/page", "http\\(s\\) URLs"),
        ("deaths", "about 40", "whole number"),
        ("given_on", "9 Jan", "date such as"),
        ("given_by", "", "must not be empty"),
    ],
)
def test_bad_toll_rows_are_named(tmp_path, cell, value, message):
    rows = _rows()
    regional = next(i for i, r in enumerate(rows) if r["scope"] == "region-period")
    rows[regional][cell] = value
    path = tmp_path / "tolls.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(EventDataError, match=f"tolls.csv, row {regional + 1}, column '{cell}'"):
        geo.load_official_tolls(path)
    with pytest.raises(EventDataError, match=message):
        geo.load_official_tolls(path)


def test_national_toll_chart_draws_the_dated_figures_in_order(tolls):
    spec = geo.national_toll_chart(geo.national_tolls(tolls)).to_dict()
    assert spec["description"].endswith("164 → 225 → 230 → 238 → 238.")
    data = next(iter(spec["datasets"].values()))
    assert [p["deaths"] for p in data] == [164, 225, 230, 238, 238]
    assert (
        data[0]["label"]
        == "164 (Coronavirus2020_kz, the Information Ministry's channel (via Khabar 24))"
    )
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "not deaths reported for events" in subtitle
    assert "227" in subtitle.split("Also cited")[1]
