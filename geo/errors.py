"""Named exceptions of the geo core. The UI turns each into one readable message."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file: which file, data row (1-based), column and value."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        shown = "" if self.value is None else f" (got {self.value!r})"
        return f"{', '.join(where)}: {self.message}{shown}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class QantarError(Exception):
    """Base class of every error the geo core raises on purpose."""


class EventDataError(QantarError):
    """Event data that cannot be used at all (no usable rows, missing required columns)."""

    @classmethod
    def of_file(cls, file: str, message: str) -> EventDataError:
        """An error about the whole file (unreadable, empty, wrong kind), not one row."""
        return cls([Problem(file, None, None, None, message)])

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = len(self.problems) - 5
        super().__init__(shown + (f"; and {more} more problem(s)" if more > 0 else ""))


class RegionDataError(QantarError):
    """A boundary layout that is missing, malformed, invalid or in the wrong CRS."""


class UnknownLayoutError(RegionDataError):
    """A layout name that is neither a bundled layout nor an existing file."""
