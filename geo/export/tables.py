"""Downloads as tables: the region-day table, onsets and the event table as CSV, region-days as
GeoJSON, and the credit lines that every export carries.

Plain data in, bytes out; nothing here touches Streamlit or the file system. The credits are
Qantar's own line (`geo.render.style.DEFAULT_CREDITS`) and, when given, the data provider's
required attribution (for ACLED data: "Armed Conflict Location & Event Data Project (ACLED);
www.acleddata.com, accessed <date>"), verbatim. CSV text cells that a spreadsheet would run as a
formula are neutralised. The pictures (geo.export.pictures) and the standalone page
(geo.export.page) check their arguments and credit themselves with the helpers here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis.spread import Origin
from geo.checks import require_columns
from geo.errors import ExportError
from geo.record.regions import check_regions
from geo.record.tolls import regional_tolls_known_by
from geo.render.style import COUNT_METRICS, DEFAULT_CREDITS

REGION_DAY_COLUMNS = (
    "region_id",
    "region",
    "date",
    "events",
    "fatalities",
    "cumulative_events",
    "cumulative_fatalities",
    "attribution",
)

_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def credit_lines(attribution: str | None = None) -> tuple[str, ...]:
    """The lines every export carries: the data provider's attribution first, then Qantar's."""
    if attribution is not None and not isinstance(attribution, str):
        raise ExportError(f"attribution must be a string or None, got {type(attribution).__name__}")
    given = (attribution or "").strip()
    return (given, DEFAULT_CREDITS) if given else (DEFAULT_CREDITS,)


def region_day_csv(
    counts: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    *,
    attribution: str | None = None,
    tolls: pd.DataFrame | None = None,
) -> bytes:
    """One row per region and day, UTF-8 CSV (no BOM), regions in `regions` order, then by date.

    Columns: region_id, region (name_en), date (YYYY-MM-DD), events, fatalities (reported deaths),
    cumulative_events, cumulative_fatalities (from the first day of `counts`), attribution.

    The credits go into the last column, `attribution`, repeated on every row (the provider's
    attribution and `DEFAULT_CREDITS`, joined by " | "): a `#` comment line would break naive
    readers, and a sidecar file gets lost; a column survives any CSV reader and any row filter.
    Text that a spreadsheet would run as a formula gets a leading apostrophe.

    With `tolls` (`geo.load_official_tolls`), three more columns give the region's official
    toll known by that day, who gave it and when (`geo.regional_tolls_known_by`): a statement
    about the region's whole unrest, kept apart from the event-level `fatalities`.
    """
    check_counts(counts, regions)
    table = _region_day_table(counts, regions)
    if tolls is not None:
        table = _with_official_tolls(table, tolls)
    return _csv_bytes(table, attribution)


def _with_official_tolls(table: pd.DataFrame, tolls: pd.DataFrame) -> pd.DataFrame:
    known = [
        regional_tolls_known_by(tolls, day).assign(date=day)
        for day in sorted(table["date"].unique())
    ]
    by_day = pd.concat(known, ignore_index=True)[
        ["region_id", "date", "deaths", "given_by", "given_on"]
    ]
    by_day = by_day.assign(given_on=by_day["given_on"].dt.strftime("%Y-%m-%d")).rename(
        columns={
            "deaths": "official_toll",
            "given_by": "official_toll_given_by",
            "given_on": "official_toll_given_on",
        }
    )
    merged = table.merge(by_day, on=["region_id", "date"], how="left", validate="one_to_one")
    return merged.astype({"official_toll": "Int64"})


def onset_csv(
    onset_table: pd.DataFrame, origin: Origin | None, *, attribution: str | None = None
) -> bytes:
    """The onset table (`geo.analysis.spread.onsets`) as UTF-8 CSV, dates as YYYY-MM-DD, missing as
    empty.

    With the `origin` it was measured from, origin_date, origin_latitude, origin_longitude and
    origin_label columns say where distance_km and days_since_origin are measured from.
    Credits: a final `attribution` column, as in `region_day_csv`.
    """
    check_columns(onset_table, "onset_table", ("region_id", "onset_date"))
    table = _with_origin(onset_table, origin)
    return _csv_bytes(table, attribution)


def comparison_csv(comparison) -> bytes:
    """The "Sources compared" table (geo.analysis.compare.REGION_COLUMNS) as UTF-8 CSV, one row
    per region, then a row for the whole (region_id "all"); both sources' names and the windows
    in every row, so the file says what was compared; credits as in `region_day_csv`, with
    either source's required credit (comparison.attribution)."""
    table = comparison.regions.copy()
    whole = {
        "region_id": "all",
        "region": "All regions",
        **{c: int(table[c].sum()) for c in ("a_events", "b_events", "matched", "a_only", "b_only")},
        "a_onset": table["a_onset"].min(),
        "b_onset": table["b_onset"].min(),
    }
    whole["lag_days"] = (
        (whole["a_onset"] - whole["b_onset"]).days
        if pd.notna(whole["a_onset"]) and pd.notna(whole["b_onset"])
        else pd.NA
    )
    table = pd.concat([table, pd.DataFrame([whole])], ignore_index=True)
    table = table.assign(
        a_source=comparison.a_name,
        b_source=comparison.b_name,
        km=comparison.km,
        days=comparison.days,
        first_day=comparison.first_day,
        last_day=comparison.last_day,
    ).astype({"lag_days": "Int64"})
    return _csv_bytes(_with_plain_dates(table), comparison.attribution)


