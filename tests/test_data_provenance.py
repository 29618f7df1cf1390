"""Every bundled data file is described in data/README.md and loads."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from tests.paths import ROOT

DATA = ROOT / "data"
README = (DATA / "README.md").read_text(encoding="utf-8")
DATA_FILES = sorted(
    p
    for p in DATA.rglob("*")
    if p.is_file() and p.name != "README.md" and "__pycache__" not in p.parts
)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_data_file_is_described_and_loads(path: Path):
    relative = str(path.relative_to(DATA))
    assert f"`{relative}`" in README, f"data/README.md does not describe {relative}"
    if path.suffix == ".csv":
        assert len(pd.read_csv(path)) > 0
    elif path.suffix == ".geojson":
        assert len(gpd.read_file(path)) > 0


def test_readme_states_licences_and_vintage():
    for needed in ("CC BY 4.0", "MIT", "public domain", "2022-06-07", "Natural Earth"):
        assert needed in README
