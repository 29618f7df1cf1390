"""End-to-end benchmark: read + validate + join + aggregate, ours against the straightforward way.

Each way runs in a fresh child process (so its peak RSS is its own), repeats the whole pipeline
and reports every run's time and per-stage times as JSON; this parent prints and writes a
markdown table. Timing starts after the Python imports and covers loading the region layout,
reading the file, validating, joining and aggregating.

- ours: geo.importers.read_events (else geo.events.load_events_csv) -> geo.placing.place_events
  (else geo.join.assign_regions) -> geo.aggregate.region_day_counts
- naive: pd.read_csv -> gpd.GeoDataFrame(points_from_xy) -> gpd.sjoin(predicate="within")
  -> groupby(["region_id", "event_date"]).size()
- spread (largest file only): geo.spread.onsets and geo.spread.diffusion_classes on placed events

Usage: python bench/generate.py && python bench/run.py [--sizes 10k 100k 1M] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
SIZES = ("10k", "100k", "1M")
CHILD_TIMEOUT_S = 900


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per way (median reported)")
    parser.add_argument("--repeat-1m", type=int, default=5, help="runs per way for the 1M file")
    parser.add_argument(
        "--child", nargs=3, metavar=("WAY", "PATH", "REPEAT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        way, path, repeat = args.child
        print(json.dumps(_child(way, Path(path), int(repeat))))
        return
    results = []
    load_before = os.getloadavg()[0]
    for size in args.sizes:
        path = OUT / f"events_{size}.csv"
        if not path.is_file():
            sys.exit(f"{path} is missing: run python bench/generate.py first")
        repeat = args.repeat_1m if size == "1M" else args.repeat
        for way in ("ours", "naive"):
            results.append({"size": size, **_run_child(way, path, repeat)})
            _print_row(results[-1])
    largest = args.sizes[-1]
    spread = _run_child("spread", OUT / f"events_{largest}.csv", 3)
    load = (
        f"1-minute load average {load_before:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
    )
    report = f"{machine()}; {load}.\n\n" + _report(results, spread, largest)
    print()
    print(report)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.md").write_text(report, encoding="utf-8")
    print(f"\nwritten to {(OUT / 'results.md').relative_to(ROOT)} (git-ignored)")


# --- parent ---------------------------------------------------------------------------------------


def _run_child(way: str, path: Path, repeat: int) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        way,
        str(path),
        str(repeat),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{way} on {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_row(result: dict) -> None:
    stages = ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in result["stages"].items())
    print(
        f"{result['size']:>5} {result['way']:<6} median {statistics.median(result['times']):7.3f} s"
        f"  min {min(result['times']):7.3f} s  peak RSS {result['peak_rss_mb']:7.0f} MB  [{stages}]"
    )


def _report(results: list[dict], spread: dict, largest: str) -> str:
    by = {(r["size"], r["way"]): r for r in results}
    lines = [
        "| size | way | runs | median s | min s | peak RSS MB | speed-up (naive / ours) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        median = statistics.median(r["times"])
        ratio = ""
        if r["way"] == "ours" and (r["size"], "naive") in by:
            ratio = f"{statistics.median(by[(r['size'], 'naive')]['times']) / median:.1f}x"
        lines.append(
            f"| {r['size']} | {r['way']} | {len(r['times'])} | {median:.3f} | "
            f"{min(r['times']):.3f} | {r['peak_rss_mb']:.0f} | {ratio} |"
        )
    lines += ["", "Per-stage medians (s):", ""]
    stages = sorted({s for r in results for s in r["stages"]}, key=_stage_order)
    lines.append("| size | way | " + " | ".join(stages) + " |")
    lines.append("|---|---|" + "---|" * len(stages))
    for r in results:
        cells = [
            f"{statistics.median(r['stages'][s]):.3f}" if s in r["stages"] else "" for s in stages
        ]
        lines.append(f"| {r['size']} | {r['way']} | " + " | ".join(cells) + " |")
    lines += ["", "What ran:", ""]
    lines += [f"- {way}: {by[(results[0]['size'], way)]['what']}" for way in ("ours", "naive")]
    lines += [
        "",
        f"Spread analytics on the {largest} file ({spread['rows']:,} placed events, "
        f"{len(spread['times'])} runs, peak RSS {spread['peak_rss_mb']:.0f} MB incl. the placing):",
        "",
        "| step | median s | min s |",
        "|---|---|---|",
    ]
    for step, times in spread["stages"].items():
        lines.append(f"| {step} | {statistics.median(times):.3f} | {min(times):.3f} |")
    lines += ["", "Rows counted per way and size (sanity check):", ""]
    lines += [
        f"- {r['size']} {r['way']}: {r['rows']:,} rows read, {r['counted']:,} events counted"
        for r in results
    ]
    return "\n".join(lines) + "\n"


def _stage_order(stage: str) -> int:
    order = ["regions", "read", "validate", "read+validate", "points", "join", "aggregate"]
    return order.index(stage) if stage in order else len(order)


# --- children -------------------------------------------------------------------------------------


def _child(way: str, path: Path, repeat: int) -> dict:
    sys.path.insert(0, str(ROOT))
    runner = {"ours": _ours, "naive": _naive, "spread": _spread}[way]
    prepare, what, profile = runner()
    times: list[float] = []
    stages: dict[str, list[float]] = {}
    rows = counted = 0
    for _ in range(repeat):
        started = time.perf_counter()
        stage_times, rows, counted = prepare(path)
        times.append(time.perf_counter() - started)
        for stage, seconds in stage_times.items():
            stages.setdefault(stage, []).append(seconds)
    for _ in range(min(repeat, 3) if profile else 0):  # the reader's steps one by one
        for stage, seconds in profile(path).items():
            stages.setdefault(stage, []).append(seconds)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "way": way,
        "times": times,
        "stages": stages,
        "peak_rss_mb": peak_kb / 1024,
        "rows": rows,
        "counted": counted,
        "what": what,
    }


class _Clock:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self._last
        self._last = now


def _ours():
    import geo
    from geo.aggregate import region_day_counts

    read, read_name, split = _our_reader()
    place, place_name = _our_placer()

    def run(path: Path):
        clock = _Clock()
        regions = geo.load_regions("2022-01")
        clock.lap("regions")
        events = read(path)
        clock.lap("read+validate")
        placed = place(events, regions)
        clock.lap("join")
        counts = region_day_counts(placed, regions["region_id"])
        clock.lap("aggregate")
        return clock.stages, len(events), int(counts["events"].sum())

    def profile(path: Path) -> dict[str, float]:
        clock = _Clock()
        split(path, clock)
        return clock.stages

    what = f"{read_name} -> {place_name} -> geo.aggregate.region_day_counts"
    return run, what, (profile if split is not None else None)


def _our_reader():
    """The public reader, and an equivalent timed step by step (read, validate) when possible."""
    try:
        from geo import importers
    except ImportError:
        importers = None
    if importers is not None and hasattr(importers, "read_events"):

        def read(path: Path):
            return importers.read_events(path).events

        split = None
        private = ("_open_source", "detect_format", "_READERS", "_finish")
        if all(hasattr(importers, name) for name in private):

            def split(path: Path, clock: _Clock):
                source = importers._open_source(path, None)
                raw = importers._READERS[importers.detect_format(source)](source, None)
                clock.lap("read")
                events = importers._finish(raw, "acled", source.name).events
                clock.lap("validate")
                return events

        return read, "geo.importers.read_events", split

    import pandas as pd

    from geo.events import load_events_csv
    from geo.schema import validate_events

    def read(path: Path):
        return load_events_csv(path).events

    def split(path: Path, clock: _Clock):  # the body of load_events_csv, timed per step
        raw = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
        clock.lap("read")
        events = validate_events(raw, path.name).events
        clock.lap("validate")
        return events

    return read, "geo.events.load_events_csv (geo.importers not importable)", split


def _our_placer():
    try:
        from geo.placing import place_events
    except ImportError:
        from geo.join import assign_regions

        return assign_regions, "geo.join.assign_regions (geo.placing not importable)"

    def place(events, regions):
        result = place_events(events, regions)
        return getattr(result, "events", result)

    return place, "geo.placing.place_events"


def _naive():
    import geopandas as gpd
    import pandas as pd

    from geo.paths import REGION_LAYOUTS

    def run(path: Path):
        clock = _Clock()
        regions = gpd.read_file(REGION_LAYOUTS["2022-01"])[["region_id", "geometry"]]
        clock.lap("regions")
        frame = pd.read_csv(path)
        clock.lap("read")
        points = gpd.GeoDataFrame(
            frame,
            geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
            crs="EPSG:4326",
        )
        clock.lap("points")
        joined = gpd.sjoin(points, regions, predicate="within")
        clock.lap("join")
        counts = joined.groupby(["region_id", "event_date"]).size()
        clock.lap("aggregate")
        return clock.stages, len(frame), int(counts.sum())

    what = (
        'pd.read_csv -> gpd.GeoDataFrame(points_from_xy) -> gpd.sjoin(predicate="within") '
        '-> groupby(["region_id", "event_date"]).size()'
    )
    return run, what, None


def _spread():
    import geo
    from geo.spread import adjacency, diffusion_classes, onsets

    read = _our_reader()[0]
    place = _our_placer()[0]
    cache: dict[str, object] = {}

    def run(path: Path):
        if "placed" not in cache:  # placing is not what is measured here
            regions = geo.load_regions("2022-01")
            cache["regions"] = regions
            cache["placed"] = place(read(path), regions)
        placed, regions = cache["placed"], cache["regions"]
        clock = _Clock()
        onsets(placed, regions)
        clock.lap("onsets")
        edges = adjacency(regions)
        clock.lap("adjacency")
        table = diffusion_classes(placed, regions, k=3, edges=edges)
        clock.lap("diffusion_classes (k=3, given edges)")
        return clock.stages, len(placed), int(table["active"].sum())

    return run, "geo.spread.onsets, adjacency, diffusion_classes", None


def machine() -> str:
    """A one-paragraph description of this machine, for BENCHMARKS.md."""
    import pandas as pd
    import pyarrow
    import shapely

    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as handle:
        total_kb = int(handle.readline().split()[1])
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {total_kb / 1024**2:.0f} GB RAM, "
        f"Python {platform.python_version()}, pandas {pd.__version__}, "
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"pyarrow {pyarrow.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}"
    )


if __name__ == "__main__":
    main()
