"""Checking a column guessed from its header against its values, and showing what was sampled.

Headers mislead: a log of videos has `type` = video/picture (the medium, not the event), a Mass
Mobilization extract has `participants_category` = "100-999" (a crowd size) and `region` =
"Asia" (a continent). `unfit_reason` says why such a column is no event type or first-level
region, so the guess moves on to the next candidate and the note says what it passed over.
"""

from __future__ import annotations

import re

import pandas as pd

SAMPLE_ROWS = 500
"""Rows looked at to judge a column (its first ones)."""
UNFIT_SHARE = 0.8
"""A column is unfit when at least this share of its distinct sampled values is of a wrong kind."""

MEDIA_KINDS = frozenset(
    {
        "video", "videos", "photo", "photos", "picture", "pictures", "image", "images", "img",
        "audio", "text", "tweet", "post", "livestream", "stream", "footage", "screenshot",
        "document", "link", "mp4", "jpg", "jpeg", "png", "видео", "фото", "изображение",
        "аудио", "бейне", "сурет",
    }
)  # fmt: skip
"""Values naming a medium (of a video log, a media archive), never an event category."""
CONTINENTS = frozenset(
    {
        "africa", "asia", "europe", "oceania", "antarctica", "americas", "north america",
        "south america", "central america", "latin america", "caribbean", "middle east",
        "mena", "central asia", "eastern europe", "western europe", "sub-saharan africa",
        "western africa", "middle africa", "eastern africa", "southern africa",
        "northern africa", "south asia", "southeast asia", "east asia",
        "caucasus and central asia", "europe and central asia", "asia-pacific",
        "азия", "европа", "африка", "центральная азия", "ближний восток", "азия мен еуропа",
    }
)  # fmt: skip
"""Values naming a continent or world region (ACLED's `region` among them), never a
first-level unit of a country."""
_SIZE = re.compile(
    r"^\s*(?:[<>≥≤~]?\s*\d[\d,.\s]*(?:\s*(?:-|–|to|до)\s*\d[\d,.\s]*)?\s*\+?|\d+s|"
    r"(?:more|less|fewer) than \d[\d,]*|dozens|hundreds|thousands|tens of thousands)\s*$",
    re.IGNORECASE,
)
"""Crowd sizes and counts: 100-999, >10000, 50+, 1000s, "hundreds"."""


def unfit_reason(target: str, values: pd.Series) -> str | None:
    """Why the column `values` cannot hold canonical `target`, or None when nothing says so."""
    sample = distinct_values(values)
    if not sample:
        return None
    lowered = [value.lower() for value in sample]
    if target == "event_type":
        if _share(lowered, lambda v: v in MEDIA_KINDS) >= UNFIT_SHARE:
            return f"its values are media kinds ({_listed(sample)}), not event categories"
        if _share(lowered, lambda v: _SIZE.fullmatch(v) is not None) >= UNFIT_SHARE:
            return f"its values are sizes or counts ({_listed(sample)}), not event categories"
    if target == "admin1" and _share(lowered, lambda v: v in CONTINENTS) >= UNFIT_SHARE:
        return f"its values are continents ({_listed(sample)}), not regions of a country"
    return None


def distinct_values(values: pd.Series, limit: int = 50) -> list[str]:
    """The column's first distinct non-empty values (as text, stripped), at most `limit`."""
    text = values.head(SAMPLE_ROWS).astype("string").str.strip()
    return [str(v) for v in text[text.notna() & (text != "")].unique()[:limit]]


def column_samples(frame: pd.DataFrame, count: int = 3) -> dict[str, tuple[str, ...]]:
    """Every column of `frame` with its first `count` distinct values."""
    return {str(c): tuple(distinct_values(frame[c], count)) for c in frame.columns}


def sampled(values: pd.Series, count: int = 3) -> str:
    """A few of the column's values, quoted, for a note: "'protest', 'clash', 'police'"."""
    return ", ".join(repr(v[:40]) for v in distinct_values(values, count)) or "no values"


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values)


def _listed(sample: list[str]) -> str:
    return ", ".join(sample[:3]) + (", …" if len(sample) > 3 else "")
