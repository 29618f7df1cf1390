"""Kazakhstan's time zones by region: the one table every step that turns a clock time into a
moment, or a moment into a local day, reads."""

from __future__ import annotations

import pandas as pd

NATIONAL_ZONE = "Asia/Almaty"
"""The capital's zone (UTC+6 in January 2022): the zone of a time whose region is not known, and
of the hourly frames, so that Atyrau's 15:00 and Almaty's 16:00 fall in the same frame."""
REGION_ZONES: dict[str, str] = {
    "aktobe": "Asia/Aqtobe",
    "atyrau": "Asia/Atyrau",
    "mangystau": "Asia/Aqtau",
    "west_kazakhstan": "Asia/Oral",
    "kyzylorda": "Asia/Qyzylorda",
    "kostanay": "Asia/Qostanay",
}
"""IANA zone of each region not on Almaty time (region_id of the bundled layouts -> zone).

The tz database holds the history: in January 2022 the first five were UTC+5 (Kyzylorda since
December 2018) and Kostanay UTC+6; every zone of the country is UTC+5 from 1 March 2024."""


def zones_of(region_ids: pd.Series) -> pd.Series:
    """The IANA zone of each region_id (NATIONAL_ZONE for other regions and for missing ids)."""
    ids = region_ids.astype("string").fillna("")
    return ids.map(lambda region: REGION_ZONES.get(region, NATIONAL_ZONE)).astype(object)


def offset_label(zone: str, stamps: pd.Series) -> str:
    """The UTC offsets `zone` had at these moments, e.g. "UTC+5" or "UTC+5/UTC+6"."""
    offsets = {
        int(s.utcoffset().total_seconds() // 3600) for s in stamps.dt.tz_convert(zone).dropna()
    }
    return "/".join(f"UTC{o:+d}" for o in sorted(offsets)) or zone
