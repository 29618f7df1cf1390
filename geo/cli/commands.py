"""The command line: `python -m geo validate|summary|onsets|spread|export`.

Every command reads an event file (`geo.io.importers.read_events`), places it in a boundary layout
(`geo.analysis.placing.place_events`) and builds one plain dict: the JSON contract documented in
docs/cli.md. `--json` prints that dict; without it the same dict is rendered as aligned text.
Only results go to stdout; located problems and errors go to stderr.

Exit status: 0 when every row loaded; 1 when some rows had problems (each is printed on stderr as
"file, row N, column 'c': what was expected (got 'value')", and the good rows are still used);
2 when the input cannot be used at all (unreadable file, unknown layout, bad option value).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis import spread
from geo.analysis.aggregate import MODES, region_day_counts
from geo.analysis.placing import PLACE_METHODS, PlacedEvents, place_events
from geo.errors import EventDataError, Problem, QantarError, UsageError, summarize_problems
from geo.io.dates import DAY_FIRST, MONTH_FIRST
from geo.io.event_table import event_table
from geo.io.importers import FORMATS, ImportResult, read_events
from geo.io.regions import layout_for_dates, load_regions
from geo.paths import BUNDLED_EVENTS, REGION_LAYOUTS

PROG = "python -m geo"
EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
EXPORTS = ("events", "region-days", "onsets", "geojson", "png", "gif", "html")
TEXT_EXPORTS = frozenset({"events", "region-days", "onsets", "geojson", "html"})
METRICS = ("events", "fatalities")
"""As geo.export.tables.METRICS (not imported here: geo.export.tables pulls in folium, which only
`export` needs)."""
ACLED_CREDIT = "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com"
NO_TYPE = "(no event type)"
"""Stand-in type for rows without one, so that --all-types counts them too."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 clean, 1 rows with problems, 2 unusable)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return exc.code if isinstance(exc.code, int) else EXIT_UNUSABLE
    try:
        return args.run(args)
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


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of every command and option."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Map how dated, geolocated unrest events spread across regions.",
        epilog="Exit status: 0 all rows loaded; 1 some rows had problems (listed on stderr, the "
        "good rows are still used); 2 the input or an option cannot be used.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--format",
        choices=("auto", *FORMATS),
        default="auto",
        help="format of the event file (default: detected)",
    )
    common.add_argument(
        "--regions",
        metavar="FILE|" + "|".join(REGION_LAYOUTS),
        help="boundary layout: a bundled one by name or a GeoJSON file "
        "(default: the bundled layout in force on the event dates)",
    )
    common.add_argument(
        "--map",
        metavar="FIELD=COLUMN",
        action="append",
        type=_mapping_pair,
        default=[],
        help="read FIELD (event_date, event_type, location, admin1, latitude, ...) from the "
        "file's COLUMN instead of the guessed one; repeat for more fields (CSV, XLSX, GeoJSON "
        "and ACLED files)",
    )
    order = common.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="date_order",
        action="store_const",
        const=DAY_FIRST,
        help="read numeric dates such as 05/01/2022 day first (5 January)",
    )
    order.add_argument(
        "--monthfirst",
        dest="date_order",
        action="store_const",
        const=MONTH_FIRST,
        help="read them month first (1 May); default: the column's values decide, then the "
        "file's language, and a note says which",
    )
    common.add_argument("--json", action="store_true", help="print JSON (see docs/cli.md)")
    events = argparse.ArgumentParser(add_help=False)
    events.add_argument(
        "--events",
        metavar="FILE",
        type=Path,
        help="event file (default: the bundled Kazakhstan, January 2022 events)",
    )
    onset = argparse.ArgumentParser(add_help=False)
    onset.add_argument(
        "--origin",
        metavar="EVENT_ID",
        help="measure days and distances from this event (event_id_cnty; default: the first "
        "event of the counted types)",
    )
    onset.add_argument(
        "--all-types",
        action="store_true",
        help="count every event type (default: the file's categories that count as unrest, "
        "such as " + ", ".join(spread.UNREST_TYPES) + ", or protest/riot/clash/strike in "
        "English, Russian or Kazakh)",
    )

    validate = commands.add_parser(
        "validate",
        parents=[common],
        help="read, validate and place an event file; list every problem",
        description="Read, validate and place an event file: rows read, loaded, placed (by "
        "method), unplaced with reasons, and every problem with its row and column.",
    )
    validate.add_argument("file", metavar="FILE", type=Path, help="event file to check")
    validate.set_defaults(run=_validate)

    summary = commands.add_parser(
        "summary",
        parents=[events, common],
        help="events, fatalities and first/last dates per unit",
        description="Events, reported fatalities and first/last event date per unit of the "
        "layout (every unit listed), and the rows that could not be placed.",
    )
    summary.set_defaults(run=_summary)

    onsets = commands.add_parser(
        "onsets",
        parents=[events, common, onset],
        help="when each unit was first affected, and the speed of spread",
        description="When each unit was first affected (ordered by onset rank, then name), how "
        "far from the origin, and the least-squares speed of spread.",
    )
    onsets.set_defaults(run=_onsets)

    tree = commands.add_parser(
        "spread",
        parents=[events, common, onset],
        help="the spread tree, the speed fit and diffusion classes per day",
        description="Each newly affected unit linked to the nearest unit affected before it, "
        "the speed fit, and per-day counts of diffusion classes (Baudains et al. 2013).",
    )
    tree.add_argument(
        "--k",
        type=_positive_int,
        default=spread.DEFAULT_K,
        help=f"look-back window of the diffusion classes, in days (default: {spread.DEFAULT_K})",
    )
    tree.set_defaults(run=_spread)

    export = commands.add_parser(
        "export",
        parents=[events, common, onset],
        help="write a table, GeoJSON, map picture, animation or standalone page",
        description="Write an export with its credits (ACLED's attribution for ACLED files).",
    )
    export.add_argument("--what", choices=EXPORTS, required=True, help="what to export")
    export.add_argument(
        "--out",
        metavar="PATH",
        default="-",
        help="output file; '-' (default) writes text exports to stdout",
    )
    export.add_argument(
        "--date", metavar="YYYY-MM-DD", help="day of the png map (default: the last day)"
    )
    export.add_argument("--mode", choices=MODES, default="cumulative", help="how days add up")
    export.add_argument("--metric", choices=METRICS, default="events", help="what colours a map")
    export.add_argument(
        "--window-days", type=_positive_int, default=3, help="days of --mode window (default: 3)"
    )
    export.set_defaults(run=_export)

    publish = commands.add_parser(
        "publish",
        parents=[events, common],
        help="write the edition for readers: a static folder for any web host",
        description="Write a folder (index.html, map.html, vega.js) that any static host or "
        "CDN serves as it is: the map with its own player, the region table, the timeline and "
        "spread charts, the onset table and the sources. The day is in the address "
        "(index.html#date=YYYY-MM-DD).",
    )
    publish.add_argument("--out", metavar="FOLDER", type=Path, required=True, help="folder")
    publish.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the day it opens on (default: the fourth day)"
    )
    publish.set_defaults(run=_publish)
    return parser


