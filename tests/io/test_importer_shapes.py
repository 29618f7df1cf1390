"""Real-world file shapes (tests/shapes.py), each read as its file means it, row by row.

For every shape: the day each row is read as, the region it lands in (or why not), whether it
counts (duplicates, unrest types), and the note that tells the person what was assumed.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from geo.analysis.local_days import with_local_days
from geo.analysis.placing import place_events
from geo.analysis.spread import onsets
from geo.errors import EventDataError
from geo.export.event_table import EVENT_TABLE_COLUMNS, event_table
from geo.io.acled import ACLED_ATTRIBUTION
from geo.io.dates import DAY_FIRST, MONTH_FIRST, read_date_column
from geo.io.importers import read_events
from geo.io.limits import UPLOAD_LIMITS
from geo.record.regions import load_regions
from geo.uploads import read_upload
from tests import shapes
from tests.paths import ROOT


@pytest.fixture(scope="module")
def regions():
    return load_regions("2022-01")


def read(shape, **options):
    name, data = shape()
    return read_events(data, name=name, **options)


def days(frame: pd.DataFrame) -> list[str]:
    return pd.to_datetime(frame["event_date"]).dt.strftime("%Y-%m-%d").tolist()


def placed_rows(result, regions) -> pd.DataFrame:
    """The events placed and given their local days, as the recipe (geo.pipeline) does."""
    return with_local_days(place_events(result.events, regions)).events


# --- 1. Dates and times ---------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "day"), shapes.acled_date_forms())
def test_acled_date_forms_in_an_acled_export(written, day):
    header = "event_id_cnty,event_date,event_type,iso,latitude,longitude"
    data = f'{header}\nKAZ1,"{written}",Protests,398,43.2525,76.9115\n'.encode()
    result = read_events(data, name="acled.csv")
    assert result.format == "acled"
    assert days(result.events) == [day]
    assert result.problems == ()


def test_video_log_is_month_first_for_the_whole_column(regions):
    """520 early-January values allow both orders; three later ones (1/13, 1/20, 1/28) only
    month first, and they decide the whole column (the old reader took the first 500 as day
    first because the file is in Russian: 1 February ... 1 December)."""
    result = read(shapes.video_log_month_first)
    stamps = pd.to_datetime(result.events["event_date"])
    assert stamps.min() == pd.Timestamp("2022-01-02")
    assert stamps.max() == pd.Timestamp("2022-01-28")
    assert (stamps.dt.month == 1).all()
    first = result.events.iloc[0]
    assert first["event_datetime"] == pd.Timestamp("2022-01-02 07:00")
    assert days(result.events.iloc[-3:]) == ["2022-01-13", "2022-01-20", "2022-01-28"]
    assert any(
        "read month first for the whole column" in n and "1/13/2022" in n for n in result.notes
    )


def test_ambiguous_column_follows_the_language_says_so_and_can_be_chosen():
    data = "дата;место\n1/5/2022;Актау\n2/5/2022;Алматы\n".encode()
    guessed = read_events(data, name="ru.csv")
    assert days(guessed.events) == ["2022-05-01", "2022-05-02"]  # Russian file: day first
    note = next(n for n in guessed.notes if "ambiguous" in n)
    assert "read day first because the file is in Russian/Kazakh" in note
    assert "choose day first or month first if that is wrong" in note and "--" not in note
    chosen = read_events(data, name="ru.csv", date_order=MONTH_FIRST)
    assert days(chosen.events) == ["2022-01-05", "2022-02-05"]
    assert any("read month first, as chosen" in n for n in chosen.notes)


def test_a_chosen_order_reports_values_it_cannot_read_instead_of_guessing():
    values = pd.Series(["13/01/2022", "01/02/2022"])
    column = read_date_column(values, order=MONTH_FIRST)
    assert column.bad.tolist() == [True, False]
    assert column.days.iloc[1] == pd.Timestamp("2022-01-02")
    decided = read_date_column(values)  # 13/01 only allows day first, and decides
    assert decided.order == DAY_FIRST
    assert decided.days.tolist() == [pd.Timestamp("2022-01-13"), pd.Timestamp("2022-02-01")]


def test_contradicting_values_are_reported_not_read_in_another_order():
    column = read_date_column(pd.Series(["13/01/2022", "14/01/2022", "01/15/2022"]))
    assert column.order == DAY_FIRST
    assert column.bad.tolist() == [False, False, True]
    assert any("01/15/2022 allow only month first and are reported" in n for n in column.notes)


def test_utc_times_take_the_day_of_the_event_region(regions):
    """18:30 UTC on 5 January is 23:30 in Zhanaozen (UTC+5) and 00:30 on the 6th in Almaty."""
    result = read(shapes.utc_log)
    assert result.mapping["event_date"] == "datetime_UTC"
    placed = with_local_days(place_events(result.events, regions))
    events = placed.events
    assert events["region_id"].tolist() == ["mangystau", "almaty_city", "almaty_city", "atyrau"]
    assert days(events) == ["2022-01-05", "2022-01-06", "2022-01-05", "2022-01-06"]
    assert events["time_zone"].tolist() == [
        "Asia/Aqtau",
        "Asia/Almaty",
        "Asia/Almaty",
        "Asia/Atyrau",
    ]
    assert any("'datetime_UTC' are UTC" in n for n in result.notes)
    note = next(n for n in placed.notes if "UTC time(s) converted" in n)
    assert "UTC+5 (Asia/Aqtau) for 1" in note and "UTC+6 (Asia/Almaty) for 2" in note
    table = event_table(events, result.duplicates, result.problems)
    assert table["event_datetime"].tolist() == [
        "2022-01-05T23:30:00+05:00",
        "2022-01-06T00:30:00+06:00",
        "2022-01-05T23:30:00+06:00",
        "2022-01-06T07:00:00+05:00",
    ]


def test_a_separate_utc_time_column_is_converted_too(regions):
    data = (
        "date,time_utc,lat,lon\n"
        f"2022-01-05,18:30,{shapes.ZHANAOZEN[0]},{shapes.ZHANAOZEN[1]}\n"
        f"2022-01-05,18:30,{shapes.ALMATY[0]},{shapes.ALMATY[1]}\n"
    )
    result = read_events(data.encode(), name="split.csv")
    assert days(placed_rows(result, regions)) == ["2022-01-05", "2022-01-06"]
    assert any("times in 'time_utc' are UTC" in n for n in result.notes)


def test_a_local_column_wins_over_a_utc_one(regions):
    result = read(shapes.utc_and_local_log)
    assert result.mapping["event_date"] == "datetime_local"
    assert days(placed_rows(result, regions)) == ["2022-01-05", "2022-01-06"]
    assert any("'datetime_UTC' are not used" in n for n in result.notes)


def test_whole_column_failure_is_one_line_and_json_lists_every_row(tmp_path):
    name, data = shapes.whole_column_unreadable(rows=60)
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(EventDataError) as caught:
        read_events(path)
    summary, *located = caught.value.problems
    assert summary.row is None
    assert summary.message.startswith("all 60 values of 'event_date' look like 'Wed-05-Jan'")
    assert [p.row for p in located] == list(range(1, 61))
    run = [sys.executable, "-m", "geo", "validate", str(path)]
    text = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert text.returncode == 2
    assert text.stderr.count("\n") == 1  # one line, not 60
    assert "all 60 values of 'event_date' look like 'Wed-05-Jan'" in text.stderr
    as_json = subprocess.run([*run, "--json"], capture_output=True, text=True, cwd=ROOT)
    rows = [p["row"] for p in json.loads(as_json.stdout)["problems"] if p["row"] is not None]
    assert rows == list(range(1, 61))


# --- 3. Duplicates --------------------------------------------------------------------------------


def test_one_row_per_actor_export_counts_each_event_once(regions):
    result = read(shapes.acled_one_row_per_actor)
    assert result.format == "acled"
    events = placed_rows(result, regions)
    assert events["event_id_cnty"].tolist() == ["KAZ1", "KAZ2", "KAZ3"]
    assert events["source_row"].tolist() == [1, 2, 4]
    assert days(events) == ["2022-01-02", "2022-01-05", "2022-01-05"]
    assert int(events["fatalities"].sum()) == 8  # not 16: KAZ2's 8 deaths are on two rows
    assert result.duplicates["source_row"].tolist() == [3, 5, 6]
    assert result.duplicates["duplicate_of"].tolist() == [2, 4, 4]
    assert any("3 row(s) repeat the event_id_cnty of 2 earlier event(s)" in n for n in result.notes)


def test_validate_lists_every_duplicate(tmp_path):
    name, data = shapes.acled_one_row_per_actor()
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    report = json.loads(done.stdout)
    assert report["rows_read"] == 6 and report["rows_loaded"] == 3
    assert [(d["row"], d["duplicate_of"]) for d in report["duplicates"]] == [(3, 2), (5, 4), (6, 4)]


def test_exact_duplicate_rows_count_once(regions):
    result = read(shapes.exact_duplicate_rows)
    events = placed_rows(result, regions)
    assert events["source_row"].tolist() == [1, 2, 4]
    assert int(events["fatalities"].sum()) == 3
    assert result.duplicates[["source_row", "duplicate_of"]].values.tolist() == [[3, 2]]
    assert any("1 exact duplicate row(s) counted once" in n for n in result.notes)


def test_the_bundled_record_has_no_duplicates():
    result = read_events(ROOT / "data" / "events" / "kz_jan2022_events.csv")
    rows = len(pd.read_csv(ROOT / "data" / "events" / "kz_jan2022_events.csv"))
    assert result.duplicates.empty
    assert len(result.events) == rows


# --- 4. Formats as they come ----------------------------------------------------------------------


def test_acled_xlsx_with_excel_day_numbers_is_acled(regions):
    result = read(shapes.acled_xlsx_serial_dates)
    assert result.format == "acled"
    assert ACLED_ATTRIBUTION in result.notes
    events = placed_rows(result, regions)
    assert days(events) == ["2022-01-02", "2022-01-05", "2022-01-06"]
    assert events["region_id"].tolist() == ["mangystau", "almaty_city", "aktobe"]


def test_acled_2015_types_are_read_as_todays(regions):
    result = read(shapes.acled_2015_legacy_types)
    assert result.format == "acled"
    events = placed_rows(result, regions)
    assert days(events) == ["2011-12-16", "2011-12-16", "2011-12-17", "2011-12-18", "2011-12-19"]
    assert events["event_type"].tolist() == [
        "Protests",  # Riots/Protests, inter1 6 (protesters)
        "Riots",  # Riots/Protests, inter1 5 (rioters)
        "Battles",
        "Strategic developments",
        "Explosions/Remote violence",
    ]
    assert events["sub_event_type"].tolist()[2] == "Armed clash"
    note = next(n for n in result.notes if "pre-2019" in n)
    assert "Riots/Protests -> Protests / Riots (2)" in note
    assert "Battle-No change of territory -> Battles (1)" in note
    table = onsets(events, regions).set_index("region_id")
    assert table.loc["mangystau", "onset_date"] == pd.Timestamp("2011-12-16")


def test_gdelt_1_file_mixing_57_and_58_field_rows(regions):
    result = read(shapes.gdelt_1_mixed_widths)
    assert result.format == "gdelt"
    assert result.problems == ()
    events = placed_rows(result, regions)
    assert events["source_row"].tolist() == [1, 2, 3, 4, 5]
    assert days(events) == ["2022-01-04", "2022-01-05", "2022-01-05", "2022-01-06", "2022-01-07"]
    urls = events["source_url"].isna().tolist()
    assert urls == [False, True, False, True, False]  # rows 2 and 4 have no SOURCEURL field
    assert events["region_id"].tolist()[:2] == ["mangystau", "almaty_city"]


def test_gdelt_with_a_header_row_uses_actiongeo_and_cameo_unrest(regions):
    result = read(shapes.gdelt_bigquery)
    assert result.format == "gdelt"
    events = placed_rows(result, regions)
    # the actors are geolocated in Almaty on every row; the action is not
    assert events["region_id"].tolist() == [
        "mangystau",
        "aktobe",
        "astana",
        "shymkent",
        "atyrau",
        "mangystau",  # 0,0 is no location: placed by its ADM1 code KZ09
    ]
    assert events["place_method"].tolist()[5] == "region code"
    assert events["event_type"].tolist() == [
        "Protests",  # 14
        "Protests",
        "Coercion (incl. arrests)",  # 17: not unrest
        "Violence against civilians",  # 18 assault
        "Battles",  # 19 fight
        "Violence against civilians",  # 20 mass violence
    ]
    table = onsets(events, regions).set_index("region_id")
    assert table.loc["shymkent", "onset_date"] == pd.Timestamp("2022-01-05")
    assert table.loc["atyrau", "onset_date"] == pd.Timestamp("2022-01-06")
    assert pd.isna(table.loc["astana", "onset_date"])  # an arrest is not an onset
    assert any("0,0" in n for n in result.notes)
    assert any("14 Protest -> Protests" in n and "19 Fight -> Battles" in n for n in result.notes)


def test_geojson_dates_and_area_features(regions):
    result = read(shapes.geojson_shapes)
    events = placed_rows(result, regions)
    assert days(events) == ["2022-01-04", "2022-01-05", "2022-01-06", "1967-09-22"]
    assert events["region_id"].tolist() == ["mangystau", "almaty_city", "atyrau", "almaty_city"]
    assert events["geo_precision"].tolist()[:3] == [pd.NA, 2, 3]
    assert result.problems == ()
    assert any("line or area geometry placed at a representative point" in n for n in result.notes)


def test_single_lat_lon_column(regions):
    result = read(shapes.single_coordinates_column)
    assert result.mapping["latitude"] == result.mapping["longitude"] == "coordinates"
    events = placed_rows(result, regions)
    assert events["latitude"].tolist() == [43.3412, 43.2525]
    assert events["region_id"].tolist() == ["mangystau", "almaty_city"]
    assert events["place_method"].tolist() == ["coordinates", "coordinates"]


# --- 7. The cleaned table -------------------------------------------------------------------------


def test_cleaned_table_has_one_row_per_input_row(tmp_path):
    name, data = shapes.acled_one_row_per_actor()
    lines = data.decode().splitlines()
    lines.insert(3, lines[1].replace("02 January 2022", "not a date").replace("KAZ1", "KAZ9"))
    kyrgyz = lines[1].replace("KAZ1", "KGZ1").replace(",398,", ",417,")
    kyrgyz = kyrgyz.replace("43.3412,52.8619", "42.8746,74.5698").replace(
        "Kazakhstan", "Kyrgyzstan"
    )
    lines.append(kyrgyz)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    run = [sys.executable, "-m", "geo", "export", "--what", "events"]
    done = subprocess.run(
        [*run, "--events", str(path), "--out", str(out)], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 1, done.stderr  # one row had a problem
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(table.columns) == [*EVENT_TABLE_COLUMNS, "attribution"]
    assert table["source_row"].tolist() == [str(n) for n in range(1, 9)]
    expected = [
        # event_id, date, type, region, method, duplicate_of, country
        ("KAZ1", "2022-01-02", "Protests", "mangystau", "coordinates", "", "KZ"),
        ("KAZ2", "2022-01-05", "Riots", "almaty_city", "coordinates", "", "KZ"),
        ("", "", "", "", "not loaded", "", ""),
        ("KAZ2", "2022-01-05", "Riots", "", "duplicate", "2", "KZ"),
        ("KAZ3", "2022-01-05", "Protests", "aktobe", "coordinates", "", "KZ"),
        ("KAZ3", "2022-01-05", "Protests", "", "duplicate", "5", "KZ"),
        ("KAZ3", "2022-01-05", "Protests", "", "duplicate", "5", "KZ"),
        # set aside at import: its file names Kyrgyzstan, so it is not read further
        ("KGZ1", "02 January 2022", "Protests", "", "set aside", "", "KG"),
    ]
    columns = ["event_id_cnty", "event_date", "event_type", "region_id", "place_method",
               "duplicate_of", "country"]  # fmt: skip
    assert [tuple(r) for r in table[columns].itertuples(index=False)] == expected
    reasons = table["reason"].tolist()
    assert reasons[0] == reasons[1] == reasons[4] == ""
    assert reasons[2].startswith("not loaded: column 'event_date'") and "'not a date'" in reasons[2]
    assert reasons[3].startswith("same event_id_cnty")
    assert reasons[7].startswith("outside Kazakhstan (KG)")
    assert table["attribution"].str.contains("Armed Conflict Location").all()


def test_cleaned_table_of_the_bundled_record_places_every_row():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "export", "--what", "events"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(pd.io.common.StringIO(done.stdout), dtype=str, keep_default_na=False)
    bundled = pd.read_csv(ROOT / "data" / "events" / "kz_jan2022_events.csv", dtype=str)
    assert table["event_id_cnty"].tolist() == bundled["event_id_cnty"].tolist()
    assert table["event_date"].tolist() == bundled["event_date"].str[:10].tolist()
    assert (table["duplicate_of"] == "").all()


def test_the_dashboards_upload_reads_with_the_chosen_order_and_keeps_the_duplicates():
    """The path the dashboard takes: the capped upload worker, then the cleaned table."""
    data = (
        "дата;место;широта;долгота\n1/5/2022;Актау;43.6611;51.1739\n"
        "2/5/2022;Алматы;43.2525;76.9115\n"
    )
    chosen = read_upload(data.encode(), "ru.csv", "2022-01", UPLOAD_LIMITS, date_order=MONTH_FIRST)
    assert days(chosen.events) == ["2022-01-05", "2022-02-05"]
    guessed = read_upload(data.encode(), "ru.csv", "2022-01", UPLOAD_LIMITS)
    assert days(guessed.events) == ["2022-05-01", "2022-05-02"]
    name, actors = shapes.acled_one_row_per_actor()
    dataset = read_upload(actors, name, "2022-01", UPLOAD_LIMITS)
    table = event_table(dataset.events, dataset.duplicates, dataset.problems)
    assert table["duplicate_of"].tolist() == [pd.NA, pd.NA, 2, pd.NA, 4, 4]


def test_the_import_cache_keeps_the_duplicates_and_the_chosen_order(tmp_path):
    name, data = shapes.acled_one_row_per_actor()
    fresh = read_events(data, name=name, cache_dir=tmp_path)
    cached = read_events(data, name=name, cache_dir=tmp_path)
    assert any("import cache" in n for n in cached.notes)
    pd.testing.assert_frame_equal(cached.duplicates, fresh.duplicates)
    ambiguous = b"date,place\n1/5/2022,Aktau\n"
    first = read_events(ambiguous, name="a.csv", cache_dir=tmp_path, date_order=DAY_FIRST)
    other = read_events(ambiguous, name="a.csv", cache_dir=tmp_path, date_order=MONTH_FIRST)
    assert days(first.events) == ["2022-05-01"] and days(other.events) == ["2022-01-05"]


def test_the_cleaned_table_carries_each_rows_place_point_deaths_sources_and_notes(tmp_path):
    """Issue 21: the cleaned table had no place name, coordinates, deaths, sources or notes.
    Every one is compared with the bundled file's own cell, row by row."""
    out = tmp_path / "events.csv"
    run = [sys.executable, "-m", "geo", "export", "--what", "events", "--out", str(out)]
    subprocess.run(run, check=True, capture_output=True, cwd=ROOT)
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    record = pd.read_csv(ROOT / "data" / "events" / "kz_jan2022_events.csv", dtype=str,
                         keep_default_na=False)  # fmt: skip
    assert len(table) == len(record)
    for column in ("location", "source", "source_url", "notes", "fatalities_source"):
        assert table[column].tolist() == record[column].str.strip().tolist(), column
    for column in ("latitude", "longitude"):
        assert table[column].astype(float).tolist() == record[column].astype(float).tolist()
    deaths = [str(int(float(n))) if n else "" for n in record["fatalities"]]
    assert table["fatalities"].tolist() == deaths
