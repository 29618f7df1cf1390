"""Reading event files people bring: ACLED exports, GDELT event files, CSV, XLSX and GeoJSON.

`read_events` detects the format, reads only the columns it needs, maps them to the canonical
event table (geo.schema) and validates it. Bad rows become located problems (file, 1-based data
row, column, value) and the good rows still load; a file that cannot be used at all raises
EventDataError. Everything that was guessed (format, encoding, delimiter, column mapping, date
order) is reported in `ImportResult.notes`, so nothing is decided silently.

Besides the canonical columns and `source_row`, every result has `admin1_code` (a FIPS 10-4 or
ISO 3166-2 code, placed by geo.analysis.placing when there are no coordinates), `country` (ISO
3166-1 alpha-2 code from the file's country column, see geo.analysis.scope; missing when the file
has none) and `country_level` (True for rows located only at a country's centroid, to be left out of
regional views); files with times of day also get `event_datetime`.

This module is the entry and the order of the steps; each step is its own module: geo.io.sources
(opening, decoding, unzipping), geo.io.sniffing (which format), the format adapters
geo.io.acled, geo.io.gdelt and geo.io.generic (CSV, XLSX, GeoJSON; over geo.io.raw and
geo.io.mapping), geo.io.finish (dates, validation, located problems) and geo.io.cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from geo.errors import EventDataError, Problem, QantarError
from geo.io.acled import read_acled
from geo.io.cache import cache_key, load_cached, store_cached
from geo.io.dates import ORDERS
from geo.io.finish import ImportResult, finish_import
from geo.io.gdelt import read_gdelt
from geo.io.generic import read_csv, read_geojson, read_xlsx
from geo.io.limits import ImportLimits
from geo.io.many import combined, files_of, is_many
from geo.io.raw import RawEvents
from geo.io.sniffing import detect_format
from geo.io.sources import PARQUET_MAGIC, Source, open_source, parquet_as_text, unzip_single

READERS: dict[str, Callable[[Source, dict[str, str] | None], RawEvents]] = {
    "acled": read_acled,
    "gdelt": read_gdelt,
    "csv": read_csv,
    "xlsx": read_xlsx,
    "geojson": read_geojson,
}
"""Each format and its adapter: the file (and the person's `mapping`) -> its RawEvents."""
FORMATS = tuple(READERS)


def read_events(
    source: str | Path | bytes | BinaryIO,
    *,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    name: str | None = None,
    cache_dir: str | Path | None = None,
    limits: ImportLimits | None = None,
    date_order: str | None = None,
) -> ImportResult:
    """Read an event file of any supported format into the canonical event table.

    `source` is a path, the file's bytes or a binary file object (e.g. Streamlit's UploadedFile),
    or a folder or a glob of event files, read as one (geo.io.many); a Parquet file is read by
    its column names like a CSV file with that header;
    `name` is the file name used in messages. `format` is "auto" or one of FORMATS. `mapping`
    (canonical column -> your column) overrides the guessed mapping of CSV, XLSX and GeoJSON.

    `cache_dir` turns on the import cache (off by default): a result is stored there as
    `<key>.parquet` (the events) and `<key>.json` (problems, notes, format, mapping), and a later
    read with the same key returns it without parsing the file again, with a note saying so. The
    key is the SHA-256 of the file's bytes together with `format`, `mapping`, the file name shown
    in messages and CACHE_VERSION (raised whenever the canonical table changes), so an edited
    file, another mapping or a newer table layout is read afresh. Files that cannot be read are
    never cached. An entry that cannot be read back (truncated, edited, from another version) is
    ignored and rebuilt; a cache that cannot be written only adds a note.

    `limits` (geo.io.limits.ImportLimits; none by default) refuses, before reading it, a file
    larger, longer or unpacking to more than they allow, with a LimitError.

    `date_order` ("dayfirst" or "monthfirst", see geo.io.dates) is the person's reading of numeric
    dates such as 05/01/2022; by default the column's values decide, else the file's language.
    """
    if date_order is not None and date_order not in ORDERS:
        raise EventDataError.of_file(
            name or "input", f"date_order must be one of {', '.join(ORDERS)}, got {date_order!r}"
        )
    if is_many(source):  # a folder or a glob: each file read on its own, then put together
        options = {"format": format, "mapping": mapping, "cache_dir": cache_dir}
        options |= {"limits": limits, "date_order": date_order}
        return combined([(p.name, read_events(p, **options)) for p in files_of(source)])
    file = open_source(source, name)
    if cache_dir is None:
        return _read_events(file, format, mapping, limits, date_order)
    key = cache_key(file, format, mapping, date_order)
    cached = load_cached(Path(cache_dir), key)
    if cached is not None:
        return cached
    result = _read_events(file, format, mapping, limits, date_order)
    return store_cached(Path(cache_dir), key, result)


def _read_events(
    file: Source,
    format: str,
    mapping: dict[str, str] | None,
    limits: ImportLimits | None,
    date_order: str | None,
) -> ImportResult:
    raw = read_raw(file, format=format, mapping=mapping, limits=limits)
    counted_before = limits is not None and raw.outside is not None
    if counted_before:  # the adapter set the rows abroad aside: count before the work
        limits.check_rows(raw.file, len(raw.frame), len(raw.outside))
    try:
        result = finish_import(raw, date_order)
    except (QantarError, MemoryError):  # pyarrow's ArrowMemoryError is a MemoryError
        raise
    except Exception as exc:  # the file was read: what failed is ours, and the log says what
        _log.exception("%s: checking the rows read as %s failed", raw.file, raw.format)
        reason = "its rows were read, but checking them failed on our side (logged)"
        raise EventDataError.of_file(raw.file, reason) from exc
    if limits is not None and not counted_before:  # set aside in finish_import: count now
        in_scope = len(result.events) + len(result.duplicates)
        limits.check_rows(raw.file, in_scope, len(result.outside))
    return result


def read_raw(
    source: Source | str | Path | bytes | BinaryIO,
    *,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    name: str | None = None,
    limits: ImportLimits | None = None,
) -> RawEvents:
    """The reading step of read_events, before geo.io.finish.finish_import: the file unzipped,
    its format detected (unless `format` says it), checked against `limits` and read by its
    adapter (READERS). A file its parser gives up on is an EventDataError with our reason."""
    file = open_source(source, name)
    chosen = format
    try:
        if limits:
            limits.check_size(file.name, file.size)
        zipped = file.head().startswith(b"PK\x03\x04") and format != "xlsx"
        if zipped and detect_format(file) == "zip":
            chosen = "zip"
            file = unzip_single(file, limits)  # GDELT publishes its event files zipped
        if file.head(4) == PARQUET_MAGIC:
            chosen = "parquet"
            file = parquet_as_text(file)
        chosen = detect_format(file) if format == "auto" else _check_format(format, file.name)
        if limits and chosen == "xlsx":
            limits.check_workbook(file.name, file.read())
        elif limits and chosen != "geojson":  # GeoJSON is often one long line
            limits.check_text(file.name, file.read(), header=chosen != "gdelt")
        return READERS[chosen](file, mapping)
    except (QantarError, MemoryError):  # pyarrow's ArrowMemoryError is a MemoryError
        raise
    except Exception as exc:  # parsers (pyarrow, openpyxl, json, zipfile) raise many types
        _log.info("%s could not be read as %s", file.name, chosen, exc_info=True)
        reason = _UNREADABLE.get(chosen, f"not a readable {chosen} file")
        raise EventDataError.of_file(file.name, reason) from exc


_log = logging.getLogger(__name__)
_UNREADABLE = {
    "zip": "not a readable ZIP archive (damaged or encrypted)",
    "parquet": "not a readable Parquet file (damaged, or a type its columns cannot be read as)",
    "xlsx": "not a readable XLSX workbook (damaged, encrypted, or not a workbook)",
    "geojson": "not readable as GeoJSON: the JSON is malformed or not a FeatureCollection",
    **dict.fromkeys(
        ("acled", "gdelt", "csv"),
        "not readable as delimited text: its lines could not be split into the same columns",
    ),
}
"""Our own reason for a file a parser gave up on (the parser's words go to the server log)."""


def _check_format(format: str, file: str) -> str:
    if format not in FORMATS:
        allowed = ", ".join(("auto", *FORMATS))
        raise EventDataError(
            [Problem(file, None, None, format, f"format must be one of {allowed}")]
        )
    return format