# --- commands ---------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    data = _load(args.file, args)
    _emit(args, data.validate_report(), _validate_text)
    return data.status


def _summary(args: argparse.Namespace) -> int:
    data = _load(args.events, args)
    _emit(args, data.summary_report(), _summary_text)
    return data.status


def _onsets(args: argparse.Namespace) -> int:
    data = _load(args.events, args)
    _emit(args, data.onsets_report(args.origin, args.all_types), _onsets_text)
    return data.status


def _spread(args: argparse.Namespace) -> int:
    data = _load(args.events, args)
    _emit(args, data.spread_report(args.origin, args.all_types, args.k), _spread_text)
    return data.status


def _export(args: argparse.Namespace) -> int:
    to_stdout = args.out == "-"
    if to_stdout and args.what not in TEXT_EXPORTS:
        raise UsageError(f"--what {args.what} writes binary data: give --out FILE, not '-'")
    if to_stdout and args.json:
        raise UsageError("--json reports on the written file: give --out FILE, not '-'")
    data = _load(args.events, args)
    content = data.export_bytes(args)
    if to_stdout:
        _write_stdout(content)
        sys.stdout.flush()
        return data.status
    out = Path(args.out)
    out.write_bytes(content)
    report = {
        "what": args.what,
        "out": str(out),
        "bytes": len(content),
        "file": data.file,
        "layout": data.layout,
        "attribution": data.attribution,
    }
    _emit(args, report, _export_text)
    return data.status


