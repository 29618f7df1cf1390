"""Every fixture file places exactly as before placing was vectorised and rows abroad were set
aside at import (issue 17): the same region, place method and country for every row of the
dataset (placed, unplaced or set aside), on both layouts.

tests/fixtures/placed.json (the fixtures' rows and the bundled record's) was written by the
placing code before the change (commit 2fa5ccd) with
`python -m tests.analysis.test_placing_unchanged > tests/fixtures/placed.json`; the texts of the
reasons changed on purpose (one per group, not one per row) and are not compared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.paths import BUNDLED_EVENTS
from geo.pipeline import dataset_from_import
from geo.record.regions import load_regions

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SNAPSHOT = FIXTURES / "placed.json"
LAYOUTS = ("2022-01", "current")


BEFORE = {
    path.name: path
    for path in [*sorted(FIXTURES.rglob("*")), BUNDLED_EVENTS]
    if path.is_file() and path.suffix not in (".py", ".json")
}
NEWER = ("historical_month_dates.csv", "acled_swapped_point.csv", "bigquery_gdelt_export.csv")
"""Fixtures written after the snapshot, for what the old code could not read."""


def fixture_files() -> list[Path]:
    """The fixture files the snapshot was taken of, and the bundled record."""
    return [path for name, path in BEFORE.items() if name not in NEWER]


def placed_rows(path: Path, layout: str) -> list[list] | str:
    """[source row, region id, place method, country] of every row of `path`, or "refused"."""
    try:
        imported = geo.read_events(path)
    except geo.QantarError:
        return "refused"
    dataset = dataset_from_import(imported, load_regions(layout), name=path.name)
    set_aside = dataset.outside.assign(region_id=None, place_method="unplaced")  # geo.io.abroad
    columns = ["source_row", "region_id", "place_method", "country"]
    rows = pd.concat([dataset.events[columns], set_aside[columns]], ignore_index=True)
    columns = rows.sort_values("source_row")[columns].astype(object)
    columns = columns.where(columns.notna(), None)
    return [[int(r), None if g is None else str(g), str(m), c] for r, g, m, c in columns.values]


def snapshot() -> dict[str, list[list]]:
    return {
        f"{path.name} @ {layout}": placed_rows(path, layout)
        for path in fixture_files()
        for layout in LAYOUTS
    }


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_every_fixture_places_as_before(path):
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for layout in LAYOUTS:
        key = f"{path.name} @ {layout}"
        assert placed_rows(path, layout) == expected[key], key


def test_the_snapshot_covers_every_fixture():
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert set(expected) == set(snapshot()), "write the snapshot again for a new fixture"
    placed = [row for rows in expected.values() if rows != "refused" for row in rows]
    assert len(placed) > 400 and any(row[1] for row in placed) and any(not row[1] for row in placed)


if __name__ == "__main__":
    print(json.dumps(snapshot(), indent=0, sort_keys=True))
