"""Files of any other layout: CSV, XLSX (its first sheet) and GeoJSON (properties and geometry).

Their columns are mapped to the canonical ones as the person gave (`mapping`) or guessed from the
headers (geo.io.mapping); coordinates may also come from one "lat, lon" column or from the
geometries, and decimal commas are read. An XLSX workbook that is an ACLED export is read as one
(geo.io.acled).
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from geo.errors import EventDataError, Problem
from geo.io.acled import acled_columns, acled_raw, looks_like_acled
from geo.io.columns import column_samples, sampled
from geo.io.dates import is_utc_header
from geo.io.mapping import checked_mapping, describe_mapping, guess_mapping, header_key
from geo.io.raw import RawEvents, read_table, unique_names
from geo.io.sources import Source, decode

_CYRILLIC = re.compile(r"[А-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def read_csv(file: Source, mapping: dict[str, str] | None) -> RawEvents:
    """A delimited text file of any layout."""
    frame, rows, notes, problems = read_table(file)
    return _mapped(frame, rows, file.name, mapping, notes, problems, format="csv")


def read_xlsx(file: Source, mapping: dict[str, str] | None) -> RawEvents:
    """The first sheet of a workbook, its cells as text (dates in ISO form)."""
    sheets = pd.read_excel(
        io.BytesIO(file.read()), sheet_name=None, dtype=object, header=0, engine="openpyxl"
    )
    if not sheets:
        raise EventDataError.of_file(file.name, "the workbook has no sheets")
    sheet, frame = next(iter(sheets.items()))
    frame.columns = unique_names([str(c) for c in frame.columns])
    notes = [
        f"sheet {sheet!r} read"
        + (f" ({len(sheets) - 1} other sheet(s) ignored)" if len(sheets) > 1 else "")
    ]
    frame = frame.apply(_cells_to_text)
    rows = np.arange(1, len(frame) + 1)
    names = list(frame.columns)
    if looks_like_acled({n.strip().lower() for n in names}):
        chosen = acled_columns(names, mapping, file.name)
        return acled_raw(file.name, frame, rows, chosen, names, ["ACLED workbook", *notes], [])
    return _mapped(frame, rows, file.name, mapping, notes, [], format="xlsx")


def _cells_to_text(column: pd.Series) -> pd.Series:
    def text(cell: object) -> object:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NaT:
            return pd.NA
        if hasattr(cell, "isoformat"):
            return cell.isoformat(sep=" ") if hasattr(cell, "hour") else cell.isoformat()
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell)

    return column.map(text).astype("string")


def read_geojson(file: Source, mapping: dict[str, str] | None) -> RawEvents:
    """A FeatureCollection (or one Feature): a row per feature, located by its geometry."""
    text, _ = decode(file.read())
    document = json.loads(text)
    features = document.get("features") if isinstance(document, dict) else None
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    if not isinstance(features, list):
        raise EventDataError.of_file(
            file.name, "expected a GeoJSON FeatureCollection with a 'features' list"
        )
    records, rows, problems = [], [], []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        point = _point(geometry)
        if not isinstance(properties, dict | None) or point is False:
            problems.append(
                Problem(
                    file.name,
                    number,
                    "geometry",
                    json.dumps(geometry)[:80],
                    "expected a Feature with a valid GeoJSON geometry (or null) and properties",
                )
            )
            continue
        record = {str(k): (None if v is None else str(v)) for k, v in (properties or {}).items()}
        record["__lon"], record["__lat"], record["__precision"] = point or (None, None, None)
        records.append(record)
        rows.append(number)
    frame = pd.DataFrame.from_records(records).astype("string") if records else pd.DataFrame()
    if frame.empty:
        raise EventDataError(problems or [Problem(file.name, None, None, None, "no features")])
    raw = _mapped(
        frame.drop(columns=["__lon", "__lat", "__precision"]),
        np.array(rows),
        file.name,
        mapping,
        ["coordinates from the geometries"],
        problems,
        format="geojson",
    )
    raw.frame["longitude"], raw.frame["latitude"] = frame["__lon"], frame["__lat"]
    raw.mapping.update(longitude="geometry", latitude="geometry")
    areas = frame["__precision"].notna() & (frame["__precision"] != "1")
    if areas.any():
        lowered = pd.to_numeric(frame["__precision"].where(areas), errors="coerce")
        if "geo_precision" in raw.frame:  # the coarser of the file's precision and the shape's
            given = pd.to_numeric(raw.frame["geo_precision"], errors="coerce")
            lowered = given.where(~areas, np.fmax(given, lowered))
        raw.frame["geo_precision"] = lowered.astype("Int8").astype("string")
        raw.notes.append(
            f"{int(areas.sum())} feature(s) with a line or area geometry placed at a "
            "representative point inside it, with a lower place precision (geo_precision 2 "
            "under 0.25 degrees across, else 3), not as exact points"
        )
    return raw


def _point(geometry: object) -> tuple[str, str, str] | bool | None:
    """(lon, lat, geo_precision) of a geometry: a Point as given (precision 1), any other type
    at a representative point inside it (2 when under 0.25 degrees across, else 3); None for a
    null geometry, False for one that is not valid GeoJSON."""
    if geometry is None:
        return None
    if not isinstance(geometry, dict):
        return False
    if geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            return False
        return str(coordinates[0]), str(coordinates[1]), "1"
    try:
        shape = shapely.geometry.shape(geometry)
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
        return False
    if shape.is_empty:
        return None
    point = shape.representative_point()
    west, south, east, north = shape.bounds
    precision = "2" if max(east - west, north - south) < 0.25 else "3"
    return str(point.x), str(point.y), precision


def _mapped(
    frame: pd.DataFrame,
    rows: np.ndarray,
    file: str,
    mapping: dict[str, str] | None,
    notes: list[str],
    problems: list[Problem],
    *,
    format: str,
) -> RawEvents:
    """Rename the user's columns to canonical ones, from `mapping` or guessed from the headers."""
    names = [str(c) for c in frame.columns]
    given = checked_mapping(mapping or {}, names, file)
    if given:
        notes.append("columns mapped as given: " + describe_mapping(given))
    passed_over: list[str] = []
    rest = [n for n in names if n not in given.values()]
    guessed = {t: c for t, c in guess_mapping(rest, frame, passed_over).items() if t not in given}
    described = ", ".join(
        f"{target} <- {column!r} (e.g. {sampled(frame[column])})"
        for target, column in guessed.items()
    )
    label = "other columns guessed" if given else "columns guessed from the headers"
    notes.append(f"{label}: " + (described or "none"))
    notes.extend(passed_over)
    chosen = {**guessed, **given}
    if "event_date" not in chosen:
        found = ", ".join(names[:20])
        message = (
            "no date column found; name it date/дата/күні or pass "
            f"mapping={{'event_date': <column>}} (columns found: {found})"
        )
        raise EventDataError([Problem(file, None, "event_date", None, message)])
    out = pd.DataFrame({target: frame[column] for target, column in chosen.items()})
    if not {"latitude", "longitude"} <= set(chosen):
        out = _split_point_column(frame, out, chosen, notes)
    for target in ("latitude", "longitude", "fatalities"):
        if target in out:
            out[target] = _decimal_comma(out[target])
    timed_by = chosen.get("time", chosen["event_date"])  # a separate time column says the zone
    utc = is_utc_header(timed_by)
    others = [n for n in names if n not in (chosen["event_date"], timed_by) and is_utc_header(n)]
    if utc:
        notes.append(
            f"times in {timed_by!r} are UTC (its name says so): each is converted to "
            "the local time of the event's region before its day is taken"
        )
    elif others and "time" not in chosen:
        notes.append(
            f"dates from {chosen['event_date']!r} (local time); the UTC column(s) "
            f"{', '.join(map(repr, others))} are not used"
        )
    if "time" in out:
        time = out.pop("time").fillna("")
        out["event_date"] = (out["event_date"].fillna("") + " " + time).str.strip()
    headers = " ".join(names)
    dayfirst = bool(_CYRILLIC.search(headers)) or "CP1251" in " ".join(notes)
    if not dayfirst:
        sample = frame.head(200).astype("string").fillna("")
        dayfirst = any(bool(sample[c].str.contains(_CYRILLIC).any()) for c in sample.columns)
    samples = column_samples(frame)
    return RawEvents(
        out,
        rows,
        chosen,
        file,
        format,
        notes,
        problems,
        dayfirst=dayfirst,
        utc=utc,
        file_columns=samples,
    )