def _publish(args: argparse.Namespace) -> int:
    from geo.export.edition import write_edition
    from geo.io.context import load_context
    from geo.io.tolls import load_official_tolls, national_tolls

    data = _load(args.events, args)
    edition = write_edition(
        replace(data.dataset(), name=Path(data.file).name),
        args.out,
        basemap=_basemap(),
        day=_day(args.date) if args.date else None,
        context=load_context() if data.bundled else None,
        tolls=national_tolls(load_official_tolls()) if data.bundled else None,
    )
    report = {
        "out": str(edition.folder),
        "files": edition.sizes,
        "bytes": sum(edition.sizes.values()),
        "file": data.file,
        "layout": data.layout,
        "attribution": data.attribution,
    }
    _emit(args, report, _publish_text)
    return data.status


def _publish_text(report: dict[str, Any]) -> str:
    files = ", ".join(f"{name} ({size:,} bytes)" for name, size in report["files"].items())
    return f"Wrote {report['out']}: {files}. Open index.html, or put the folder on any web host."


# --- loading ----------------------------------------------------------------------------------


def _load(source: Path | None, args: argparse.Namespace) -> _Data:
    """Read, validate and place the events; print every located problem on stderr."""
    path = BUNDLED_EVENTS if source is None else source
    imported = read_events(
        path, format=args.format, mapping=dict(args.map) or None, date_order=args.date_order
    )
    layout = args.regions or layout_for_dates(imported.events["event_date"])
    regions = load_regions(layout)
    placed = place_events(imported.events, regions)
    for line in summarize_problems(imported.problems):
        print(line, file=sys.stderr)
    if imported.problems:
        rows = len({p.row for p in imported.problems})
        print(
            f"{len(imported.problems)} problem(s) in {rows} row(s); those rows were not loaded",
            file=sys.stderr,
        )
    bundled = path.resolve() == BUNDLED_EVENTS.resolve()
    return _Data(str(path), bundled, imported, layout, regions, placed)


