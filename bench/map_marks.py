"""What drawing a large upload costs (issue 17): the map of 100,000 events at the places a real
file repeats (GDELT and ACLED give every event of a town that town's one point), a mark per
event against a mark per place, frame and category, built in one run.

Events are spread over the Kazakh towns of data/gazetteer.csv (weighted by population, seeded)
and 19 days, in two categories. For each way: the marks drawn, the payload the browser receives
(the player's data), and the time to build the map (median of --repeat). The browser's cost
follows the marks: each is an SVG path Leaflet creates and restyles on every frame.

Usage: python bench/map_marks.py [--events 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.paths import GAZETTEER  # noqa: E402
from geo.pipeline import build_dataset  # noqa: E402
from geo.record.regions import load_regions  # noqa: E402
from geo.render import layers, webmap  # noqa: E402
from geo.render.htmlsafe import script_json  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    dataset = build_dataset(events_at_towns(args.events), load_regions("2022-01"), name="bench")
    frames = dataset.frames
    placed = dataset.events[dataset.events["region_id"].notna()]
    places = placed[["latitude", "longitude"]].drop_duplicates()
    print(f"{len(placed):,} events placed at {len(places):,} places, {len(frames)} days")
    print("| way | marks | payload MB | build s (median) |")
    print("|---|---|---|---|")
    for label, by_place in (
        ("a mark per event (before)", False),
        ("a mark per place, frame and category", True),
    ):
        seconds, marks = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            marks = layers.event_features(placed, frames, by_place=by_place)
            seconds.append(time.perf_counter() - started)
        size = len(script_json(marks).encode())
        print(
            f"| {label} | {len(marks['features']):,} | {size / 1e6:.1f} | "
            f"{statistics.median(seconds):.2f} |"
        )
    started = time.perf_counter()
    payload = webmap.player_payload(dataset)
    print(
        f"whole player payload now: {len(script_json(payload).encode()) / 1e6:.1f} MB, "
        f"{time.perf_counter() - started:.2f} s, clustered: {payload['cluster']}"
    )


def events_at_towns(size: int) -> pd.DataFrame:
    towns = pd.read_csv(GAZETTEER)
    towns = towns[towns["country"] == "KZ"].reset_index(drop=True)
    rng = np.random.default_rng(17)
    weights = towns["population"].clip(lower=100).to_numpy(dtype=float)
    at = rng.choice(len(towns), size, p=weights / weights.sum())
    return pd.DataFrame(
        {
            "event_id_cnty": [f"KAZ{n}" for n in range(size)],
            "event_date": pd.to_datetime("2022-01-01")
            + pd.to_timedelta(rng.integers(0, 19, size), "D"),
            "event_type": np.where(rng.random(size) < 0.7, "Protests", "Riots"),
            "location": towns["name"].to_numpy()[at],
            "latitude": towns["latitude"].to_numpy()[at],
            "longitude": towns["longitude"].to_numpy()[at],
            "geo_precision": 1,
            "fatalities": np.where(rng.random(size) < 0.95, 0, rng.integers(1, 5, size)),
            "country": "KZ",
        }
    )


if __name__ == "__main__":
    main()
