"""`python -m geo compare`: the JSON says what geo.analysis.compare computes, in its contract."""

from __future__ import annotations

import json

import pytest

import geo
from geo.analysis.compare import compare
from geo.cli.commands import main
from tests.analysis.test_compare import A_ROWS, B_ROWS, TOWNS, dataset

REPORT_KEYS = {
    "km", "days", "first_day", "last_day", "a", "b", "matched", "a_only", "b_only",
    "estimated_total", "estimate_assumes", "onset_rank_correlation", "daily_correlation",
    "regions",
}  # fmt: skip
REGION_KEYS = {
    "region_id", "region", "a_events", "b_events", "matched", "a_only", "b_only", "a_onset",
    "b_onset", "lag_days",
}  # fmt: skip


def write(path, rows, shift_km=0.0):
    lines = ["event_date,event_type,location,latitude,longitude"]
    for day, kind, town in rows:
        lat, lon = TOWNS[town]
        lines.append(f"{day},{kind},{town},{lat + shift_km / 111.195:.5f},{lon}")
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def run_json(capsys, *argv):
    status = main(["compare", *argv, "--json"])
    out = capsys.readouterr().out
    return status, json.loads(out)


def test_two_files_give_the_numbers_of_the_comparison(tmp_path, capsys):
    a = write(tmp_path / "a.csv", A_ROWS)
    b = write(tmp_path / "b.csv", B_ROWS, shift_km=3)
    status, report = run_json(capsys, a, b)
    assert status == 0
    assert set(report) == REPORT_KEYS
    assert report["a"]["events"] == report["b"]["events"] == 6
    assert (report["matched"], report["a_only"], report["b_only"]) == (4, 2, 2)
    assert report["estimated_total"] == 9.0
    assert (report["first_day"], report["last_day"]) == ("2022-01-02", "2022-01-05")
    west = next(r for r in report["regions"] if r["region_id"] == "west_kazakhstan")
    assert west == {
        "region_id": "west_kazakhstan",
        "region": "West Kazakhstan Region",
        "a_events": 1,
        "b_events": 1,
        "matched": 0,
        "a_only": 1,
        "b_only": 1,
        "a_onset": "2022-01-05",
        "b_onset": "2022-01-03",
        "lag_days": 2,
    }
    expected = compare(dataset(A_ROWS, "a.csv"), dataset(B_ROWS, "b.csv", shift_km=3))
    assert report["onset_rank_correlation"] == pytest.approx(
        expected.onset_rank_correlation, abs=5e-4
    )
    assert [d["lag_days"] for d in report["daily_correlation"]] == list(range(-3, 4))
    assert all(set(r) == REGION_KEYS for r in report["regions"])
    assert len(report["regions"]) == 17


def test_one_file_is_set_against_the_bundled_record(tmp_path, capsys):
    b = write(tmp_path / "b.csv", B_ROWS)
    status, report = run_json(capsys, b, "--km", "10", "--days", "0")
    assert status == 0
    assert report["a"]["name"] == "kz_jan2022_events.csv"
    assert (report["km"], report["days"]) == (10.0, 0)
    assert report["a"]["events"] + report["a"]["left_out"] == len(geo.load_dataset().events)
    assert sum(r["b_events"] for r in report["regions"]) == report["b"]["events"]
    assert sum(r["matched"] for r in report["regions"]) == report["matched"]


def test_the_text_report_names_both_files_and_the_windows(tmp_path, capsys):
    a = write(tmp_path / "a.csv", A_ROWS)
    b = write(tmp_path / "b.csv", B_ROWS, shift_km=3)
    assert main(["compare", a, b]) == 0
    out = capsys.readouterr().out
    assert f"A: {a}" in out and f"B: {b}" in out
    assert "within 50 km and 1 day(s)" in out
    assert "Matched: 4  only in A: 2  only in B: 2" in out
    assert "Estimated total (nA·nB/m): 9" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["x.csv", "y.csv", "z.csv"], "one file (B) or two (A B)"),
        (["B", "--km", "0"], "distance window must be 0.1 to 1000 km"),
        (["B", "--days", "30"], "day window must be a whole number 0 to 14"),
    ],
)
def test_bad_arguments_say_what_is_allowed(tmp_path, capsys, argv, message):
    b = write(tmp_path / "b.csv", B_ROWS)
    argv = [b if arg == "B" else arg for arg in argv]
    assert main(["compare", *argv]) == 2
    assert message in capsys.readouterr().err