@dataclass(frozen=True)
class _Data:
    """One loaded event file and everything the commands derive from it."""

    file: str
    bundled: bool
    imported: ImportResult
    layout: str
    regions: gpd.GeoDataFrame
    placed: PlacedEvents

    @property
    def status(self) -> int:
        return EXIT_PROBLEMS if self.imported.problems else EXIT_OK

    @property
    def events(self) -> pd.DataFrame:
        return self.placed.events

    @cached_property
    def counts(self) -> pd.DataFrame:
        return region_day_counts(self.events, self.regions["region_id"])

    @property
    def attribution(self) -> str | None:
        """ACLED's required credit for ACLED files, with today's date as the access date.

        The bundled file borrows ACLED's column names but is not ACLED data (data/README.md),
        so it is not credited to ACLED.
        """
        if self.imported.format != "acled" or self.bundled:
            return None
        return f"{ACLED_CREDIT}, accessed {dt.date.today().isoformat()}"

    @property
    def names(self) -> dict[str, str]:
        return dict(zip(self.regions["region_id"], self.regions["name_en"], strict=True))

    # --- reports (the JSON contract) ---

    def validate_report(self) -> dict[str, Any]:
        problems = self.imported.problems
        placed = self.events["region_id"].notna()
        methods = self.events.loc[placed, "place_method"].value_counts()
        duplicates = self.duplicate_rows()
        failed = len({p.row for p in problems if p.row is not None})
        return {
            "file": self.file,
            "format": self.imported.format,
            "layout": self.layout,
            "rows_read": len(self.events) + len(duplicates) + failed,
            "rows_loaded": len(self.events),
            "rows_placed": int(placed.sum()),
            "placed_by": {m: int(methods[m]) for m in PLACE_METHODS if methods.get(m)},
            "problems": [_problem(p) for p in problems],
            "duplicates": duplicates,
            "unplaced": self.unplaced_rows(),
            "mapping": dict(self.imported.mapping),
            "notes": [*self.imported.notes, *self.placed.notes],
        }

    def summary_report(self) -> dict[str, Any]:
        events = self.events[self.events["region_id"].notna()]
        by_unit = events.groupby("region_id", sort=False).agg(
            events=("event_date", "size"),
            fatalities=("fatalities", "sum"),
            first_date=("event_date", "min"),
            last_date=("event_date", "max"),
        )
        codes = (
            self.regions["iso_3166_2"]
            if "iso_3166_2" in self.regions
            else pd.Series(pd.NA, index=self.regions.index)
        )
        units = []
        for rid, name, code in zip(
            self.regions["region_id"], self.regions["name_en"], codes, strict=True
        ):
            row = by_unit.loc[rid] if rid in by_unit.index else None
            units.append(
                {
                    "unit": str(name),
                    "code": str(rid) if _missing(code) else str(code),
                    "region_id": str(rid),
                    "events": 0 if row is None else int(row["events"]),
                    "fatalities": 0 if row is None else int(row["fatalities"]),
                    "first_date": None if row is None else _date(row["first_date"]),
                    "last_date": None if row is None else _date(row["last_date"]),
                }
            )
        return {
            "file": self.file,
            "format": self.imported.format,
            "layout": self.layout,
            "rows_loaded": len(self.events),
            "rows_placed": len(events),
            "problems": len(self.imported.problems),
            "units": units,
            "unplaced": self.unplaced_rows(),
        }

    def onsets_report(self, origin_id: str | None, all_types: bool) -> dict[str, Any]:
        table, origin, types = self.onset_table(origin_id, all_types)
        fit = spread.spread_speed(table)
        units = [
            {
                "unit": str(row["unit"]),
                "region_id": str(row["region_id"]),
                "onset_date": _date(row["onset_date"]),
                "onset_rank": _int(row["onset_rank"]),
                "days_since_origin": _int(row["days_since_origin"]),
                "distance_km": _km(row["distance_km"]),
                "first_place": _text(row["first_place"]),
            }
            for _, row in _by_rank(table).iterrows()
        ]
        return {
            "file": self.file,
            "format": self.imported.format,
            "layout": self.layout,
            "event_types": list(types),
            "origin": _origin(origin, origin_id),
            "fit": _fit(fit),
            "units": units,
            "without_onset": [u["unit"] for u in units if u["onset_date"] is None],
        }

    def spread_report(self, origin_id: str | None, all_types: bool, k: int) -> dict[str, Any]:
        table, origin, types = self.onset_table(origin_id, all_types)
        tree = spread.spread_tree(table)
        classes = spread.diffusion_classes(
            self.typed_events(all_types), self.regions, k=k, event_types=types
        )
        onset_class = classes.set_index(["region_id", "date"])["class"]
        names = self.names
        rows = []
        for _, row in tree.iterrows():
            parent = row["parent_region_id"]
            key = (row["region_id"], row["onset_date"])
            rows.append(
                {
                    "unit": str(names[row["region_id"]]),
                    "region_id": str(row["region_id"]),
                    "onset_date": _date(row["onset_date"]),
                    "parent": None if _missing(parent) else str(names[parent]),
                    "parent_region_id": None if _missing(parent) else str(parent),
                    "parent_onset_date": _date(row["parent_onset_date"]),
                    "distance_km": _km(row["distance_km"]),
                    "onset_class": _text(onset_class.get(key)),
                }
            )
        rows.sort(key=lambda r: (r["onset_date"], r["unit"]))
        per_day = classes.groupby("date")["class"].value_counts().unstack(fill_value=0)
        per_day = per_day.reindex(columns=list(spread.DIFFUSION_CLASSES), fill_value=0)
        return {
            "file": self.file,
            "format": self.imported.format,
            "layout": self.layout,
            "event_types": list(types),
            "origin": _origin(origin, origin_id),
            "fit": _fit(spread.spread_speed(table)),
            "tree": rows,
            "k": k,
            "classes_per_day": [
                {
                    "date": _date(day),
                    "active": int(sum(counts)),
                    **{name: int(counts[name]) for name in spread.DIFFUSION_CLASSES},
                }
                for day, counts in per_day.iterrows()
            ],
        }

    # --- shared steps ---

    def typed_events(self, all_types: bool) -> pd.DataFrame:
        if not all_types or "event_type" not in self.events:
            return self.events
        return self.events.assign(event_type=self.events["event_type"].fillna(NO_TYPE))

    def event_types(self, all_types: bool) -> tuple[str, ...]:
        if not all_types:
            return spread.unrest_types(self.events["event_type"]) or spread.UNREST_TYPES
        present = self.typed_events(True)["event_type"].dropna().unique()
        return tuple(sorted(map(str, present))) or (NO_TYPE,)

    def onset_table(
        self, origin_id: str | None, all_types: bool
    ) -> tuple[pd.DataFrame, spread.Origin | None, tuple]:
        """The onsets of the chosen types, the origin they are measured from (the event
        `origin_id`, else the default one) and those types."""
        types = self.event_types(all_types)
        events = self.typed_events(all_types)
        if origin_id is None:
            origin = spread.default_origin(events, types)
        else:
            try:
                origin = spread.origin_of_event(self.events, origin_id)
            except ValueError as exc:
                raise UsageError(f"--origin {origin_id!r}: {exc}") from exc
        table = spread.onsets(events, self.regions, origin=origin, event_types=types)
        return table, origin, types

    def duplicate_rows(self) -> list[dict[str, Any]]:
        """Rows counted once with an earlier row of the same event (geo.io.duplicates)."""
        return [
            {
                "row": int(row["source_row"]),
                "duplicate_of": int(row["duplicate_of"]),
                "event_id_cnty": _text(row["event_id_cnty"]),
                "reason": str(row["reason"]),
            }
            for _, row in self.imported.duplicates.iterrows()
        ]

    def unplaced_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "row": _int(row["source_row"]),
                "event_date": _date(row["event_date"]),
                "location": _text(row.get("location")),
                "admin1": _text(row.get("admin1")),
                "reason": _text(row["unplaced_reason"]) or "no region",
            }
            for _, row in self.placed.unplaced.iterrows()
        ]

    def export_bytes(self, args: argparse.Namespace) -> bytes:
        from geo.export import tables as export  # matplotlib, folium, Pillow load only to export

        credit = self.attribution
        if args.what == "events":
            table = event_table(self.events, self.imported.duplicates, self.imported.problems)
            return export.event_table_csv(table, attribution=credit)
        if args.what == "region-days":
            return export.region_day_csv(self.counts, self.regions, attribution=credit)
        if args.what == "onsets":
            table, origin, _ = self.onset_table(args.origin, args.all_types)
            return export.onset_csv(table, origin, attribution=credit)
        if args.what == "geojson":
            return export.region_days_geojson(self.counts, self.regions, attribution=credit)
        if args.what == "html":
            return export.standalone_html(
                self.story_map(args.origin, args.all_types),
                title=f"Qantar: {Path(self.file).name}",
                attribution=credit,
            ).encode("utf-8")
        picture = {
            "mode": args.mode,
            "metric": args.metric,
            "window_days": args.window_days,
            "basemap": _basemap(),
            "attribution": credit,
        }
        placed = self.events[self.events["region_id"].notna()]
        if args.what == "png":
            day = _day(args.date) if args.date else self.counts["date"].max()
            return export.frame_png(self.regions, self.counts, placed, day, **picture)
        return export.spread_gif(self.regions, self.counts, placed, **picture)

    def dataset(self):
        """These events as the dashboard shows them (geo.pipeline.Dataset)."""
        from geo.pipeline import build_dataset

        return build_dataset(
            self.imported.events,
            self.regions,
            name=self.file,
            problems=self.imported.problems,
            notes=self.imported.notes,
            attribution=self.attribution,
        )

    def story_map(self, origin_id: str | None, all_types: bool):
        """The dashboard's playable map of these events (geo.render.webmap.story_map)."""
        from geo.render.webmap import story_map

        dataset = self.dataset()
        if origin_id is not None or all_types:
            table, origin, types = self.onset_table(origin_id, all_types)
            dataset = replace(
                dataset,
                origin=origin,
                onsets=table,
                fit=spread.spread_speed(table),
                diffusion=spread.diffusion_classes(
                    self.typed_events(all_types), self.regions, event_types=types
                ),
                tree=spread.spread_tree(table),
            )
        return story_map(dataset, basemap=_basemap())


