"""The commands of `python -m geo`, one function each: load the data through the one recipe
(geo.pipeline.load_dataset), then report (geo.cli.reports, geo.cli.text) or export.

Every command loads its events with the one recipe (`geo.pipeline.load_dataset`: read, place in
a boundary layout, count) and builds one plain dict (geo.cli.reports): the JSON contract
documented in docs/cli.md. `--json` prints that dict; without it the same dict is rendered as
aligned text (geo.cli.text). Only results go to stdout; located problems and errors go to stderr.

Exit status: 0 when every row loaded; 1 when some rows had problems (each is printed on stderr as
"file, row N, column 'c': what was expected (got 'value')", and the good rows are still used);
2 when the input cannot be used at all (unreadable file, unknown layout, bad option value).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis import spread
from geo.cli import reports, text
from geo.cli.parser import PROG, build_parser, parse_day
from geo.errors import ArgumentError, EventDataError, QantarError, UsageError, summarize_problems
from geo.export.event_table import event_table
from geo.export.unplaced import unplaced_csv
from geo.paths import BUNDLED_EVENTS
from geo.pipeline import Dataset, connectivity_of, load_dataset, official_tolls, read_counts
from geo.render.listings import story_title

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
TEXT_EXPORTS = frozenset({"events", "region-days", "onsets", "geojson", "html"})
NO_TYPE = "(no event type)"
"""Stand-in type for rows without one, so that --all-types counts them too."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 clean, 1 rows with problems, 2 unusable)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return exc.code if isinstance(exc.code, int) else EXIT_UNUSABLE
    try:
        return COMMANDS[args.command](args)
    except EventDataError as exc:
        _unusable_events(exc, as_json=getattr(args, "json", False))
    except QantarError as exc:
        _error(str(exc))
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
            return EXIT_PROBLEMS
        _error(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    return EXIT_UNUSABLE


def run_validate(args: argparse.Namespace) -> int:
    file, dataset = _load(args.file, args)
    _write_unplaced(args, dataset)
    _emit(args, reports.validate_report(dataset, file), text.validate_text)
    return _status(dataset)


def run_summary(args: argparse.Namespace) -> int:
    file, dataset = _load(args.events, args)
    _write_unplaced(args, dataset)
    _emit(args, reports.summary_report(dataset, file), text.summary_text)
    return _status(dataset)


def run_onsets(args: argparse.Namespace) -> int:
    file, dataset = _load(args.events, args)
    table, origin, types = _onset_table(dataset, args.origin, args.all_types)
    report = reports.onsets_report(dataset, file, table, origin, types, args.origin)
    _emit(args, report, text.onsets_text)
    return _status(dataset)


def run_spread(args: argparse.Namespace) -> int:
    file, dataset = _load(args.events, args)
    table, origin, types = _onset_table(dataset, args.origin, args.all_types)
    classes = spread.diffusion_classes(
        _typed_events(dataset, args.all_types), dataset.regions, k=args.k, event_types=types
    )
    report = reports.spread_report(
        dataset, file, table, origin, types, classes, k=args.k, origin_id=args.origin
    )
    _emit(args, report, text.spread_text)
    return _status(dataset)


def run_export(args: argparse.Namespace) -> int:
    to_stdout = args.out == "-"
    if to_stdout and args.what not in TEXT_EXPORTS:
        raise UsageError(f"--what {args.what} writes binary data: give --out FILE, not '-'")
    if to_stdout and args.json:
        raise UsageError("--json reports on the written file: give --out FILE, not '-'")
    file, dataset = _load(args.events, args)
    content = _export_bytes(dataset, file, args)
    if to_stdout:
        _write_stdout(content)
        sys.stdout.flush()
        return _status(dataset)
    out = Path(args.out)
    out.write_bytes(content)
    report = reports.export_report(dataset, file, args.what, str(out), len(content))
    _emit(args, report, text.export_text)
    return _status(dataset)


def run_publish(args: argparse.Namespace) -> int:
    from geo.export.edition import write_edition
    from geo.record.context import load_context
    from geo.record.tolls import national_tolls

    file, dataset = _load(args.events, args)
    tolls = official_tolls(dataset)
    edition = write_edition(
        dataset,
        args.out,
        basemap=_basemap(),
        day=parse_day(args.date) if args.date else None,
        context=load_context() if dataset.bundled else None,
        tolls=None if tolls is None else national_tolls(tolls),
    )
    report = reports.publish_report(dataset, file, str(edition.folder), edition.sizes)
    _emit(args, report, text.publish_text)
    return _status(dataset)


def run_compare(args: argparse.Namespace) -> int:
    from geo.analysis.compare import compare

    if len(args.files) > 2:
        raise UsageError(f"compare takes one file (B) or two (A B), got {len(args.files)}")
    a_source, b_source = [None, *args.files][-2:]
    how_to_read_a = {"format": "auto", "map": [], "date_order": None} if a_source is None else {}
    a_file, a = _load(a_source, argparse.Namespace(**{**vars(args), **how_to_read_a}))
    args = argparse.Namespace(**{**vars(args), "regions": args.regions or a.layout})
    b_file, b = _load(b_source, args)
    comparison = compare(a, b, km=args.km, days=args.days)
    _emit(args, reports.compare_report(comparison, a_file, b_file), text.compare_text)
    return max(_status(a), _status(b))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "validate": run_validate,
    "summary": run_summary,
    "onsets": run_onsets,
    "spread": run_spread,
    "export": run_export,
    "publish": run_publish,
    "compare": run_compare,
}


# --- shared steps -----------------------------------------------------------------------------


