"""Research files at real size (issue 17): ours against a plain count, side by side in one run.

The files are the ones researchers hold, mostly about other countries (bench/generate_gdelt.py):
a GDELT-1.0-like day of 1M rows with 3% in Kazakhstan, by default. Each way runs in a fresh child
process (its peak RSS is its own), the ways take turns round by round, and the time starts after
the imports:

- ours: `geo.load_dataset(FILE)` (read, validate, place, count, onsets: the recipe every front
  end uses), then the `summary --json` report of it (geo.cli.reports.summary_report), its size
- plain count (the yardstick): pyarrow.csv reads SQLDATE and the ActionGeo point, each region's
  prepared polygon tests the points in its bounding box (shapely.contains_xy), np.bincount counts
  per region and day. It knows nothing of countries, names, dates in other forms or reasons.
- upload (with --upload): the dashboard's own upload step, geo.uploads.read_upload under
  UPLOAD_LIMITS (a capped worker process), on the file's bytes; "refused" when the limits say no
- before (with --before DIR, a checkout of an earlier commit): ours (and the upload) as it was

Usage: python bench/generate_gdelt.py --rows 1000000 &&
       python bench/research_size.py bench/out/gdelt_1Mx1/20220101.export.CSV [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CHILD_TIMEOUT_S = 900


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="event file(s), or a folder")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (median reported)")
    parser.add_argument("--before", type=Path, help="a checkout of the code before, to compare")
    parser.add_argument("--before-repeat", type=int, default=1, help="rounds for --before")
    parser.add_argument("--upload", action="store_true", help="also time the dashboard's upload")
    args = parser.parse_args(argv)
    ways = {"ours": ROOT, "plain count": ROOT}
    if args.upload:
        ways["upload"] = ROOT
    if args.before:
        ways["before"] = args.before.resolve()
        if args.upload:
            ways["upload before"] = args.before.resolve()
    results: dict[str, list[dict]] = {way: [] for way in ways}
    for round_number in range(args.repeat):
        for way, tree in ways.items():
            if way.endswith("before") and round_number >= args.before_repeat:
                continue
            result = _run_child(way, tree, args.files)
            results[way].append(result)
            if "refused" in result:
                print(f"round {round_number + 1} {way}: refused: {result['refused']}", flush=True)
                continue
            print(
                f"round {round_number + 1} {way}: {result['seconds']:.2f} s, "
                f"{result['peak_rss_mb']:,.0f} MB, {result['placed']:,} placed of "
                f"{result['rows']:,}"
                + (
                    f", JSON {result['json_bytes'] / 1e6:.2f} MB"
                    if result.get("json_bytes")
                    else ""
                ),
                flush=True,
            )
    print()
    print(_table(results))


def _run_child(way: str, tree: Path, files: list[Path]) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", way, str(tree)]
    command += [str(f.resolve()) for f in files]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, cwd=tree, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{way} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _child(way: str, tree: Path, files: list[Path]) -> dict:
    sys.path.insert(0, str(tree))
    run = {"plain count": _plain_count, "upload": _upload, "upload before": _upload}.get(way, _ours)
    started = time.perf_counter()
    result = run(files)
    result["seconds"] = time.perf_counter() - started - result.pop("import_seconds", 0.0)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _ours(files: list[Path]) -> dict:
    started = time.perf_counter()
    import geo
    from geo.cli.reports import summary_report
    from geo.pipeline import read_counts

    imported = time.perf_counter() - started
    (path,) = files
    dataset = geo.load_dataset(path)
    report = json.dumps(summary_report(dataset, str(path)))
    counts = read_counts(dataset)
    return {
        "import_seconds": imported,
        "rows": counts.rows_read,
        "placed": counts.placed,
        "json_bytes": len(report),
    }


def _upload(files: list[Path]) -> dict:
    started = time.perf_counter()
    from geo.errors import LimitError
    from geo.io.limits import UPLOAD_LIMITS
    from geo.pipeline import read_counts
    from geo.uploads import read_upload

    imported = time.perf_counter() - started
    (path,) = files
    try:
        dataset = read_upload(path.read_bytes(), path.name, "auto", UPLOAD_LIMITS)
    except LimitError as error:
        return {"import_seconds": imported, "refused": str(error)}
    counts = read_counts(dataset)
    return {"import_seconds": imported, "rows": counts.rows_read, "placed": counts.placed}


def _plain_count(files: list[Path]) -> dict:
    started = time.perf_counter()
    import numpy as np
    import pyarrow as pa
    import shapely

    from geo.io.gdelt import GDELT_COLUMNS
    from geo.record.regions import load_regions

    imported = time.perf_counter() - started
    regions = load_regions("2022-01").geometry.values
    rows = placed = 0
    if len(files) == 1 and files[0].is_dir():
        files = sorted(p for p in files[0].iterdir() if p.is_file())
    for path in files:
        source = path
        if path.suffix == ".zip":  # GDELT serves its files zipped, one file each
            with zipfile.ZipFile(path) as archive:
                source = pa.BufferReader(archive.read(archive.namelist()[0]))
        if path.suffix.lower() == ".csv" and not path.name.endswith(".export.CSV"):
            x, y, day = _acled_columns(source)
        else:
            x, y, day = _gdelt_columns(source, GDELT_COLUMNS[58])
        region = np.full(len(x), -1)
        for position, polygon in enumerate(regions):
            shapely.prepare(polygon)
            minx, miny, maxx, maxy = polygon.bounds
            near = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            region[near[shapely.contains_xy(polygon, x[near], y[near])]] = position
        inside = region >= 0
        counts = np.bincount(region[inside] * 32 + day[inside], minlength=len(regions) * 32)
        rows += len(x)
        placed += int(counts.sum())
    return {"import_seconds": imported, "rows": rows, "placed": placed}


def _gdelt_columns(source, names):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(column_names=list(names)),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=["SQLDATE", "ActionGeo_Lat", "ActionGeo_Long"],
            column_types={"ActionGeo_Lat": pa.float64(), "ActionGeo_Long": pa.float64()},
        ),
    )
    day = table["SQLDATE"].to_numpy(zero_copy_only=False) % 100
    return (*_xy(table, "ActionGeo_Long", "ActionGeo_Lat"), day)


def _acled_columns(source):
    """ACLED's CSV: its ISO dates' day of month, and the point."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        source,
        convert_options=pacsv.ConvertOptions(
            include_columns=["event_date", "latitude", "longitude"],
            column_types={
                "event_date": pa.string(),
                "latitude": pa.float64(),
                "longitude": pa.float64(),
            },
        ),
    )
    day = pc.cast(pc.utf8_slice_codeunits(table["event_date"], 8, 10), pa.int64())
    return (*_xy(table, "longitude", "latitude"), day.to_numpy(zero_copy_only=False))


def _xy(table, x: str, y: str):
    return (table[x].to_numpy(zero_copy_only=False), table[y].to_numpy(zero_copy_only=False))


def _table(results: dict[str, list[dict]]) -> str:
    yard = statistics.median(r["seconds"] for r in results["plain count"])
    lines = [
        "| way | runs | median s | min s | × plain count | peak RSS MB | rows | placed | JSON MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for way, runs in results.items():
        runs = [r for r in runs if "refused" not in r]
        if not runs:
            lines.append(f"| {way} | refused | | | | | | | |")
            continue
        seconds = [r["seconds"] for r in runs]
        median = statistics.median(seconds)
        json_mb = f"{runs[-1]['json_bytes'] / 1e6:.2f}" if runs[-1].get("json_bytes") else "–"
        lines.append(
            f"| {way} | {len(runs)} | {median:.2f} | {min(seconds):.2f} | {median / yard:.2f} | "
            f"{max(r['peak_rss_mb'] for r in runs):,.0f} | {runs[-1]['rows']:,} | "
            f"{runs[-1]['placed']:,} | {json_mb} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], Path(sys.argv[3]), [Path(a) for a in sys.argv[4:]])))
    else:
        main()
