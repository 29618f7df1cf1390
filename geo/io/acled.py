"""ACLED exports (CSV, or an ACLED workbook read by geo.io.generic): their columns by name, in
the current and the pre-2023 codebook, and the attribution ACLED's terms require.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.errors import Problem
from geo.io.mapping import checked_mapping
from geo.io.raw import RawEvents, read_table
from geo.io.sources import Source

ACLED_ATTRIBUTION = "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com"
"""ACLED's credit, which its terms of use require with the date of access on every use of the
data (geo.pipeline.acled_attribution adds the date)."""
ACLED_COLUMNS = {
    "event_id_cnty": ("event_id_cnty", "data_id"),
    "event_date": ("event_date",),
    "time_precision": ("time_precision",),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "actor1": ("actor1",),
    "actor2": ("actor2",),
    "admin1": ("admin1",),
    "location": ("location",),
    "latitude": ("latitude",),
    "longitude": ("longitude",),
    "geo_precision": ("geo_precision",),
    "source": ("source",),
    "notes": ("notes",),
    "fatalities": ("fatalities",),
    "country": ("country", "iso"),
}
"""Canonical column -> ACLED column(s), first present wins (`data_id` in the pre-2023 schema).

`timestamp` is ACLED's upload time, not the event's, and is never read."""
ACLED_ONLY_COLUMNS = frozenset(
    {"iso", "iso3", "inter1", "inter2", "interaction", "disorder_type", "source_scale"}
)
"""Columns of ACLED's own exports that a file merely using ACLED's names would not have."""


def looks_like_acled(header: set[str]) -> bool:
    """ACLED's id columns and a column only ACLED's own exports carry: a file that merely
    borrows ACLED's names (like the bundled record) is generic and gets no ACLED attribution."""
    acled_ids = {"event_id_cnty", "event_date"} <= header or {
        "data_id",
        "event_id_no_cnty",
    } <= header
    return acled_ids and bool(header & ACLED_ONLY_COLUMNS)


def read_acled(file: Source, mapping: dict[str, str] | None) -> RawEvents:
    """An ACLED export, reading only the columns ACLED_COLUMNS names (and `mapping` adds)."""
    chosen: dict[str, str] = {}
    names_read: list[str] = []

    def keep(names: list[str]) -> list[str]:
        names_read.extend(names)
        chosen.update(acled_columns(names, mapping, file.name))
        return list(dict.fromkeys(chosen.values()))

    frame, rows, notes, problems = read_table(file, keep=keep)
    return acled_raw(file.name, frame, rows, chosen, names_read, notes, problems)


def acled_columns(names: list[str], mapping: dict[str, str] | None, file: str) -> dict[str, str]:
    """Canonical column (and `inter1`, for the pre-2019 types) -> the export's column; headers
    in any case (`EVENT_DATE` in older exports)."""
    lowered = {n.lower(): n for n in names}
    chosen = {}
    for target, candidates in (*ACLED_COLUMNS.items(), ("inter1", ("inter1",))):
        found = next((lowered[c] for c in candidates if c in lowered), None)
        if found:
            chosen[target] = found
    chosen.update(checked_mapping(mapping or {}, names, file))
    return chosen


def acled_raw(
    file: str,
    frame: pd.DataFrame,
    rows: np.ndarray,
    chosen: dict[str, str],
    names: list[str],
    notes: list[str],
    problems: list[Problem],
) -> RawEvents:
    """The canonical table of an ACLED export whose `chosen` columns (acled_columns) were read;
    `names` are all its headers (which say the codebook)."""
    frame = pd.DataFrame({target: frame[column] for target, column in chosen.items()})
    header = {n.lower() for n in names}
    old = {"data_id", "iso3"} & header
    schema = "pre-2023 codebook (data_id, iso3)" if old else "current codebook"
    notes = [
        f"ACLED export, {schema}: outlet names kept in `source`, source_url left empty; "
        "`timestamp` (upload time) ignored",
        *notes,
        ACLED_ATTRIBUTION,
    ]
    chosen = {k: v for k, v in chosen.items() if k != "inter1"}
    return RawEvents(frame, rows, chosen, file, "acled", notes, problems)
