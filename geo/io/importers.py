"""Reading event files people bring: ACLED exports, GDELT event files, CSV, XLSX and GeoJSON.

`read_events` detects the format, reads only the columns it needs, maps them to the canonical
event table (geo.io.schema) and validates it. Bad rows become located problems (file, 1-based data
row, column, value) and the good rows still load; a file that cannot be used at all raises
EventDataError. Everything that was guessed (format, encoding, delimiter, column mapping, date
order) is reported in `ImportResult.notes`, so nothing is decided silently.

Besides the canonical columns and `source_row`, every result has `admin1_code` (a FIPS 10-4 or
ISO 3166-2 code, placed by geo.analysis.placing when there are no coordinates), `country` (ISO
3166-1 alpha-2 code from the file's country column, see geo.analysis.scope; missing when the file
has none) and `country_level` (True for rows located only at a country's centroid, to be left out of
regional views); files with times of day also get `event_datetime`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import mmap
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import shapely
import shapely.geometry

from geo.analysis.scope import country_codes
from geo.errors import EventDataError, Problem, QantarError
from geo.io.acled_taxonomy import modernize_types
from geo.io.columns import column_samples, sampled, unfit_reason
from geo.io.dates import FORMS_READ, LOCAL_TZ, ORDERS, is_utc_header, read_date_column
from geo.io.duplicates import DUPLICATE_COLUMNS, collapse_duplicates, no_duplicates
from geo.io.limits import ImportLimits
from geo.io.schema import CANONICAL_COLUMNS, _missing_text, validate_events

FORMATS = ("acled", "gdelt", "csv", "xlsx", "geojson")
HEAD_BYTES = 64 * 1024

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

_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GDELT_GEO2 = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)
_GDELT_HEAD = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{part}" for n in (1, 2) for part in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
    )),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip
_GEO_WHO = ("Actor1", "Actor2", "Action")
GDELT_COLUMNS: dict[int, tuple[str, ...]] = {
    57: (*_GDELT_HEAD, *(f"{w}Geo_{p}" for w in _GEO_WHO for p in _GDELT_GEO), "DATEADDED"),
    58: (
        *_GDELT_HEAD,
        *(f"{w}Geo_{p}" for w in _GEO_WHO for p in _GDELT_GEO),
        "DATEADDED",
        "SOURCEURL",
    ),
    61: (
        *_GDELT_HEAD,
        *(f"{w}Geo_{p}" for w in _GEO_WHO for p in _GDELT_GEO2),
        "DATEADDED",
        "SOURCEURL",
    ),
}
"""Column order of GDELT 1.0 event files (57 before April 2013, then 58) and GDELT 2.0 (61)."""
GDELT_MAPPING = {
    "event_id_cnty": "GLOBALEVENTID",
    "event_date": "SQLDATE",
    "actor1": "Actor1Name",
    "actor2": "Actor2Name",
    "event_type": "EventRootCode",
    "location": "ActionGeo_FullName",
    "latitude": "ActionGeo_Lat",
    "longitude": "ActionGeo_Long",
    "admin1_code": "ActionGeo_ADM1Code",
    "source_url": "SOURCEURL",
    "country": "ActionGeo_CountryCode",
}
CAMEO_ROOTS: dict[str, tuple[str, str]] = {
    "01": ("Make public statement", "Statements and appeals"),
    "02": ("Appeal", "Statements and appeals"),
    "03": ("Express intent to cooperate", "Cooperation"),
    "04": ("Consult", "Cooperation"),
    "05": ("Engage in diplomatic cooperation", "Cooperation"),
    "06": ("Engage in material cooperation", "Cooperation"),
    "07": ("Provide aid", "Cooperation"),
    "08": ("Yield", "Cooperation"),
    "09": ("Investigate", "Statements and appeals"),
    "10": ("Demand", "Demands and threats"),
    "11": ("Disapprove", "Demands and threats"),
    "12": ("Reject", "Demands and threats"),
    "13": ("Threaten", "Demands and threats"),
    "14": ("Protest", "Protests"),
    "15": ("Exhibit force posture", "Force posture"),
    "16": ("Reduce relations", "Demands and threats"),
    "17": ("Coerce", "Coercion (incl. arrests)"),
    "18": ("Assault", "Violence against civilians"),
    "19": ("Fight", "Battles"),
    "20": ("Use unconventional mass violence", "Violence against civilians"),
}
"""CAMEO root code -> (root name, event_type). The unrest roots (CAMEO_UNREST) take the ACLED
type of such events, so that onsets count them; the others a readable family that does not."""
CAMEO_UNREST = ("14", "18", "19", "20")
"""Protest; assault (abduction, beating, killing), fight (armed clashes), mass violence."""

CANONICAL_TARGETS: dict[str, tuple[str, ...]] = {
    "event_date": ("event_date", "date", "day", "datetime", "timestamp_local", "дата", "день",
                   "күні", "күн", "дата_события", "date_time", "time_stamp"),
    "time": ("time", "hour", "время", "час", "уақыт", "уакыт"),
    "latitude": ("latitude", "lat", "y", "широта", "ендік", "lat_dd"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "долгота", "бойлық", "lon_dd"),
    "location": ("location", "place", "city", "town", "settlement", "place_name", "город",
                 "место", "населенный_пункт", "нас_пункт", "пункт", "локация", "қала", "елді_мекен",
                 "орын"),
    "admin1": ("admin1", "region", "oblast", "province", "state", "область", "регион", "облыс",
               "аймақ", "admin_1", "region_name"),
    "admin1_code": ("admin1_code", "region_code", "iso_3166_2", "fips", "adm1code", "код_региона"),
    "event_type": ("event_type", "type", "category", "kind", "тип", "тип_события", "вид",
                   "категория", "түрі", "оқиға_түрі", "label", "tag"),
    "sub_event_type": ("sub_event_type", "subtype", "подтип"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "deaths_reported", "погибшие",
                   "погибших", "убитые", "жертвы", "қаза_тапқандар", "қайтыс_болғандар"),
    "notes": ("notes", "note", "text", "description", "summary", "comment", "описание", "текст",
              "примечание", "комментарий", "сипаттама", "мәтін"),
    "source_url": ("source_url", "url", "link", "href", "ссылка", "сілтеме", "источник_url"),
    "source": ("source", "sources", "outlet", "источник", "источники", "дереккөз"),
    "actor1": ("actor1", "actor", "actor_1", "who", "участник", "актор", "участники"),
    "actor2": ("actor2", "actor_2", "target"),
    "event_id_cnty": ("event_id_cnty", "event_id", "id", "uid", "номер"),
    "country": ("country", "country_name", "country_code", "iso2", "iso_a2", "iso3", "страна",
                "ел", "мемлекет"),
}  # fmt: skip
"""Canonical column -> header names (normalised: lower case, '_' for spaces) it is guessed from."""
MAPPING_ALIASES = {"date": "event_date", "lat": "latitude", "lon": "longitude",
                   "lng": "longitude", "place": "location", "region": "admin1",
                   "type": "event_type", "deaths": "fatalities", "url": "source_url",
                   "text": "notes", "actor": "actor1", "id": "event_id_cnty"}  # fmt: skip
"""Short names accepted as keys of an explicit `mapping`."""

_CYRILLIC = re.compile(r"[А-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


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

    `source` is a path, the file's bytes or a binary file object (e.g. Streamlit's UploadedFile);
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
    file = _open_source(source, name)
    if cache_dir is None:
        return _read_events(file, format, mapping, limits, date_order)
    key = _cache_key(file, format, mapping, date_order)
    cached = _cache_load(Path(cache_dir), key)
    if cached is not None:
        return cached
    result = _read_events(file, format, mapping, limits, date_order)
    return _cache_store(Path(cache_dir), key, result)


def _read_events(
    file: _Source,
    format: str,
    mapping: dict[str, str] | None,
    limits: ImportLimits | None,
    date_order: str | None,
) -> ImportResult:
    chosen, parsed = format, False
    try:
        if limits:
            limits.check_size(file.name, file.size)
        zipped = file.head().startswith(b"PK\x03\x04") and format != "xlsx"
        if zipped and detect_format(file) == "zip":
            chosen = "zip"
            file = _unzip_single(file, limits)  # GDELT publishes its event files zipped
        chosen = detect_format(file) if format == "auto" else _check_format(format, file.name)
        if limits and chosen == "xlsx":
            limits.check_workbook(file.name, file.read())
        elif limits and chosen != "geojson":  # GeoJSON is often one long line
            limits.check_text(file.name, file.read(), header=chosen != "gdelt")
        raw = _READERS[chosen](file, mapping)
        parsed = True
        return _finish(raw, raw.format or chosen, file.name, date_order)
    except (QantarError, MemoryError):  # pyarrow's ArrowMemoryError is a MemoryError
        raise
    except Exception as exc:  # parsers (pyarrow, openpyxl, json, zipfile) raise many types
        if parsed:  # the file was read: what failed is ours, and the log says what
            _log.exception("%s: checking the rows read as %s failed", file.name, chosen)
            reason = "its rows were read, but checking them failed on our side (logged)"
        else:
            _log.info("%s could not be read as %s", file.name, chosen, exc_info=True)
            reason = _UNREADABLE.get(chosen, f"not a readable {chosen} file")
        raise EventDataError.of_file(file.name, reason) from exc


_log = logging.getLogger(__name__)
_UNREADABLE = {
    "zip": "not a readable ZIP archive (damaged or encrypted)",
    "xlsx": "not a readable XLSX workbook (damaged, encrypted, or not a workbook)",
    "geojson": "not readable as GeoJSON: the JSON is malformed or not a FeatureCollection",
    **dict.fromkeys(
        ("acled", "gdelt", "csv"),
        "not readable as delimited text: its lines could not be split into the same columns",
    ),
}
"""Our own reason for a file a parser gave up on (the parser's words go to the server log)."""


def detect_format(source: _Source | str | Path | bytes | BinaryIO, name: str | None = None) -> str:
    """Guess the format from the file's first bytes (and its name for ties)."""
    file = source if isinstance(source, _Source) else _open_source(source, name)
    head = file.head()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if b"xl/" in head[:4096] or file.suffix == ".xlsx" else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise EventDataError.of_file(
            file.name, "old .xls workbooks are not supported; save it as .xlsx or .csv"
        )
    text, _ = _decode(head)
    stripped = text.lstrip()
    if stripped.startswith("{") or file.suffix in (".geojson", ".json"):
        return "geojson"
    first = stripped.splitlines()[0] if stripped else ""
    fields = first.split("\t")
    if (
        len(fields) in GDELT_COLUMNS
        and fields[0].strip().isdigit()
        and re.fullmatch(r"\d{8}", fields[1].strip())
    ):
        return "gdelt"
    if _is_gdelt_header(first):
        return "gdelt"
    header = {h.strip().strip('"').lower() for h in re.split(r"[,;\t]", first)}
    if _looks_like_acled(header):
        return "acled"
    return "csv"


def _looks_like_acled(header: set[str]) -> bool:
    """ACLED's id columns and a column only ACLED's own exports carry: a file that merely
    borrows ACLED's names (like the bundled record) is generic and gets no ACLED attribution."""
    acled_ids = {"event_id_cnty", "event_date"} <= header or {
        "data_id",
        "event_id_no_cnty",
    } <= header
    return acled_ids and bool(header & ACLED_ONLY_COLUMNS)


# --- Import cache --------------------------------------------------------------------------------

CACHE_VERSION = 4
"""Version of the cached canonical table: raise it whenever read_events' output changes."""
_CACHE_NOTE = "read from the import cache ({}): same file bytes, format and mapping"


def _cache_key(
    file: _Source, format: str, mapping: dict[str, str] | None, date_order: str | None = None
) -> str:
    digest = hashlib.sha256()
    if file.data is not None:
        digest.update(file.data)
    else:
        with file.path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size:  # mapped: hashed without copying the file
                with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                    digest.update(view)
    described = {
        "sha256": digest.hexdigest(),
        "format": format,
        "mapping": sorted((mapping or {}).items()),
        "date_order": date_order,
        "name": file.name,
        "version": CACHE_VERSION,
    }
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cache_load(directory: Path, key: str) -> ImportResult | None:
    """The cached result for `key`, or None when there is none or it cannot be read back."""
    table_path, meta_path = directory / f"{key}.parquet", directory / f"{key}.json"
    if not (table_path.is_file() and meta_path.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("key") != key or meta.get("version") != CACHE_VERSION:
            return None
        events = pq.read_table(table_path).to_pandas()
        if list(events.columns) != meta["columns"] or len(events) != meta["rows"]:
            return None
        problems = tuple(Problem(**p) for p in meta["problems"])
        notes = (*meta["notes"], _CACHE_NOTE.format(directory / f"{key}.parquet"))
        duplicates = pd.DataFrame(meta["duplicates"], columns=list(DUPLICATE_COLUMNS))
        duplicates = duplicates.astype(no_duplicates().dtypes.to_dict())
        columns = {c: tuple(v) for c, v in meta.get("file_columns", {}).items()}
        return ImportResult(
            events, problems, meta["format"], dict(meta["mapping"]), notes, duplicates, columns
        )
    except Exception:  # a damaged entry (any parser error) is a cache miss, rebuilt by the caller
        return None


def _cache_store(directory: Path, key: str, result: ImportResult) -> ImportResult:
    """Write `result` under `key` (table first, then the JSON that makes the entry complete)."""
    meta = {
        "key": key,
        "version": CACHE_VERSION,
        "format": result.format,
        "mapping": result.mapping,
        "notes": list(result.notes),
        "problems": [p.as_dict() for p in result.problems],
        "duplicates": json.loads(result.duplicates.to_json(orient="records", date_format="iso")),
        "file_columns": result.file_columns,
        "columns": [str(c) for c in result.events.columns],
        "rows": len(result.events),
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(result.events, preserve_index=False)
        _write_atomically(directory / f"{key}.parquet", lambda path: pq.write_table(table, path))
        text = json.dumps(meta, ensure_ascii=False)
        _write_atomically(
            directory / f"{key}.json", lambda path: path.write_text(text, encoding="utf-8")
        )
    except (OSError, pa.ArrowException) as exc:
        note = f"import cache not written to {directory} ({exc})"
        return replace(result, notes=(*result.notes, note))
    return result


def _write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, so readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


# --- Sources -------------------------------------------------------------------------------------


@dataclass
class _Source:
    name: str
    path: Path | None = None
    data: bytes | None = None

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def head(self, size: int = HEAD_BYTES) -> bytes:
        if self.data is not None:
            return self.data[:size]
        with self.path.open("rb") as handle:
            return handle.read(size)

    def read(self) -> bytes:
        if self.data is None:
            self.data = self.path.read_bytes()
        return self.data


def _open_source(source, name: str | None) -> _Source:
    if isinstance(source, _Source):
        return source
    if isinstance(source, str | Path):
        path = Path(source)
        shown = name or path.name
        if not path.is_file():
            raise EventDataError.of_file(shown, f"file not found: {path}")
        return _Source(shown, path=path)
    if isinstance(source, bytes | bytearray | memoryview):
        return _Source(name or "uploaded file", data=bytes(source))
    if hasattr(source, "getvalue"):
        data = source.getvalue()
    elif hasattr(source, "read"):
        data = source.read()
    else:
        raise EventDataError(
            [
                Problem(
                    name or "input",
                    None,
                    None,
                    type(source).__name__,
                    "source must be a path, bytes or a binary file object",
                )
            ]
        )
    if isinstance(data, str):
        data = data.encode("utf-8")
    shown = name or Path(str(getattr(source, "name", "") or "uploaded file")).name
    return _Source(shown, data=bytes(data))


def _check_format(format: str, file: str) -> str:
    if format not in FORMATS:
        allowed = ", ".join(("auto", *FORMATS))
        raise EventDataError(
            [Problem(file, None, None, format, f"format must be one of {allowed}")]
        )
    return format


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM) if it decodes strictly, else CP1251."""
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8 with BOM" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError as exc:
        if len(data) >= HEAD_BYTES and exc.start >= len(data) - 4:
            return data[: exc.start].decode("utf-8-sig"), "UTF-8"  # a character cut by the head
        return data.decode("cp1251", errors="replace"), "CP1251"


# --- Raw tables ----------------------------------------------------------------------------------


@dataclass
class _Raw:
    """A table renamed to canonical columns, before validation."""

    frame: pd.DataFrame
    rows: np.ndarray
    mapping: dict[str, str]
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    extras: pd.DataFrame | None = None
    dayfirst: bool = True
    utc: bool = False
    """The event_date column holds UTC times (its name says so, e.g. `datetime_UTC`)."""
    format: str | None = None
    """The format the content turned out to be, when not the reader's own (an ACLED XLSX)."""
    file_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _read_table(
    file: _Source,
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
    head_text, encoding = _decode(file.head())
    if encoding == "CP1251":
        text, _ = _decode(file.read())
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
        names = _unique_names(first)
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


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for position, raw in enumerate(names, start=1):
        base = raw.strip().lstrip("\ufeff") or f"column_{position}"
        count = seen.get(base, 0)
        seen[base] = count + 1
        out.append(base if count == 0 else f"{base}.{count}")
    return out


# --- ACLED ---------------------------------------------------------------------------------------


def _read_acled(file: _Source, mapping: dict[str, str] | None) -> _Raw:
    chosen: dict[str, str] = {}
    names_read: list[str] = []

    def keep(names: list[str]) -> list[str]:
        names_read.extend(names)
        chosen.update(_acled_columns(names, mapping, file.name))
        return list(dict.fromkeys(chosen.values()))

    frame, rows, notes, problems = _read_table(file, keep=keep)
    return _acled_raw(frame, rows, chosen, names_read, notes, problems)


def _acled_columns(names: list[str], mapping: dict[str, str] | None, file: str) -> dict[str, str]:
    """Canonical column (and `inter1`, for the pre-2019 types) -> the export's column; headers
    in any case (`EVENT_DATE` in older exports)."""
    lowered = {n.lower(): n for n in names}
    chosen = {}
    for target, candidates in (*ACLED_COLUMNS.items(), ("inter1", ("inter1",))):
        found = next((lowered[c] for c in candidates if c in lowered), None)
        if found:
            chosen[target] = found
    chosen.update(_checked_mapping(mapping or {}, names, file))
    return chosen


def _acled_raw(frame, rows, chosen, names, notes, problems) -> _Raw:
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
    return _Raw(frame, rows, chosen, notes, problems, format="acled")


# --- GDELT ---------------------------------------------------------------------------------------


def _read_gdelt(file: _Source, mapping: dict[str, str] | None) -> _Raw:
    first = _decode(file.head())[0].lstrip("\ufeff").splitlines()
    if first and _is_gdelt_header(first[0]):
        return _read_gdelt_with_header(file)
    width = len(first[0].split("\t")) if first else 0
    if width not in GDELT_COLUMNS:
        raise EventDataError(
            [
                Problem(
                    file.name,
                    1,
                    None,
                    None,
                    f"expected a GDELT event file with 57, 58 (GDELT 1.0) or 61 (GDELT 2.0) "
                    f"tab-separated fields, got {width}",
                )
            ]
        )
    names = list(GDELT_COLUMNS[width])
    wanted = [c for c in _GDELT_READ if c in names]
    frame, rows, notes, problems = _read_table(
        file,
        delimiter="\t",
        header=False,
        names=names,
        keep=lambda _: wanted,
        quoting=False,
        rescue=_gdelt_1_row if width in (57, 58) else None,
    )
    version = "2.0" if width == 61 else "1.0"
    label = f"GDELT {version} event file ({width} columns)"
    if width in (57, 58):
        label += "; rows of 57 fields (before April 2013) and 58 fields read alike"
    return _gdelt_raw(frame, rows, label, notes[1:], problems)


_GDELT_READ = (*GDELT_MAPPING.values(), "ActionGeo_Type", "EventCode", "DATEADDED")
"""GDELT columns the importer reads."""
_GDELT_NAMES = {n.lower(): n for columns in GDELT_COLUMNS.values() for n in columns}


def _is_gdelt_header(line: str) -> bool:
    """A header row naming GDELT's columns (BigQuery and other exports of the events table)."""
    header = {h.strip().strip('"').lower() for h in re.split(r"[,;\t]", line)}
    return "globaleventid" in header and bool({"sqldate", "dateadded"} & header)


def _gdelt_1_row(fields: list[str]) -> dict[str, str] | None:
    """A GDELT 1.0 row of either width (57 fields before April 2013, 58 with SOURCEURL after)."""
    names = GDELT_COLUMNS.get(len(fields)) if len(fields) in (57, 58) else None
    if names is None:
        return None
    return {n: (v if v != "" else None) for n, v in zip(names, fields, strict=True)}


def _read_gdelt_with_header(file: _Source) -> _Raw:
    wanted = {c.lower() for c in _GDELT_READ}
    frame, rows, notes, problems = _read_table(
        file, keep=lambda names: [n for n in names if n.strip().lower() in wanted]
    )
    frame = frame.rename(columns=lambda c: _GDELT_NAMES[c.strip().lower()])
    label = "GDELT events table with a header row (as BigQuery exports it)"
    date_column = "SQLDATE"
    if "SQLDATE" not in frame:
        date_column = "DATEADDED"
        label += "; no SQLDATE, so the day is DATEADDED, a UTC time"
    return _gdelt_raw(frame, rows, label, notes, problems, date_column=date_column)


def _gdelt_raw(
    frame: pd.DataFrame,
    rows: np.ndarray,
    label: str,
    notes: list[str],
    problems: list[Problem],
    *,
    date_column: str = "SQLDATE",
) -> _Raw:
    """The canonical table of GDELT's events: ActionGeo_* places, CAMEO roots as types."""
    for column in _GDELT_READ:
        if column not in frame:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    used = dict(GDELT_MAPPING, event_date=date_column)
    geo_type = pd.to_numeric(frame["ActionGeo_Type"], errors="coerce")
    country_level = (geo_type == 1).to_numpy()
    adm1_only = geo_type.isin([2, 5]).to_numpy()
    lat = pd.to_numeric(frame["ActionGeo_Lat"], errors="coerce")
    lon = pd.to_numeric(frame["ActionGeo_Long"], errors="coerce")
    null_island = ((lat == 0) & (lon == 0)).to_numpy()
    root = frame["EventRootCode"].str.strip().str.zfill(2)
    out = pd.DataFrame({target: frame[column] for target, column in used.items()})
    out["event_type"] = root.map({k: v[1] for k, v in CAMEO_ROOTS.items()})
    out["sub_event_type"] = root.map({k: f"{v[0]} (CAMEO {k})" for k, v in CAMEO_ROOTS.items()})
    out["source"] = out["source_url"].str.extract(r"^[a-z]+://(?:www\.)?([^/]+)", flags=re.I)[0]
    out.loc[adm1_only | null_island, ["latitude", "longitude"]] = pd.NA
    out["geo_precision"] = np.where(adm1_only, "3", np.where(geo_type.isin([3, 4]), "1", ""))
    extras = pd.DataFrame(
        {
            "country": country_codes(out.pop("country"), coding="fips"),
            "country_level": country_level,
            "gdelt_geo_type": geo_type.astype("Int8"),
            "cameo_code": frame["EventCode"].astype("string"),
        }
    )
    day = (
        "the event day is SQLDATE (DATEADDED, the ingest time, is ignored)"
        if date_column == "SQLDATE"
        else "the event day is DATEADDED taken in the event region's local time"
    )
    notes = [
        f"{label}: {day}; places from the ActionGeo_* fields (never Actor1Geo_*/Actor2Geo_*)",
        "event_type from the CAMEO root code; these count as unrest for onsets: "
        + ", ".join(f"{k} {CAMEO_ROOTS[k][0]} -> {CAMEO_ROOTS[k][1]}" for k in CAMEO_UNREST)
        + "; other roots get a readable family (17 Coercion (incl. arrests), ...) that does "
        "not count; sub_event_type names the root and its code",
        f"{int(country_level.sum())} row(s) located only at the country's centroid "
        "(ActionGeo_Type 1) are kept with country_level=True and left out of regional views",
        f"{int(adm1_only.sum())} row(s) located only at a first-level unit (ActionGeo_Type 5) "
        "are placed by their ActionGeo_ADM1Code, not by the unit's centroid point",
        *notes,
    ]
    if null_island.any():
        notes.append(
            f"{int(null_island.sum())} row(s) with ActionGeo coordinates 0,0 (GDELT's 'no "
            "location') are placed by their ADM1 code or place name, if any, not at 0,0"
        )
    return _Raw(
        out,
        rows,
        dict(used, event_type="EventRootCode"),
        notes,
        problems,
        extras,
        utc=date_column == "DATEADDED",
    )


def _unzip_single(file: _Source, limits: ImportLimits | None) -> _Source:
    with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise EventDataError.of_file(
                file.name, f"expected a zip archive with one file, found {len(members)}"
            )
        name = f"{file.name}/{members[0].filename}"
        if limits:
            return _Source(name, data=limits.unzip_member(file.name, archive, members[0]))
        return _Source(name, data=archive.read(members[0]))


# --- Generic CSV, XLSX, GeoJSON ------------------------------------------------------------------


def _read_csv(file: _Source, mapping: dict[str, str] | None) -> _Raw:
    frame, rows, notes, problems = _read_table(file)
    return _mapped(frame, rows, file.name, mapping, notes, problems)


def _read_xlsx(file: _Source, mapping: dict[str, str] | None) -> _Raw:
    sheets = pd.read_excel(
        io.BytesIO(file.read()), sheet_name=None, dtype=object, header=0, engine="openpyxl"
    )
    if not sheets:
        raise EventDataError.of_file(file.name, "the workbook has no sheets")
    sheet, frame = next(iter(sheets.items()))
    frame.columns = _unique_names([str(c) for c in frame.columns])
    notes = [
        f"sheet {sheet!r} read"
        + (f" ({len(sheets) - 1} other sheet(s) ignored)" if len(sheets) > 1 else "")
    ]
    frame = frame.apply(_cells_to_text)
    rows = np.arange(1, len(frame) + 1)
    names = list(frame.columns)
    if _looks_like_acled({n.strip().lower() for n in names}):
        chosen = _acled_columns(names, mapping, file.name)
        return _acled_raw(frame, rows, chosen, names, ["ACLED workbook", *notes], [])
    return _mapped(frame, rows, file.name, mapping, notes, [])


def _cells_to_text(column: pd.Series) -> pd.Series:
    def text(cell: object) -> object:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NaT:
            return pd.NA
        if hasattr(cell, "isoformat"):
            return cell.isoformat(sep=" ") if hasattr(cell, "hour") else cell.isoformat()
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)

    return column.map(text).astype("string")


def _read_geojson(file: _Source, mapping: dict[str, str] | None) -> _Raw:
    text, _ = _decode(file.read())
    document = json.loads(text)
    features = document.get("features") if isinstance(document, dict) else None
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    if not isinstance(features, list):
        raise EventDataError.of_file(
            file.name, "expected a GeoJSON FeatureCollection with a 'features' list"
        )
    records, rows, problems = [], [], []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        point = _point(geometry)
        if not isinstance(properties, dict | None) or point is False:
            problems.append(
                Problem(
                    file.name,
                    number,
                    "geometry",
                    json.dumps(geometry)[:80],
                    "expected a Feature with a valid GeoJSON geometry (or null) and properties",
                )
            )
            continue
        record = {str(k): (None if v is None else str(v)) for k, v in (properties or {}).items()}
        record["__lon"], record["__lat"], record["__precision"] = point or (None, None, None)
        records.append(record)
        rows.append(number)
    frame = pd.DataFrame.from_records(records).astype("string") if records else pd.DataFrame()
    if frame.empty:
        raise EventDataError(problems or [Problem(file.name, None, None, None, "no features")])
    raw = _mapped(
        frame.drop(columns=["__lon", "__lat", "__precision"]),
        np.array(rows),
        file.name,
        mapping,
        ["coordinates from the geometries"],
        problems,
    )
    raw.frame["longitude"], raw.frame["latitude"] = frame["__lon"], frame["__lat"]
    raw.mapping.update(longitude="geometry", latitude="geometry")
    areas = frame["__precision"].notna() & (frame["__precision"] != "1")
    if areas.any():
        lowered = pd.to_numeric(frame["__precision"].where(areas), errors="coerce")
        if "geo_precision" in raw.frame:  # the coarser of the file's precision and the shape's
            given = pd.to_numeric(raw.frame["geo_precision"], errors="coerce")
            lowered = given.where(~areas, np.fmax(given, lowered))
        raw.frame["geo_precision"] = lowered.astype("Int8").astype("string")
        raw.notes.append(
            f"{int(areas.sum())} feature(s) with a line or area geometry placed at a "
            "representative point inside it, with a lower place precision (geo_precision 2 "
            "under 0.25 degrees across, else 3), not as exact points"
        )
    return raw


def _point(geometry: object) -> tuple[str, str, str] | bool | None:
    """(lon, lat, geo_precision) of a geometry: a Point as given (precision 1), any other type
    at a representative point inside it (2 when under 0.25 degrees across, else 3); None for a
    null geometry, False for one that is not valid GeoJSON."""
    if geometry is None:
        return None
    if not isinstance(geometry, dict):
        return False
    if geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            return False
        return str(coordinates[0]), str(coordinates[1]), "1"
    try:
        shape = shapely.geometry.shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
        return False
    if shape.is_empty:
        return None
    point = shape.representative_point()
    west, south, east, north = shape.bounds
    precision = "2" if max(east - west, north - south) < 0.25 else "3"
    return str(point.x), str(point.y), precision


def _mapped(
    frame: pd.DataFrame,
    rows: np.ndarray,
    file: str,
    mapping: dict[str, str] | None,
    notes: list[str],
    problems: list[Problem],
) -> _Raw:
    """Rename the user's columns to canonical ones, from `mapping` or guessed from the headers."""
    names = [str(c) for c in frame.columns]
    given = _checked_mapping(mapping or {}, names, file)
    if given:
        notes.append("columns mapped as given: " + _describe(given))
    passed_over: list[str] = []
    rest = [n for n in names if n not in given.values()]
    guessed = {t: c for t, c in guess_mapping(rest, frame, passed_over).items() if t not in given}
    described = ", ".join(
        f"{target} <- {column!r} (e.g. {sampled(frame[column])})"
        for target, column in guessed.items()
    )
    label = "other columns guessed" if given else "columns guessed from the headers"
    notes.append(f"{label}: " + (described or "none"))
    notes.extend(passed_over)
    chosen = {**guessed, **given}
    if "event_date" not in chosen:
        found = ", ".join(names[:20])
        message = (
            "no date column found; name it date/дата/күні or pass "
            f"mapping={{'event_date': <column>}} (columns found: {found})"
        )
        raise EventDataError([Problem(file, None, "event_date", None, message)])
    out = pd.DataFrame({target: frame[column] for target, column in chosen.items()})
    if not {"latitude", "longitude"} <= set(chosen):
        out = _split_point_column(frame, out, chosen, notes)
    for target in ("latitude", "longitude", "fatalities"):
        if target in out:
            out[target] = _decimal_comma(out[target])
    timed_by = chosen.get("time", chosen["event_date"])  # a separate time column says the zone
    utc = is_utc_header(timed_by)
    others = [n for n in names if n not in (chosen["event_date"], timed_by) and is_utc_header(n)]
    if utc:
        notes.append(
            f"times in {timed_by!r} are UTC (its name says so): each is converted to "
            "the local time of the event's region before its day is taken"
        )
    elif others and "time" not in chosen:
        notes.append(
            f"dates from {chosen['event_date']!r} (local time); the UTC column(s) "
            f"{', '.join(map(repr, others))} are not used"
        )
    if "time" in out:
        time = out.pop("time").fillna("")
        out["event_date"] = (out["event_date"].fillna("") + " " + time).str.strip()
    headers = " ".join(names)
    dayfirst = bool(_CYRILLIC.search(headers)) or "CP1251" in " ".join(notes)
    if not dayfirst:
        sample = frame.head(200).astype("string").fillna("")
        dayfirst = any(bool(sample[c].str.contains(_CYRILLIC).any()) for c in sample.columns)
    samples = column_samples(frame)
    return _Raw(
        out, rows, chosen, notes, problems, dayfirst=dayfirst, utc=utc, file_columns=samples
    )


_POINT_TEXT = r"^\s*[(\[]?\s*-?\d{1,3}(?:\.\d+)?\s*[,;\s]\s*-?\d{1,3}(?:\.\d+)?\s*[)\]]?\s*$"
_POINT_PARTS = r"(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)"


def _split_point_column(
    frame: pd.DataFrame, out: pd.DataFrame, chosen: dict[str, str], notes: list[str]
) -> pd.DataFrame:
    """Coordinates from one column holding both ("43.35, 52.86"): latitude first unless the
    header names longitude first ("lon,lat", "lng_lat")."""
    taken = {column for target, column in chosen.items() if target != "location"}
    for column in frame.columns:
        if column in taken:
            continue
        sample = frame[column].head(200).astype("string").str.strip().replace("", pd.NA).dropna()
        decimal = sample.str.contains(".", regex=False).any()
        if sample.empty or not (decimal and sample.str.fullmatch(_POINT_TEXT).all()):
            continue
        parts = frame[column].astype("string").str.extract(_POINT_PARTS)
        key = _header_key(str(column))
        lon_first = re.search(r"(lon|lng|long|x)_?(lat|y)\b", key) is not None
        first, second = ("longitude", "latitude") if lon_first else ("latitude", "longitude")
        out = out.assign(**{first: parts[0], second: parts[1]})
        if chosen.get("location") == column:
            out = out.drop(columns="location")
            del chosen["location"]
        chosen.update(latitude=str(column), longitude=str(column))
        notes.append(
            f"coordinates from the single column {column!r} ({first}, {second}), "
            f"e.g. {sample.iloc[0]!r}"
        )
        return out
    return out


def guess_mapping(
    columns: list[str], values: pd.DataFrame | None = None, passed_over: list[str] | None = None
) -> dict[str, str]:
    """Canonical column -> one of `columns`, guessed from English, Russian and Kazakh headers.

    With the file's `values`, a column whose values cannot be the target (geo.io.columns: media
    kinds or crowd sizes for event_type, continents for admin1) is passed over, and why is
    appended to `passed_over`.
    """
    # Columns named as UTC come last, so a local or origin time is preferred to them.
    keys = {c: _header_key(c) for c in sorted(columns, key=is_utc_header)}
    # A column already named like a canonical one is that column: `time_precision` must not be
    # taken for a time of day by the fuzzy pass below.
    chosen: dict[str, str] = {key: c for c, key in keys.items() if key in CANONICAL_COLUMNS}
    used: set[str] = set(chosen.values())
    for exact in (True, False):
        for target, synonyms in CANONICAL_TARGETS.items():
            if target in chosen:
                continue
            for column, key in keys.items():
                if column in used:
                    continue
                parts = key.split("_")
                hit = key in synonyms if exact else any(p in synonyms for p in parts if len(p) > 1)
                unfit = unfit_reason(target, values[column]) if hit and values is not None else None
                if unfit:
                    note = f"{column!r} not taken for {target}: {unfit}"
                    if passed_over is not None and note not in passed_over:
                        passed_over.append(note)
                    continue
                if hit:
                    chosen[target] = column
                    used.add(column)
                    break
    return chosen


def _header_key(name: str) -> str:
    return re.sub(r"[\W_]+", "_", name.strip().lower()).strip("_")


def _checked_mapping(mapping: dict[str, str], columns: list[str], file: str) -> dict[str, str]:
    targets = (*CANONICAL_TARGETS, *CANONICAL_COLUMNS)
    chosen = {}
    for key, column in mapping.items():
        target = MAPPING_ALIASES.get(key, key)
        if target not in targets:
            allowed = ", ".join(sorted(set(targets)))
            raise EventDataError(
                [Problem(file, None, None, key, f"mapping key must be one of {allowed}")]
            )
        if column not in columns:
            raise EventDataError(
                [
                    Problem(
                        file,
                        None,
                        str(column),
                        None,
                        f"mapping[{key!r}] names a column the file does not have "
                        f"(columns found: {', '.join(columns[:20])})",
                    )
                ]
            )
        chosen[target] = column
    return chosen


def _describe(chosen: dict[str, str]) -> str:
    return ", ".join(f"{target} <- {column!r}" for target, column in chosen.items())


def _decimal_comma(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    comma = text.str.fullmatch(r"-?\d+,\d+").fillna(False)
    return text.where(~comma, text.str.replace(",", ".", regex=False)) if comma.any() else text


# --- Finishing: dates, validation, row numbers ---------------------------------------------------


def _finish(raw: _Raw, format: str, file: str, date_order: str | None = None) -> ImportResult:
    frame = raw.frame.reset_index(drop=True)
    notes = list(raw.notes)
    problems = list(raw.problems)
    column_names = {k: v for k, v in raw.mapping.items()}
    if "event_date" not in frame:
        raise EventDataError(
            [Problem(file, None, "event_date", None, "required column is missing")]
        )
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
                int(raw.rows[index]),
                shown,
                None if pd.isna(value) else str(value),
                "expected a date such as 2022-01-05, 05.01.2022 or 05 January 2022",
            )
        )
    keep = ~bad
    frame = frame.assign(event_date=days)
    frame, type_notes = modernize_types(frame)
    notes += type_notes
    for column, valid in _NUMERIC_COLUMNS.items():
        if column in frame:
            frame[column] = _fast_numeric(frame[column], valid)
    extras = (
        raw.extras.reset_index(drop=True)
        if raw.extras is not None
        else pd.DataFrame(index=frame.index)
    )
    if "admin1_code" in frame:
        extras["admin1_code"] = frame.pop("admin1_code").astype("string").str.strip()
    if "country" in frame:
        extras["country"] = country_codes(frame.pop("country"))
    if datetimes is not None:
        extras["event_datetime"] = datetimes
    if dates.from_utc.any():  # geo.io.dates.localize_utc_days takes their day once placed
        extras["time_zone"] = np.where(dates.from_utc, LOCAL_TZ, "")
    if not keep.all():  # selecting every row would still copy every column
        frame, extras, rows = frame.loc[keep], extras.loc[keep], raw.rows[keep]
    else:
        rows = raw.rows
    if frame.empty and failed:
        raise EventDataError([Problem(file, None, shown, None, failed), *problems])
    if frame.empty:
        raise EventDataError(problems or [Problem(file, None, None, None, "the file has no rows")])
    try:
        validated = validate_events(frame, file)
    except EventDataError as exc:
        relocated = [_relocated(p, rows, column_names) for p in exc.problems]
        raise EventDataError(problems + relocated) from exc
    position = validated.events["source_row"].to_numpy() - 1
    events = validated.events.assign(source_row=rows[position])
    if len(position) < len(extras):
        extras = extras.iloc[position]
    extras = extras.reset_index(drop=True)
    events["admin1_code"] = (
        extras.pop("admin1_code") if "admin1_code" in extras else _missing_text(events.index)
    )
    events["country_level"] = (
        extras.pop("country_level").astype(bool) if "country_level" in extras else False
    )
    country = extras.pop("country") if "country" in extras else _missing_text(events.index)
    events["country"] = country.replace("", pd.NA)
    for column in extras:
        events[column] = extras[column]
    problems += [_relocated(p, rows, column_names) for p in validated.problems]
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    if problems:
        notes.append(f"{len({p.row for p in problems})} row(s) with problems were not loaded")
    compared = (*CANONICAL_COLUMNS, "admin1_code", "event_datetime")
    events, duplicates, duplicate_notes = collapse_duplicates(events, compared)
    notes += duplicate_notes
    return ImportResult(
        events,
        tuple(problems),
        format,
        dict(raw.mapping),
        tuple(notes),
        duplicates,
        raw.file_columns,
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
    "time_precision": lambda x: np.isin(x, (1, 2, 3)),
    "geo_precision": lambda x: np.isin(x, (1, 2, 3)),
}
"""Numeric columns and what geo.io.schema accepts in them."""


def _fast_numeric(values: pd.Series, valid: Callable[[np.ndarray], np.ndarray]) -> pd.Series:
    """Numbers via Arrow's cast when every cell is a valid plain number (fast on a million
    rows); else the text, so that geo.io.schema reports the bad cells with their values."""
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


def _relocated(problem: Problem, rows: np.ndarray, names: dict[str, str]) -> Problem:
    row = problem.row if problem.row is None else int(rows[problem.row - 1])
    return replace(problem, row=row, column=names.get(problem.column, problem.column))


_READERS: dict[str, Callable[[_Source, dict[str, str] | None], _Raw]] = {
    "acled": _read_acled,
    "gdelt": _read_gdelt,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "geojson": _read_geojson,
}
