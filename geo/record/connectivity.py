"""The hours the internet was cut: when, where and how much, as measured and reported.

From the evening of 4 January 2022 mobile data was throttled, from 5 January the country was
offline, and access came back in stages and by place. Each row of
`data/context/kz_jan2022_connectivity.csv` is one interval of one state (CONNECTIVITY_STATES) for
the whole country or one first-level unit, in UTC, with who measured it and the pages it comes
from. `connectivity_by_frame` says, for each region and frame of a map, which state held; the
more specific row wins (a city's own over the national one), then the later start.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import EventDataError, Problem
from geo.paths import DATA_DIR
from geo.record.tables import read_text_csv
from geo.record.zones import zones_of
from geo.schema import is_web_link

CONNECTIVITY_CSV = DATA_DIR / "context" / "kz_jan2022_connectivity.csv"
CONNECTIVITY_COLUMNS = ("interval_id", "scope", "region_id", "start_utc", "end_utc", "what",
                        "start_precision", "end_precision", "measured_by", "source",
                        "source_url", "notes")  # fmt: skip
SCOPES = ("national", "region", "city")
"""national: every unit; region or city: the first-level unit region_id (Almaty and Nur-Sultan
are cities and units of their own)."""
CONNECTIVITY_STATES = ("mobile throttled", "full cut", "partial restore", "restored")
PRECISIONS = ("hour", "day")
"""How well a row's start or end is known: to about the hour, or only its local day (the time
is then that day's midnight in Kazakhstan's capital, UTC+6)."""


def load_connectivity(
    path: str | Path = CONNECTIVITY_CSV, *, region_ids: set[str] | None = None
) -> pd.DataFrame:
    """The connectivity intervals, checked; `EventDataError` names each bad cell.

    `region_ids` are the units a regional row may name (default: the January 2022 layout's).
    start_utc and end_utc are UTC datetimes (end_utc NaT: no page gives an end), sorted by start.
    """
    path = Path(path)
    raw = read_text_csv(path)
    missing = [c for c in CONNECTIVITY_COLUMNS if c not in raw.columns]
    if missing:
        raise EventDataError.of_file(
            path.name,
            f"missing column(s) {missing}; a connectivity file needs {list(CONNECTIVITY_COLUMNS)}",
        )
    if region_ids is None:
        from geo.record.regions import load_regions

        region_ids = set(load_regions("2022-01")["region_id"])
    problems = _problems(raw, path.name, region_ids)
    if problems:
        raise EventDataError(problems)
    table = raw.copy()
    for column in ("start_utc", "end_utc"):
        table[column] = pd.to_datetime(table[column], utc=True)
    return table.sort_values(["start_utc", "interval_id"], ignore_index=True)


def connectivity_by_frame(
    intervals: pd.DataFrame, region_ids: pd.Series, frames: list, step: str
) -> dict[str, list[str]]:
    """Each region's state in each frame: the worst state (SEVERITY) it was in at any moment of
    the frame, "" when no interval touches the frame.

    At each moment a region is in the state of the most specific interval in force there (its
    own, over the national one), the later-starting on a tie. A day frame is the region's local
    calendar day (geo.record.zones), an hour frame its hour in the capital's zone (as the hourly
    frames are counted); an empty end never ends.
    """
    ids = pd.Series(region_ids, dtype="string").reset_index(drop=True)
    length = pd.Timedelta(days=1) if step == "day" else pd.Timedelta(hours=1)
    local = pd.DatetimeIndex([pd.Timestamp(f) for f in frames])
    names = list(SEVERITY)
    states: dict[str, list[str]] = {}
    for rid, zone in zip(ids, zones_of(ids), strict=True):
        own = intervals[(intervals["scope"] == "national") | (intervals["region_id"] == rid)]
        edges, severity = _segments(own)
        starts = local.tz_localize(zone if step == "day" else "Asia/Almaty").tz_convert("UTC")
        first = np.searchsorted(edges[1:], _ns(starts), side="right")
        last = np.searchsorted(edges[:-1], _ns(starts + length), side="left")
        states[str(rid)] = [
            names[int(severity[a:b].max(initial=0))] for a, b in zip(first, last, strict=True)
        ]
    return states


SEVERITY = {"": 0, "restored": 1, "partial restore": 2, "mobile throttled": 3, "full cut": 4}
_NEVER = pd.Timestamp("2100-01-01", tz="UTC")


def _segments(intervals: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The times at which a region's state changes (UTC nanoseconds) and the state's SEVERITY
    code between each two: the most specific interval in force, the later-starting on a tie."""
    starts = _ns(pd.DatetimeIndex(intervals["start_utc"]))
    stops = _ns(pd.DatetimeIndex(intervals["end_utc"].fillna(_NEVER)))
    edges = np.unique(np.concatenate([starts, stops]))
    order = sorted(
        range(len(intervals)),
        key=lambda k: (intervals["scope"].iloc[k] != "national", starts[k]),
    )
    severity = np.zeros(max(len(edges) - 1, 0), dtype=np.int64)
    for k in order:  # later, more specific intervals overwrite earlier, national ones
        covered = (edges[:-1] >= starts[k]) & (edges[1:] <= stops[k])
        severity[covered] = SEVERITY[intervals["what"].iloc[k]]
    return edges, severity