def _basemap() -> gpd.GeoDataFrame:
    from geo.io.regions import load_basemap

    return load_basemap()


# --- text rendering ---------------------------------------------------------------------------


def _validate_text(report: dict[str, Any]) -> str:
    lines = [
        f"File: {report['file']} (format {report['format']}, layout {report['layout']})",
        f"Rows read: {report['rows_read']}  loaded: {report['rows_loaded']}  "
        f"placed: {report['rows_placed']}  unplaced: {len(report['unplaced'])}  "
        f"duplicates: {len(report['duplicates'])}  problems: {len(report['problems'])}",
    ]
    if report["placed_by"]:
        lines.append("Placed by: " + ", ".join(f"{m} {n}" for m, n in report["placed_by"].items()))
    if report["mapping"]:
        lines.append(
            "Columns: "
            + ", ".join(k if k == v else f"{k} <- {v}" for k, v in report["mapping"].items())
        )
    lines += _notes_block("Notes", report["notes"])
    lines += _unplaced_block(report["unplaced"])
    if report["duplicates"]:
        lines += ["", f"Duplicates ({len(report['duplicates'])}, counted once):"]
        lines += _table(
            ["row", "same as row", "event_id_cnty", "reason"],
            [[d["row"], d["duplicate_of"], d["event_id_cnty"], d["reason"]]
             for d in report["duplicates"]],
        )  # fmt: skip
    if report["problems"]:
        lines += ["", f"Problems ({len(report['problems'])}, rows not loaded):"]
        lines += _table(
            ["row", "column", "value", "message"],
            [[p["row"], p["column"], p["value"], p["message"]] for p in report["problems"]],
        )
    else:
        lines += ["", "No problems."]
    return "\n".join(lines)


