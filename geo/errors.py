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


def summarize_problems(
    problems: tuple[Problem, ...] | list[Problem], *, examples: int = 3
) -> list[str]:
    """The problems as lines to show a person: one line per problem, except that a message
    repeated on many rows of one column (a whole date column in a form not read) is one line
    with its count and a few example rows. The full list stays in the problems themselves."""
    groups: dict[tuple[str, str | None, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.column, problem.message), []).append(problem)
    # A whole-column problem (row None, a column) already speaks for that column's rows.
    summarised = {(p.file, p.column) for p in problems if p.row is None and p.column is not None}
    lines = []
    for (file, column, message), group in groups.items():
        if (file, column) in summarised and all(p.row is not None for p in group):
            continue
        if len(group) <= examples + 1 or any(p.row is None for p in group):
            lines += [str(p) for p in group]
            continue
        where = file + (f", column '{column}'" if column is not None else "")
        shown = "; ".join(
            f"row {p.row}" + ("" if p.value is None else f" (got {p.value!r})")
            for p in group[:examples]
        )
        lines.append(f"{where}: {len(group):,} rows: {message}; e.g. {shown}")
    return lines


class QantarError(Exception):
    """Base class of every error the geo core raises on purpose."""


class ArgumentError(QantarError, ValueError):
    """An argument a function cannot use (a mode it does not know, a window under one day): a
    caller's mistake, said in words. A ValueError too, for callers that catch those."""


class EventDataError(QantarError):
    """Event data that cannot be used at all (no usable rows, missing required columns)."""

    @classmethod
    def of_file(cls, file: str, message: str) -> EventDataError:
        """An error about the whole file (unreadable, empty, wrong kind), not one row."""
        return cls([Problem(file, None, None, None, message)])

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        lines = summarize_problems(self.problems)
        shown = "; ".join(lines[:5])
        more = len(lines) - 5
        super().__init__(shown + (f"; and {more} more problem(s)" if more > 0 else ""))


class RegionDataError(QantarError):
    """A boundary layout that is missing, malformed, invalid or in the wrong CRS."""


class UnknownLayoutError(RegionDataError):
    """A layout name that is neither a bundled layout nor an existing file."""


class LimitError(EventDataError):
    """A file that is larger, longer or slower to read than the limits allow (geo.io.limits)."""


class ExportError(QantarError, ValueError):
    """An export that cannot be made from these arguments."""


class ExternalAssetError(ExportError):
    """A page that would load scripts or styles from outside itself, so would not work offline."""


class UsageError(QantarError):
    """A command-line option value the command cannot use (an unknown event id, binary output
    to stdout)."""
