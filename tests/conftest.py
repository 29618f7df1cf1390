"""Shared fixtures: tiny hand-made layouts whose answers can be worked out on paper."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box


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
