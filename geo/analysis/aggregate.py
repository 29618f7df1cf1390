"""Per-region, per-day tables: daily counts, cumulative totals and moving windows (tidy frames)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from geo.errors import ArgumentError

Mode = Literal["daily", "cumulative", "window"]
MODES: tuple[Mode, ...] = ("daily", "cumulative", "window")
FRAME_LENGTHS = {"day": pd.Timedelta(days=1), "hour": pd.Timedelta(hours=1)}
"""How long one frame of a view is: a day, or an hour when the data is stepped by hour."""
WINDOW_DAYS = range(2, 15)
DEFAULT_WINDOW_DAYS = 3
"""The k of "the last k days" when nobody chose one."""
"""The k a "last k frames" view can be given (k = 1 would be the daily view): the dashboard
offers these, and the map's player carries the window of each."""


def frame_window(
    date: pd.Timestamp, mode: Mode, window_days: int = DEFAULT_WINDOW_DAYS, *, step: str = "day"
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last frame a view on `date` counts: that frame ("daily"), every frame up
    to it ("cumulative"), or the last k frames ("window"). Frames are days, or hours when
    `step` is "hour"; a daily view of a timestamp counts its whole day."""
    if step not in FRAME_LENGTHS:
        raise ArgumentError(f"step must be one of {tuple(FRAME_LENGTHS)}, got {step!r}")
    date = pd.Timestamp(date)
    date = date.normalize() if step == "day" else date.floor("h")
    if mode == "daily":
        return date, date
    if mode == "cumulative":
        return pd.Timestamp.min, date
    if mode == "window":
        if window_days < 1:
            raise ArgumentError(f"window_days must be at least 1, got {window_days}")
        return date - FRAME_LENGTHS[step] * (window_days - 1), date
    raise ArgumentError(f"mode must be one of {MODES}, got {mode!r}")


def region_day_counts(
    joined: pd.DataFrame,
    region_ids: list[str] | pd.Index,
    *,
    days: list[pd.Timestamp] | None = None,
) -> pd.DataFrame:
    """Events and reported fatalities per region and day, every region and day present (zeros).

    The day range runs from the first to the last event unless `days` is given; `fatalities`
    sums only reported numbers.
    """
    needed = joined[["region_id", "event_date", "fatalities"]]  # not every column of the events
    placed = needed[needed["region_id"].notna()]
    days = _day_range(joined["event_date"]) if days is None else pd.DatetimeIndex(days, name="date")
    grid = pd.MultiIndex.from_product([pd.Index(region_ids, name="region_id"), days])
    grouped = placed.groupby(["region_id", "event_date"], observed=True).agg(
        events=("event_date", "size"), fatalities=("fatalities", "sum")
    )
    grouped.index = grouped.index.set_names(["region_id", "date"])
    counts = grouped.reindex(grid.set_names(["region_id", "date"]), fill_value=0)
    return counts.astype({"events": "int64", "fatalities": "int64"}).reset_index()


def region_day_type_counts(joined: pd.DataFrame) -> pd.DataFrame:
    """Events per region, day and event type (only combinations that occur)."""
    placed = joined[joined["region_id"].notna()]
    return (
        placed.groupby(["region_id", "event_date", "event_type"], observed=True)
        .size()
        .rename("events")
        .reset_index()
        .rename(columns={"event_date": "date"})
    )


def values_at(
    counts: pd.DataFrame,
    date: pd.Timestamp,
    mode: Mode = "cumulative",
    window_days: int = DEFAULT_WINDOW_DAYS,
    *,
    step: str = "day",
) -> pd.DataFrame:
    """Per-region events and fatalities on `date`: that frame, up to it, or over the last k
    frames (see `frame_window`); `counts` has one row per region and frame."""
    start, end = frame_window(date, mode, window_days, step=step)
    chosen = counts[(counts["date"] >= start) & (counts["date"] <= end)]
    region_ids = counts["region_id"].drop_duplicates()
    summed = chosen.groupby("region_id")[["events", "fatalities"]].sum()
    return summed.reindex(region_ids, fill_value=0).reset_index()


def events_per_day(joined: pd.DataFrame) -> pd.DataFrame:
    """National events per day and type, for the timeline strip; an event of an hourly frame
    counts in its day."""
    days = joined.assign(event_date=joined["event_date"].dt.normalize())
    return (
        days.groupby(["event_date", "event_type"], observed=True)
        .size()
        .rename("events")
        .reset_index()
        .rename(columns={"event_date": "date"})
    )


def deaths_per_day(counts: pd.DataFrame) -> pd.DataFrame:
    """National reported deaths per day (date, fatalities) of a region-day or region-hour table:
    the timeline's ◆, hourly frames summed into their day."""
    days = counts.assign(date=counts["date"].dt.normalize())
    return days.groupby("date", as_index=False)["fatalities"].sum()


def _day_range(dates: pd.Series) -> pd.DatetimeIndex:
    return pd.date_range(dates.min().normalize(), dates.max().normalize(), freq="D", name="date")


@dataclass(frozen=True)
class KeyDays:
    """Days worth jumping to: the first and last event, and the day with the most events."""

    first: pd.Timestamp
    peak: pd.Timestamp
    last: pd.Timestamp


def key_days(counts: pd.DataFrame) -> KeyDays:
    """First, peak (earliest of equal peaks) and last day with events in a region-day table."""
    per_day = counts.groupby("date")["events"].sum()
    active = per_day[per_day > 0]
    if active.empty:
        first = last = peak = per_day.index.min()
    else:
        first, last, peak = active.index.min(), active.index.max(), active.idxmax()
    return KeyDays(first=pd.Timestamp(first), peak=pd.Timestamp(peak), last=pd.Timestamp(last))


def region_hour_counts(joined: pd.DataFrame, region_ids: list[str] | pd.Index) -> pd.DataFrame:
    """Events and reported fatalities per region and hour, for data that has times of day.

    Uses `event_datetime` (kept by the importers when a file has times; zone-aware times are in
    Asia/Almaty). Rows without a time are left out; the count of those is in
    `.attrs["rows_without_time"]` so a view can say so. Every region and hour from the first to
    the last timed event is present (zeros).
    """
    if "event_datetime" not in joined.columns:
        raise ArgumentError("hourly counts need an event_datetime column (the file had no times)")
    stamps = pd.to_datetime(joined["event_datetime"])
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    timed = joined.assign(hour=stamps.dt.floor("h"))[stamps.notna() & joined["region_id"].notna()]
    hours = pd.date_range(timed["hour"].min(), timed["hour"].max(), freq="h", name="hour")
    grid = pd.MultiIndex.from_product([pd.Index(region_ids, name="region_id"), hours])
    grouped = timed.groupby(["region_id", "hour"], observed=True).agg(
        events=("hour", "size"), fatalities=("fatalities", "sum")
    )
    counts = grouped.reindex(grid, fill_value=0).astype({"events": "int64", "fatalities": "int64"})
    table = counts.reset_index()
    table.attrs["rows_without_time"] = int(stamps.isna().sum())
    return table
