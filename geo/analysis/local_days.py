"""The local day of events whose file gives UTC times: the one step of the recipe that sets it.

A UTC time is an instant; its day depends on where the event was (Kazakhstan in January 2022:
UTC+5 in the west, UTC+6 elsewhere). The importer marks such rows (`time_zone`), and once the
events are placed this step takes each one's day in its region's zone.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from geo.analysis.placing import PlacedEvents
from geo.record.zones import NATIONAL_ZONE, offset_label, zones_of


def with_local_days(placed: PlacedEvents) -> PlacedEvents:
    """`placed` with the day of each UTC-timed event taken in its region's zone, and a note
    saying which zones were used for how many rows."""
    events, notes = _local_days(placed.events)
    if not notes:
        return placed
    unplaced = events[events["region_id"].isna()].reset_index(drop=True)
    return replace(placed, events=events, unplaced=unplaced, notes=(*placed.notes, *notes))


def _local_days(events: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Take the day of each UTC-timed event in its region's zone (geo.record.zones).

    Needs `region_id`, `event_datetime` and the importer's `time_zone` column ("" for times as
    written, a zone name for UTC times); sets `event_date` and `time_zone` of those rows. Returns
    the events and a note saying which zones were used for how many rows.
    """
    if "time_zone" not in events or "event_datetime" not in events:
        return events, []
    utc_rows = (events["time_zone"].fillna("") != "").to_numpy()
    if not utc_rows.any():
        return events, []
    events = events.copy()
    stamps = pd.to_datetime(events["event_datetime"], utc=True)
    region = events["region_id"].astype("string").fillna("")
    zones = zones_of(region).to_numpy()
    days = events["event_date"].copy()
    for zone in pd.unique(zones[utc_rows]):
        rows = utc_rows & (zones == zone)
        local = stamps[rows].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
        days[rows] = local.astype(days.dtype).to_numpy()
    events["event_date"] = days
    events.loc[utc_rows, "time_zone"] = zones[utc_rows]
    counts = pd.Series(zones[utc_rows]).value_counts()
    unplaced = int((utc_rows & (region == "").to_numpy()).sum())
    parts = [f"{offset_label(z, stamps[utc_rows])} ({z}) for {n}" for z, n in counts.items()]
    note = (
        f"{int(utc_rows.sum())} UTC time(s) converted to the local time of the event's region "
        "before the day was taken: " + ", ".join(parts)
    )
    if unplaced:
        note += f"; {unplaced} row(s) without a region took {NATIONAL_ZONE}"
    return events, [note]
