"""The export tests' events: five worked out on paper, in the three squares A | B | C."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis.aggregate import region_day_counts
from tests.export.samples import XSS


@pytest.fixture
def placed() -> pd.DataFrame:
    """Five events over 1-3 Jan 2022 in A | B | C (C stays quiet).

    A: 1 Jan two events (2 deaths), 3 Jan one event (1 death).
    B: 2 Jan one event (deaths not reported), 3 Jan one event (3 deaths).
    """
    return pd.DataFrame(
        {
            "event_id_cnty": ["E1", "E2", "E3", "E4", "E5"],
            "event_date": pd.to_datetime(
                ["2022-01-01", "2022-01-01", "2022-01-02", "2022-01-03", "2022-01-03"]
            ),
            "event_type": ["Protests", "Riots", "Protests", "Battles", "Riots"],
            "sub_event_type": ["Peaceful protest", "Mob violence", "Peaceful protest", "", ""],
            "location": ["A town", "A village", "B town", "A town", "B town"],
            "latitude": [0.5, 0.3, 0.5, 0.5, 0.6],
            "longitude": [0.5, 0.3, 1.5, 0.5, 1.6],
            "geo_precision": pd.array([1, 1, 3, 1, 1], dtype="Int8"),
            "fatalities": pd.array([0, 2, None, 1, 3], dtype="Int64"),
            "notes": ["plain", XSS, "plain", "plain", "plain"],
            "region_id": ["a", "a", "b", "a", "b"],
        }
    )


@pytest.fixture
def counts(placed, three_squares) -> pd.DataFrame:
    return region_day_counts(placed, three_squares["region_id"])
