"""Which events of two sources are the same event: one to one, nearest first.

Two events can match when they lie within `km` of each other (great-circle distance), their days
are at most `days` apart, and their categories fall in the same group (CATEGORY_GROUPS: ACLED's
types, GDELT's CAMEO roots and the record's types). Among the pairs that can match, the nearest
is taken first, then the next nearest whose two events are both still free, and so on (a greedy
matching, as MELTT and xSub do it); a smaller day gap breaks a tie in distance (to the metre).

Events at the same point, on the same day and in the same group are one *site*: they are
interchangeable, so the matching runs over sites with how many events each holds (GDELT puts
thousands of events on a city's centroid), and each site's events are paired in file order.
Among equally near pairs, the site whose first event comes first in its file goes first. The
candidate pairs come from a grid over points on the unit sphere whose cells are as wide as the
distance window, so only neighbouring cells are compared; no step loops over rows in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.errors import ArgumentError

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG): matching measures on the sphere, which within a 1,000 km window
differs from geo.analysis.spread's ellipsoid by well under 1%."""
DEFAULT_KM = 50.0
"""Media-reported events fall within about 50 km of where they happened."""
DEFAULT_DAYS = 1
MAX_DAYS = 14

CATEGORY_GROUPS: dict[str, str] = {
    # ACLED's event types, which the bundled record uses too
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Battles": "Political violence",
    "Violence against civilians": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Strategic developments": "Strategic developments",
    # GDELT's CAMEO root codes, and the families Qantar's GDELT reader names them by
    "14": "Demonstrations",
    "18": "Political violence",
    "19": "Political violence",
    "20": "Political violence",
    "15": "Strategic developments",
    "17": "Strategic developments",
    "Force posture": "Strategic developments",
    "Coercion (incl. arrests)": "Strategic developments",
    **{code: "Statements and demands" for code in ("01", "02", "09", "10", "11", "12", "13")},
    "16": "Statements and demands",
    "Statements and appeals": "Statements and demands",
    "Demands and threats": "Statements and demands",
    **{code: "Cooperation" for code in ("03", "04", "05", "06", "07", "08")},
    "Cooperation": "Cooperation",
}
"""Category -> the group it matches within. ACLED codes an arrest as a strategic development,
so CAMEO's "coerce" (17, which holds arrests) and "exhibit force posture" (15) go there; a
riot and a protest are one group because CAMEO 14 holds both. A category not listed is a group
of its own (it matches only itself); an event without a category matches only another without."""


@dataclass(frozen=True)
class Matches:
    """The pairs of a matching: `pairs` has a_row and b_row (positions in the two tables), km
    (distance) and days (b's day minus a's), one row per pair, in a's row order; `a_matched`
    and `b_matched` say which rows of each table have a partner."""

    pairs: pd.DataFrame
    a_matched: np.ndarray
    b_matched: np.ndarray


def match_events(
    a: pd.DataFrame,
    b: pd.DataFrame,
    *,
    km: float = DEFAULT_KM,
    days: int = DEFAULT_DAYS,
    groups: Mapping[str, str] | None = None,
) -> Matches:
    """Match the events of `a` and `b` one to one, nearest first (see the module's docstring).

    Both need `event_date`, `latitude` and `longitude`; `event_type` is the category when present
    (`groups` maps categories to groups, default CATEGORY_GROUPS). Rows without a day or a point
    never match.
    """
    km, days = check_windows(km, days)
    groups = CATEGORY_GROUPS if groups is None else dict(groups)
    a_sites, b_sites = _sites(a, groups), _sites(b, groups)
    group_codes = _shared_codes(a_sites.group, b_sites.group)
    edges = _candidate_edges(a_sites, b_sites, group_codes, km=km, days=days)
    flows = _greedy_flows(edges, a_sites.count, b_sites.count)
    a_rows, b_rows, rank = _expand(flows, edges, a_sites, b_sites)
    pairs = pd.DataFrame(
        {
            "a_row": a_rows,
            "b_row": b_rows,
            "km": edges["km"][rank],
            "days": edges["gap"][rank],
        }
    )
    pairs = pairs.sort_values("a_row", ignore_index=True)
    a_matched = np.zeros(len(a), dtype=bool)
    b_matched = np.zeros(len(b), dtype=bool)
    a_matched[a_rows] = True
    b_matched[b_rows] = True
    return Matches(pairs=pairs, a_matched=a_matched, b_matched=b_matched)


