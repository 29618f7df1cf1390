"""Small event files in the exact shapes real exports take, written here (invented rows).

Each builder returns (file name, bytes). The shapes (headers, column order and count, date forms,
one-row-per-actor repeats, 57/58-field GDELT rows, BigQuery header rows) were copied from public
ACLED exports and codebooks, GDELT 1.0/2.0 event files and BigQuery extracts, and newsroom logs;
the values are made up, with coordinates of real places in Kazakhstan (data/places.csv) and one
in Kyrgyzstan. tests/io/test_importer_shapes.py asserts the reading of every row.
"""

from __future__ import annotations

import io
import json

from openpyxl import Workbook

from tests.paths import FIXTURES

ZHANAOZEN = (43.3412, 52.8619)  # Mangystau, UTC+5 in January 2022
AKTAU = (43.6611, 51.1739)  # Mangystau
ALMATY = (43.2525, 76.9115)  # Almaty city, UTC+6
AKTOBE = (50.2797, 57.2072)  # Aktobe, UTC+5
ATYRAU = (47.1048, 51.8843)  # Atyrau, UTC+5
ASTANA = (51.1801, 71.4460)  # Nur-Sultan, UTC+6
SHYMKENT = (42.3099, 69.6004)  # Shymkent, UTC+6

ACLED_2015_HEADER = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES"
)
"""ACLED's 2015 export header (upper case, pre-2019 types, `GWNO` first)."""
ACLED_2020_HEADER = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,"
    "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,timestamp,iso3"
)
"""ACLED's 2019-2022 export header (data_id, iso3)."""


def acled_2015_legacy_types() -> tuple[str, bytes]:
    """2015 export: upper-case headers, dd/mm/yyyy dates, the pre-2019 event types."""
    rows = [
        f"705,1KAZ,1,16/12/2011,2011,1,Riots/Protests,Protesters (Kazakhstan),,6,,,0,60,"
        f"Kazakhstan,Mangystau,,,Zhanaozen,{ZHANAOZEN[0]},{ZHANAOZEN[1]},1,Reuters,"
        f"Oil workers rallied.,0",
        f"705,2KAZ,2,16/12/2011,2011,1,Riots/Protests,Rioters (Kazakhstan),Police Forces of "
        f"Kazakhstan (1991-),5,,,1,15,Kazakhstan,Mangystau,,,Zhanaozen,{ZHANAOZEN[0]},"
        f"{ZHANAOZEN[1]},1,Reuters,Riot and shooting.,14",
        f"705,3KAZ,3,17/12/2011,2011,1,Battle-No change of territory,Police Forces of Kazakhstan"
        f" (1991-),,1,Rioters (Kazakhstan),,5,15,Kazakhstan,Mangystau,,,Aktau,{AKTAU[0]},"
        f"{AKTAU[1]},1,Reuters,Clash.,1",
        f"705,4KAZ,4,18/12/2011,2011,1,Strategic development,Government of Kazakhstan (1991-),,1"
        f",,,0,10,Kazakhstan,Mangystau,,,Aktau,{AKTAU[0]},{AKTAU[1]},1,Reuters,Curfew.,0",
        f"705,5KAZ,5,19/12/2011,2011,1,Remote violence,Unidentified Armed Group (Kazakhstan),,3,"
        f",,0,30,Kazakhstan,Almaty,,,Almaty,{ALMATY[0]},{ALMATY[1]},1,Reuters,Blast.,0",
    ]
    return "acled_2015.csv", _lines(ACLED_2015_HEADER, rows)


def acled_one_row_per_actor() -> tuple[str, bytes]:
    """2020-style export where each event is repeated once per actor (same id, same deaths),
    with ACLED's spreadsheet date forms ('05 January 2022', '5-Jan-22', 'Jan 5, 2022')."""

    def row(data_id, event, day, kind, actor, inter, place, admin1, point, deaths):
        return (
            f"{data_id},398,{event},{event[3:]},{day},2022,1,{kind},,{actor},,{inter},,,0,"
            f"{inter}0,Caucasus and Central Asia,Kazakhstan,{admin1},,,{place},{point[0]},"
            f"{point[1]},1,Vlast.kz,National,Invented note.,{deaths},1642431000,KAZ"
        )

    rows = [
        row(1, "KAZ1", "02 January 2022", "Protests", "Protesters (Kazakhstan)", 6, "Zhanaozen",
            "Mangystau", ZHANAOZEN, 0),
        row(2, "KAZ2", "5-Jan-22", "Riots", "Rioters (Kazakhstan)", 5, "Almaty", "Almaty",
            ALMATY, 8),
        row(3, "KAZ2", "5-Jan-22", "Riots", "Police Forces of Kazakhstan (2019-)", 1, "Almaty",
            "Almaty", ALMATY, 8),
        row(4, "KAZ3", '"Jan 5, 2022"', "Protests", "Protesters (Kazakhstan)", 6, "Aktobe",
            "Aktobe", AKTOBE, 0),
        row(5, "KAZ3", '"Jan 5, 2022"', "Protests", "Labour Group (Kazakhstan)", 6, "Aktobe",
            "Aktobe", AKTOBE, 0),
        row(6, "KAZ3", '"Jan 5, 2022"', "Protests", "Students (Kazakhstan)", 6, "Aktobe",
            "Aktobe", AKTOBE, 0),
    ]  # fmt: skip
    return "acled_actors.csv", _lines(ACLED_2020_HEADER, rows)