def event_table_csv(table: pd.DataFrame, *, attribution: str | None = None) -> bytes:
    """The cleaned event table (`geo.export.event_table.event_table`) as UTF-8 CSV: one row per
    input row, missing values empty. Credits: a final `attribution` column, as in
    `region_day_csv`."""
    return _csv_bytes(table, attribution)


def region_days_geojson(
    counts: pd.DataFrame, regions: gpd.GeoDataFrame, *, attribution: str | None = None
) -> bytes:
    """A GeoJSON FeatureCollection (UTF-8): one feature per region with its daily series.

    Feature properties: region_id, name (name_en), dates (YYYY-MM-DD), events and fatalities
    (lists aligned with dates), total_events, total_fatalities. Geometry as in `regions`
    (EPSG:4326, which is GeoJSON's own CRS). Top level: "attribution" (the credit lines joined by
    " | ") and "credits" (the same lines as a list).
    """
    check_regions(regions, "regions")
    check_counts(counts, regions)
    days, series = _daily_series(counts, regions)
    features = [
        {
            "type": "Feature",
            "id": str(rid),
            "properties": {
                "region_id": str(rid),
                "name": str(name),
                "dates": days,
                "events": series["events"][rid],
                "fatalities": series["fatalities"][rid],
                "total_events": sum(series["events"][rid]),
                "total_fatalities": sum(series["fatalities"][rid]),
            },
            "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
        }
        for rid, name, geometry in zip(
            regions["region_id"], regions["name_en"], regions.geometry, strict=True
        )
    ]
    lines = credit_lines(attribution)
    collection = {
        "type": "FeatureCollection",
        "attribution": " | ".join(lines),
        "credits": list(lines),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def check_columns(frame: pd.DataFrame, name: str, required: Sequence[str]) -> None:
    """`frame` is a DataFrame with the `required` columns (ExportError naming those missing)."""
    require_columns(frame, name, required, error=ExportError)


def check_counts(counts: pd.DataFrame, regions: gpd.GeoDataFrame) -> None:
    """`counts` is a non-empty region-day table (`geo.region_day_counts`) of these `regions`."""
    check_columns(counts, "counts", ("region_id", "date", "events", "fatalities"))
    check_columns(regions, "regions", ("region_id", "name_en", "geometry"))
    if counts.empty:
        raise ExportError("counts has no rows: there is nothing to export")
    if not pd.api.types.is_datetime64_any_dtype(counts["date"]):
        raise ExportError(
            f"counts column 'date' must be datetime64 (as region_day_counts makes it), "
            f"got {counts['date'].dtype}"
        )
    known = set(regions["region_id"])
    unknown = sorted(str(r) for r in counts["region_id"].unique() if r not in known)
    if unknown:
        raise ExportError(
            f"counts has region_id value(s) {unknown[:10]} that are not in regions "
            f"(allowed: {sorted(map(str, known))}); count with the same regions"
        )


def _region_day_table(counts: pd.DataFrame, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    names = pd.DataFrame({"region_id": regions["region_id"], "region": regions["name_en"]})
    order = pd.Series(range(len(names)), index=names["region_id"])
    table = counts[["region_id", "date", "events", "fatalities"]].merge(
        names, on="region_id", how="left", validate="many_to_one"
    )
    table = table.assign(_order=table["region_id"].map(order)).sort_values(
        ["_order", "date"], kind="stable", ignore_index=True
    )
    by_region = table.groupby("region_id", sort=False)
    table["cumulative_events"] = by_region["events"].cumsum().astype("int64")
    table["cumulative_fatalities"] = by_region["fatalities"].cumsum().astype("int64")
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    return table[list(REGION_DAY_COLUMNS[:-1])]


def _with_origin(onset_table: pd.DataFrame, origin: Origin | None) -> pd.DataFrame:
    table = onset_table.copy()
    if origin is not None:
        table["origin_date"] = pd.Timestamp(origin.date)
        table["origin_latitude"] = float(origin.latitude)
        table["origin_longitude"] = float(origin.longitude)
        table["origin_label"] = str(origin.label)
    return _with_plain_dates(table)


def _with_plain_dates(table: pd.DataFrame) -> pd.DataFrame:
    """Every date column as YYYY-MM-DD text (missing stays missing)."""
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.strftime("%Y-%m-%d")
    return table


def _csv_bytes(table: pd.DataFrame, attribution: str | None) -> bytes:
    table = _spreadsheet_safe(table.assign(attribution=" | ".join(credit_lines(attribution))))
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a
    leading apostrophe, as OWASP advises against CSV injection; numbers are left alone."""
    table = table.copy()
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string")
        risky = text.str.contains(_FORMULA_START, na=False).to_numpy(dtype=bool)
        if risky.any():
            table[column] = values.astype(object).where(~risky, "'" + text.astype(object))
    return table


def _daily_series(
    counts: pd.DataFrame, regions: gpd.GeoDataFrame
) -> tuple[list[str], dict[str, dict]]:
    days = sorted(counts["date"].drop_duplicates())
    series = {}
    for metric in COUNT_METRICS:
        wide = counts.pivot_table(
            index="region_id", columns="date", values=metric, aggfunc="sum", fill_value=0
        )
        wide = wide.reindex(index=regions["region_id"], columns=days, fill_value=0)
        series[metric] = {rid: [int(v) for v in row] for rid, row in wide.iterrows()}
    return [pd.Timestamp(d).strftime("%Y-%m-%d") for d in days], series
