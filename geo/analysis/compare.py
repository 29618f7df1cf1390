"""Two sources side by side: which events they share, region by region, and what that says.

`compare(a, b)` matches the events of two datasets placed in the same boundary layout
(geo.analysis.matching) over the days both cover, and measures how far they agree:

- per region: events in each, matched, only in one, the onset in each and the lag in days;
- for the whole: the share of each source's events the other has too (match rate each way), the
  rank correlation of the order in which regions were first affected, the correlation of daily
  counts when one source is shifted by −3…+3 days, and a capture–recapture estimate of how many
  events there were in all (nA·nB/m, Lincoln–Petersen).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.analysis.matching import DEFAULT_DAYS, DEFAULT_KM, Matches, check_windows, match_events
from geo.analysis.spread import onsets
from geo.errors import ArgumentError

LAGS = range(-3, 4)
"""The day shifts of the daily-count correlation: B's day d + lag against A's day d."""
ESTIMATE_ASSUMES = (
    "This estimate assumes the two sources report events independently and that every event "
    "is as likely as any other to be reported; sources that copy the same wires, or that both "
    "miss the same kinds of events, make the true total larger than it says."
)
REGION_COLUMNS = (
    "region_id",
    "region",
    "a_events",
    "b_events",
    "matched",
    "a_only",
    "b_only",
    "a_onset",
    "b_onset",
    "lag_days",
)


@dataclass(frozen=True)
class Comparison:
    """What `compare` found. `a_events` and `b_events` are the events compared (those on the days
    both cover), `matches` their pairs by row position; `regions` is REGION_COLUMNS, one row per
    unit of the layout (a region's matched events are its events in A that have a partner in B;
    its b_only are its events in B that have none, so a pair across a border counts in each
    source's own region)."""

    a_name: str
    b_name: str
    km: float
    days: int
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    a_events: pd.DataFrame
    b_events: pd.DataFrame
    matches: Matches
    regions: pd.DataFrame
    a_left_out: int
    """Events of A outside the days both cover (not compared)."""
    b_left_out: int
    attribution: str | None = None
    """The credits either source's terms require (ACLED's), for every export of the comparison."""

    @property
    def matched(self) -> int:
        return len(self.matches.pairs)

    @property
    def a_only(self) -> int:
        return len(self.a_events) - self.matched

    @property
    def b_only(self) -> int:
        return len(self.b_events) - self.matched

    @property
    def a_match_rate(self) -> float | None:
        """The share of A's events that B has too."""
        return self.matched / len(self.a_events) if len(self.a_events) else None

    @property
    def b_match_rate(self) -> float | None:
        return self.matched / len(self.b_events) if len(self.b_events) else None

    @property
    def estimated_total(self) -> float | None:
        """Lincoln–Petersen: nA·nB/m; None when no event matched (the estimate is unbounded)."""
        if not self.matched:
            return None
        return len(self.a_events) * len(self.b_events) / self.matched

    @property
    def onset_rank_correlation(self) -> float | None:
        """Spearman's rank correlation of the onset days, over regions with an onset in both
        (ties share their mean rank); None with fewer than 3 such regions or no spread in one."""
        both = self.regions.dropna(subset=["a_onset", "b_onset"])
        if len(both) < 3:
            return None
        return _correlation(both["a_onset"].rank(), both["b_onset"].rank())

    def per_day(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A's and B's events per day of the days both cover: date, matched (events the other
        source has too) and alone (those it alone has)."""
        days = pd.date_range(self.first_day, self.last_day, freq="D")
        return (
            _split_per_day(self.a_events, self.matches.a_matched, days),
            _split_per_day(self.b_events, self.matches.b_matched, days),
        )

    def daily_correlations(self) -> dict[int, float | None]:
        """Pearson's correlation of the two sources' events per day, B shifted by each lag of
        LAGS (lag 1: B's day d+1 against A's day d), over the days both cover."""
        days = pd.date_range(self.first_day, self.last_day, freq="D")
        a_daily = _per_day(self.a_events, days)
        b_daily = _per_day(self.b_events, days)
        out: dict[int, float | None] = {}
        for lag in LAGS:
            shifted = b_daily.shift(-lag)
            present = shifted.notna()
            out[lag] = _correlation(a_daily[present], shifted[present])
        return out


def compare(
    a,
    b,
    *,
    km: float = DEFAULT_KM,
    days: int = DEFAULT_DAYS,
    groups: Mapping[str, str] | None = None,
) -> Comparison:
    """Set dataset `b` beside dataset `a` (geo.pipeline.Dataset, both placed in one layout):
    match their events within `km` and `days` (categories grouped by `groups`, default
    geo.analysis.matching.CATEGORY_GROUPS) over the days both cover, and count per region."""
    km, days = check_windows(km, days)
    if list(a.regions["region_id"]) != list(b.regions["region_id"]):
        raise ArgumentError(
            f"{a.name} and {b.name} are placed in different boundary layouts; place both in one "
            "(the same --regions) to compare them region by region"
        )
    first_day, last_day = _common_days(a, b)
    a_events, a_left_out = _within(a.events, first_day, last_day)
    b_events, b_left_out = _within(b.events, first_day, last_day)
    matches = match_events(a_events, b_events, km=km, days=days, groups=groups)
    regions = _region_table(a, b, a_events, b_events, matches)
    return Comparison(
        a_name=a.name,
        b_name=b.name,
        km=km,
        days=days,
        first_day=first_day,
        last_day=last_day,
        a_events=a_events,
        b_events=b_events,
        matches=matches,
        regions=regions,
        a_left_out=a_left_out,
        b_left_out=b_left_out,
        attribution=" · ".join(dict.fromkeys(filter(None, (a.attribution, b.attribution)))) or None,
    )


def _common_days(a, b) -> tuple[pd.Timestamp, pd.Timestamp]:
    spans = []
    for dataset in (a, b):
        dates = dataset.events["event_date"].dropna().dt.normalize()
        if dates.empty:
            raise ArgumentError(f"{dataset.name} has no dated event placed in a region")
        spans.append((dates.min(), dates.max()))
    first, last = max(s[0] for s in spans), min(s[1] for s in spans)
    if first > last:
        (a0, a1), (b0, b1) = spans
        raise ArgumentError(
            f"the two sources share no day: {a.name} covers {a0:%Y-%m-%d} to {a1:%Y-%m-%d}, "
            f"{b.name} {b0:%Y-%m-%d} to {b1:%Y-%m-%d}"
        )
    return first, last


def _within(
    events: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp
) -> tuple[pd.DataFrame, int]:
    day = events["event_date"].dt.normalize()
    keep = ((day >= first) & (day <= last)).to_numpy()
    return events[keep].reset_index(drop=True), int((~keep).sum())


def _region_table(a, b, a_events, b_events, matches: Matches) -> pd.DataFrame:
    ids = a.regions["region_id"]
    table = pd.DataFrame({"region_id": ids.to_numpy(), "region": a.regions["name_en"].to_numpy()})
    table["a_events"] = _count_by(a_events["region_id"], ids)
    table["b_events"] = _count_by(b_events["region_id"], ids)
    table["matched"] = _count_by(a_events["region_id"][matches.a_matched], ids)
    table["a_only"] = table["a_events"] - table["matched"]
    table["b_only"] = table["b_events"] - _count_by(b_events["region_id"][matches.b_matched], ids)
    table["a_onset"] = _onset_days(a, a_events).to_numpy()
    table["b_onset"] = _onset_days(b, b_events).to_numpy()
    table["lag_days"] = (table["a_onset"] - table["b_onset"]).dt.days.astype("Int64")
    return table[list(REGION_COLUMNS)]


def _count_by(region_ids: pd.Series, ids: pd.Series) -> np.ndarray:
    return region_ids.value_counts().reindex(ids).fillna(0).astype(int).to_numpy()


def _onset_days(dataset, events: pd.DataFrame) -> pd.Series:
    """Each unit's first day of unrest among the compared events, in the layout's order: the
    dataset's own unrest categories (geo.analysis.spread.onsets)."""
    table = onsets(events, dataset.regions, event_types=dataset.unrest_types)
    first = table.set_index("region_id")["onset_date"].reindex(dataset.regions["region_id"])
    return pd.to_datetime(first).dt.normalize()


def _per_day(events: pd.DataFrame, days: pd.DatetimeIndex) -> pd.Series:
    counts = events["event_date"].dt.normalize().value_counts()
    return counts.reindex(days).fillna(0).astype(float)


def _split_per_day(events: pd.DataFrame, matched: np.ndarray, days: pd.DatetimeIndex):
    return pd.DataFrame(
        {
            "date": days,
            "matched": _per_day(events[matched], days).astype(int).to_numpy(),
            "alone": _per_day(events[~matched], days).astype(int).to_numpy(),
        }
    )


def _correlation(x: pd.Series, y: pd.Series) -> float | None:
    """Pearson's r, or None when either side has no variation (or fewer than 3 values)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])