def check_windows(km: float, days: int) -> tuple[float, int]:
    """`km` and `days` as the matching takes them, or an ArgumentError saying what is allowed."""
    try:
        km = float(km)
    except (TypeError, ValueError):
        km = float("nan")
    if not 0.1 <= km <= 1000:
        raise ArgumentError(f"the distance window must be 0.1 to 1000 km, got {km!r}")
    whole = isinstance(days, int | np.integer) and not isinstance(days, bool)
    if not whole or not 0 <= days <= MAX_DAYS:
        raise ArgumentError(f"the day window must be a whole number 0 to {MAX_DAYS}, got {days!r}")
    return km, int(days)


def category_group(category: object, groups: Mapping[str, str] = CATEGORY_GROUPS) -> str:
    """The group `category` matches within: its entry in `groups`, else itself ("" when none)."""
    if category is None or (isinstance(category, float) and np.isnan(category)):
        return ""
    text = str(category)
    return groups.get(text, text)


@dataclass(frozen=True)
class _Sites:
    """One table's events grouped into sites: the site of each row, and per site its day, group,
    point and how many events it holds; `rows` are the rows sorted by site, then file order."""

    row_site: np.ndarray
    rows: np.ndarray
    start: np.ndarray
    count: np.ndarray
    day: np.ndarray
    group: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


def _sites(events: pd.DataFrame, groups: Mapping[str, str]) -> _Sites:
    day = pd.to_datetime(events["event_date"], errors="coerce").dt.normalize()
    lat = pd.to_numeric(events["latitude"], errors="coerce")
    lon = pd.to_numeric(events["longitude"], errors="coerce")
    usable = (day.notna() & lat.notna() & lon.notna()).to_numpy()
    if "event_type" in events:
        codes, categories = pd.factorize(events["event_type"].astype("string").fillna(""))
        named = [category_group(c, groups) for c in categories]
        group = np.array([*named, ""], dtype=object)[codes]
    else:
        group = np.full(len(events), "", dtype=object)
    if not usable.any():
        none = np.zeros(0, np.int64)
        return _Sites(np.full(len(events), -1), none, none, none, none, group[:0], none, none)
    keys = pd.DataFrame(
        {
            "day": day.to_numpy("datetime64[ns]").astype("int64") // 86_400_000_000_000,
            "group": group,
            "lat": lat.to_numpy(float),
            "lon": lon.to_numpy(float),
        }
    )[usable]
    site_of_usable, _ = pd.factorize(pd.MultiIndex.from_frame(keys), sort=False)
    row_site = np.full(len(events), -1, dtype=np.int64)
    row_site[usable] = site_of_usable
    positions = np.flatnonzero(usable)
    order = np.argsort(site_of_usable, kind="stable")
    count = np.bincount(site_of_usable)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
    firsts = keys.iloc[order[start]]
    return _Sites(
        row_site=row_site,
        rows=positions[order],
        start=start,
        count=count.astype(np.int64),
        day=firsts["day"].to_numpy(np.int64),
        group=firsts["group"].to_numpy(object),
        lat=firsts["lat"].to_numpy(float),
        lon=firsts["lon"].to_numpy(float),
    )


