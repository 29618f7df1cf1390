"""Checks of the arguments a public function is given, each written once: a frame has the
columns it needs; a value is a date, taken as its plain day (tz-naive midnight)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.errors import ArgumentError


def require_columns(
    frame: object,
    name: str,
    required: Iterable[str],
    *,
    error: type[Exception] = ArgumentError,
    hint: str = "",
) -> None:
    """`frame` is a DataFrame with the `required` columns; else `error` naming those missing
    (and, after a semicolon, `hint`, or the first 20 columns it has)."""
    if not isinstance(frame, pd.DataFrame):
        raise error(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise error(
            f"{name} is missing column(s) {missing}; "
            + (hint or f"it has {list(frame.columns)[:20]}")
        )


def plain_day(value: object, name: str, *, error: type[Exception] = ArgumentError) -> pd.Timestamp:
    """`value` as a day: a tz-naive midnight, of the wall-clock date for a zoned time."""
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise error(f"{name} must be a date, got {value!r}") from exc
    if pd.isna(day):
        raise error(f"{name} must be a date, got {value!r}")
    if day.tz is not None:
        day = day.tz_localize(None)
    return day.normalize()


def plain_days(values: pd.Series, name: str, column: str) -> pd.Series:
    """A column of dates as days (tz-naive midnights, wall-clock dates), indexed from 0."""
    try:
        days = pd.to_datetime(values)
    except (ValueError, TypeError) as exc:
        raise ArgumentError(f"{name} column {column!r} must hold dates: {exc}") from exc
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_localize(None)
    return days.dt.normalize().reset_index(drop=True)
