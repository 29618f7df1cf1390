"""The bundled January 2022 record, and event tables already in the canonical form (see
geo.schema), read and checked."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import Problem
from geo.paths import BUNDLED_EVENTS
from geo.record.disputes import attach_disputes, load_disputes
from geo.record.regions import load_regions
from geo.record.tables import read_text_csv
from geo.record.zones import NATIONAL_ZONE, REGION_ZONES
from geo.schema import ValidatedEvents, validate_events

TIME_COLUMNS = ("event_time", "event_time_precision")
"""Columns of the bundled record beyond ACLED's: the local clock time a source gives (HH:MM) and
how exactly ("exact": the source gives that minute; "approximate": "about", or the time of a
live report written as it happened). Both are empty when no source gives the hour."""
TIME_PRECISIONS = ("exact", "approximate")


def load_bundled_events() -> ValidatedEvents:
    """The bundled January 2022 record, held to the strict schema (ACLED types only), with its
    times of day (`with_times_of_day`) and what other sources claim (`geo.record.disputes`: the text
    columns `disputes` and `onset_disputes`)."""
    bundled = load_events_csv(BUNDLED_EVENTS, strict_types=True)
    layout = load_regions("2022-01")
    disputes = load_disputes(bundled.events, set(layout["region_id"]))
    unit_regions = dict(zip(layout["name_en"], layout["region_id"], strict=True))
    events = attach_disputes(bundled.events, disputes, unit_regions)
    return replace(bundled, events=events)


def load_events_csv(path: str | Path, *, strict_types: bool = False) -> ValidatedEvents:
    """Read a canonical (ACLED-named) CSV and validate it; bad rows are reported, not fatal.

    A file with the bundled record's `event_time` column also gets `event_time`,
    `event_time_precision` and `event_datetime` (see `with_times_of_day`).
    """
    path = Path(path)
    raw = read_text_csv(path)
    validated = validate_events(raw, path.name, strict_types=strict_types)
    if "event_time" not in raw.columns:
        return validated
    return with_times_of_day(validated, raw)


def with_times_of_day(validated: ValidatedEvents, raw: pd.DataFrame) -> ValidatedEvents:
    """Add the clock times of `raw` (the file as read) to its validated events.

    `event_datetime` is the event's day plus its local time, as a moment in `NATIONAL_ZONE`
    (tz-aware), so that stepping by hour puts Atyrau's 15:00 and Almaty's 16:00 in the same
    frame; it is missing where no time is given. A time that is not HH:MM, or one without a
    known precision, is reported as a problem and the event kept without a time.
    """
    rows = np.flatnonzero(validated.kept)
    time = _column(raw, "event_time").iloc[rows].reset_index(drop=True)
    precision = _column(raw, "event_time_precision").iloc[rows].reset_index(drop=True)
    clock = pd.to_datetime(time, format="%H:%M", errors="coerce")
    bad_time = time.notna() & clock.isna()
    bad_precision = time.notna() & ~precision.isin(TIME_PRECISIONS)
    problems = [
        *_problems(validated, time, bad_time, "event_time", "expected a time such as 16:37"),
        *_problems(
            validated,
            precision,
            bad_precision & ~bad_time,
            "event_time_precision",
            f"a time of day needs its precision: one of {list(TIME_PRECISIONS)}",
        ),
    ]
    usable = time.notna() & ~bad_time & ~bad_precision
    events = validated.events.assign(
        event_time=time.where(usable).astype("string"),
        event_time_precision=precision.where(usable).astype("string"),
        event_datetime=_moments(validated.events, time.where(usable)),
    )
    return replace(validated, events=events, problems=(*validated.problems, *problems))


def _column(raw: pd.DataFrame, name: str) -> pd.Series:
    if name in raw.columns:
        return raw[name].str.strip().replace("", pd.NA)
    return pd.Series(pd.NA, index=raw.index, dtype="string")


def _problems(validated, values, bad, column, message) -> list[Problem]:
    rows = validated.events["source_row"]
    return [
        Problem(validated.file, int(rows.iloc[i]), column, _text_or_none(values.iloc[i]), message)
        for i in bad[bad].index
    ]


def _text_or_none(value) -> str | None:
    return None if pd.isna(value) else str(value)


def _moments(events: pd.DataFrame, time: pd.Series) -> pd.Series:
    """Day + local time → the same moment in NATIONAL_ZONE (NaT where there is no time)."""
    local = pd.to_datetime(
        events["event_date"].dt.strftime("%Y-%m-%d") + " " + time, format="%Y-%m-%d %H:%M"
    )
    zones = events.get("admin1", pd.Series(pd.NA, index=events.index)).map(_unit_zones())
    zones = zones.fillna(NATIONAL_ZONE)
    moments = pd.Series(pd.NaT, index=events.index, dtype=f"datetime64[ns, {NATIONAL_ZONE}]")
    for zone in zones[local.notna()].unique():
        chosen = local.notna() & (zones == zone)
        moments[chosen] = (
            local[chosen].dt.tz_localize(zone).dt.tz_convert(NATIONAL_ZONE).astype(moments.dtype)
        )
    return moments


@cache
def _unit_zones() -> dict[str, str]:
    """The zone of each first-level unit of January 2022 by its English name (the record's
    `admin1`): a time of day the sources give there is that unit's local time. Read from the
    layout once per process, not on every load."""
    layout = load_regions("2022-01")
    return {
        name: REGION_ZONES[region]
        for name, region in zip(layout["name_en"], layout["region_id"], strict=True)
        if region in REGION_ZONES
    }
