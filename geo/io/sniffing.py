"""Which format a file is, guessed from its first bytes (and its name for ties).

Returns one of geo.io.importers.FORMATS, or "zip" for an archive to unpack first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from geo.errors import EventDataError
from geo.io.acled import looks_like_acled
from geo.io.gdelt import GDELT_COLUMNS, is_gdelt_header
from geo.io.sources import Source, decode, open_source


def detect_format(source: Source | str | Path | bytes | BinaryIO, name: str | None = None) -> str:
    """Guess the format from the file's first bytes (and its name for ties)."""
    file = open_source(source, name)
    head = file.head()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if b"xl/" in head[:4096] or file.suffix == ".xlsx" else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise EventDataError.of_file(
            file.name, "old .xls workbooks are not supported; save it as .xlsx or .csv"
        )
    text, _ = decode(head)
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
    if is_gdelt_header(first):
        return "gdelt"
    header = {h.strip().strip('"').lower() for h in re.split(r"[,;\t]", first)}
    if looks_like_acled(header):
        return "acled"
    return "csv"