def _summary_text(report: dict[str, Any]) -> str:
    units = report["units"]
    lines = [
        f"{len(units)} units (layout {report['layout']}); {report['rows_placed']} of "
        f"{report['rows_loaded']} events placed, from {report['file']}",
        "",
    ]
    rows = [
        [u["unit"], u["code"], u["events"], u["fatalities"], u["first_date"], u["last_date"]]
        for u in units
    ]
    total = [
        "Total",
        "",
        sum(u["events"] for u in units),
        sum(u["fatalities"] for u in units),
        min((u["first_date"] for u in units if u["first_date"]), default=None),
        max((u["last_date"] for u in units if u["last_date"]), default=None),
    ]
    lines += _table(["unit", "code", "events", "fatalities", "first", "last"], [*rows, total])
    lines += _unplaced_block(report["unplaced"])
    return "\n".join(lines)


def _onsets_text(report: dict[str, Any]) -> str:
    units = report["units"]
    affected = len(units) - len(report["without_onset"])
    lines = [
        f"Onsets in {affected} of {len(units)} units (layout {report['layout']}; counting "
        f"{_types_label(report['event_types'])})",
        _origin_line(report["origin"]),
        "",
    ]
    lines += _table(
        ["rank", "unit", "onset", "days", "distance_km", "first place"],
        [
            [
                u["onset_rank"],
                u["unit"],
                u["onset_date"],
                u["days_since_origin"],
                u["distance_km"],
                u["first_place"],
            ]
            for u in units
        ],
    )
    lines += ["", _fit_line(report["fit"]), _without_line(report)]
    return "\n".join(lines)


def _spread_text(report: dict[str, Any]) -> str:
    lines = [
        f"Spread tree (layout {report['layout']}; counting "
        f"{_types_label(report['event_types'])}): each unit linked to the nearest unit "
        "affected before it",
        _origin_line(report["origin"]),
        "",
    ]
    lines += _table(
        ["unit", "onset", "from", "from onset", "distance_km", "class"],
        [
            [
                r["unit"],
                r["onset_date"],
                r["parent"],
                r["parent_onset_date"],
                r["distance_km"],
                r["onset_class"],
            ]
            for r in report["tree"]
        ],
    )
    lines += ["", _fit_line(report["fit"]), ""]
    lines.append(f"Diffusion classes per day (k = {report['k']} days):")
    names = list(spread.DIFFUSION_CLASSES)
    lines += _table(
        ["date", "active", *names],
        [[d["date"], d["active"], *(d[n] for n in names)] for d in report["classes_per_day"]],
    )
    return "\n".join(lines)


