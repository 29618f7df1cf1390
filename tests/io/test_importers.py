"""Importers: format detection, ACLED, GDELT, CSV, XLSX, GeoJSON, dates, and located errors.

Fixtures are written by tests/fixtures/make_fixtures.py; the expected units are worked out by hand
from the places the rows name.
"""

import io
import zipfile

import pandas as pd
import pytest

from geo.analysis.placing import place_events
from geo.errors import EventDataError
from geo.io.acled import ACLED_ATTRIBUTION
from geo.io.dates import parse_dates
from geo.io.importers import read_events
from geo.io.sniffing import detect_format
from geo.record.regions import load_regions
from geo.schema import TIME_PRECISION_LABELS
from tests.paths import FIXTURES

ACLED_CURRENT = FIXTURES / "acled_current.csv"
ACLED_OLD = FIXTURES / "acled_old_schema.csv"
GDELT1 = FIXTURES / "20220110.export.CSV"
GDELT2 = FIXTURES / "20220110153000.export.CSV"
CP1251 = FIXTURES / "events_cp1251.csv"
XLSX = FIXTURES / "events.xlsx"
GEOJSON = FIXTURES / "events.geojson"


@pytest.fixture(scope="module")
def regions():
    return load_regions("2022-01")


def region_ids(result, regions) -> list:
    placed = place_events(result.events, regions).events
    return [None if pd.isna(r) else r for r in placed["region_id"]]


# --- Format detection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (ACLED_CURRENT, "acled"),
        (ACLED_OLD, "acled"),
        (GDELT1, "gdelt"),
        (GDELT2, "gdelt"),
        (CP1251, "csv"),
        (XLSX, "xlsx"),
        (GEOJSON, "geojson"),
    ],
)
def test_detect_format(path, expected):
    assert detect_format(path) == expected
    assert read_events(path).format == expected


# --- ACLED ---------------------------------------------------------------------------------------


def test_acled_current_codebook_with_bom_and_long_dates(regions):
    result = read_events(ACLED_CURRENT)
    events = result.events
    assert result.problems == ()
    assert events["event_id_cnty"].tolist() == [f"KAZ{n:04d}" for n in range(1, 9)]
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-01-02",
        "2022-01-04",
        "2022-01-05",
        "2022-01-05",
        "2022-01-05",
        "2022-01-04",
        "2022-01-05",
        "2022-01-05",
    ]
    assert region_ids(result, regions) == [
        "mangystau",
        "mangystau",
        "almaty_city",
        "astana",
        "aktobe",
        "west_kazakhstan",
        "almaty_region",
        "shymkent",
    ]
    assert events["fatalities"].tolist() == [0, 0, 8, 0, 0, 0, 2, 1]
    assert events["source"].iloc[0] == "Vlast.kz; Radio Azattyq"
    assert events["source_url"].isna().all()
    assert events["time_precision"].tolist() == [1] * 8
    assert events["notes"].iloc[2].endswith("\nSecond line of the note.")
    assert ACLED_ATTRIBUTION in result.notes
    assert "encoding: UTF-8 with BOM" in result.notes


def test_acled_old_schema(regions):
    result = read_events(ACLED_OLD)
    assert result.format == "acled"
    assert any("pre-2023" in note for note in result.notes)
    assert region_ids(result, regions) == [
        "mangystau",
        "mangystau",
        "almaty_city",
        "astana",
        "aktobe",
    ]
    assert result.events["event_date"].iloc[0] == pd.Timestamp("2022-01-02")


def test_acled_bad_rows_are_located_and_good_rows_load(tmp_path):
    lines = ACLED_OLD.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("43.6611", "north")
    lines[4] = lines[4].replace("2022-01-05", "2022-13-45")
    path = tmp_path / "acled_bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_events(path)
    assert len(result.events) == 3
    assert result.events["source_row"].tolist() == [1, 3, 5]
    located = {(p.row, p.column, p.value) for p in result.problems}
    assert located == {(2, "latitude", "north"), (4, "event_date", "2022-13-45")}
    assert all(p.file == "acled_bad.csv" for p in result.problems)


