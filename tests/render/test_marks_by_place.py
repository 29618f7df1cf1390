"""A large upload is drawn one mark per place, frame and category (issue 17): the marks' counts
are the events, counted again here with a plain groupby."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.render.layers import event_features
from geo.render.webmap import CLUSTER_THRESHOLD

PLACES = {"Aktau": (43.6500, 51.1600), "Zhanaozen": (43.3412, 52.8619), "Almaty": (43.25, 76.95)}


def many_events(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(21)
    names = np.array(list(PLACES))[rng.integers(0, len(PLACES), rows)]
    return pd.DataFrame(
        {
            "event_id_cnty": [f"KAZ{n}" for n in range(1, rows + 1)],  # each its own event
            "event_date": pd.to_datetime("2022-01-02")
            + pd.to_timedelta(rng.integers(0, 3, rows), "D"),
            "event_type": np.where(rng.random(rows) < 0.7, "Protests", "Riots"),
            "location": names,
            "latitude": [PLACES[n][0] for n in names],  # GDELT gives a place one point
            "longitude": [PLACES[n][1] for n in names],
            "geo_precision": 1,
            "fatalities": rng.integers(0, 2, rows),
            "region_id": "x",
        }
    )


def test_marks_stand_for_their_place_frame_and_category():
    events = many_events(CLUSTER_THRESHOLD + 1000)
    frames = list(pd.date_range("2022-01-02", "2022-01-04"))
    marks = event_features(events, frames, by_place=True)["features"]
    expected = (
        events.assign(day=events["event_date"].dt.strftime("%Y-%m-%d"))
        .groupby(["day", "location", "event_type"])
        .agg(count=("day", "size"), deaths=("fatalities", "sum"))
    )
    assert len(marks) == len(expected) <= 3 * len(PLACES) * 2
    got = {
        (
            m["properties"]["date"],
            m["properties"]["place"],
            m["properties"]["kind"].split(" · ")[0],
        ): (
            m["properties"]["count"],
            m["properties"]["deaths"],
        )
        for m in marks
    }
    assert got == {
        key: (row["count"], f"Deaths reported: {row['deaths']}") for key, row in expected.iterrows()
    }
    assert sum(m["properties"]["count"] for m in marks) == len(events)
    assert all(
        m["properties"]["kind"].endswith(f"{m['properties']['count']} events") for m in marks
    )


def test_a_small_file_keeps_a_mark_per_event():
    events = many_events(50)
    frames = list(pd.date_range("2022-01-02", "2022-01-04"))
    marks = event_features(events, frames)["features"]
    assert len(marks) == 50 and {m["properties"]["count"] for m in marks} == {1}