def acled_date_forms() -> list[tuple[str, str]]:
    """(written, ISO day) of the date forms seen in ACLED exports and their spreadsheet saves."""
    return [
        ("05 January 2022", "2022-01-05"),
        ("05-January-2022", "2022-01-05"),
        ("5-Jan-22", "2022-01-05"),
        ("Jan 5, 2022", "2022-01-05"),
        ("Jan 5 2022", "2022-01-05"),
        ("January 5, 2022", "2022-01-05"),
        ("2022-01-05", "2022-01-05"),
        ("05.01.2022", "2022-01-05"),
    ]


def acled_xlsx_serial_dates() -> tuple[str, bytes]:
    """ACLED export saved as XLSX: upper-case headers, EVENT_DATE as Excel day numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    header = ["EVENT_ID_CNTY", "EVENT_DATE", "YEAR", "EVENT_TYPE", "SUB_EVENT_TYPE", "ACTOR1",
              "INTER1", "ISO", "COUNTRY", "ADMIN1", "LOCATION", "LATITUDE", "LONGITUDE",
              "FATALITIES"]  # fmt: skip
    sheet.append(header)
    sheet.append(["KAZ1", 44563, 2022, "Protests", "Peaceful protest", "Protesters", 6, 398,
                  "Kazakhstan", "Mangystau", "Zhanaozen", *ZHANAOZEN, 0])  # fmt: skip
    sheet.append(["KAZ2", 44566, 2022, "Riots", "Violent demonstration", "Rioters", 5, 398,
                  "Kazakhstan", "Almaty", "Almaty", *ALMATY, 8])  # fmt: skip
    sheet.append(["KAZ3", 44567, 2022, "Protests", "Peaceful protest", "Protesters", 6, 398,
                  "Kazakhstan", "Aktobe", "Aktobe", *AKTOBE, 0])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return "acled_2022.xlsx", buffer.getvalue()


def video_log_month_first(rows_before: int = 520) -> tuple[str, bytes]:
    """A log of geolocated videos: Russian descriptions, US-style `1/6/2022 7:44` times, the
    early-January rows first (every one of them also readable day first), then 1/13 onwards."""
    lines = []
    for index in range(rows_before):
        day, minute = 2 + index % 11, index % 60
        hour = 7 + (index // 60) % 12
        lines.append(f"{index + 1},1/{day}/2022 {hour}:{minute:02d},video,протест,"
                     f"{ALMATY[0]},{ALMATY[1]},Алматы")  # fmt: skip
    for day in (13, 20, 28):
        lines.append(f"{len(lines) + 1},1/{day}/2022 10:00,video,протест,{ALMATY[0]},"
                     f"{ALMATY[1]},Алматы")  # fmt: skip
    return "videos.csv", _lines("id,datetime,type,label,lat,lon,place", lines)


def utc_log() -> tuple[str, bytes]:
    """Times in UTC only (`datetime_UTC`): the same instant is 5 January in the west (UTC+5)
    and 6 January in Almaty (UTC+6)."""
    lines = [
        f"1,2022-01-05 18:30:00,{ZHANAOZEN[0]},{ZHANAOZEN[1]},Zhanaozen",
        f"2,2022-01-05 18:30:00,{ALMATY[0]},{ALMATY[1]},Almaty",
        f"3,2022-01-05 17:30:00,{ALMATY[0]},{ALMATY[1]},Almaty",
        f"4,2022-01-06 02:00:00,{ATYRAU[0]},{ATYRAU[1]},Atyrau",
    ]
    return "utc_log.csv", _lines("id,datetime_UTC,lat,lon,place", lines)


def utc_and_local_log() -> tuple[str, bytes]:
    """Both a UTC and a local column: the local one is the event's."""
    lines = [
        f"1,2022-01-05 18:30,2022-01-05 23:30,{ZHANAOZEN[0]},{ZHANAOZEN[1]}",
        f"2,2022-01-05 18:30,2022-01-06 00:30,{ALMATY[0]},{ALMATY[1]}",
    ]
    return "both_times.csv", _lines("id,datetime_UTC,datetime_local,lat,lon", lines)


def gdelt_1_mixed_widths() -> tuple[str, bytes]:
    """A GDELT 1.0 file whose rows have 58 fields (with SOURCEURL) and 57 (without)."""
    lines = (FIXTURES / "20220110.export.CSV").read_text(encoding="utf-8").splitlines()
    mixed = [line if i % 2 == 0 else line.rsplit("\t", 1)[0] for i, line in enumerate(lines)]
    return "20130401.export.CSV", ("\n".join(mixed) + "\n").encode("utf-8")


