"""The canonical event table every importer produces, and its vectorised validation.

Columns follow ACLED's export names where the meaning is the same, so an ACLED export needs no
renaming. Validation is vectorised (one pass per column over the whole frame) because imports of a
million rows must stay within seconds; a row-by-row model (pydantic) or pandera's lazy mode was far
slower at that size. Bad rows are reported with their file, 1-based data row, column and value, and
dropped; good rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import EventDataError, Problem

ACLED_SUB_EVENT_TYPES: dict[str, frozenset[str]] = {
    "Battles": frozenset(
        {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
    ),
    "Protests": frozenset(
        {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
    ),
    "Riots": frozenset({"Violent demonstration", "Mob violence"}),
    "Violence against civilians": frozenset(
        {"Attack", "Abduction/forced disappearance", "Sexual violence"}
    ),
    "Explosions/Remote violence": frozenset(
        {
            "Air/drone strike",
            "Chemical weapon",
            "Grenade",
            "Remote explosive/landmine/IED",
            "Shelling/artillery/missile attack",
            "Suicide bomb",
        }
    ),
    "Strategic developments": frozenset(
        {
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        }
    ),
}
EVENT_TYPES = tuple(ACLED_SUB_EVENT_TYPES)

REQUIRED_COLUMNS = ("event_date",)
"""Coordinates may be missing: such rows are placed by place or region name
(geo.analysis.placing)."""
CANONICAL_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_url",
    "notes",
    "fatalities",
    "fatalities_source",
)
PARSED_COLUMNS = ("event_date", "time_precision", "latitude", "longitude", "geo_precision",
                  "fatalities")  # fmt: skip
TEXT_COLUMNS = tuple(c for c in CANONICAL_COLUMNS if c not in PARSED_COLUMNS)
TIME_PRECISION_LABELS = {
    1: "exact day",
    2: "approximate day",
    3: "within the month",
    4: "within the year",
}
"""ACLED's time_precision codes (1-3), and 4 for a date given only as a year, in the words a
reader sees."""
MONTH_PRECISION, YEAR_PRECISION = 3, 4
"""The time_precision of a date written as a month (January 1971) or a year (1971)."""
GEO_PRECISION_LABELS = {1: "exact place", 2: "nearby town", 3: "region-level"}
"""ACLED's geo_precision codes, in the words a reader sees."""
PRECISION_CODES = tuple(GEO_PRECISION_LABELS)
TIME_PRECISION_CODES = tuple(TIME_PRECISION_LABELS)
REGION_LEVEL_PRECISION = 3
"""geo_precision of a report placed only at its region (drawn as a hollow ring at the centre)."""
WEB_SCHEMES = ("http://", "https://")


def is_web_link(value: object) -> bool:
    """Whether `value` is an http(s) URL without spaces (no javascript:, data: or relative
    links): the one test a source link passes before it is shown or accepted."""
    if not isinstance(value, str):
        return False
    url = value.strip()
    return url.lower().startswith(WEB_SCHEMES) and " " not in url


@dataclass(frozen=True)
class ValidatedEvents:
    """The rows that passed, in canonical form, and a located problem for each one that did not."""

    events: pd.DataFrame
    problems: tuple[Problem, ...]
    file: str
    kept: np.ndarray
    """Which rows of the table validated passed (a boolean mask over them, in order): selects
    what the caller holds alongside those rows."""


