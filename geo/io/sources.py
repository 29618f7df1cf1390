"""Opening what a person hands in (a path, bytes or a file object) as one Source, decoding its
text, and unpacking a zip archive of one file (GDELT publishes its event files zipped).

A Source reads its file lazily: detecting the format needs only its first HEAD_BYTES, and a path
is handed to pyarrow as it is, never read into memory when it need not be.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.errors import EventDataError, Problem
from geo.io.limits import ImportLimits

PARQUET_MAGIC = b"PAR1"
HEAD_BYTES = 64 * 1024
"""How much of a file is read to detect its format, encoding and delimiter."""


@dataclass
class Source:
    """A file to read: its name in messages, and either its path or its bytes."""

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


def open_source(source: Source | str | Path | bytes | BinaryIO, name: str | None = None) -> Source:
    """`source` as a Source named `name` (else its file name, else "uploaded file")."""
    if isinstance(source, Source):
        return source
    if isinstance(source, str | Path):
        path = Path(source)
        shown = name or path.name
        if not path.is_file():
            raise EventDataError.of_file(shown, f"file not found: {path}")
        return Source(shown, path=path)
    if isinstance(source, bytes | bytearray | memoryview):
        return Source(name or "uploaded file", data=bytes(source))
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
    return Source(shown, data=bytes(data))


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM) if it decodes strictly, else CP1251."""
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8 with BOM" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError as exc:
        if len(data) >= HEAD_BYTES and exc.start >= len(data) - 4:
            return data[: exc.start].decode("utf-8-sig"), "UTF-8"  # a character cut by the head
        return data.decode("cp1251", errors="replace"), "CP1251"


def unzip_single(file: Source, limits: ImportLimits | None) -> Source:
    """The one file inside the zip archive `file`, named `<archive>/<member>`; `limits` refuses a
    member that unpacks to more than they allow."""
    with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) != 1:
            raise EventDataError.of_file(
                file.name, f"expected a zip archive with one file, found {len(members)}"
            )
        name = f"{file.name}/{members[0].filename}"
        if limits:
            inner = Source(name, data=limits.unzip_member(file.name, archive, members[0]))
        else:
            inner = Source(name, data=archive.read(members[0]))
    if inner.head().startswith(b"PK\x03\x04") and not members[0].filename.lower().endswith(".xlsx"):
        raise EventDataError.of_file(
            name,
            "this is a ZIP archive inside the ZIP archive: unpack the outer one and give the "
            "inner archive (or the event file in it)",
        )
    return inner


def parquet_as_text(file: Source) -> Source:
    """A Parquet file as the CSV text of its columns, header first: every adapter reads it by
    its column names as it reads a CSV file (ACLED's, GDELT's as BigQuery names them, any
    other). Dates and times come out as ISO 8601 text."""
    table = pq.read_table(pa.BufferReader(file.read()) if file.path is None else file.path)
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=pacsv.WriteOptions(batch_size=1 << 16))
    return Source(file.name, data=buffer.getvalue())
