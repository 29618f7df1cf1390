"""How long matching two sources takes (issue 18): geo.analysis.matching.match_events on two
generated sources of 10k and 100k events each, beside a yardstick in the same run.

The sources have the mix a comparison meets: A is record-like (every event at its own point
near one of 60 towns of Kazakhstan, over 19 days); B is GDELT-like (70% of its events on a
town's exact centroid, where GDELT puts what it cannot place better, the rest scattered; its
categories are CAMEO families and ACLED types). The yardstick finds only the candidate pairs
(within 50 km and 1 day, no categories, no one-to-one rule) with shapely's STRtree `dwithin`
query on points projected to an azimuthal equidistant plane, one query per day: the cheapest
library spatial join, a floor for any matching.

Usage: python bench/compare_sources.py [--sizes 10000 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analysis.matching import DEFAULT_DAYS, DEFAULT_KM, match_events

TOWNS = 60
DAYS = 19
A_TYPES = ["Protests", "Riots", "Battles", "Violence against civilians", "Strategic developments"]
B_TYPES = ["Protests", "Violence against civilians", "Battles", "Coercion (incl. arrests)",
           "Statements and appeals", "Demands and threats"]  # fmt: skip


def sources(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    towns = np.column_stack([rng.uniform(41, 55, TOWNS), rng.uniform(47, 87, TOWNS)])

    def source(types: list[str], on_centroid: float) -> pd.DataFrame:
        town = rng.integers(0, TOWNS, n)
        scattered = rng.random(n) >= on_centroid
        return pd.DataFrame(
            {
                "event_date": pd.Timestamp(2022, 1, 1)
                + pd.to_timedelta(rng.integers(0, DAYS, n), "D"),
                "event_type": rng.choice(types, n),
                "latitude": towns[town, 0] + scattered * rng.normal(0, 0.25, n),
                "longitude": towns[town, 1] + scattered * rng.normal(0, 0.35, n),
            }
        )

    return source(A_TYPES, 0.0), source(B_TYPES, 0.7)


def yardstick(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """Candidate pairs within DEFAULT_KM and DEFAULT_DAYS: STRtree dwithin, one query per day."""
    to_plane = Transformer.from_crs("EPSG:4326", "+proj=aeqd +lat_0=48 +lon_0=67", always_xy=True)
    found = 0
    a_day = a["event_date"].dt.day.to_numpy()
    b_day = b["event_date"].dt.day.to_numpy()
    a_points = shapely.points(*to_plane.transform(a["longitude"], a["latitude"]))
    b_points = shapely.points(*to_plane.transform(b["longitude"], b["latitude"]))
    for day in np.unique(a_day):
        near = np.abs(b_day - day) <= DEFAULT_DAYS
        tree = shapely.STRtree(b_points[near])
        found += tree.query(a_points[a_day == day], "dwithin", DEFAULT_KM * 1000).shape[1]
    return found


def timed(step, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'events each':>12} {'matching s':>11} {'pairs':>8} {'yardstick s':>12} "
          f"{'candidates':>11} {'ratio':>6}")  # fmt: skip
    for n in args.sizes:
        a, b = sources(n)
        match_s, matches = timed(lambda a=a, b=b: match_events(a, b), args.repeat)
        yard_s, candidates = timed(lambda a=a, b=b: yardstick(a, b), args.repeat)
        print(
            f"{n:>12,} {match_s:>11.2f} {len(matches.pairs):>8,} {yard_s:>12.2f} "
            f"{candidates:>11,} {match_s / yard_s:>6.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the run: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