# --- GDELT ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (GDELT1, ["mangystau", "almaty_city", None, "mangystau", None]),
        (GDELT2, ["mangystau", "almaty_city", None, "mangystau", None, "kyzylorda", "astana"]),
    ],
)
def test_gdelt_units(regions, path, expected):
    result = read_events(path)
    assert region_ids(result, regions) == expected


def test_gdelt_uses_sqldate_not_dateadded():
    events = read_events(GDELT2).events
    assert events["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-01-04",
        "2022-01-05",
        "2022-01-05",
        "2022-01-06",
        "2022-01-07",
        "2022-01-06",
        "2022-01-08",
    ]
    assert "event_datetime" not in events  # DATEADDED (10 Jan, 15:30) is ingest time


def test_gdelt_type_1_rows_are_counted_and_excluded(regions):
    result = read_events(GDELT1)
    assert result.events["country_level"].tolist() == [False, False, True, False, True]
    assert any(note.startswith("2 row(s) located only at the country") for note in result.notes)
    placed = place_events(result.events, regions)
    assert placed.unplaced["event_id_cnty"].tolist() == ["1019000003", "1019000005"]


def test_gdelt_type_5_row_is_placed_by_its_adm1_code_not_its_centroid(regions):
    result = read_events(GDELT2)
    row = result.events.set_index("event_id_cnty").loc["1019000004"]
    assert row["admin1_code"] == "KZ09"
    assert pd.isna(row["latitude"]) and pd.isna(row["longitude"])
    placed = place_events(result.events, regions).events.set_index("event_id_cnty")
    assert placed.loc["1019000004", "place_method"] == "region code"
    assert placed.loc["1019000006", "region_id"] == "kyzylorda"  # KZ08, Bayqongyr


def test_gdelt_fields():
    events = read_events(GDELT1).events
    first = events.iloc[0]
    assert first["event_type"] == "Protests"
    assert first["sub_event_type"] == "Protest (CAMEO 14)"
    assert first["source_url"] == "https://www.example-news.kz/2022/01/1019000001.html"
    assert first["source"] == "example-news.kz"
    assert first["actor1"] == "PROTESTER"
    assert events["event_type"].tolist()[1] == "Violence against civilians"  # CAMEO 18, unrest


def test_gdelt_1_0_without_sourceurl_and_zipped(tmp_path, regions):
    lines = GDELT1.read_text(encoding="utf-8").splitlines()
    old = "\n".join(line.rsplit("\t", 1)[0] for line in lines) + "\n"
    archive = tmp_path / "20130101.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("20130101.export.CSV", old)
    result = read_events(archive)
    assert result.format == "gdelt"
    assert any("57 columns" in note for note in result.notes)
    assert region_ids(result, regions) == ["mangystau", "almaty_city", None, "mangystau", None]


def test_gdelt_row_with_wrong_field_count_is_located(tmp_path):
    lines = GDELT2.read_text(encoding="utf-8").splitlines()
    lines[2] = "\t".join(lines[2].split("\t")[:40])
    path = tmp_path / "broken.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_events(path, format="gdelt")
    assert len(result.events) == 6
    (problem,) = result.problems
    assert problem.row == 3
    assert problem.message == "expected 61 tab-separated fields, got 40"
    assert 3 not in result.events["source_row"].tolist()


# --- Generic CSV, XLSX, GeoJSON ------------------------------------------------------------------