def _shared_codes(a_groups: np.ndarray, b_groups: np.ndarray) -> dict[str, int]:
    return {g: i for i, g in enumerate(pd.unique(np.concatenate([a_groups, b_groups])))}


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Haversine distance in km between points given in degrees (arrays broadcast)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlam = phi2 - phi1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _candidate_edges(
    a: _Sites, b: _Sites, group_codes: dict[str, int], *, km: float, days: int
) -> dict[str, np.ndarray]:
    """Every pair of sites within the windows, as arrays a, b, km and gap, sorted nearest first
    to the metre (then by day gap, then a's site, then b's)."""
    empty = {"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64)}
    if not len(a.count) or not len(b.count):
        return {**empty, "km": np.zeros(0), "gap": np.zeros(0, np.int64)}
    cell = 2 * np.sin(km / (2 * EARTH_RADIUS_KM)) * (1 + 1e-9)
    a_xyz, b_xyz = _unit_vectors(a.lat, a.lon), _unit_vectors(b.lat, b.lon)
    low = np.minimum(a_xyz.min(axis=0), b_xyz.min(axis=0))
    a_cells = np.floor((a_xyz - low) / cell).astype(np.int64) + 1
    b_cells = np.floor((b_xyz - low) / cell).astype(np.int64) + 1
    first_day = min(a.day.min(), b.day.min()) - days
    a_fields = [
        np.array([group_codes[g] for g in a.group], dtype=np.int64),
        a.day - first_day,
        *a_cells.T,
    ]
    b_fields = [
        np.array([group_codes[g] for g in b.group], dtype=np.int64),
        b.day - first_day,
        *b_cells.T,
    ]
    sizes = [len(group_codes)] + [
        int(max(fa.max(), fb.max())) + 2 for fa, fb in zip(a_fields[1:], b_fields[1:], strict=True)
    ]
    sizes[1] += days
    if np.prod([float(s) for s in sizes]) >= 2.0**62:
        raise ArgumentError(
            f"{km} km is too fine a distance window for data spread this widely over so many "
            "days; choose a wider window or fewer days"
        )
    weights = np.cumprod([1, *sizes[:0:-1]])[::-1].astype(np.int64)
    a_key = sum(f * w for f, w in zip(a_fields, weights, strict=True))
    b_key = sum(f * w for f, w in zip(b_fields, weights, strict=True))
    offsets = np.array(
        [
            dd * weights[1] + dx * weights[2] + dy * weights[3] + dz * weights[4]
            for dd in range(-days, days + 1)
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for dz in (-1, 0, 1)
        ],
        dtype=np.int64,
    )
    b_order = np.argsort(b_key, kind="stable")
    b_sorted = b_key[b_order]
    query = (a_key[:, None] + offsets[None, :]).ravel()
    query_site = np.repeat(np.arange(len(a_key)), len(offsets))
    lo = np.searchsorted(b_sorted, query, side="left")
    hi = np.searchsorted(b_sorted, query, side="right")
    hits = hi - lo
    a_site = np.repeat(query_site, hits)
    starts = np.repeat(lo, hits)
    within = np.arange(len(a_site)) - np.repeat(np.cumsum(hits) - hits, hits)
    b_site = b_order[starts + within]
    distance = great_circle_km(a.lat[a_site], a.lon[a_site], b.lat[b_site], b.lon[b_site])
    gap = b.day[b_site] - a.day[a_site]
    keep = (distance <= km) & (np.abs(gap) <= days)
    a_site, b_site, distance, gap = a_site[keep], b_site[keep], distance[keep], gap[keep]
    order = np.lexsort((b_site, a_site, np.abs(gap), np.round(distance, 3)))
    return {"a": a_site[order], "b": b_site[order], "km": distance[order], "gap": gap[order]}


def _greedy_flows(
    edges: dict[str, np.ndarray], a_count: np.ndarray, b_count: np.ndarray
) -> pd.DataFrame:
    """How many events each edge pairs, taking edges nearest first while both sites have events
    left: the greedy matching over sites with capacities.

    It runs in rounds, each accepting every edge that is the first live edge of both its sites
    (such an edge would be taken by the sequential greedy at its turn, with the same capacities
    left, since no earlier live edge touches its sites), so it gives the sequential result with
    a few vectorised passes instead of a loop over edges.
    """
    a_left, b_left = a_count.copy(), b_count.copy()
    live = np.arange(len(edges["a"]))
    taken_edges, taken_flows = [], []
    while len(live):
        ea, eb = edges["a"][live], edges["b"][live]
        position = np.arange(len(live))
        first_a = np.full(len(a_left), len(live))
        first_b = np.full(len(b_left), len(live))
        np.minimum.at(first_a, ea, position)
        np.minimum.at(first_b, eb, position)
        dominant = (first_a[ea] == position) & (first_b[eb] == position)
        flow = np.minimum(a_left[ea[dominant]], b_left[eb[dominant]])
        a_left[ea[dominant]] -= flow
        b_left[eb[dominant]] -= flow
        taken_edges.append(live[dominant])
        taken_flows.append(flow)
        live = live[(a_left[ea] > 0) & (b_left[eb] > 0) & ~dominant]
    if not taken_edges:
        return pd.DataFrame({"edge": np.zeros(0, np.int64), "flow": np.zeros(0, np.int64)})
    return pd.DataFrame({"edge": np.concatenate(taken_edges), "flow": np.concatenate(taken_flows)})


def _expand(
    flows: pd.DataFrame, edges: dict[str, np.ndarray], a: _Sites, b: _Sites
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The event pairs of the taken edges (a's rows, b's rows, and each pair's edge): as the
    sequential greedy takes edges nearest first, each site gives its events in file order."""
    order = np.argsort(flows["edge"].to_numpy(), kind="stable")
    edge, flow = flows["edge"].to_numpy()[order], flows["flow"].to_numpy()[order]
    a_site, b_site = edges["a"][edge], edges["b"][edge]
    step = np.arange(flow.sum()) - np.repeat(np.cumsum(flow) - flow, flow)
    a_first = a.start[a_site] + _used_before(a_site, flow)
    b_first = b.start[b_site] + _used_before(b_site, flow)
    a_rows = a.rows[np.repeat(a_first, flow) + step]
    b_rows = b.rows[np.repeat(b_first, flow) + step]
    return a_rows, b_rows, np.repeat(edge, flow)


def _used_before(site: np.ndarray, flow: np.ndarray) -> np.ndarray:
    """For each taken edge (nearest first), how many of its site's events earlier edges took."""
    taken = pd.Series(flow).groupby(site).cumsum().to_numpy()
    return taken - flow
