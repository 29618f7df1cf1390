"""Reading delimited text into an all-string table, fast, and the RawEvents table each format
adapter (geo.io.acled, geo.io.gdelt, geo.io.generic) hands on to geo.io.finish.

Plain UTF-8 goes to pyarrow's multithreaded CSV reader straight from the file; the delimiter is
guessed from the header, duplicate or blank header names are made unique, and malformed rows
become located problems instead of failing the file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.errors import EventDataError, Problem
from geo.io.sources import HEAD_BYTES, Source, decode


@dataclass
class RawEvents:
    """A table renamed to canonical columns, before its dates are read and it is validated."""

    frame: pd.DataFrame
    rows: np.ndarray
    """The 1-based data row in the file of each row of `frame` (what problems and `source_row`
    name)."""
    mapping: dict[str, str]
    """Canonical column -> the file's column it was read from (what problems name)."""
    file: str
    """The file's name in messages (`<archive>/<member>` for a zipped one)."""
    format: str
    """The format the content was read as (one of geo.io.importers.FORMATS; "acled" for an ACLED
    workbook)."""
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    extras: pd.DataFrame | None = None
    """Columns read beyond the canonical ones (GDELT's country and `country_level`, ...), row for
    row with `frame`; they are kept beside the validated events."""
    dayfirst: bool = True
    """Numeric dates are more likely day first (the file's language says so)."""
    utc: bool = False
    """The event_date column holds UTC times (its name says so, e.g. `datetime_UTC`)."""
    file_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    outside: pd.DataFrame | None = None
    """Rows the adapter set aside because the file places them in another country
    (geo.io.abroad); None when it did not look (finish_import then does, by `country`)."""


def read_table(
    file: Source,
    *,
    delimiter: str | None = None,
    header: bool = True,
    names: list[str] | None = None,
    keep: Callable[[list[str]], list[str]] | None = None,
    quoting: bool = True,
    rescue: Callable[[list[str]], dict[str, str] | None] | None = None,
) -> tuple[pd.DataFrame, np.ndarray, list[str], list[Problem]]:
    """Delimited text -> all-string frame, data row numbers (1-based), notes, malformed rows.

    Plain UTF-8 is read by pyarrow straight from the file; CP1251 is decoded first. `keep`
    chooses the columns to read from the header names (reading fewer columns is much faster).
    `rescue` reads a row with another field count that is still valid (GDELT 1.0 files mix 57-
    and 58-field rows): its fields -> {column: value}, or None for a malformed row.
    """
    notes: list[str] = []
    head_text, encoding = decode(file.head())
    if encoding == "CP1251":
        text, _ = decode(file.read())
        stream: object = pa.py_buffer(text.encode("utf-8"))
    else:
        stream = str(file.path) if file.data is None else pa.py_buffer(file.data)
    notes.append(f"encoding: {encoding}")
    lines = [line for line in re.split(r"\r\n|\n|\r", head_text.lstrip("\ufeff")) if line]
    if delimiter is None:
        delimiter = _guess_delimiter(lines[0] if lines else "")
        notes.append(f"delimiter: {_DELIMITER_NAMES[delimiter]}")
    if header:
        if not lines:
            raise EventDataError.of_file(file.name, "the file is empty")
        first = next(csv.reader([lines[0]], delimiter=delimiter), [])
        names = unique_names(first)
    usecols = keep(names) if keep else names
    bad: list[tuple[int | None, int, str]] = []

    def on_invalid(row) -> str:
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    if header and len(lines) < 2 and len(head_text) < HEAD_BYTES - 4:
        raise EventDataError.of_file(file.name, "the file has no rows")

    def read(threads: bool, newlines: bool) -> pa.Table:
        bad.clear()
        source = stream if isinstance(stream, str) else pa.BufferReader(stream)
        return pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                use_threads=threads,
                skip_rows=1 if header else 0,
                column_names=names,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"' if quoting else False,
                newlines_in_values=newlines,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(usecols, pa.large_string()),  # pandas' own type
                include_columns=usecols,
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )

    # Line breaks inside quoted cells are rare and make parsing ~40% slower: allow them only when
    # the fast pass finds malformed rows (a quoted line break splits its row into two bad ones).
    table = read(threads=True, newlines=False)
    if bad and quoting:
        table = read(threads=True, newlines=True)
    if bad and any(number is None for number, _, _ in bad):
        table = read(threads=False, newlines=quoting)  # only a serial pass numbers bad rows
    offset = 1 if header else 0
    bad_rows = np.array(sorted({(n or 0) - offset for n, _, _ in bad}), dtype=np.int64)
    total = table.num_rows + len(bad_rows)
    rows = np.setdiff1d(np.arange(1, total + 1), bad_rows, assume_unique=True)
    rescued: list[tuple[int, dict[str, str]]] = []
    if rescue is not None and bad:
        for number, _, text in bad:
            fields = rescue(text.rstrip("\r\n").split(delimiter))
            if fields is not None:
                rescued.append(((number or 0) - offset, fields))
        saved = {row for row, _ in rescued}
        bad = [entry for entry in bad if (entry[0] or 0) - offset not in saved]
    problems = [
        Problem(
            file.name,
            (n or 0) - offset,
            None,
            text[:80],
            f"expected {len(names)} {_DELIMITER_NAMES[delimiter]}-separated fields, got {got}",
        )
        for n, got, text in bad
    ]
    frame = table.to_pandas()
    if rescued:
        extra = pd.DataFrame(
            [{c: v for c, v in fields.items() if c in usecols} for _, fields in rescued],
            columns=usecols,
        ).astype(frame.dtypes.to_dict())
        frame = pd.concat([frame, extra], ignore_index=True)
        rows = np.concatenate([rows, np.array([row for row, _ in rescued], dtype=np.int64)])
        order = np.argsort(rows, kind="stable")
        frame, rows = frame.iloc[order].reset_index(drop=True), rows[order]
    return frame, rows, notes, problems


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _guess_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITER_NAMES}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def unique_names(names: list[str]) -> list[str]:
    """Header names stripped, blanks named `column_<n>`, repeats suffixed `.1`, `.2`, ..."""
    seen: dict[str, int] = {}
    out = []
    for position, raw in enumerate(names, start=1):
        base = raw.strip().lstrip("\ufeff") or f"column_{position}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.append(base if count == 0 else f"{base}.{count}")
    return out
