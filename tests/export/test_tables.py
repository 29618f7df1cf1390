"""Table exports (geo.export.tables): CSV and GeoJSON worked out on paper, text made safe for
spreadsheets, credits on every row."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest

import geo
from geo.errors import ExportError
from geo.export import tables
from geo.render import style
from tests.export.samples import ACLED

# --- CSV --------------------------------------------------------------------------------------


def test_region_day_csv_has_daily_and_cumulative_values_worked_out_by_hand(counts, three_squares):
    table = pd.read_csv(io.BytesIO(tables.region_day_csv(counts, three_squares)))
    expected = pd.DataFrame(
        {
            "region_id": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
            "region": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
            "date": ["2022-01-01", "2022-01-02", "2022-01-03"] * 3,
            "events": [2, 0, 1, 0, 1, 1, 0, 0, 0],
            "fatalities": [2, 0, 1, 0, 0, 3, 0, 0, 0],
            "cumulative_events": [2, 2, 3, 0, 1, 2, 0, 0, 0],
            "cumulative_fatalities": [2, 2, 3, 0, 0, 3, 0, 0, 0],
            "attribution": [style.DEFAULT_CREDITS] * 9,
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert list(table.columns) == list(tables.REGION_DAY_COLUMNS)


def test_csv_attribution_is_a_column_on_every_row_and_parses_cleanly(counts, three_squares):
    data = tables.region_day_csv(counts, three_squares, attribution=ACLED)
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff") and not text.startswith("#")
    table = pd.read_csv(io.BytesIO(data))
    assert len(table) == 9
    assert set(table["attribution"]) == {f"{ACLED} | {style.DEFAULT_CREDITS}"}


def test_region_day_csv_refuses_counts_from_other_regions(counts, three_squares):
    other = counts.assign(region_id=counts["region_id"].replace({"c": "zz"}))
    with pytest.raises(ExportError, match=r"region_id value\(s\) \['zz'\] that are not"):
        tables.region_day_csv(other, three_squares)


def test_onset_csv_writes_dates_blanks_and_attribution():
    onsets = pd.DataFrame(
        {
            "region_id": ["a", "b", "c"],
            "unit": ["A", "B", "C"],
            "onset_date": pd.to_datetime(["2022-01-01", "2022-01-02", None]),
            "onset_rank": pd.array([1, 2, None], dtype="Int64"),
            "distance_km": [0.0, 111.3, float("nan")],
        }
    )
    table = pd.read_csv(
        io.BytesIO(tables.onset_csv(onsets, None, attribution=ACLED)), keep_default_na=False
    )
    assert table["onset_date"].tolist() == ["2022-01-01", "2022-01-02", ""]
    assert table["onset_rank"].astype(str).tolist() == ["1", "2", ""]
    assert table["attribution"].str.startswith(ACLED).all()


def test_csv_text_cannot_run_as_a_spreadsheet_formula():
    onsets = pd.DataFrame(
        {
            "region_id": ["a", "b"],
            "onset_date": pd.to_datetime(["2022-01-01", "2022-01-02"]),
            "first_place": ['=HYPERLINK("http://x","y")', "Zhanaozen"],
            "distance_km": [-1.5, 2.0],
        }
    )
    table = pd.read_csv(io.BytesIO(tables.onset_csv(onsets, None)))
    assert table["first_place"].tolist() == ['\'=HYPERLINK("http://x","y")', "Zhanaozen"]
    assert table["distance_km"].tolist() == [-1.5, 2.0]


@pytest.mark.parametrize("formula", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_every_csv_table_neutralises_formulas_in_its_text(counts, three_squares, formula):
    """Region names (a person's own boundary file), event text and onset places can all start
    with a formula character; each table export prefixes them, and leaves numbers alone."""
    regions = three_squares.assign(name_en=[formula, "B", "C"])
    region_days = pd.read_csv(io.BytesIO(tables.region_day_csv(counts, regions)))
    assert set(region_days.loc[region_days["region_id"] == "a", "region"]) == {"'" + formula}
    assert set(region_days.loc[region_days["region_id"] == "b", "region"]) == {"B"}
    events = pd.DataFrame({"notes": [formula, "calm"], "deaths": [-1, 2]})
    read = pd.read_csv(io.BytesIO(tables.event_table_csv(events)))
    assert read["notes"].tolist() == ["'" + formula, "calm"]
    assert read["deaths"].tolist() == [-1, 2]
    onsets = pd.DataFrame(
        {
            "region_id": ["a"],
            "onset_date": pd.to_datetime(["2022-01-01"]),
            "first_place": [formula],
        }
    )
    assert pd.read_csv(io.BytesIO(tables.onset_csv(onsets, None)))["first_place"].tolist() == [
        "'" + formula
    ]


def test_onset_csv_of_spread_onsets_names_the_origin(placed, three_squares):
    from geo.analysis.spread import default_origin, onsets

    origin = default_origin(placed)
    table = pd.read_csv(io.BytesIO(tables.onset_csv(onsets(placed, three_squares), origin)))
    by_region = table.set_index("region_id")
    assert by_region.loc["a", "onset_date"] == "2022-01-01"
    assert by_region.loc["b", "onset_date"] == "2022-01-02"
    assert pd.isna(by_region.loc["c", "onset_date"])
    assert set(table["origin_date"]) == {"2022-01-01"}
    assert (table["attribution"] == style.DEFAULT_CREDITS).all()


def test_onset_csv_names_missing_columns():
    with pytest.raises(ExportError, match=r"onset_table is missing column\(s\)"):
        tables.onset_csv(pd.DataFrame({"region_id": ["a"]}), None)


# --- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_has_one_feature_per_region_with_its_series(counts, three_squares):
    data = tables.region_days_geojson(counts, three_squares, attribution=ACLED)
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    assert collection["attribution"] == f"{ACLED} | {style.DEFAULT_CREDITS}"
    props = {f["properties"]["region_id"]: f["properties"] for f in collection["features"]}
    assert props["a"]["dates"] == ["2022-01-01", "2022-01-02", "2022-01-03"]
    assert props["a"]["events"] == [2, 0, 1] and props["a"]["fatalities"] == [2, 0, 1]
    assert props["b"]["events"] == [0, 1, 1] and props["b"]["fatalities"] == [0, 0, 3]
    assert props["c"]["total_events"] == 0 and props["b"]["total_fatalities"] == 3

    frame = gpd.read_file(io.BytesIO(data))
    assert frame.crs == "EPSG:4326"
    assert frame["region_id"].tolist() == ["a", "b", "c"]
    assert list(frame["events"].iloc[0]) == [2, 0, 1]
    assert frame.geometry.equals(three_squares.geometry)


# --- pictures ---------------------------------------------------------------------------------


def test_region_day_csv_keeps_official_tolls_apart_from_event_deaths():
    """Oracle read from the tolls file with the csv module: each region-day's official toll is
    the latest all-deaths figure given for that region by that day."""
    import csv

    from geo.record.tolls import TOLLS_CSV

    record = geo.load_bundled_events()
    dataset = geo.build_dataset(record.events, geo.load_regions("2022-01"), name=record.file)
    table = pd.read_csv(
        io.BytesIO(
            tables.region_day_csv(dataset.counts, dataset.regions, tolls=geo.load_official_tolls())
        ),
        dtype={"official_toll": "Int64"},
    )
    with TOLLS_CSV.open(encoding="utf-8") as handle:
        statements = [
            row
            for row in csv.DictReader(handle)
            if row["scope"] == "region-period" and row["covers"] == "everyone" and row["given_on"]
        ]
    for row in table.itertuples():
        given = [
            s for s in statements if s["region_id"] == row.region_id and s["given_on"] <= row.date
        ]
        latest = max(given, key=lambda s: (s["given_on"], int(s["deaths"])), default=None)
        expected = None if latest is None else int(latest["deaths"])
        assert (None if pd.isna(row.official_toll) else int(row.official_toll)) == expected, row
    event_deaths = table.groupby("region_id")["fatalities"].sum()
    assert event_deaths.sum() == int(dataset.events["fatalities"].fillna(0).sum())
