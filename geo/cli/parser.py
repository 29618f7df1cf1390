"""The command line's parser: every command, option and argument type of `python -m geo`.

Commands are named by `args.command`; geo.cli.commands runs them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pandas as pd

from geo.analysis import spread
from geo.analysis.aggregate import MODES
from geo.analysis.matching import DEFAULT_DAYS, DEFAULT_KM
from geo.errors import UsageError
from geo.export.unplaced import FIRST_ROWS
from geo.io.dates import DAY_FIRST, MONTH_FIRST
from geo.io.importers import FORMATS
from geo.paths import REGION_LAYOUTS
from geo.render.style import COUNT_METRICS

PROG = "python -m geo"
EXPORTS = ("events", "region-days", "onsets", "geojson", "png", "gif", "html")


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
        type=mapping_pair,
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
        help="event file, folder of event files or glob such as 'gdelt/202201*.export.CSV.zip' "
        "(quoted; CSV, TSV, XLSX, GeoJSON, Parquet, ZIP; default: the bundled Kazakhstan, "
        "January 2022 events)",
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

    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument(
        "--unplaced",
        metavar="FILE.csv",
        type=Path,
        help="also write every row that could not be placed, with its reason, to this CSV (the "
        f"report counts them by reason and country and shows the first {FIRST_ROWS} of each)",
    )

    validate = commands.add_parser(
        "validate",
        parents=[common, listing],
        help="read, validate and place an event file; list every problem",
        description="Read, validate and place an event file: rows read, loaded, placed (by "
        "method), unplaced with reasons, and every problem with its row and column.",
    )
    validate.add_argument(
        "file", metavar="FILE", type=Path, help="event file (or folder, or quoted glob) to check"
    )

    commands.add_parser(
        "summary",
        parents=[events, common, listing],
        help="events, fatalities and first/last dates per unit",
        description="Events, reported fatalities and first/last event date per unit of the "
        "layout (every unit listed), and the rows that could not be placed.",
    )

    commands.add_parser(
        "onsets",
        parents=[events, common, onset],
        help="when each unit was first affected, and the speed of spread",
        description="When each unit was first affected (ordered by onset rank, then name), how "
        "far from the origin, and the least-squares speed of spread.",
    )

    tree = commands.add_parser(
        "spread",
        parents=[events, common, onset],
        help="the spread tree, the speed fit and diffusion classes per day",
        description="Each newly affected unit linked to the nearest unit affected before it, "
        "the speed fit, and per-day counts of diffusion classes (Baudains et al. 2013).",
    )
    tree.add_argument(
        "--k",
        type=positive_int,
        default=spread.DEFAULT_K,
        help=f"look-back window of the diffusion classes, in days (default: {spread.DEFAULT_K})",
    )

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
    export.add_argument(
        "--metric", choices=COUNT_METRICS, default="events", help="what colours a map"
    )
    export.add_argument(
        "--window-days", type=positive_int, default=3, help="days of --mode window (default: 3)"
    )

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
    compared = commands.add_parser(
        "compare",
        parents=[common],
        help="set two sources side by side: matched events, per region and in all",
        description="Match the events of two sources one to one, nearest first, within --km "
        "and --days, over the days both cover: matched and only-in-one counts per region, the "
        "onset in each, the match rate each way, correlations and a capture-recapture "
        "estimate of the total. With one FILE, the bundled record is A and FILE is B.",
    )
    compared.add_argument(
        "files",
        metavar="FILE",
        type=Path,
        nargs="+",
        help="B, or A then B (event files, folders or quoted globs, read as --format says)",
    )
    compared.add_argument(
        "--km",
        type=float,
        default=DEFAULT_KM,
        help=f"how far apart two reports of one event may be (default: {DEFAULT_KM:g} km)",
    )
    compared.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"how many days apart they may be dated (default: {DEFAULT_DAYS})",
    )
    return parser


def mapping_pair(text: str) -> tuple[str, str]:
    """`--map event_type=label` -> ("event_type", "label")."""
    field, sep, column = text.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise argparse.ArgumentTypeError(
            f"expected FIELD=COLUMN such as event_type=label, got {text!r}"
        )
    return field.strip(), column.strip()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of days >= 1, got {text!r}")
    return value


def parse_day(text: str) -> pd.Timestamp:
    """`--date 2022-01-05` as a day, or a UsageError that names the option."""
    try:
        return pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError as exc:
        raise UsageError(f"--date must be a date such as 2022-01-05, got {text!r}") from exc