def _write_unplaced(args: argparse.Namespace, dataset: Dataset) -> None:
    """With --unplaced FILE.csv, every unplaced row goes to that file (the report counts them)."""
    if args.unplaced is not None:
        args.unplaced.write_bytes(unplaced_csv(dataset.unplaced, attribution=dataset.attribution))


def _load(source: Path | None, args: argparse.Namespace) -> tuple[str, Dataset]:
    """The file as the reports name it, and its events loaded by the recipe; every located
    problem is printed on stderr."""
    dataset = load_dataset(
        source,
        args.regions or "auto",
        format=args.format,
        mapping=dict(args.map),
        date_order=args.date_order,
    )
    for line in summarize_problems(dataset.problems):
        print(line, file=sys.stderr)
    if dataset.problems:
        rows = read_counts(dataset).rejected
        print(
            f"{len(dataset.problems)} problem(s) in {rows} row(s); those rows were not loaded",
            file=sys.stderr,
        )
    return str(BUNDLED_EVENTS if source is None else source), dataset


def _status(dataset: Dataset) -> int:
    return EXIT_PROBLEMS if dataset.problems else EXIT_OK


def _typed_events(dataset: Dataset, all_types: bool) -> pd.DataFrame:
    events = dataset.events
    if not all_types or "event_type" not in events:
        return events
    return events.assign(event_type=events["event_type"].fillna(NO_TYPE))


def _event_types(dataset: Dataset, all_types: bool) -> tuple[str, ...]:
    if not all_types:
        return spread.unrest_types(dataset.events["event_type"]) or spread.UNREST_TYPES
    present = _typed_events(dataset, True)["event_type"].dropna().unique()
    return tuple(sorted(map(str, present))) or (NO_TYPE,)


def _onset_table(
    dataset: Dataset, origin_id: str | None, all_types: bool
) -> tuple[pd.DataFrame, spread.Origin | None, tuple[str, ...]]:
    """The onsets of --all-types or of the unrest types, the origin they are measured from
    (--origin if given, else the earliest such event) and the types counted."""
    types = _event_types(dataset, all_types)
    events = _typed_events(dataset, all_types)
    if origin_id is None:
        origin = spread.default_origin(events, types)
    else:
        try:
            origin = spread.origin_of_event(dataset.events, origin_id)
        except ArgumentError as exc:
            raise UsageError(f"--origin {origin_id!r}: {exc}") from exc
    table = spread.onsets(events, dataset.regions, origin=origin, event_types=types)
    return table, origin, types


def _export_bytes(dataset: Dataset, file: str, args: argparse.Namespace) -> bytes:
    from geo.export import page, pictures, tables  # matplotlib, folium, Pillow: only to export

    credit = dataset.attribution
    if args.what == "events":
        table = event_table(dataset.events, dataset.duplicates, dataset.problems, dataset.outside)
        return tables.event_table_csv(table, attribution=credit)
    if args.what == "region-days":
        return tables.region_day_csv(
            dataset.counts, dataset.regions, attribution=credit, tolls=official_tolls(dataset)
        )
    if args.what == "onsets":
        table, origin, _ = _onset_table(dataset, args.origin, args.all_types)
        return tables.onset_csv(table, origin, attribution=credit)
    if args.what == "geojson":
        return tables.region_days_geojson(dataset.counts, dataset.regions, attribution=credit)
    if args.what == "html":
        return page.standalone_html(
            _story_map(dataset, args.origin, args.all_types),
            title=story_title(dataset),
            attribution=credit,
        ).encode("utf-8")
    picture = {
        "mode": args.mode,
        "metric": args.metric,
        "window_days": args.window_days,
        "basemap": _basemap(),
        "attribution": credit,
    }
    placed = dataset.events[dataset.events["region_id"].notna()]
    if args.what == "png":
        day = parse_day(args.date) if args.date else dataset.counts["date"].max()
        return pictures.frame_png(dataset.regions, dataset.counts, placed, day, **picture)
    return pictures.spread_gif(dataset.regions, dataset.counts, placed, **picture)


def _story_map(dataset: Dataset, origin_id: str | None, all_types: bool):
    """The dashboard's playable map of these events (geo.render.webmap.story_map), with the
    onsets --origin and --all-types ask for."""
    from geo.render.webmap import story_map

    if origin_id is not None or all_types:
        table, origin, types = _onset_table(dataset, origin_id, all_types)
        dataset = replace(
            dataset,
            origin=origin,
            onsets=table,
            fit=spread.spread_speed(table),
            diffusion=spread.diffusion_classes(
                _typed_events(dataset, all_types), dataset.regions, event_types=types
            ),
            tree=spread.spread_tree(table),
        )
    return story_map(dataset, basemap=_basemap(), connectivity=connectivity_of(dataset))


def _basemap() -> gpd.GeoDataFrame:
    from geo.record.regions import load_basemap

    return load_basemap()


# --- output and errors ------------------------------------------------------------------------


def _emit(args: argparse.Namespace, report: dict[str, Any], render: Callable) -> None:
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(render(report))


def _write_stdout(content: bytes) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(content.decode("utf-8"))
    else:
        sys.stdout.flush()
        buffer.write(content)


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _unusable_events(exc: EventDataError, *, as_json: bool = False) -> None:
    """The reasons on stderr, a message repeated over many rows once with its count; with
    --json, every located problem on stdout as well."""
    if as_json:
        print(json.dumps(reports.unusable_report(exc.problems), indent=2, ensure_ascii=False))
    lines = summarize_problems(exc.problems)
    if len(lines) == 1:
        _error(lines[0])
        return
    files = sorted({p.file for p in exc.problems}) or ["the event file"]
    _error(f"no usable events in {', '.join(files)}:")
    for line in lines:
        print(f"  {line}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a closed pipe (`| head`), point stdout at devnull so exit does not complain."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
