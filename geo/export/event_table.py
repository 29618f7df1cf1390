"""The cleaned event table: one row per row of the input file, as Qantar read it.

People take it to their own tools, and tests can check every row: which day and local time the
row was read as, which canonical type, which region (empty when not placed, with the reason), how
it was placed, whether it repeats an earlier row (`duplicate_of`), and rows that were not loaded
at all with their problem.
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.scope import outside_reasons
from geo.errors import Problem
from geo.io.dates import local_datetime_text
from geo.record.zones import zones_of

EVENT_TABLE_COLUMNS = (
    "source_row",
    "event_id_cnty",
    "event_date",
    "event_datetime",
    "event_type",
    "region_id",
    "place_method",
    "duplicate_of",
    "country",
    "reason",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "fatalities_source",
    "source",
    "source_url",
    "notes",
)
"""Columns of the cleaned table, in order (docs/cli.md describes each)."""
DUPLICATE_METHOD = "duplicate"
SET_ASIDE_METHOD = "set aside"
NOT_LOADED_METHOD = "not loaded"


def event_table(
    placed: pd.DataFrame,
    duplicates: pd.DataFrame | None = None,
    problems: tuple[Problem, ...] = (),
    outside: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The cleaned table of one file, ordered by `source_row`.

    `placed` is geo.analysis.placing.place_events(...).events, `duplicates` the importer's
    collapsed rows (ImportResult.duplicates; None for none), `problems` its located problems (rows
    not loaded). A collapsed row has the event's type and date, no region (it is not counted),
    `place_method` "duplicate" and the row it repeats in `duplicate_of`; a row not loaded has
    only its reason. A row set aside as abroad (`outside`, Dataset.outside) has its date as
    written, its country, `place_method` "set aside" and the reason.
    """
    if "source_file" in placed:  # several files (geo.io.many): one table each, put together
        return _of_each_file(placed, duplicates, problems, outside)
    events = _loaded_rows(placed)
    kept = events.set_index("source_row")
    repeats = _duplicate_rows(duplicates, kept)
    set_aside = _set_aside_rows(outside)
    failed = _rows_not_loaded(
        problems,
        set(events["source_row"]) | set(repeats["source_row"]) | set(set_aside["source_row"]),
    )
    table = pd.concat([events, repeats, failed, set_aside], ignore_index=True)
    table = table.sort_values("source_row", kind="stable").reset_index(drop=True)
    table["source_row"] = table["source_row"].astype("int64")
    table["duplicate_of"] = table["duplicate_of"].astype("Int64")
    return table[list(EVENT_TABLE_COLUMNS)]


