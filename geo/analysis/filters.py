"""Which events a view keeps: type, sub-type, actor, location precision and deaths range."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class EventFilter:
    """Empty tuples keep everything; a deaths range keeps only events with a reported number."""

    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    geo_precision: tuple[int, ...] = ()
    fatalities: tuple[int, int] | None = None

    @property
    def is_empty(self) -> bool:
        return self == EventFilter()


def filter_mask(events: pd.DataFrame, chosen: EventFilter) -> np.ndarray:
    """True for the events `chosen` keeps (actors match actor1 or actor2)."""
    keep = np.ones(len(events), dtype=bool)
    if chosen.event_types:
        keep &= events["event_type"].isin(chosen.event_types).to_numpy(dtype=bool)
    if chosen.sub_event_types:
        keep &= events["sub_event_type"].isin(chosen.sub_event_types).to_numpy(dtype=bool)
    if chosen.actors:
        either = events["actor1"].isin(chosen.actors) | events["actor2"].isin(chosen.actors)
        keep &= either.fillna(False).to_numpy(dtype=bool)
    if chosen.geo_precision:
        keep &= events["geo_precision"].isin(chosen.geo_precision).fillna(False).to_numpy(bool)
    if chosen.fatalities is not None:
        low, high = chosen.fatalities
        keep &= events["fatalities"].between(low, high).fillna(False).to_numpy(dtype=bool)
    return keep


def choices(events: pd.DataFrame, column: str, *, limit: int = 200) -> list[str]:
    """The most frequent values of a text column, for a filter's options (at most `limit`)."""
    if column not in events:
        return []
    counts = events[column].dropna().astype(str).value_counts()
    return sorted(counts.index[:limit])