def test_cp1251_semicolon_csv_with_cyrillic_names(regions):
    result = read_events(CP1251)
    assert result.format == "csv"
    assert "encoding: CP1251" in result.notes
    assert "delimiter: semicolon" in result.notes
    assert result.mapping == {
        "event_date": "Дата",
        "location": "Город",
        "admin1": "Область",
        "event_type": "Тип события",
        "fatalities": "Погибшие",
        "notes": "Описание",
    }
    assert result.events["event_date"].iloc[2] == pd.Timestamp("2022-01-05")
    placed = place_events(result.events, regions)
    assert placed.events["region_id"].tolist()[:7] == [
        "mangystau",
        "west_kazakhstan",
        "aktobe",
        "almaty_city",
        "almaty_region",
        "east_kazakhstan",
        "mangystau",
    ]
    assert placed.events["place_method"].tolist() == ["place name"] * 6 + [
        "region name",
        "unplaced",
    ]
    assert (
        placed.unplaced["unplaced_reason"]
        .iloc[0]
        .startswith("ambiguous place name: 'Аксу' matches")
    )


def test_xlsx_with_times_and_a_bad_date():
    result = read_events(XLSX)
    assert result.format == "xlsx"
    assert result.events["event_datetime"].tolist() == [
        pd.Timestamp("2022-01-05 14:30"),
        pd.Timestamp("2022-01-05 23:10"),
        pd.Timestamp("2022-01-06 09:00"),
    ]
    assert result.events["fatalities"].tolist()[:2] == [8, 0]
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "events.xlsx",
        4,
        "Date",
        "not a date",
    )
    assert any("1 other sheet(s) ignored" in note for note in result.notes)


def test_geojson_points_and_a_null_geometry(regions):
    result = read_events(GEOJSON)
    assert result.mapping["latitude"] == "geometry"
    assert result.events["latitude"].tolist()[:3] == [43.3412, 50.2797, 51.1801]
    placed = place_events(result.events, regions).events
    assert placed["region_id"].tolist() == ["mangystau", "aktobe", "astana", "west_kazakhstan"]
    assert placed["place_method"].tolist()[3] == "place name"


def test_uploaded_bytes_and_file_objects_with_a_name():
    data = CP1251.read_bytes()
    from_bytes = read_events(data, name="upload.csv")
    upload = io.BytesIO(data)
    upload.name = "from_browser.csv"
    from_file = read_events(upload)
    assert len(from_bytes.events) == len(from_file.events) == 8
    bad = b"date;place\n05.01.2022;Aktau\nnever;Aktau\n"
    assert read_events(bad, name="upload.csv").problems[0].file == "upload.csv"


def test_explicit_mapping_and_decimal_commas():
    data = "Когда;Где;Ш;Д\n05.01.2022;Актау;43,6611;51,1739\n".encode()
    result = read_events(
        data, name="x.csv", mapping={"date": "Когда", "place": "Где", "lat": "Ш", "lon": "Д"}
    )
    assert result.mapping == {
        "event_date": "Когда",
        "location": "Где",
        "latitude": "Ш",
        "longitude": "Д",
    }
    assert result.events[["latitude", "longitude"]].iloc[0].tolist() == [43.6611, 51.1739]


def test_guessed_mapping_in_english_with_a_time_column():
    data = (
        b"Event Date,Time,Lat,Lng,City,Killed,URL\n2022-01-05,14:30,43.25,76.91,Almaty,3,http://a\n"
    )
    result = read_events(data, name="x.csv")
    assert result.mapping == {
        "event_date": "Event Date",
        "time": "Time",
        "latitude": "Lat",
        "longitude": "Lng",
        "location": "City",
        "fatalities": "Killed",
        "source_url": "URL",
    }
    assert result.events["event_datetime"].iloc[0] == pd.Timestamp("2022-01-05 14:30")


# --- Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2022-01-05", "2022-01-05"),
        ("05 January 2022", "2022-01-05"),
        ("05.01.2022", "2022-01-05"),
        ("20220105", "2022-01-05"),
        ("2022-01-05 23:59", "2022-01-05"),
    ],
)
def test_date_formats(text, day):
    days, _, bad, _ = parse_dates(pd.Series([text]))
    assert not bad.any()
    assert days.iloc[0] == pd.Timestamp(day)


