"""The import cache: a finished import stored as Parquet (the events) and JSON (the rest), found
again by a key made from the file's bytes and how it was to be read (see
geo.io.importers.read_events).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

from geo.errors import Problem
from geo.io.abroad import no_outside
from geo.io.duplicates import DUPLICATE_COLUMNS, no_duplicates
from geo.io.finish import ImportResult
from geo.io.sources import Source

CACHE_VERSION = 5
"""Version of the cached canonical table: raise it whenever read_events' output changes."""
_CACHE_NOTE = "read from the import cache ({}): same file bytes, format and mapping"


def cache_key(
    file: Source, format: str, mapping: dict[str, str] | None, date_order: str | None = None
) -> str:
    """SHA-256 of the file's bytes with `format`, `mapping`, `date_order`, the file's name in
    messages and CACHE_VERSION: whatever changes the result changes the key."""
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


def load_cached(directory: Path, key: str) -> ImportResult | None:
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
        outside = feather.read_table(directory / f"{key}{_OUTSIDE_SUFFIX}").to_pandas()
        if len(outside) != meta["outside_rows"]:
            return None
        return ImportResult(
            events,
            problems,
            meta["format"],
            dict(meta["mapping"]),
            notes,
            duplicates,
            columns,
            outside.astype(no_outside().dtypes.to_dict()),
            meta["file"],
        )
    except Exception:  # a damaged entry (any parser error) is a cache miss, rebuilt by the caller
        return None


def store_cached(directory: Path, key: str, result: ImportResult) -> ImportResult:
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
        "outside_rows": len(result.outside),
        "file": result.file,
    }
    try:
        directory.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(result.events, preserve_index=False)
        _write_atomically(directory / f"{key}.parquet", lambda path: pq.write_table(table, path))
        outside = pa.Table.from_pandas(result.outside, preserve_index=False)
        _write_atomically(
            directory / f"{key}{_OUTSIDE_SUFFIX}", lambda path: feather.write_feather(outside, path)
        )
        text = json.dumps(meta, ensure_ascii=False)
        _write_atomically(
            directory / f"{key}.json", lambda path: path.write_text(text, encoding="utf-8")
        )
    except (OSError, pa.ArrowException) as exc:
        note = f"import cache not written to {directory} ({exc})"
        return replace(result, notes=(*result.notes, note))
    return result


_OUTSIDE_SUFFIX = ".outside.arrow"
"""The rows set aside as abroad (ImportResult.outside), beside the events' Parquet table."""


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
