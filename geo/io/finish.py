"""Finishing an import: from the RawEvents a format adapter read to the ImportResult.

Reads the dates (geo.io.dates), validates the table (geo.schema) with every problem located
in the file at once (its data row and the file's column name), attaches what the adapter read
beyond the canonical columns (region codes, countries, times), and collapses duplicate rows
(geo.io.duplicates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import EventDataError, Problem
from geo.io.abroad import no_outside, set_aside
from geo.io.acled_taxonomy import modernize_types
from geo.io.dates import FORMS_READ, read_date_column
from geo.io.duplicates import collapse_duplicates, no_duplicates
from geo.io.raw import RawEvents
from geo.record.countries import country_codes
from geo.record.zones import NATIONAL_ZONE
from geo.schema import (
    CANONICAL_COLUMNS,
    MONTH_PRECISION,
    PRECISION_CODES,
    TIME_PRECISION_CODES,
    YEAR_PRECISION,
    missing_text,
    validate_events,
)


@dataclass(frozen=True)
class ImportResult:
    """Events in canonical form, the located problems, and how the file was read."""

    events: pd.DataFrame
    problems: tuple[Problem, ...]
    format: str
    mapping: dict[str, str]
    notes: tuple[str, ...]
    duplicates: pd.DataFrame = field(default_factory=no_duplicates)
    """Rows collapsed into an earlier row of the same event (geo.io.duplicates), one per row."""
    file_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each column of a CSV, XLSX or GeoJSON file with a few of its values, in file order (what
    a person needs to correct the guessed `mapping`); empty for ACLED and GDELT files."""
    outside: pd.DataFrame = field(default_factory=no_outside)
    """Rows set aside because the file places them in another country (geo.io.abroad)."""
    file: str = ""
    """The file's name as its problems give it (`<archive>/<member>` for a zipped one)."""


def finish_import(raw: RawEvents, date_order: str | None = None) -> ImportResult:
    """The events of `raw` validated, with every problem found, located in the file.

    `date_order` ("dayfirst" or "monthfirst") is the person's reading of numeric dates, else the
    column's values or the file's language decide (geo.io.dates.read_date_column).
    """
    file = raw.file
    frame = raw.frame.reset_index(drop=True)
    notes = list(raw.notes)
    problems = list(raw.problems)
    column_names = dict(raw.mapping)
    if "event_date" not in frame:
        raise EventDataError(
            [Problem(file, None, "event_date", None, "required column is missing")]
        )
    source_rows, extras = raw.rows, raw.extras
    outside = raw.outside
    if outside is None:  # the adapter did not look: set aside by the file's country column
        outside = no_outside()
        if "country" in frame:
            kept, outside, abroad_notes = set_aside(
                frame, raw.rows, country_codes(frame["country"])
            )
            notes += abroad_notes
            if not kept.all():
                frame, source_rows = frame.loc[kept].reset_index(drop=True), raw.rows[kept]
                if extras is not None:
                    extras = extras.loc[kept]
    if frame.empty and len(outside):
        raise EventDataError.of_file(file, _all_abroad(outside))
    dates = read_date_column(
        frame["event_date"], dayfirst=raw.dayfirst, order=date_order, utc=raw.utc
    )
    days, datetimes, bad = dates.days, dates.datetimes, dates.bad
    notes += dates.notes
    shown = column_names.get("event_date", "event_date")
    failed = _date_failure_summary(frame["event_date"], bad, shown)
    if failed:
        notes.append(failed)
    for index in np.flatnonzero(bad):
        value = frame["event_date"].iloc[index]
        problems.append(
            Problem(
                file,
                int(source_rows[index]),
                shown,
                None if pd.isna(value) else str(value),
                "expected a date such as 2022-01-05, 05.01.2022 or 05 January 2022",
            )
        )
    keep = ~bad
    frame = frame.assign(event_date=days)
    if dates.precision is not None:
        frame, precision_note = _with_date_precision(frame, dates.precision)
        notes.append(precision_note)
    frame, type_notes = modernize_types(frame)
    notes += type_notes
    for column, valid in _NUMERIC_COLUMNS.items():
        if column in frame:
            frame[column] = _fast_numeric(frame[column], valid)
    extras = (
        extras.reset_index(drop=True) if extras is not None else pd.DataFrame(index=frame.index)
    )
    if "admin1_code" in frame:
        extras["admin1_code"] = frame.pop("admin1_code").astype("string").str.strip()
    if "country" in frame:
        extras["country"] = country_codes(frame.pop("country"))
    if datetimes is not None:
        extras["event_datetime"] = datetimes
    if dates.from_utc.any():  # geo.analysis.local_days takes their day once placed
        extras["time_zone"] = np.where(dates.from_utc, NATIONAL_ZONE, "")
    if not keep.all():  # selecting every row would still copy every column
        frame, extras, rows = frame.loc[keep], extras.loc[keep], source_rows[keep]
    else:
        rows = source_rows
    if frame.empty and failed:
        raise EventDataError([Problem(file, None, shown, None, failed), *problems])
    if frame.empty:
        raise EventDataError(problems or [Problem(file, None, None, None, "the file has no rows")])
    try:
        validated = validate_events(frame, file, source_rows=rows, column_names=column_names)
    except EventDataError as exc:  # no row passed: the problems found so far, then its own
        raise EventDataError([*problems, *exc.problems]) from exc
    events = validated.events
    if not validated.kept.all():
        extras = extras.loc[validated.kept]
    extras = extras.reset_index(drop=True)
    events["admin1_code"] = (
        extras.pop("admin1_code") if "admin1_code" in extras else missing_text(events.index)
    )
    events["country_level"] = (
        extras.pop("country_level").astype(bool) if "country_level" in extras else False
    )
    country = extras.pop("country") if "country" in extras else missing_text(events.index)
    events["country"] = country.replace("", pd.NA)
    for column in extras:
        events[column] = extras[column]
    problems += validated.problems
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    if problems:
        notes.append(f"{len({p.row for p in problems})} row(s) with problems were not loaded")
    compared = (*CANONICAL_COLUMNS, "admin1_code", "event_datetime")
    events, duplicates, duplicate_notes = collapse_duplicates(events, compared)
    notes += duplicate_notes
    return ImportResult(
        events,
        tuple(problems),
        raw.format,
        dict(raw.mapping),
        tuple(notes),
        duplicates,
        raw.file_columns,
        outside,
        raw.file,
    )


