"""The commands: in-process `main([...])` with capsys, and one real `python -m geo` run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geo.cli.commands import main
from geo.io.acled import ACLED_ATTRIBUTION
from tests.paths import FIXTURES, ROOT

ACLED_FIXTURE = FIXTURES / "acled_current.csv"
BUNDLED_ROWS = len(pd.read_csv(ROOT / "data" / "events" / "kz_jan2022_events.csv"))
"""Rows of the bundled record, counted from the file itself (212 as of issue 10)."""
ONSET_FIELDS = {
    "unit",
    "region_id",
    "onset_date",
    "onset_rank",
    "days_since_origin",
    "distance_km",
    "first_place",
}
SUMMARY_FIELDS = {"unit", "code", "region_id", "events", "fatalities", "first_date", "last_date"}
BAD_CSV = (
    "event_date,event_type,location,latitude,longitude,fatalities\n"
    "2022-01-04,Protests,Aktobe,50.2797,57.2072,2\n"
    "2022-13-45,Protests,Atyrau,47.1048,51.8843,0\n"
    "2022-01-05,Riots,Atyrau,95,51.8843,1\n"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def bad_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    return path


def test_onsets_json_in_a_subprocess_does_not_depend_on_the_working_directory(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "geo", "onsets", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"file", "format", "layout", "event_types", "origin", "fit", "units"}
    assert report["layout"] == "2022-01"
    units = report["units"]
    assert len(units) == 17
    assert all(set(u) == ONSET_FIELDS for u in units)
    first = units[0]
    assert first["unit"].startswith("Mangystau")
    assert (first["onset_rank"], first["onset_date"], first["first_place"]) == (
        1,
        "2022-01-02",
        "Zhanaozen",
    )
    assert first["days_since_origin"] == 0
    assert first["distance_km"] == 0.0


def test_onsets_are_ordered_by_rank_then_name_and_unaffected_units_come_last(capsys):
    status, out, _ = run(capsys, "onsets", "--json")
    assert status == 0
    units = json.loads(out)["units"]
    ranked = [u for u in units if u["onset_rank"] is not None]
    assert [(u["onset_rank"], u["unit"]) for u in ranked] == sorted(
        (u["onset_rank"], u["unit"]) for u in ranked
    )
    never = units[len(ranked) :]
    assert [u["unit"] for u in never] == ["Akmola Region", "Turkistan Region"]
    assert all(
        u[k] is None
        for u in never
        for k in ("onset_date", "onset_rank", "days_since_origin", "distance_km", "first_place")
    )


def test_onsets_with_all_types_date_every_unit(capsys):
    status, out, _ = run(capsys, "onsets", "--json", "--all-types")
    assert status == 0
    report = json.loads(out)
    assert all(u["onset_date"] for u in report["units"])
    assert report["without_onset"] == []
    assert report["fit"]["n_units"] == 17


def test_onsets_text_names_the_units_without_a_protest_and_the_speed(capsys):
    status, out, err = run(capsys, "onsets")
    assert status == 0
    assert err == ""
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("rank"))
    assert lines[header + 2].split()[:4] == ["1", "Mangystau", "Region", "2022-01-02"]
    assert "Zhanaozen" in lines[header + 2]
    assert "2 units without a dated protest: Akmola Region, Turkistan Region" in out
    assert "km/day" in out
    assert "R²" in out
    assert "n = 15 units" in out


def test_onsets_from_a_chosen_origin_and_an_unknown_one(capsys):
    status, out, _ = run(capsys, "onsets", "--json", "--origin", "QNT-KAZ-0002")
    assert status == 0
    assert json.loads(out)["origin"]["event_id"] == "QNT-KAZ-0002"
    status, out, err = run(capsys, "onsets", "--origin", "NO-SUCH-EVENT")
    assert status == 2
    assert out == ""
    assert "'NO-SUCH-EVENT' is not an event_id_cnty" in err
    assert "Traceback" not in err


def test_summary_json_lists_every_unit_with_its_iso_code(capsys):
    status, out, _ = run(capsys, "summary", "--json")
    assert status == 0
    report = json.loads(out)
    assert report["layout"] == "2022-01"
    assert report["unplaced"] == {"rows": 0, "by_reason": [], "by_country": []}
    units = {u["region_id"]: u for u in report["units"]}
    assert len(units) == 17
    assert all(set(u) == SUMMARY_FIELDS for u in units.values())
    assert units["mangystau"]["code"] == "KZ-MAN"
    assert units["mangystau"]["first_date"] == "2022-01-01"
    assert sum(u["events"] for u in units.values()) == report["rows_loaded"] == BUNDLED_ROWS


def test_a_bad_csv_reports_each_located_problem_and_still_loads_the_good_row(capsys, bad_csv):
    status, out, err = run(capsys, "summary", "--json", "--events", str(bad_csv))
    assert status == 1
    assert "bad.csv, row 2, column 'event_date'" in err
    assert "'2022-13-45'" in err
    assert "bad.csv, row 3, column 'latitude'" in err
    assert "between -90 and 90" in err
    report = json.loads(out)  # stdout holds the JSON and nothing else
    units = {u["region_id"]: u for u in report["units"]}
    assert units["aktobe"]["events"] == 1
    assert units["aktobe"]["fatalities"] == 2
    assert units["aktobe"]["first_date"] == units["aktobe"]["last_date"] == "2022-01-04"
    assert units["atyrau"] == {
        "unit": "Atyrau Region",
        "code": "KZ-ATY",
        "region_id": "atyrau",
        "events": 0,
        "fatalities": 0,
        "first_date": None,
        "last_date": None,
    }


def test_validate_json_follows_the_contract(capsys, bad_csv):
    status, out, err = run(capsys, "validate", str(bad_csv), "--json")
    assert status == 1
    assert "row 2" in err
    report = json.loads(out)
    assert (report["format"], report["rows_read"], report["rows_loaded"]) == ("csv", 3, 1)
    assert report["rows_placed"] == 1
    assert report["placed_by"] == {"coordinates": 1}
    assert [(p["row"], p["column"]) for p in report["problems"]] == [
        (2, "event_date"),
        (3, "latitude"),
    ]
    assert all(set(p) == {"row", "column", "value", "message"} for p in report["problems"])
    assert report["problems"][1]["value"] == "95"
    assert report["unplaced"] == {"rows": 0, "by_reason": [], "by_country": []}
    assert report["mapping"]["event_date"] == "event_date"
    assert isinstance(report["notes"], list)


def test_validate_counts_a_row_with_two_problems_once(capsys, tmp_path):
    path = tmp_path / "two.csv"
    path.write_bytes(
        b"event_date,event_type,location,latitude,longitude,fatalities\n"
        b"2022-01-04,Protests,Aktobe,50.2797,57.2072,2\n"
        b"2022-01-05,Protests,Atyrau,95,51.8843,many\n"
    )
    status, out, err = run(capsys, "validate", str(path), "--json")
    assert status == 1
    assert "2 problem(s) in 1 row(s)" in err
    report = json.loads(out)
    assert (report["rows_read"], report["rows_loaded"], len(report["problems"])) == (2, 1, 2)


def test_the_command_line_loads_no_map_or_picture_library_unless_exporting():
    code = (
        "import contextlib, io, sys\n"
        "from geo.cli.commands import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['summary', '--json']) == 0\n"
        "loaded = {'folium', 'matplotlib', 'streamlit'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


def test_validate_lists_unplaced_rows_with_their_reason(capsys, tmp_path):
    path = tmp_path / "nowhere.csv"
    path.write_text("event_date,location\n2022-01-05,Narnia\n2022-01-05,Aktau\n", "utf-8")
    status, out, _ = run(capsys, "validate", str(path), "--json")
    assert status == 0  # unplaced rows are reported, not problems
    report = json.loads(out)
    assert report["rows_placed"] == 1
    assert report["unplaced"]["rows"] == 1
    (reason,) = report["unplaced"]["by_reason"]
    assert [u["row"] for u in reason["first_rows"]] == [1]
    assert "Narnia" in reason["reason"] and reason["rows"] == 1
    status, out, _ = run(capsys, "validate", str(path))
    assert "Unplaced rows (1), by reason:" in out
    assert "Narnia" in out


def test_validate_text_of_the_bundled_file(capsys):
    status, out, err = run(capsys, "validate", str(ROOT / "data/events/kz_jan2022_events.csv"))
    assert (status, err) == (0, "")
    n = BUNDLED_ROWS
    assert f"Rows read: {n}  loaded: {n}  placed: {n}" in out
    assert "No problems." in out


def test_an_unknown_layout_is_unusable_input(capsys):
    status, out, err = run(capsys, "summary", "--regions", "1999-12")
    assert status == 2
    assert out == ""
    assert "unknown layout '1999-12'" in err
    assert "2022-01" in err
    assert "Traceback" not in err


def test_a_missing_file_is_unusable_input(capsys, tmp_path):
    status, out, err = run(capsys, "validate", str(tmp_path / "missing.csv"))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "file not found" in err


def test_bad_option_values_exit_2(capsys):
    assert run(capsys, "onsets", "--format", "docx")[0] == 2
    assert run(capsys, "spread", "--k", "0")[0] == 2
    status, _, err = run(capsys, "export", "--what", "png")
    assert status == 2
    assert "give --out FILE" in err


def test_spread_json_has_a_tree_a_fit_and_classes_per_day(capsys):
    status, out, _ = run(capsys, "spread", "--json", "--k", "2")
    assert status == 0
    report = json.loads(out)
    assert report["k"] == 2
    root = report["tree"][0]
    assert (root["region_id"], root["parent"], root["onset_class"]) == (
        "mangystau",
        None,
        "flashpoint",
    )
    assert all(r["parent"] for r in report["tree"][1:])
    day = {d["date"]: d for d in report["classes_per_day"]}["2022-01-02"]
    assert day == {
        "date": "2022-01-02",
        "active": 1,
        "flashpoint": 1,
        "escalation": 0,
        "containment": 0,
        "relocation": 0,
    }


def test_export_region_days_writes_a_csv_pandas_reads(capsys, tmp_path):
    out_path = tmp_path / "region_days.csv"
    status, out, _ = run(capsys, "export", "--what", "region-days", "--out", str(out_path))
    assert status == 0
    assert str(out_path) in out
    table = pd.read_csv(out_path)
    assert list(table.columns) == [
        "region_id",
        "region",
        "date",
        "events",
        "fatalities",
        "cumulative_events",
        "cumulative_fatalities",
        "official_toll",
        "official_toll_given_by",
        "official_toll_given_on",
        "attribution",
    ]
    assert table["region_id"].nunique() == 17
    assert table["events"].sum() == BUNDLED_ROWS
    assert not table["attribution"].str.contains("ACLED").any()  # the bundled file is not ACLED's


def test_region_days_of_the_bundled_record_are_the_dashboards(capsys, tmp_path):
    """The CLI and the dashboard export the same region-day table for the same data: the
    bundled record's carries its official tolls, from the one recipe and the one toll rule."""
    from geo.export.tables import region_day_csv
    from geo.pipeline import load_dataset
    from geo.record.tolls import load_official_tolls

    out_path = tmp_path / "region_days.csv"
    status, _, _ = run(capsys, "export", "--what", "region-days", "--out", str(out_path))
    assert status == 0
    dataset = load_dataset()
    dashboard = region_day_csv(
        dataset.counts,
        dataset.regions,
        attribution=dataset.attribution,
        tolls=load_official_tolls(),
    )
    assert out_path.read_bytes() == dashboard
    tolls = pd.read_csv(out_path, dtype={"official_toll": "Int64"})["official_toll"]
    assert tolls.notna().sum() > 0