def test_ambiguous_slash_dates_follow_the_language_and_say_so():
    values = pd.Series(["1/5/2022", "2/5/2022"])
    russian, _, _, notes_ru = parse_dates(values, dayfirst=True)
    english, _, _, notes_en = parse_dates(values, dayfirst=False)
    assert russian.iloc[0] == pd.Timestamp("2022-05-01")
    assert english.iloc[0] == pd.Timestamp("2022-01-05")
    assert any("ambiguous" in n and "day first" in n for n in notes_ru)
    assert any("ambiguous" in n and "month first" in n for n in notes_en)


def test_unambiguous_slash_dates_ignore_the_language():
    days, _, _, _ = parse_dates(pd.Series(["1/5/2022", "25/1/2022"]), dayfirst=False)
    assert days.tolist() == [pd.Timestamp("2022-05-01"), pd.Timestamp("2022-01-25")]


def test_zoned_times_keep_the_local_day_and_convert_the_time():
    values = pd.Series(["2022-01-05T23:30:00+05:00", "2022-01-05T20:00:00Z"])
    days, datetimes, bad, _ = parse_dates(values)
    assert not bad.any()
    # Aktau at 23:30 (UTC+5) is still 5 January there; 20:00 UTC is 6 January in Almaty
    assert days.tolist() == [pd.Timestamp("2022-01-05"), pd.Timestamp("2022-01-06")]
    assert datetimes.tolist() == [
        pd.Timestamp("2022-01-06 00:30", tz="Asia/Almaty"),
        pd.Timestamp("2022-01-06 02:00", tz="Asia/Almaty"),
    ]


# --- Files that cannot be used -------------------------------------------------------------------


def test_missing_file():
    with pytest.raises(EventDataError, match=r"nowhere.csv: file not found"):
        read_events("nowhere.csv")


def test_no_date_column():
    with pytest.raises(EventDataError, match=r"x.csv, column 'event_date': no date column found"):
        read_events(b"place,lat\nAktau,43.6\n", name="x.csv")


def test_every_row_bad_lists_each_row():
    with pytest.raises(
        EventDataError, match=r"x.csv, row 1, column 'date': expected a date"
    ) as err:
        read_events(b"date,place\nsoon,Aktau\nlater,Aktau\n", name="x.csv")
    assert [(p.row, p.column) for p in err.value.problems] == [(1, "date"), (2, "date")]


def test_bad_coordinates_name_the_users_column():
    result = read_events(b"date,lat,lon\n2022-01-05,43.6,51.1\n2022-01-05,95,51.1\n", name="x.csv")
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (2, "lat", "95")
    assert "between -90 and 90" in problem.message


def test_header_only_file():
    with pytest.raises(EventDataError, match=r"x.csv: the file has no rows"):
        read_events(b"date,place\n", name="x.csv")


def test_empty_file():
    with pytest.raises(EventDataError, match=r"x.csv"):
        read_events(b"", name="x.csv")


def test_unknown_format_argument():
    with pytest.raises(EventDataError, match="format must be one of auto, acled, gdelt"):
        read_events(b"date\n2022-01-05\n", format="shapefile", name="x.csv")


def test_unknown_mapping_key_and_missing_column():
    data = b"when,where\n2022-01-05,Aktau\n"
    with pytest.raises(EventDataError, match="mapping key must be one of"):
        read_events(data, name="x.csv", mapping={"when": "when"})
    with pytest.raises(EventDataError, match=r"mapping\['date'\] names a column the file does"):
        read_events(data, name="x.csv", mapping={"date": "day"})


def test_old_xls_workbook_is_refused_with_advice():
    with pytest.raises(EventDataError, match=r"old \.xls workbooks are not supported"):
        read_events(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), name="old.xls")