def validate_events(
    raw: pd.DataFrame,
    file: str,
    *,
    strict_types: bool = False,
    source_rows: np.ndarray | None = None,
    column_names: dict[str, str] | None = None,
) -> ValidatedEvents:
    """Coerce a raw table (strings or parsed values) to the canonical event table.

    ``strict_types`` rejects event/sub-event types outside ACLED's list (used for the bundled
    data); user files may use their own vocabulary. Raises EventDataError only when nothing can
    be used: a required column is missing or no row survives.

    ``source_rows`` is each row's 1-based data row in the file (by default 1, 2, ... in order)
    and ``column_names`` each canonical column's name in the file: problems and `source_row` are
    located by them, so they point into the file as the person has it.
    """
    names = column_names or {}
    _check_required_columns(raw, file, names)
    frame = raw.reset_index(drop=True)
    row_numbers = np.arange(1, len(frame) + 1) if source_rows is None else np.asarray(source_rows)
    problems: list[Problem] = []
    bad = np.zeros(len(frame), dtype=bool)

    columns: dict[str, pd.Series] = {}
    for name, parse in _PARSERS.items():
        if name not in frame.columns:
            continue
        parsed, invalid, expected = parse(frame[name])
        columns[name] = parsed
        shown = names.get(name, name)
        _collect(problems, bad, invalid, frame[name], row_numbers, file, shown, expected)

    for name in TEXT_COLUMNS:
        if name in frame.columns:
            columns[name] = _text(frame[name])
    if strict_types and "event_type" in columns:
        invalid = _invalid_type_pairs(columns["event_type"], columns.get("sub_event_type"))
        _collect(
            problems,
            bad,
            invalid,
            frame["event_type"],
            row_numbers,
            file,
            names.get("event_type", "event_type"),
            "an ACLED event type with one of its sub-event types",
        )

    events = _canonical_frame(columns, len(frame))
    if bad.any():  # selecting every row would still copy every column
        events = events.loc[~bad]
    events = events.reset_index(drop=True)
    events["source_row"] = row_numbers[~bad]
    if events.empty:
        raise EventDataError(problems or [Problem(file, None, None, None, "the file has no rows")])
    return ValidatedEvents(events=events, problems=tuple(problems), file=file, kept=~bad)