GDELT_BIGQUERY_HEADER = (
    "GLOBALEVENTID,SQLDATE,Actor1Name,Actor2Name,EventCode,EventBaseCode,EventRootCode,"
    "Actor1Geo_Type,Actor1Geo_FullName,Actor1Geo_CountryCode,Actor1Geo_ADM1Code,Actor1Geo_Lat,"
    "Actor1Geo_Long,ActionGeo_Type,ActionGeo_FullName,ActionGeo_CountryCode,ActionGeo_ADM1Code,"
    "ActionGeo_Lat,ActionGeo_Long,DATEADDED,SOURCEURL"
)
"""A BigQuery export of gdelt-bq.gdeltv2.events: a subset of the columns, with a header row."""


def gdelt_bigquery() -> tuple[str, bytes]:
    """GDELT rows with a header row: actors geolocated in Almaty, the action elsewhere; one row
    at 0,0 (no location) with an ADM1 code; CAMEO roots 14, 17, 18, 19, 20."""

    def row(event_id, day, code, action, adm1, point, actor_point=ALMATY, kind=4):
        return (
            f"{event_id},{day},PROTESTER,POLICE,{code},{code[:3]},{code[:2]},4,"
            f'"Almaty, Almaty City, Kazakhstan",KZ,KZ02,{actor_point[0]},{actor_point[1]},{kind},'
            f'"{action}",KZ,{adm1},{point[0]},{point[1]},{day}120000,'
            f"https://news.example.kz/{event_id}"
        )

    rows = [
        row(1, 20220102, "141", "Zhanaozen, Mangghystau, Kazakhstan", "KZ09", ZHANAOZEN),
        row(2, 20220104, "145", "Aktobe, Aqtobe, Kazakhstan", "KZ04", AKTOBE),
        row(3, 20220105, "173", "Nur-Sultan, Astana, Kazakhstan", "KZ05", ASTANA),
        row(4, 20220105, "180", "Shymkent, Ongtustik Qazaqstan, Kazakhstan", "KZ10", SHYMKENT),
        row(5, 20220106, "190", "Atyrau, Atyrau, Kazakhstan", "KZ06", ATYRAU),
        row(6, 20220106, "202", "Mangghystau, Kazakhstan", "KZ09", (0, 0), kind=5),
    ]
    return "bq-results-20220110.csv", _lines(GDELT_BIGQUERY_HEADER, rows)


def geojson_shapes() -> tuple[str, bytes]:
    """A GeoJSON protest list: dates like `Sep 22, 1967` in the properties, a Point, a small
    Polygon (a square in Almaty) and a LineString (a march across Atyrau region)."""
    features = [
        _feature({"date": "Jan 4, 2022", "title": "Rally"}, "Point", [ZHANAOZEN[1], ZHANAOZEN[0]]),
        _feature(
            {"date": "Jan 5, 2022", "title": "Square"},
            "Polygon",
            [[[76.90, 43.23], [76.96, 43.23], [76.96, 43.27], [76.90, 43.27], [76.90, 43.23]]],
        ),
        _feature(
            {"date": "Jan 6, 2022", "title": "March"}, "LineString", [[51.5, 47.0], [52.5, 47.3]]
        ),
        _feature({"date": "Sep 22, 1967", "title": "Archive"}, "Point", [ALMATY[1], ALMATY[0]]),
    ]
    document = {"type": "FeatureCollection", "features": features}
    return "protests.geojson", json.dumps(document).encode("utf-8")


def single_coordinates_column() -> tuple[str, bytes]:
    """A newsroom sheet with one "lat, lon" column (as copied from a map)."""
    lines = [
        f'2022-01-04,"{ZHANAOZEN[0]}, {ZHANAOZEN[1]}",protest',
        f'2022-01-05,"{ALMATY[0]}, {ALMATY[1]}",clash',
    ]
    return "newsroom.csv", _lines("date,coordinates,category", lines)


def exact_duplicate_rows() -> tuple[str, bytes]:
    """A newsroom sheet where a block of rows was pasted twice."""
    lines = [
        f"2022-01-04,Protests,Zhanaozen,{ZHANAOZEN[0]},{ZHANAOZEN[1]},0",
        f"2022-01-05,Riots,Almaty,{ALMATY[0]},{ALMATY[1]},3",
        f"2022-01-05,Riots,Almaty,{ALMATY[0]},{ALMATY[1]},3",
        f"2022-01-06,Protests,Aktobe,{AKTOBE[0]},{AKTOBE[1]},0",
    ]
    return "pasted_twice.csv", _lines("date,event_type,location,latitude,longitude,deaths", lines)


def whole_column_unreadable(rows: int = 60) -> tuple[str, bytes]:
    """Every date in a form no reader knows (a weekday-day-month code)."""
    lines = [f"{i},Wed-05-Jan,Protests,Almaty,{ALMATY[0]},{ALMATY[1]}" for i in range(rows)]
    return "odd_dates.csv", _lines("id,event_date,event_type,location,latitude,longitude", lines)


def _feature(properties: dict, kind: str, coordinates: list) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def _lines(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
