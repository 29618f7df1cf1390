"""One view of a dataset (a filter, stepped by hour), built in one step or in two.

`geo.pipeline.view_dataset` filters, steps by hour and traces the spread once; the yardstick,
measured in the same run, is the two public steps one after the other
(`by_hour(restrict_dataset(...))`), which trace it twice. The dataset is the bundled record, the
filter "Protests", as a reader's first filter of the hourly view would be. Prints the median of
`--rounds` builds of each, alternating.

Usage: python bench/view_step.py [--rounds 15]
A benchmark, never a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.pipeline import by_hour, load_dataset, restrict_dataset, view_dataset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    dataset = load_dataset()
    keep = (dataset.events["event_type"] == "Protests").to_numpy()
    builds = {
        "view_dataset (one step)": lambda: view_dataset(dataset, keep=keep, step="hour"),
        "by_hour(restrict_dataset) (two steps)": lambda: by_hour(
            restrict_dataset(dataset, keep, label="filtered")
        ),
    }
    seconds: dict[str, list[float]] = {name: [] for name in builds}
    for _ in range(rounds):
        for name, build in builds.items():
            start = time.perf_counter()
            build()
            seconds[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(times) for name, times in seconds.items()}
    one, two = medians.values()
    for name, median in medians.items():
        print(f"{name}: median {median * 1000:.1f} ms over {rounds} builds")
    print(f"ratio one/two steps: {one / two:.2f}")


if __name__ == "__main__":
    main()