def _ns(moments: pd.DatetimeIndex) -> np.ndarray:
    return moments.as_unit("ns").asi8


def _problems(raw: pd.DataFrame, file: str, region_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []

    def bad(index: int, column: str, message: str) -> None:
        value = raw.at[index, column]
        problems.append(
            Problem(file, index + 2, column, None if pd.isna(value) else str(value), message)
        )

    seen: set[str] = set()
    for index, row in raw.iterrows():
        if pd.isna(row["interval_id"]) or row["interval_id"] in seen:
            bad(index, "interval_id", "expected a unique interval id")
        else:
            seen.add(row["interval_id"])
        if row["scope"] not in SCOPES:
            bad(index, "scope", f"expected one of {', '.join(SCOPES)}")
        elif row["scope"] == "national" and pd.notna(row["region_id"]):
            bad(index, "region_id", "a national row names no region")
        elif row["scope"] != "national" and row["region_id"] not in region_ids:
            bad(index, "region_id", "expected a region_id of the January 2022 layout")
        if row["what"] not in CONNECTIVITY_STATES:
            bad(index, "what", f"expected one of {', '.join(CONNECTIVITY_STATES)}")
        start = _utc(row["start_utc"])
        end = _utc(row["end_utc"]) if pd.notna(row["end_utc"]) else None
        if start is None:
            bad(index, "start_utc", "expected a UTC time such as 2022-01-05T10:30:00Z")
        if pd.notna(row["end_utc"]) and end is None:
            bad(index, "end_utc", "expected a UTC time such as 2022-01-05T10:30:00Z, or empty")
        if start is not None and end is not None and end <= start:
            bad(index, "end_utc", "expected an end after the start")
        if row["start_precision"] not in PRECISIONS:
            bad(index, "start_precision", f"expected one of {', '.join(PRECISIONS)}")
        if pd.notna(row["end_utc"]) and row["end_precision"] not in PRECISIONS:
            bad(index, "end_precision", f"expected one of {', '.join(PRECISIONS)}")
        urls = [] if pd.isna(row["source_url"]) else row["source_url"].split(" | ")
        if not urls or not all(is_web_link(u) for u in urls):
            bad(index, "source_url", "expected one or more http(s) URLs separated by ' | '")
        for column in ("measured_by", "source", "notes"):
            if pd.isna(row[column]):
                bad(index, column, "expected text")
    return problems


def _utc(text: str) -> pd.Timestamp | None:
    """A time written in UTC with its Z, or None."""
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return pd.Timestamp(text)
    except ValueError:
        return None