_POINT_TEXT = r"^\s*[(\[]?\s*-?\d{1,3}(?:\.\d+)?\s*[,;\s]\s*-?\d{1,3}(?:\.\d+)?\s*[)\]]?\s*$"
_POINT_PARTS = r"(-?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)"


def _split_point_column(
    frame: pd.DataFrame, out: pd.DataFrame, chosen: dict[str, str], notes: list[str]
) -> pd.DataFrame:
    """Coordinates from one column holding both ("43.35, 52.86"): latitude first unless the
    header names longitude first ("lon,lat", "lng_lat")."""
    taken = {column for target, column in chosen.items() if target != "location"}
    for column in frame.columns:
        if column in taken:
            continue
        sample = frame[column].head(200).astype("string").str.strip().replace("", pd.NA).dropna()
        decimal = sample.str.contains(".", regex=False).any()
        if sample.empty or not (decimal and sample.str.fullmatch(_POINT_TEXT).all()):
            continue
        parts = frame[column].astype("string").str.extract(_POINT_PARTS)
        key = header_key(str(column))
        lon_first = re.search(r"(lon|lng|long|x)_?(lat|y)\b", key) is not None
        first, second = ("longitude", "latitude") if lon_first else ("latitude", "longitude")
        out = out.assign(**{first: parts[0], second: parts[1]})
        if chosen.get("location") == column:
            out = out.drop(columns="location")
            del chosen["location"]
        chosen.update(latitude=str(column), longitude=str(column))
        notes.append(
            f"coordinates from the single column {column!r} ({first}, {second}), "
            f"e.g. {sample.iloc[0]!r}"
        )
        return out
    return out


def _decimal_comma(values: pd.Series) -> pd.Series:
    """Numbers written with a decimal comma ("43,35") as text with a decimal point."""
    text = values.astype("string").str.strip()
    comma = text.str.fullmatch(r"-?\d+,\d+").fillna(False)
    return text.where(~comma, text.str.replace(",", ".", regex=False)) if comma.any() else text
