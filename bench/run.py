"""End-to-end benchmark: read + validate + join + aggregate, ours against the straightforward way.

Each run happens in a fresh child process (so its peak RSS is its own) after one untimed warm-up
run, and the ways take turns, round by round, so that load from other jobs hits them alike; each
child reports its run's time and per-stage times as JSON, and this parent prints and writes a
markdown table (median and minimum over the rounds, the largest peak RSS). Timing starts after
the Python imports and covers loading the region layout, reading the file, validating, joining
and aggregating.

- ours: geo.io.importers.read_events (else geo.record.events.load_events_csv) ->
  geo.analysis.placing.place_events
  (else geo.analysis.join.assign_regions) -> geo.analysis.aggregate.region_day_counts, cold (no
  import cache)
- ours-warm: the same, with read_events(cache_dir=...) hitting an import cache that a separate
  child process filled first (that child's single cold run, which also writes the cache, is
  reported as "ours-prime")
- naive: pd.read_csv -> gpd.GeoDataFrame(points_from_xy) -> gpd.sjoin(predicate="within")
  -> groupby(["region_id", "event_date"]).size()
- spread (largest file only): geo.analysis.spread.onsets and geo.analysis.spread.diffusion_classes
  on placed events

Usage: python bench/generate.py && python bench/run.py [--sizes 10k 100k 1M] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
CACHE = OUT / "import-cache"
SIZES = ("10k", "100k", "1M")
CHILD_TIMEOUT_S = 240
TIME_BUDGET_S = 540
"""Stop starting new rounds after this long, so a whole run stays under 10 minutes."""
WAYS = ("ours", "ours-prime", "ours-warm", "naive")
TIMED_WAYS = ("ours", "ours-warm", "naive")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=5, help="runs per way (median reported)")
    parser.add_argument("--repeat-1m", type=int, default=5, help="runs per way for the 1M file")
    parser.add_argument(
        "--child", nargs=4, metavar=("WAY", "PATH", "REPEAT", "WARMUP"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        way, path, repeat, warmup = args.child
        print(json.dumps(_child(way, Path(path), int(repeat), int(warmup))))
        return
    started = time.perf_counter()
    results = []
    loads = [os.getloadavg()[0]]
    shutil.rmtree(CACHE, ignore_errors=True)  # every run starts cold
    for size in args.sizes:
        path = OUT / f"events_{size}.csv"
        if not path.is_file():
            sys.exit(f"{path} is missing: run python bench/generate.py first")
        # The cold run that fills the cache runs once; the timed ways then take turns, one fresh
        # child each (an untimed warm-up run, then a timed one), so that a burst of load from
        # other jobs on the machine hits every way alike instead of one way's whole series.
        prime = {"size": size, **_run_child("ours-prime", path, 1, 0)}
        rounds = args.repeat_1m if size == "1M" else args.repeat
        series: dict[str, dict] = {}
        for _ in range(rounds):
            if series and time.perf_counter() - started > TIME_BUDGET_S:
                print(f"time budget of {TIME_BUDGET_S} s used up: fewer rounds for {size}")
                break
            for way in TIMED_WAYS:
                _merge(series.setdefault(way, {"size": size}), _run_child(way, path, 1, 1))
                loads.append(os.getloadavg()[0])
        results += [series["ours"], prime, series["ours-warm"], series["naive"]]
        for result in results[-4:]:
            _print_row(result)
    largest = args.sizes[-1]
    spread = _run_child("spread", OUT / f"events_{largest}.csv", 3, 0)
    loads.append(os.getloadavg()[0])
    load = (
        f"1-minute load average {loads[0]:.2f} at the start, {loads[-1]:.2f} at the end "
        f"(between {min(loads):.2f} and {max(loads):.2f}, sampled after each child)"
    )
    report = f"{machine()}; {load}.\n\n" + _report(results, spread, largest)
    print()
    print(report)
    OUT.mkdir(exist_ok=True)
    (OUT / "results.md").write_text(report, encoding="utf-8")
    print(f"\nwritten to {(OUT / 'results.md').relative_to(ROOT)} (git-ignored)")


# --- parent ---------------------------------------------------------------------------------------


def _run_child(way: str, path: Path, repeat: int, warmup: int) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        way,
        str(path),
        str(repeat),
        str(warmup),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{way} on {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _merge(series: dict, child: dict) -> None:
    """Add one child's runs to a way's series (peak RSS: the largest of its children)."""
    for key in ("way", "what", "rows", "counted"):
        series[key] = child[key]
    series["times"] = series.get("times", []) + child["times"]
    series["peak_rss_mb"] = max(series.get("peak_rss_mb", 0.0), child["peak_rss_mb"])
    stages = series.setdefault("stages", {})
    for stage, seconds in child["stages"].items():
        stages.setdefault(stage, []).extend(seconds)


def _print_row(result: dict) -> None:
    stages = ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in result["stages"].items())
    median = statistics.median(result["times"])
    print(
        f"{result['size']:>5} {result['way']:<10} median {median:7.3f} s"
        f"  min {min(result['times']):7.3f} s  peak RSS {result['peak_rss_mb']:7.0f} MB  [{stages}]"
    )


def _report(results: list[dict], spread: dict, largest: str) -> str:
    by = {(r["size"], r["way"]): r for r in results}
    lines = [
        "| size | way | runs | median s | min s | peak RSS MB | ratio vs naive (naive / this) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        median = statistics.median(r["times"])
        ratio = ""
        if r["way"] != "naive" and (r["size"], "naive") in by:
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
    lines += [f"- {way}: {by[(results[0]['size'], way)]['what']}" for way in WAYS]
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


def _child(way: str, path: Path, repeat: int, warmup: int = 0) -> dict:
    sys.path.insert(0, str(ROOT))
    runner = {
        "ours": _ours,
        "ours-prime": lambda: _ours(cache=CACHE),
        "ours-warm": lambda: _ours(cache=CACHE, warm=True),
        "naive": _naive,
        "spread": _spread,
    }[way]
    prepare, what, profile = runner()
    times: list[float] = []
    stages: dict[str, list[float]] = {}
    rows = counted = 0
    for _ in range(warmup):  # first calls pay for lazy imports and caches: not timed
        prepare(path)
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


def _ours(cache: Path | None = None, warm: bool = False):
    import geo
    from geo.analysis.aggregate import region_day_counts

    read, read_name, split = _our_reader(cache)
    place, place_name = _our_placer()
    if cache is not None:
        split = None  # the split steps read the file itself, not the cache
        read_name += f"(cache_dir=...), {'a cache hit' if warm else 'cold, writing the cache'}"

    def run(path: Path):
        clock = _Clock()
        regions = geo.load_regions("2022-01")
        clock.lap("regions")
        result = read(path)
        events = _events_of(result)
        clock.lap("read+validate")
        hit = any(n.startswith("read from the import cache") for n in getattr(result, "notes", ()))
        if cache is not None and hit != warm:
            raise RuntimeError(f"expected a cache {'hit' if warm else 'miss'} on {path.name}")
        placed = place(events, regions)
        clock.lap("join")
        counts = region_day_counts(placed, regions["region_id"])
        clock.lap("aggregate")
        return clock.stages, len(events), int(counts["events"].sum())

    def profile(path: Path) -> dict[str, float]:
        clock = _Clock()
        split(path, clock)
        return clock.stages

    what = f"{read_name} -> {place_name} -> geo.analysis.aggregate.region_day_counts"
    return run, what, (profile if split is not None else None)


def _events_of(result):
    """The event table of an ImportResult (read_events) or a bare frame (the fallback reader)."""
    import pandas as pd

    return result if isinstance(result, pd.DataFrame) else result.events


def _our_reader(cache: Path | None = None):
    """The public reader, and the same timed step by step (read, validate)."""
    try:
        from geo.io import importers
        from geo.io.finish import finish_import
    except ImportError:
        importers = None
    if importers is not None:

        def read(path: Path):
            if cache is None:
                return importers.read_events(path)
            return importers.read_events(path, cache_dir=cache)

        def split(path: Path, clock: _Clock):  # the two steps of read_events, timed apart
            raw = importers.read_raw(path)
            clock.lap("read")
            events = finish_import(raw).events
            clock.lap("validate")
            return events

        return read, "geo.io.importers.read_events", split

    import pandas as pd

    from geo.record.events import load_events_csv
    from geo.schema import validate_events

    def read(path: Path):
        return load_events_csv(path).events

    def split(path: Path, clock: _Clock):  # the body of load_events_csv, timed per step
        raw = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
        clock.lap("read")
        events = validate_events(raw, path.name).events
        clock.lap("validate")
        return events

    return read, "geo.record.events.load_events_csv (geo.io.importers not importable)", split


def _our_placer():
    try:
        from geo.analysis.placing import place_events
    except ImportError:
        from geo.analysis.join import assign_regions

        return assign_regions, (
            "geo.analysis.join.assign_regions (geo.analysis.placing not importable)"
        )

    def place(events, regions):
        result = place_events(events, regions)
        return getattr(result, "events", result)

    return place, "geo.analysis.placing.place_events"


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
    from geo.analysis.spread import adjacency, diffusion_classes, onsets

    read = _our_reader()[0]
    place = _our_placer()[0]
    cache: dict[str, object] = {}

    def run(path: Path):
        if "placed" not in cache:  # placing is not what is measured here
            regions = geo.load_regions("2022-01")
            cache["regions"] = regions
            cache["placed"] = place(_events_of(read(path)), regions)
        placed, regions = cache["placed"], cache["regions"]
        clock = _Clock()
        onsets(placed, regions)
        clock.lap("onsets")
        edges = adjacency(regions)
        clock.lap("adjacency")
        table = diffusion_classes(placed, regions, k=3, edges=edges)
        clock.lap("diffusion_classes (k=3, given edges)")
        return clock.stages, len(placed), int(table["active"].sum())

    return run, "geo.analysis.spread.onsets, adjacency, diffusion_classes", None


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