def _check_required_columns(raw: pd.DataFrame, file: str, names: dict[str, str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        found = ", ".join(map(str, raw.columns[:20])) or "none"
        message = f"required column is missing (columns found: {found})"
        raise EventDataError([Problem(file, None, names.get(c, c), None, message) for c in missing])


def _collect(problems, bad, invalid, original, row_numbers, file, column, expected) -> None:
    invalid = np.asarray(invalid, dtype=bool)
    if not invalid.any():
        return
    bad |= invalid
    for index in np.flatnonzero(invalid):
        value = original.iloc[index]
        shown = None if pd.isna(value) else str(value)
        problems.append(
            Problem(file, int(row_numbers[index]), column, shown, f"expected {expected}")
        )


def _parse_date(values: pd.Series) -> tuple[pd.Series, np.ndarray, str]:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values.dt.tz_localize(None) if values.dt.tz is not None else values
    else:
        text = values.astype("string").str.strip()
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        retry = parsed.isna() & text.notna()
        if retry.any():
            parsed[retry] = pd.to_datetime(
                text[retry], format="mixed", errors="coerce", dayfirst=True
            )
    parsed = parsed.astype("datetime64[ns]")
    return parsed.dt.normalize(), parsed.isna().to_numpy(), "a date such as 2022-01-05"


def _coordinate(limit: float, name: str):
    def parse(values: pd.Series) -> tuple[pd.Series, np.ndarray, str]:
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        present = _present(values)
        invalid = present & ~numbers.between(-limit, limit)
        return (
            numbers,
            invalid.to_numpy(),
            f"a {name} in decimal degrees between -{limit} and {limit}, or empty",
        )

    return parse


def _optional_count(values: pd.Series) -> tuple[pd.Series, np.ndarray, str]:
    numbers = pd.to_numeric(values, errors="coerce")
    present = _present(values)
    invalid = present & (numbers.isna() | (numbers < 0) | (numbers % 1 != 0))
    return (
        numbers.where(~invalid).astype("Int64"),
        invalid.to_numpy(),
        "a whole number >= 0 or empty",
    )


def _precision(codes: tuple[int, ...]) -> Callable:
    def check(values: pd.Series) -> tuple[pd.Series, np.ndarray, str]:
        numbers = pd.to_numeric(values, errors="coerce")
        present = _present(values)
        invalid = present & ~numbers.isin(codes)
        listed = ", ".join(map(str, codes[:-1])) + f" or {codes[-1]}"
        return (
            numbers.where(~invalid).astype("Int8"),
            invalid.to_numpy(),
            f"a precision code {listed}",
        )

    return check


def _present(values: pd.Series) -> pd.Series:
    """Non-empty cells; numbers need no string round trip (slow on a million rows)."""
    if pd.api.types.is_numeric_dtype(values):
        return values.notna()
    return values.notna() & (values.astype("string").str.strip() != "")


_PARSERS = {
    "event_date": _parse_date,
    "latitude": _coordinate(90, "latitude"),
    "longitude": _coordinate(180, "longitude"),
    "fatalities": _optional_count,
    "time_precision": _precision(TIME_PRECISION_CODES),
    "geo_precision": _precision(PRECISION_CODES),
}


def _text(values: pd.Series) -> pd.Series:
    """Strip surrounding whitespace; empty cells become missing.

    Arrow-backed text is trimmed only in the rows whose first or last byte could start or end a
    whitespace character (found from the offsets, without looking at each string): trimming every
    cell of a million-row column costs tens of milliseconds per column, most rows need none.
    """
    text = values.astype("string")
    if getattr(text.dtype, "storage", None) != "pyarrow":
        return text.str.strip().replace("", pd.NA)
    array = pa.array(text.array)  # the column's own (chunked) arrow data, no copy
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    trimmed = pa.chunked_array([_trimmed_chunk(c) for c in chunks], type=array.type)
    return pd.Series(pd.arrays.ArrowStringArray(trimmed), index=values.index, name=values.name)


_WHITESPACE_FIRST_BYTES = np.isin(
    np.arange(256), [*range(9, 14), *range(28, 33), 194, 225, 226, 227]
)
_WHITESPACE_LAST_BYTES = np.isin(
    np.arange(256), [*range(9, 14), *range(28, 33), *range(128, 139), 159, 160, 168, 169, 175]
)
"""UTF-8 bytes that can begin or end one of the characters str.isspace() accepts (ASCII
whitespace, U+001C-U+001F, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028/9, U+202F, U+205F,
U+3000), which are the ones Arrow's utf8_trim_whitespace removes."""


def _trimmed_chunk(chunk: pa.Array) -> pa.Array:
    """One arrow string chunk trimmed, with empty strings turned into nulls."""
    if len(chunk) == 0:
        return chunk
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else None
    start, end = offsets[:-1], offsets[1:]
    filled = end > start
    if data is not None and len(data):
        last_byte = len(data) - 1  # clipping only touches empty strings, masked by `filled`
        suspect = _WHITESPACE_FIRST_BYTES[data[np.minimum(start, last_byte)]]
        suspect |= _WHITESPACE_LAST_BYTES[data[np.clip(end - 1, 0, last_byte)]]
        suspect &= filled
    else:
        suspect = np.zeros(len(chunk), dtype=bool)
    if suspect.any():
        rows = np.flatnonzero(suspect)
        stripped = pc.utf8_trim_whitespace(chunk.take(pa.array(rows)))
        chunk = pc.replace_with_mask(chunk, pa.array(suspect), stripped)
        empty = ~filled
        now_empty = pc.equal(pc.binary_length(stripped), 0).fill_null(False)
        empty[rows] = now_empty.to_numpy(zero_copy_only=False)
    else:
        empty = ~filled
    if empty.any():
        empty &= chunk.is_valid().to_numpy(zero_copy_only=False)
    if empty.any():
        chunk = pc.if_else(pa.array(empty), pa.scalar(None, chunk.type), chunk)
    return chunk


def _invalid_type_pairs(event_type: pd.Series, sub_event_type: pd.Series | None) -> np.ndarray:
    known = event_type.isin(EVENT_TYPES).fillna(False).to_numpy(dtype=bool)
    if sub_event_type is None:
        return ~known
    pairs = pd.Series(list(zip(event_type, sub_event_type, strict=True)))
    allowed = {(t, s) for t, subs in ACLED_SUB_EVENT_TYPES.items() for s in subs}
    return ~(known & pairs.isin(allowed).to_numpy())


def _canonical_frame(columns: dict[str, pd.Series], length: int) -> pd.DataFrame:
    empty_text = missing_text(range(length))
    frame = pd.DataFrame(
        {
            name: columns.get(name, _empty_for(name, empty_text, length))
            for name in CANONICAL_COLUMNS
        }
    )
    return frame


def missing_text(index: pd.Index | range) -> pd.Series:
    """An all-missing text column, built in Arrow (a million pd.NA cells are slow to convert)."""
    if getattr(pd.StringDtype(), "storage", None) != "pyarrow":
        return pd.Series(pd.NA, index=index, dtype="string")
    nulls = pd.arrays.ArrowStringArray(pa.nulls(len(index), pa.large_string()))
    return pd.Series(nulls, index=index)


def _empty_for(name: str, empty_text: pd.Series, length: int) -> pd.Series:
    if name == "fatalities":
        return pd.Series(pd.NA, index=range(length), dtype="Int64")
    if name in ("time_precision", "geo_precision"):
        return pd.Series(pd.NA, index=range(length), dtype="Int8")
    return empty_text
