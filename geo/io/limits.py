"""How much work one import may cost, decided before the work.

The dashboard reads every upload under UPLOAD_LIMITS; the command line and the Python API read
without limits unless given some. Each check runs before the work it guards: the file's size
before anything else; a ZIP member's and a workbook's unpacked size from the archive's headers
before unpacking (and again while unpacking, so a header that understates cannot get past); the
number of lines and the longest line from the bytes, before any parser sees them. `seconds` and
`memory_bytes` cap the process that reads an upload (geo.uploads).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import numpy as np

from geo.errors import EventDataError, LimitError

MB = 1_000_000
_CHUNK = 1 << 24
_NUL_SHARE = 0.1  # UTF-8 text has almost no NUL bytes; a file with this many is not text
_WAY_OUT = "filter it first or use the command line, which has no limit"


@dataclass(frozen=True)
class ImportLimits:
    """The most one import may read, unpack, parse and spend."""

    file_bytes: int = 50 * MB
    """The file as given (for a ZIP or an XLSX: compressed)."""
    unpacked_bytes: int = 200 * MB
    """A ZIP archive's member, unpacked."""
    workbook_bytes: int = 100 * MB
    """All of an XLSX workbook's XML, unpacked (XML parsing is ~20x slower than CSV's)."""
    rows: int = 100_000
    """Rows in scope: the file's rows less those it places in another country, which are set
    aside unread (geo.io.abroad). This bounds what follows the reading in the server: placing,
    counting and the map of 100,000 events (BENCHMARKS.md, "Upload limits")."""
    lines: int = 1_000_000
    """Lines of a text file after its header (an upper bound on its rows), counted before any
    parser runs: a GDELT 1.0 day has 150-200k rows worldwide, 3% of them Kazakh."""
    line_bytes: int = 1 * MB
    """One line of a text file."""
    seconds: float = 120.0
    """Wall-clock time for reading and placing one upload."""
    memory_bytes: int = 4_000 * MB
    """Address space of the process that reads one upload."""

    def check_size(self, name: str, size: int) -> None:
        if size > self.file_bytes:
            shown, limit = _mb(size), _mb(self.file_bytes)
            more = "more than " if shown == limit else ""  # 50.00003 MB is not "50 MB"
            refuse(name, f"this file is {more}{shown}; the limit is {limit}")

    def unzip_member(self, name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
        """The member's bytes, refused from its header or, if the header lies, while unpacking."""
        if member.file_size > self.unpacked_bytes:
            refuse(name, self._unpacks_to(member.file_size))
        parts, total = [], 0
        with archive.open(member) as stream:
            while part := stream.read(_CHUNK):
                total += len(part)
                if total > self.unpacked_bytes:
                    refuse(name, self._unpacks_to(self.unpacked_bytes, "more than "))
                parts.append(part)
        return b"".join(parts)

    def check_workbook(self, name: str, data: bytes) -> None:
        """Refuse a workbook whose XML unpacks beyond the limit, from the ZIP headers alone
        (zipfile, which openpyxl uses, never unpacks more than a member's header declares)."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(member.file_size for member in archive.infolist())
        if total > self.workbook_bytes:
            refuse(
                name,
                f"this workbook unpacks to {_mb(total)} of XML; the limit is "
                f"{_mb(self.workbook_bytes)} — save it as CSV, filter it first or use the "
                "command line, which has no limit",
            )

    def check_text(self, name: str, data: bytes, *, header: bool) -> None:
        """Refuse text with more lines than `lines`, a line longer than `line_bytes`, or mostly
        NUL bytes, counting in chunks before any parser runs."""
        lines, longest = _scan_lines(data)
        head = data[:65536]
        if head and head.count(0) > _NUL_SHARE * len(head):
            raise EventDataError.of_file(
                name,
                "this is not a text file (it is full of NUL bytes); UTF-16 text is not read "
                "either: save it as UTF-8 CSV",
            )
        if longest > self.line_bytes:
            refuse(
                name,
                f"a line of this file is {_mb(longest)} long; the limit is "
                f"{_mb(self.line_bytes)} per line — is it a CSV file with one event per line?",
            )
        rows = lines - 1 if header else lines
        if rows > self.lines:
            refuse(name, f"this file has {rows:,} rows; the limit is {self.lines:,}")

    def check_rows(self, name: str, in_scope: int, set_aside: int) -> None:
        """Refuse more than `rows` rows in scope (those set aside as abroad do not count)."""
        if in_scope > self.rows:
            abroad = f" (and {set_aside:,} set aside as outside Kazakhstan)" if set_aside else ""
            refuse(
                name,
                f"this file has {in_scope:,} rows in Kazakhstan or of no stated country{abroad}; "
                f"the limit is {self.rows:,}",
            )

    def _unpacks_to(self, size: int, prefix: str = "") -> str:
        return f"this file unpacks to {prefix}{_mb(size)}; the limit is {_mb(self.unpacked_bytes)}"


UPLOAD_LIMITS = ImportLimits()
"""What the dashboard allows one upload (README: "Limits of an upload")."""


def refuse(name: str, reason: str) -> None:
    """Raise a LimitError for `name` that says the reason and the way out."""
    if _WAY_OUT not in reason:
        reason = f"{reason} — {_WAY_OUT}"
    raise LimitError.of_file(name, reason)


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= 10 * MB else f"{size / MB:,.1f} MB"


def _scan_lines(data: bytes) -> tuple[int, int]:
    """Number of lines and the length of the longest (bytes); `\\r` ends lines only in a
    file without any `\\n` (old Mac line ends)."""
    view = np.frombuffer(data, dtype=np.uint8)
    end = 10 if data.find(b"\n") >= 0 else 13
    lines, longest, last_end = 0, 0, -1
    for start in range(0, len(view), _CHUNK):
        chunk = view[start : start + _CHUNK]
        ends = np.flatnonzero(chunk == end) + start
        if len(ends):
            gaps = np.diff(ends, prepend=last_end)
            longest = max(longest, int(gaps.max()) - 1)
            last_end = int(ends[-1])
            lines += len(ends)
    tail = len(view) - last_end - 1
    if tail > 0:
        lines += 1
        longest = max(longest, tail)
    return lines, longest