def test_not_a_gdelt_file():
    with pytest.raises(EventDataError, match="expected a GDELT event file with 57, 58"):
        read_events(b"1\t2\t3\n", format="gdelt", name="x.tsv")


def test_broken_geojson():
    with pytest.raises(EventDataError, match=r"x.geojson: not readable as GeoJSON"):
        read_events(b'{"type": "FeatureCollection", "features": [', name="x.geojson")


def test_a_file_that_only_borrows_acled_names_is_not_credited_to_acled():
    """The bundled record uses ACLED's column names but is not ACLED data."""
    import geo
    from geo.paths import BUNDLED_EVENTS

    imported = geo.read_events(BUNDLED_EVENTS)
    assert imported.format == "csv"
    assert imported.problems == ()
    bundled = geo.load_bundled_events().events
    columns = list(geo.CANONICAL_COLUMNS)
    pd.testing.assert_frame_equal(
        imported.events[columns], bundled[columns], check_dtype=False
    )  # time_precision is not mistaken for a time of day
    # the clock times are read too (as Almaty wall time: the importer knows no regional zones,
    # the bundled reader does, see geo.record.events.with_times_of_day)
    timed = bundled["event_time"].notna()
    assert imported.events["event_datetime"].notna().tolist() == timed.tolist()
    dataset = geo.dataset_from_import(imported, geo.load_regions("2022-01"), name="bundled")
    assert dataset.attribution is None


def test_a_zip_inside_a_zip_says_so(tmp_path):
    """GDELT's daily zips, zipped again by a download manager (a shape seen in shared folders)."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zipped:
        zipped.writestr("20220105.export.CSV", (FIXTURES / "20220110.export.CSV").read_bytes())
    outer = tmp_path / "gdelt.zip"
    with zipfile.ZipFile(outer, "w") as zipped:
        zipped.writestr("20220105.export.CSV.zip", inner.getvalue())
    with pytest.raises(EventDataError) as refused:
        read_events(outer)
    assert str(refused.value) == (
        "gdelt.zip/20220105.export.CSV.zip: this is a ZIP archive inside the ZIP archive: unpack "
        "the outer one and give the inner archive (or the event file in it)"
    )


def test_month_and_year_dates_are_read_with_their_precision():
    """A historical list whose dates are sometimes only a month or a year (held-out files of
    issue 17 had `January 1971` and `August, 9, 1970`, both refused before)."""
    result = read_events(FIXTURES / "places" / "historical_month_dates.csv")
    assert result.problems == ()
    days = result.events["event_date"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["1971-01-01", "1970-08-09", "1972-01-01", "1971-03-01"]
    assert result.events["time_precision"].tolist() == [3, pd.NA, 4, 3]
    assert TIME_PRECISION_LABELS[3] == "within the month"
    assert TIME_PRECISION_LABELS[4] == "within the year"


def test_a_bigquery_export_of_gdelt_is_read_by_its_header(regions):
    """docs/bigquery.md's query, exported as BigQuery writes CSV: a header of GDELT's names."""
    result = read_events(FIXTURES / "places" / "bigquery_gdelt_export.csv")
    assert result.format == "gdelt"
    assert any("as BigQuery exports it" in note for note in result.notes)
    # Aktobe is given only as its first-level unit (ActionGeo_Type 5): placed by KZ04, not by
    # the point; the last row is located only at the country's centroid.
    assert region_ids(result, regions) == ["mangystau", "almaty_city", "aktobe", None]
    assert result.events["country_level"].tolist() == [False, False, False, True]
    sql = (FIXTURES.parent.parent / "docs" / "bigquery.md").read_text(encoding="utf-8")
    header = (FIXTURES / "places" / "bigquery_gdelt_export.csv").read_text().splitlines()[0]
    selected = sql.split("SELECT", 1)[1].split("FROM", 1)[0]
    assert [c.strip() for c in selected.split(",")] == header.split(",")
