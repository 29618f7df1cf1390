"""The command line's reports: one plain dict per command, the JSON contract of docs/cli.md.

Every value is JSON-ready: dates as "YYYY-MM-DD", missing values as None (never NaN), distances
in km rounded to 0.1. geo.cli.text renders the same dicts as aligned text.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from geo.analysis import spread
from geo.analysis.compare import ESTIMATE_ASSUMES, Comparison
from geo.errors import Problem
from geo.export import unplaced as unplaced_listing
from geo.pipeline import Dataset, read_counts


def validate_report(dataset: Dataset, file: str) -> dict[str, Any]:
    counts = read_counts(dataset)
    return {
        **_source(dataset, file),
        "rows_read": counts.rows_read,
        "rows_loaded": counts.loaded,
        "rows_placed": counts.placed,
        "placed_by": counts.placed_by,
        "problems": [problem_value(p) for p in dataset.problems],
        "duplicates": _duplicate_rows(dataset),
        "unplaced": unplaced_report(dataset),
        "mapping": dict(dataset.mapping),
        "notes": list(dataset.notes),
    }


def summary_report(dataset: Dataset, file: str) -> dict[str, Any]:
    events = dataset.events[dataset.events["region_id"].notna()]
    by_unit = events.groupby("region_id", sort=False).agg(
        events=("event_date", "size"),
        fatalities=("fatalities", "sum"),
        first_date=("event_date", "min"),
        last_date=("event_date", "max"),
    )
    regions = dataset.regions
    codes = (
        regions["iso_3166_2"] if "iso_3166_2" in regions else pd.Series(pd.NA, index=regions.index)
    )
    units = []
    for rid, name, code in zip(regions["region_id"], regions["name_en"], codes, strict=True):
        row = by_unit.loc[rid] if rid in by_unit.index else None
        units.append(
            {
                "unit": str(name),
                "code": str(rid) if _missing(code) else str(code),
                "region_id": str(rid),
                "events": 0 if row is None else int(row["events"]),
                "fatalities": 0 if row is None else int(row["fatalities"]),
                "first_date": None if row is None else _date(row["first_date"]),
                "last_date": None if row is None else _date(row["last_date"]),
            }
        )
    return {
        **_source(dataset, file),
        "rows_loaded": len(dataset.events),
        "rows_placed": len(events),
        "problems": len(dataset.problems),
        "units": units,
        "unplaced": unplaced_report(dataset),
    }


def onsets_report(
    dataset: Dataset,
    file: str,
    table: pd.DataFrame,
    origin: spread.Origin | None,
    types: tuple[str, ...],
    origin_id: str | None,
) -> dict[str, Any]:
    """`table` is the onset table counting `types` (geo.analysis.spread.onsets), measured from
    `origin`: the event `origin_id` if one was chosen."""
    units = [
        {
            "unit": str(row["unit"]),
            "region_id": str(row["region_id"]),
            "onset_date": _date(row["onset_date"]),
            "onset_rank": _int(row["onset_rank"]),
            "days_since_origin": _int(row["days_since_origin"]),
            "distance_km": _km(row["distance_km"]),
            "first_place": _text(row["first_place"]),
        }
        for _, row in _by_rank(table).iterrows()
    ]
    return {
        **_source(dataset, file),
        "event_types": list(types),
        "origin": _origin(origin, origin_id),
        "fit": _fit(spread.spread_speed(table)),
        "units": units,
        "without_onset": [u["unit"] for u in units if u["onset_date"] is None],
    }


def spread_report(
    dataset: Dataset,
    file: str,
    table: pd.DataFrame,
    origin: spread.Origin | None,
    types: tuple[str, ...],
    classes: pd.DataFrame,
    *,
    k: int,
    origin_id: str | None,
) -> dict[str, Any]:
    """`table` as for `onsets_report`; `classes` the diffusion classes over `k` days
    (geo.analysis.spread.diffusion_classes)."""
    tree = spread.spread_tree(table)
    onset_class = classes.set_index(["region_id", "date"])["class"]
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    rows = []
    for _, row in tree.iterrows():
        parent = row["parent_region_id"]
        key = (row["region_id"], row["onset_date"])
        rows.append(
            {
                "unit": str(names[row["region_id"]]),
                "region_id": str(row["region_id"]),
                "onset_date": _date(row["onset_date"]),
                "parent": None if _missing(parent) else str(names[parent]),
                "parent_region_id": None if _missing(parent) else str(parent),
                "parent_onset_date": _date(row["parent_onset_date"]),
                "distance_km": _km(row["distance_km"]),
                "onset_class": _text(onset_class.get(key)),
            }
        )
    rows.sort(key=lambda r: (r["onset_date"], r["unit"]))
    per_day = classes.groupby("date")["class"].value_counts().unstack(fill_value=0)
    per_day = per_day.reindex(columns=list(spread.DIFFUSION_CLASSES), fill_value=0)
    return {
        **_source(dataset, file),
        "event_types": list(types),
        "origin": _origin(origin, origin_id),
        "fit": _fit(spread.spread_speed(table)),
        "tree": rows,
        "k": k,
        "classes_per_day": [
            {
                "date": _date(day),
                "active": int(sum(counts)),
                **{name: int(counts[name]) for name in spread.DIFFUSION_CLASSES},
            }
            for day, counts in per_day.iterrows()
        ],
    }


def export_report(dataset: Dataset, file: str, what: str, out: str, size: int) -> dict[str, Any]:
    return {
        "what": what,
        "out": out,
        "bytes": size,
        "file": file,
        "layout": dataset.layout,
        "attribution": dataset.attribution,
    }


def publish_report(
    dataset: Dataset, file: str, folder: str, sizes: dict[str, int]
) -> dict[str, Any]:
    return {
        "out": folder,
        "files": sizes,
        "bytes": sum(sizes.values()),
        "file": file,
        "layout": dataset.layout,
        "attribution": dataset.attribution,
    }


def compare_report(comparison: Comparison, a_file: str, b_file: str) -> dict[str, Any]:
    """Two sources side by side (geo.analysis.compare): the whole, then one entry per region."""
    c = comparison
    regions = c.regions
    return {
        "km": c.km,
        "days": c.days,
        "first_day": _date(c.first_day),
        "last_day": _date(c.last_day),
        "a": _compared_source(c.a_name, a_file, len(c.a_events), c.a_left_out, c.a_match_rate),
        "b": _compared_source(c.b_name, b_file, len(c.b_events), c.b_left_out, c.b_match_rate),
        "matched": c.matched,
        "a_only": c.a_only,
        "b_only": c.b_only,
        "estimated_total": _round(c.estimated_total, 1),
        "estimate_assumes": ESTIMATE_ASSUMES,
        "onset_rank_correlation": _round(c.onset_rank_correlation, 3),
        "daily_correlation": [
            {"lag_days": lag, "r": _round(r, 3)} for lag, r in c.daily_correlations().items()
        ],
        "regions": [
            {
                "region_id": str(row.region_id),
                "region": str(row.region),
                "a_events": int(row.a_events),
                "b_events": int(row.b_events),
                "matched": int(row.matched),
                "a_only": int(row.a_only),
                "b_only": int(row.b_only),
                "a_onset": _date(row.a_onset),
                "b_onset": _date(row.b_onset),
                "lag_days": _int(row.lag_days),
            }
            for row in regions.itertuples(index=False)
        ],
    }


def _compared_source(
    name: str, file: str, events: int, left_out: int, match_rate: float | None
) -> dict[str, Any]:
    return {
        "name": name,
        "file": file,
        "events": events,
        "left_out": left_out,
        "match_rate": _round(match_rate, 4),
    }


def unusable_report(problems: tuple[Problem, ...]) -> dict[str, Any]:
    """With --json, what made the events unusable, every located problem."""
    return {"error": "no usable events", "problems": [problem_value(p) for p in problems]}


def problem_value(problem: Problem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "message": problem.message,
    }


def _source(dataset: Dataset, file: str) -> dict[str, Any]:
    return {"file": file, "format": dataset.format, "layout": dataset.layout}


def _duplicate_rows(dataset: Dataset) -> list[dict[str, Any]]:
    """Rows counted once with an earlier row of the same event (geo.io.duplicates)."""
    if dataset.duplicates is None:
        return []
    return [
        {
            "row": int(row["source_row"]),
            "duplicate_of": int(row["duplicate_of"]),
            "event_id_cnty": _text(row["event_id_cnty"]),
            "reason": str(row["reason"]),
        }
        for _, row in dataset.duplicates.iterrows()
    ]


def unplaced_report(dataset: Dataset) -> dict[str, Any]:
    """The rows not placed, at any size: how many, by reason (with the first rows of each, in
    file order) and by country; --unplaced FILE.csv writes them all."""
    unplaced = dataset.unplaced
    first = unplaced_listing.first_of_each_reason(unplaced)
    shown = {
        reason: [
            {
                **({"file": str(row.source_file)} if "source_file" in group else {}),
                "row": _int(row.source_row),
                "event_date": _date(row.event_date),
                "location": _text(row.location),
                "admin1": _text(row.admin1),
                "country": _text(row.country),
            }
            for row in group.itertuples(index=False)
        ]
        for reason, group in first.groupby("unplaced_reason", sort=False)
    }
    return {
        "rows": len(unplaced),
        "by_reason": [
            {"reason": str(reason), "rows": int(rows), "first_rows": shown[reason]}
            for reason, rows in unplaced_listing.by_reason(unplaced).itertuples(index=False)
        ],
        "by_country": [
            {"country": _text(country), "rows": int(rows)}
            for country, rows in unplaced_listing.by_country(unplaced).itertuples(index=False)
        ],
    }


def _origin(origin: spread.Origin | None, event_id: str | None) -> dict[str, Any] | None:
    if origin is None:
        return None
    return {
        "date": _date(origin.date),
        "latitude": origin.latitude,
        "longitude": origin.longitude,
        "label": origin.label,
        "event_id": event_id,
    }


def _fit(fit: spread.SpreadFit) -> dict[str, Any]:
    return {
        "km_per_day": _round(fit.km_per_day, 2),
        "intercept_km": _round(fit.intercept_km, 2),
        "r_squared": _round(fit.r_squared, 4),
        "n_units": int(fit.n_units),
        "reason": fit.reason,
    }


def _by_rank(table: pd.DataFrame) -> pd.DataFrame:
    key = pd.DataFrame(
        {
            "missing": table["onset_rank"].isna(),
            "rank": table["onset_rank"].fillna(0).astype("int64"),
            "unit": table["unit"].astype(str),
        }
    )
    order = key.sort_values(["missing", "rank", "unit"], kind="stable").index
    return table.loc[order]


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | list | tuple) and bool(pd.isna(value)))


def _date(value: Any) -> str | None:
    """YYYY-MM-DD; a row set aside unread (geo.io.abroad) keeps its date as its file wrote it
    when that is no plain date."""
    if _missing(value):
        return None
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return str(value)


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _text(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _round(value: Any, digits: int) -> float | None:
    if _missing(value) or not math.isfinite(float(value)):
        return None
    return round(float(value), digits)


def _km(value: Any) -> float | None:
    return _round(value, 1)