def test_export_of_an_acled_file_carries_acled_attribution(capsys, tmp_path):
    out_path = tmp_path / "onsets.csv"
    status, out, _ = run(
        capsys,
        *("export", "--what", "onsets", "--json", "--out", str(out_path)),
        *("--events", str(ACLED_FIXTURE)),
    )
    assert status == 0
    report = json.loads(out)
    assert report["attribution"].startswith(ACLED_ATTRIBUTION + ", accessed ")
    table = pd.read_csv(out_path)
    assert table["attribution"].str.contains("www.acleddata.com").all()


def test_text_exports_can_go_to_stdout(capsys):
    status, out, _ = run(capsys, "export", "--what", "geojson")
    assert status == 0
    assert len(json.loads(out)["features"]) == 17


def test_png_export_takes_the_day_mode_and_metric(capsys, tmp_path):
    out_path = tmp_path / "day.png"
    status, _, err = run(
        capsys,
        *("export", "--what", "png", "--out", str(out_path), "--date", "2022-01-05"),
        *("--mode", "daily", "--metric", "fatalities"),
    )
    assert (status, err) == (0, "")
    assert out_path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    status, _, err = run(capsys, "export", "--what", "png", "--out", str(out_path), "--date", "5.1")
    assert status == 2
    assert "--date must be a date such as 2022-01-05, got '5.1'" in err


def test_html_export_is_a_standalone_page(capsys, tmp_path):
    out_path = tmp_path / "map.html"
    status, _, _ = run(capsys, "export", "--what", "html", "--all-types", "--out", str(out_path))
    assert status == 0
    page = out_path.read_text(encoding="utf-8")
    assert "<title>Qantar: how the January 2022 unrest spread across Kazakhstan</title>" in page
    assert "<script src=" not in page  # scripts are inlined: the page works offline


def test_help_exits_0(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert all(name in out for name in ("validate", "summary", "onsets", "spread", "export"))
