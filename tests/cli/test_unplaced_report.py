"""The unplaced rows of a mostly-foreign file, reported by counts (issue 17): a GDELT 1.0 daily
file in its exact shape (58 tab-separated fields, no header), 2,000 rows of which 60 are in
Kazakhstan. Every count is computed again here from the file's own columns."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from geo.cli.commands import main
from geo.export.unplaced import FIRST_ROWS
from geo.io.gdelt import GDELT_COLUMNS

ROWS, KAZAKH = 2000, 60
ABROAD = {"US": (38.9, -77.0), "RS": (55.75, 37.6), "CH": (39.9, 116.4), "KG": (42.87, 74.59)}
"""FIPS code and a city's point: GDELT writes Russia RS and China CH (ISO RU, CN)."""
ISO = {"US": "US", "RS": "RU", "CH": "CN", "KG": "KG"}


@pytest.fixture(scope="module")
def gdelt_day(tmp_path_factory):
    rng = np.random.default_rng(17)
    names = GDELT_COLUMNS[58]
    frame = pd.DataFrame("", index=range(ROWS), columns=names)
    frame["GLOBALEVENTID"] = [str(10**9 + i) for i in range(ROWS)]
    frame["SQLDATE"] = "20220105"
    frame["EventCode"] = frame["EventBaseCode"] = "140"
    frame["EventRootCode"] = "14"
    codes = np.array(list(ABROAD))[rng.integers(0, len(ABROAD), ROWS)]
    codes[rng.choice(ROWS, KAZAKH, replace=False)] = "KZ"
    frame["ActionGeo_CountryCode"] = codes
    frame["ActionGeo_Type"] = "4"
    points = {**ABROAD, "KZ": (43.65, 51.16)}  # Aktau
    frame["ActionGeo_Lat"] = [str(points[c][0]) for c in codes]
    frame["ActionGeo_Long"] = [str(points[c][1]) for c in codes]
    frame["ActionGeo_FullName"] = [f"City of {c}" for c in codes]
    frame["ActionGeo_ADM1Code"] = [f"{c}09" for c in codes]
    frame["SOURCEURL"] = "https://news.example.org/a"
    path = tmp_path_factory.mktemp("gdelt") / "20220105.export.CSV"
    path.write_text("\n".join("\t".join(row) for row in frame.to_numpy()) + "\n", encoding="utf-8")
    return path, codes


def test_a_foreign_day_is_counted_by_reason_and_country(capsys, tmp_path, gdelt_day):
    path, codes = gdelt_day
    listing = tmp_path / "unplaced.csv"
    status = main(["summary", "--events", str(path), "--json", "--unplaced", str(listing)])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    foreign = pd.Series(codes[codes != "KZ"]).map(ISO)
    assert report["rows_placed"] == KAZAKH
    assert report["unplaced"]["rows"] == len(foreign)
    expected = foreign.value_counts()
    assert {c["country"]: c["rows"] for c in report["unplaced"]["by_country"]} == expected.to_dict()
    counts = [c["rows"] for c in report["unplaced"]["by_country"]]
    assert counts == sorted(counts, reverse=True)
    reasons = {r["reason"]: r for r in report["unplaced"]["by_reason"]}
    assert {r: v["rows"] for r, v in reasons.items()} == {
        f"outside Kazakhstan ({code})": n for code, n in expected.items()
    }
    for code, reason in ((c, reasons[f"outside Kazakhstan ({c})"]) for c in expected.index):
        rows_of_code = (np.flatnonzero(codes != "KZ")[foreign.to_numpy() == code] + 1).tolist()
        assert [r["row"] for r in reason["first_rows"]] == rows_of_code[:FIRST_ROWS]
        assert {r["country"] for r in reason["first_rows"]} == {code}
    # The report's size does not grow with the rows: 20 rows per reason at most.
    assert sum(len(r["first_rows"]) for r in reasons.values()) <= FIRST_ROWS * len(reasons)
    written = pd.read_csv(listing, dtype=str, keep_default_na=False)
    assert (
        written["source_row"].astype(int).tolist() == (np.flatnonzero(codes != "KZ") + 1).tolist()
    )
    assert written["country"].tolist() == foreign.tolist()
    assert written["unplaced_reason"].tolist() == [f"outside Kazakhstan ({c})" for c in foreign]


def test_the_text_report_counts_and_shows_the_first_rows(capsys, gdelt_day):
    path, codes = gdelt_day
    main(["summary", "--events", str(path)])
    out = capsys.readouterr().out
    foreign = int((codes != "KZ").sum())
    assert f"Unplaced rows ({foreign:,}), by reason:" in out
    assert out.count("\n") < 40 + 5 * FIRST_ROWS * len(ABROAD)