def _of_each_file(
    placed: pd.DataFrame,
    duplicates: pd.DataFrame | None,
    problems: tuple[Problem, ...],
    outside: pd.DataFrame | None,
) -> pd.DataFrame:
    """The tables of several files, each row with its `source_file`, file by file."""
    names = list(dict.fromkeys(placed["source_file"]))
    for frame in (duplicates, outside):
        if frame is not None and "source_file" in frame:
            names += [n for n in dict.fromkeys(frame["source_file"]) if n not in names]
    names += [n for n in dict.fromkeys(p.file for p in problems) if n not in names]

    def of(frame: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
        if frame is None or "source_file" not in frame:
            return frame
        return frame[frame["source_file"] == name].drop(columns="source_file")

    tables = [
        event_table(
            of(placed, name),
            of(duplicates, name),
            tuple(p for p in problems if p.file == name),
            of(outside, name),
        ).assign(source_file=name)
        for name in names
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["source_file", *EVENT_TABLE_COLUMNS]]


def _loaded_rows(placed: pd.DataFrame) -> pd.DataFrame:
    region = _text(placed, "region_id")
    zones = zones_of(region)
    if "event_datetime" in placed:
        stamps = pd.to_datetime(placed["event_datetime"])
        local = local_datetime_text(stamps, zones)
    else:
        local = pd.Series("", index=placed.index)
    reason = _text(placed, "unplaced_reason").where(region == "", "")
    reason = reason.where((region != "") | (reason != ""), "not placed")
    return pd.DataFrame(
        {
            "source_row": placed["source_row"].astype("int64"),
            "event_id_cnty": _text(placed, "event_id_cnty"),
            "event_date": pd.to_datetime(placed["event_date"]).dt.strftime("%Y-%m-%d"),
            "event_datetime": local,
            "event_type": _text(placed, "event_type"),
            "region_id": region,
            "place_method": _text(placed, "place_method"),
            "duplicate_of": pd.Series(pd.NA, index=placed.index, dtype="Int64"),
            "country": _text(placed, "country"),
            "reason": reason,
            **{column: _text(placed, column) for column in _TEXT_DETAILS},
            "latitude": _number(placed, "latitude"),
            "longitude": _number(placed, "longitude"),
            "fatalities": _number(placed, "fatalities").round().astype("Int64"),
        }
    )


def _duplicate_rows(duplicates: pd.DataFrame | None, kept: pd.DataFrame) -> pd.DataFrame:
    if duplicates is None or duplicates.empty:
        return pd.DataFrame(columns=list(EVENT_TABLE_COLUMNS))
    first = kept.reindex(duplicates["duplicate_of"].to_numpy())
    return pd.DataFrame(
        {
            "source_row": duplicates["source_row"].to_numpy(),
            "event_id_cnty": duplicates["event_id_cnty"].fillna("").to_numpy(),
            "event_date": first["event_date"].fillna("").to_numpy(),
            "event_datetime": first["event_datetime"].fillna("").to_numpy(),
            "event_type": first["event_type"].fillna("").to_numpy(),
            "region_id": "",
            "place_method": DUPLICATE_METHOD,
            "duplicate_of": duplicates["duplicate_of"].to_numpy(),
            "country": first["country"].fillna("").to_numpy(),
            "reason": duplicates["reason"].fillna("").to_numpy(),
        }
    )


def _set_aside_rows(outside: pd.DataFrame | None) -> pd.DataFrame:
    if outside is None or outside.empty:
        return pd.DataFrame(columns=list(EVENT_TABLE_COLUMNS))
    country = outside["country"].astype("string").fillna("")
    return pd.DataFrame(
        {
            "source_row": outside["source_row"].to_numpy(),
            "event_id_cnty": outside["event_id_cnty"].astype("string").fillna("").to_numpy(),
            "event_date": outside["event_date"].astype("string").fillna("").to_numpy(),
            "event_datetime": "",
            "event_type": outside["event_type"].astype("string").fillna("").to_numpy(),
            "region_id": "",
            "place_method": SET_ASIDE_METHOD,
            "duplicate_of": pd.Series([pd.NA] * len(outside), dtype="Int64"),
            "country": country.to_numpy(),
            "reason": outside_reasons(country),
            "location": outside["location"].astype("string").fillna("").to_numpy(),
        },
        columns=list(EVENT_TABLE_COLUMNS),
    )


def _rows_not_loaded(problems: tuple[Problem, ...], loaded: set[int]) -> pd.DataFrame:
    reasons: dict[int, list[str]] = {}
    for problem in problems:
        if problem.row is None or problem.row in loaded:
            continue
        where = f"column {problem.column!r}: " if problem.column else ""
        shown = "" if problem.value is None else f" (got {problem.value!r})"
        reasons.setdefault(problem.row, []).append(f"{where}{problem.message}{shown}")
    rows = sorted(reasons)
    return pd.DataFrame(
        {
            "source_row": rows,
            "event_id_cnty": "",
            "event_date": "",
            "event_datetime": "",
            "event_type": "",
            "region_id": "",
            "place_method": NOT_LOADED_METHOD,
            "duplicate_of": pd.Series([pd.NA] * len(rows), dtype="Int64"),
            "country": "",
            "reason": ["not loaded: " + "; ".join(reasons[r]) for r in rows],
        },
        columns=list(EVENT_TABLE_COLUMNS),
    )


_TEXT_DETAILS = ("location", "fatalities_source", "source", "source_url", "notes")
"""What the row says of its event, as read: its place, deaths' reporter and sources (its point
and deaths are numbers)."""


def _number(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="Float64")
    return pd.to_numeric(frame[column], errors="coerce").astype("Float64")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].astype("string").fillna("").astype(object)