def _export_text(report: dict[str, Any]) -> str:
    credit = report["attribution"] or "Qantar's own credit line only"
    return (
        f"Wrote {report['what']} ({report['bytes']:,} bytes) to {report['out']}\nCredits: {credit}"
    )


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Aligned plain-text table lines: numbers right-aligned, missing values as '-'."""
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows)
        and any(row[i] is not None for row in rows)
        for i in range(len(headers))
    ]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _notes_block(title: str, notes: list[str]) -> list[str]:
    return ["", f"{title}:", *(f"  - {n}" for n in notes)] if notes else []


def _unplaced_block(unplaced: list[dict[str, Any]]) -> list[str]:
    if not unplaced:
        return ["", "Unplaced rows: none"]
    return [
        "",
        f"Unplaced rows ({len(unplaced)}):",
        *_table(
            ["row", "date", "location", "reason"],
            [[u["row"], u["event_date"], u["location"], u["reason"]] for u in unplaced],
        ),
    ]


def _types_label(types: list[str]) -> str:
    if all(map(spread.is_unrest, types)):
        return "unrest: " + ", ".join(types)
    return "every event type"


def _origin_line(origin: dict[str, Any] | None) -> str:
    if origin is None:
        return "Origin: none (no event of the counted types has coordinates)"
    label = f" {origin['label']}" if origin["label"] else ""
    how = f"event {origin['event_id']}" if origin["event_id"] else "first counted event"
    return (
        f"Origin: {origin['date']}{label} ({origin['latitude']:.4f}, "
        f"{origin['longitude']:.4f}; {how})"
    )


def _fit_line(fit: dict[str, Any]) -> str:
    if fit["km_per_day"] is None:
        return f"Speed: not fitted ({fit['reason']})"
    r2 = "n/a" if fit["r_squared"] is None else f"{fit['r_squared']:.2f}"
    return (
        f"Speed: {fit['km_per_day']:,.1f} km/day (least squares of distance on days since the "
        f"origin; R² {r2}, n = {fit['n_units']} units)"
    )


def _without_line(report: dict[str, Any]) -> str:
    missing = report["without_onset"]
    if not missing:
        return f"All {len(report['units'])} units have an onset."
    what = (
        "a dated protest" if all(map(spread.is_unrest, report["event_types"])) else "a dated event"
    )
    hint = " (--all-types counts every event type)" if what == "a dated protest" else ""
    return f"{len(missing)} unit{'s' if len(missing) != 1 else ''} without {what}: " + (
        ", ".join(missing) + hint
    )


# --- JSON values ------------------------------------------------------------------------------


def _emit(args: argparse.Namespace, report: dict[str, Any], render: Callable) -> None:
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(render(report))


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "message": problem.message,
    }


def _origin(origin: spread.Origin | None, event_id: str | None) -> dict[str, Any] | None:
    if origin is None:
        return None
    return {
        "date": _date(origin.date),
        "latitude": origin.latitude,
        "longitude": origin.longitude,
        "label": origin.label,
        "event_id": event_id,
    }


def _fit(fit: spread.SpreadFit) -> dict[str, Any]:
    return {
        "km_per_day": _round(fit.km_per_day, 2),
        "intercept_km": _round(fit.intercept_km, 2),
        "r_squared": _round(fit.r_squared, 4),
        "n_units": int(fit.n_units),
        "reason": fit.reason,
    }


def _by_rank(table: pd.DataFrame) -> pd.DataFrame:
    key = pd.DataFrame(
        {
            "missing": table["onset_rank"].isna(),
            "rank": table["onset_rank"].fillna(0).astype("int64"),
            "unit": table["unit"].astype(str),
        }
    )
    order = key.sort_values(["missing", "rank", "unit"], kind="stable").index
    return table.loc[order]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | list | tuple) and bool(pd.isna(value)))


def _date(value: Any) -> str | None:
    return None if _missing(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _text(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _round(value: Any, digits: int) -> float | None:
    if _missing(value) or not math.isfinite(float(value)):
        return None
    return round(float(value), digits)


def _km(value: Any) -> float | None:
    return _round(value, 1)


# --- arguments and errors ---------------------------------------------------------------------


def _write_stdout(content: bytes) -> None:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(content.decode("utf-8"))
    else:
        sys.stdout.flush()
        buffer.write(content)


def _mapping_pair(text: str) -> tuple[str, str]:
    """`--map event_type=label` -> ("event_type", "label")."""
    field, sep, column = text.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise argparse.ArgumentTypeError(
            f"expected FIELD=COLUMN such as event_type=label, got {text!r}"
        )
    return field.strip(), column.strip()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of days >= 1, got {text!r}")
    return value


def _day(text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError as exc:
        raise UsageError(f"--date must be a date such as 2022-01-05, got {text!r}") from exc


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _unusable_events(exc: EventDataError, *, as_json: bool = False) -> None:
    """The reasons on stderr, a message repeated over many rows once with its count; with
    --json, every located problem on stdout as well."""
    if as_json:
        report = {"error": "no usable events", "problems": [_problem(p) for p in exc.problems]}
        print(json.dumps(report, indent=2, ensure_ascii=False))
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
