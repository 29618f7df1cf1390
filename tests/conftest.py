"""Shared fixtures: tiny hand-made layouts whose answers can be worked out on paper."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


def pytest_collection_modifyitems(config, items) -> None:
    """Every test under tests/browser carries the `browser` marker, so that `make test`'s fast
    pass (`-m "not browser"`) never starts Chromium and its browser pass misses none."""
    unmarked = sorted(
        {
            item.nodeid.split("::")[0]
            for item in items
            if BROWSER_TESTS in Path(item.fspath).resolve().parents
            and item.get_closest_marker("browser") is None
        }
    )
    if unmarked:
        raise pytest.UsageError(
            "browser tests without the `browser` marker (add `pytestmark = pytest.mark.browser`): "
            + ", ".join(unmarked)
        )


@pytest.fixture
def three_squares() -> gpd.GeoDataFrame:
    """A | B | C: unit squares side by side along the equator, from lon 0 to 3."""
    return gpd.GeoDataFrame(
        {"region_id": ["a", "b", "c"], "name_en": ["A", "B", "C"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)],
        crs="EPSG:4326",
    )


def events_frame(rows: list[dict]) -> pd.DataFrame:
    """Raw string rows as a CSV reader would give them."""
    return pd.DataFrame(rows).astype("string")
