"""Many event files read as one: a folder, or a glob such as 'gdelt/202201*.export.CSV.zip'.

Researchers hold GDELT as one file a day and ACLED as one export per region or year. Each file is
read on its own (its own format, problems and import-cache entry, geo.io.importers.read_events),
then the events are put together with a `source_file` column: a row is its file and its row in
that file (`source_row`), which is what every problem and the cleaned table name. Duplicates are
collapsed within each file, not across files.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pandas as pd

from geo.errors import EventDataError
from geo.io.finish import ImportResult

GLOB_CHARACTERS = "*?["
EVENT_SUFFIXES = (".csv", ".tsv", ".txt", ".zip", ".xlsx", ".geojson", ".json", ".parquet")
"""What a folder's event files end with (GDELT's `.export.CSV` and `.CSV.zip` included)."""


def is_many(source: object) -> bool:
    """Whether `source` names several files: a folder, or a path with glob characters."""
    if not isinstance(source, str | Path):
        return False
    return Path(source).is_dir() or any(c in str(source) for c in GLOB_CHARACTERS)


def files_of(source: str | Path) -> list[Path]:
    """The event files of a folder (sorted by name) or of a glob, or a clear error."""
    path = Path(source)
    if path.is_dir():
        found = [p for p in sorted(path.iterdir()) if p.is_file() and _is_event_file(p)]
        if not found:
            listed = ", ".join(EVENT_SUFFIXES)
            raise EventDataError.of_file(str(source), f"this folder has no event file ({listed})")
        return found
    found = [Path(p) for p in sorted(glob.glob(str(source))) if Path(p).is_file()]
    if not found:
        raise EventDataError.of_file(str(source), "no file matches this pattern")
    return found


def combined(results: list[tuple[str, ImportResult]]) -> ImportResult:
    """The imports of several files as one, each row tagged with its `source_file`."""
    if len(results) == 1:
        return results[0][1]

    def tagged(frames: list[tuple[str, pd.DataFrame]]) -> pd.DataFrame:
        parts = [frame.assign(source_file=name) for name, frame in frames]
        return pd.concat(parts, ignore_index=True)

    events = tagged([(r.file, r.events) for _, r in results])
    duplicates = tagged([(r.file, r.duplicates) for _, r in results])
    outside = tagged([(r.file, r.outside) for _, r in results])
    formats = sorted({r.format for _, r in results})
    notes = [
        f"{len(results)} files read as one: {', '.join(name for name, _ in results[:5])}"
        + (f" and {len(results) - 5} more" if len(results) > 5 else "")
        + "; each row is its file (source_file) and its row there; duplicates are collapsed "
        "within each file",
        *(f"{name}: {note}" for name, result in results for note in result.notes),
    ]
    first = results[0][1]
    return ImportResult(
        events,
        tuple(p for _, r in results for p in r.problems),
        formats[0] if len(formats) == 1 else "mixed",
        dict(first.mapping),
        tuple(notes),
        duplicates,
        {},
        outside,
        file=", ".join(name for name, _ in results),
    )


def _is_event_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(EVENT_SUFFIXES) or name.endswith(".export.csv")