def _all_abroad(outside: pd.DataFrame) -> str:
    counts = outside["country"].value_counts()
    listed = ", ".join(f"{code} {n:,}" for code, n in counts.head(10).items())
    more = f" and {len(counts) - 10} more countries" if len(counts) > 10 else ""
    return (
        f"none of its {len(outside):,} rows is in Kazakhstan: its country column places them "
        f"in {listed}{more}"
    )


def _with_date_precision(frame: pd.DataFrame, precision: np.ndarray) -> tuple[pd.DataFrame, str]:
    """A date written as a month or a year says how precise it is: its time_precision is that
    (3, within the month; 4, within the year), whatever the file's own column says."""
    missing = pd.Series(pd.NA, index=frame.index, dtype="string")
    given = frame["time_precision"].astype("string") if "time_precision" in frame else missing
    own = pd.Series(precision, index=frame.index).astype("string")
    frame = frame.assign(time_precision=given.mask(precision > 0, own))
    months = int((precision == MONTH_PRECISION).sum())
    years = int((precision == YEAR_PRECISION).sum())
    return frame, (
        f"{months:,} date(s) given as a month only and {years:,} as a year only: each is read as "
        "its first day, with time_precision 3 (within the month) or 4 (within the year)"
    )


def _date_failure_summary(values: pd.Series, bad: np.ndarray, column: str) -> str | None:
    """One line for a date column that fails on many rows ("all 5,658 values of 'event_date'
    look like '5-Aug-24', which ..."), instead of the same message thousands of times."""
    text = values.astype("string").str.strip()
    present = (text.notna() & (text != "")).to_numpy()
    failing = bad & present
    if failing.sum() < 10:
        return None
    counts = text[failing].value_counts()
    how_many = (
        f"all {int(present.sum()):,}"
        if failing.sum() == present.sum()
        else f"{int(failing.sum()):,} of {int(present.sum()):,}"
    )
    return (
        f"{how_many} values of {column!r} look like {counts.index[0]!r}, which is none of the "
        f"date forms read ({FORMS_READ}); those rows were not loaded (each one is listed with "
        "its row in the problems, and by --json)"
    )


_NUMERIC_COLUMNS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "latitude": lambda x: np.abs(x) <= 90,
    "longitude": lambda x: np.abs(x) <= 180,
    "fatalities": lambda x: (x >= 0) & (x % 1 == 0),
    "time_precision": lambda x: np.isin(x, TIME_PRECISION_CODES),
    "geo_precision": lambda x: np.isin(x, PRECISION_CODES),
}
"""Numeric columns and what geo.schema accepts in them."""


def _fast_numeric(values: pd.Series, valid: Callable[[np.ndarray], np.ndarray]) -> pd.Series:
    """Numbers via Arrow's cast when every cell is a valid plain number (fast on a million
    rows); else the text, so that geo.schema reports the bad cells with their values."""
    if pd.api.types.is_numeric_dtype(values):
        return values
    try:
        numbers = pc.cast(pa.array(values, from_pandas=True), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return values
    array = numbers.to_numpy(zero_copy_only=False)
    present = ~np.isnan(array)
    if not valid(array[present]).all():
        return values
    return pd.Series(array, index=values.index)
