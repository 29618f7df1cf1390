"""GDELT event files: GDELT 1.0 (57 or 58 tab-separated fields) and 2.0 (61), without a header,
or the events table with a header row (as BigQuery exports it).

Places come from the ActionGeo_* fields only, CAMEO root codes become event types (the unrest
roots as ACLED's types, so that onsets count them), and rows located only at a country's centroid
are kept but marked `country_level`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.errors import EventDataError, Problem
from geo.io.abroad import set_aside
from geo.io.raw import RawEvents, read_table
from geo.io.sources import Source, decode
from geo.record.countries import country_codes

_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")
_GDELT_GEO2 = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)
_GDELT_HEAD = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{part}" for n in (1, 2) for part in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
    )),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip
_GEO_WHO = ("Actor1", "Actor2", "Action")
GDELT_COLUMNS: dict[int, tuple[str, ...]] = {
    57: (*_GDELT_HEAD, *(f"{w}Geo_{p}" for w in _GEO_WHO for p in _GDELT_GEO), "DATEADDED"),
    58: (
        *_GDELT_HEAD,
        *(f"{w}Geo_{p}" for w in _GEO_WHO for p in _GDELT_GEO),
        "DATEADDED",
        "SOURCEURL",
    ),
    61: (
        *_GDELT_HEAD,
        *(f"{w}Geo_{p}" for w in _GEO_WHO for p in _GDELT_GEO2),
        "DATEADDED",
        "SOURCEURL",
    ),
}
"""Column order of GDELT 1.0 event files (57 before April 2013, then 58) and GDELT 2.0 (61)."""
GDELT_MAPPING = {
    "event_id_cnty": "GLOBALEVENTID",
    "event_date": "SQLDATE",
    "actor1": "Actor1Name",
    "actor2": "Actor2Name",
    "event_type": "EventRootCode",
    "location": "ActionGeo_FullName",
    "latitude": "ActionGeo_Lat",
    "longitude": "ActionGeo_Long",
    "admin1_code": "ActionGeo_ADM1Code",
    "source_url": "SOURCEURL",
    "country": "ActionGeo_CountryCode",
}
CAMEO_ROOTS: dict[str, tuple[str, str]] = {
    "01": ("Make public statement", "Statements and appeals"),
    "02": ("Appeal", "Statements and appeals"),
    "03": ("Express intent to cooperate", "Cooperation"),
    "04": ("Consult", "Cooperation"),
    "05": ("Engage in diplomatic cooperation", "Cooperation"),
    "06": ("Engage in material cooperation", "Cooperation"),
    "07": ("Provide aid", "Cooperation"),
    "08": ("Yield", "Cooperation"),
    "09": ("Investigate", "Statements and appeals"),
    "10": ("Demand", "Demands and threats"),
    "11": ("Disapprove", "Demands and threats"),
    "12": ("Reject", "Demands and threats"),
    "13": ("Threaten", "Demands and threats"),
    "14": ("Protest", "Protests"),
    "15": ("Exhibit force posture", "Force posture"),
    "16": ("Reduce relations", "Demands and threats"),
    "17": ("Coerce", "Coercion (incl. arrests)"),
    "18": ("Assault", "Violence against civilians"),
    "19": ("Fight", "Battles"),
    "20": ("Use unconventional mass violence", "Violence against civilians"),
}
"""CAMEO root code -> (root name, event_type). The unrest roots (CAMEO_UNREST) take the ACLED
type of such events, so that onsets count them; the others a readable family that does not."""
CAMEO_UNREST = ("14", "18", "19", "20")
"""Protest; assault (abduction, beating, killing), fight (armed clashes), mass violence."""


def read_gdelt(file: Source, mapping: dict[str, str] | None) -> RawEvents:
    """A GDELT event file; its layout is fixed, so `mapping` is not used."""
    first = decode(file.head())[0].lstrip("\ufeff").splitlines()
    if first and is_gdelt_header(first[0]):
        return _read_gdelt_with_header(file)
    width = len(first[0].split("\t")) if first else 0
    if width not in GDELT_COLUMNS:
        raise EventDataError(
            [
                Problem(
                    file.name,
                    1,
                    None,
                    None,
                    f"expected a GDELT event file with 57, 58 (GDELT 1.0) or 61 (GDELT 2.0) "
                    f"tab-separated fields, got {width}",
                )
            ]
        )
    names = list(GDELT_COLUMNS[width])
    wanted = [c for c in _GDELT_READ if c in names]
    frame, rows, notes, problems = read_table(
        file,
        delimiter="\t",
        header=False,
        names=names,
        keep=lambda _: wanted,
        quoting=False,
        rescue=_gdelt_1_row if width in (57, 58) else None,
    )
    version = "2.0" if width == 61 else "1.0"
    label = f"GDELT {version} event file ({width} columns)"
    if width in (57, 58):
        label += "; rows of 57 fields (before April 2013) and 58 fields read alike"
    return _gdelt_raw(file.name, frame, rows, label, notes[1:], problems)


_GDELT_READ = (*GDELT_MAPPING.values(), "ActionGeo_Type", "EventCode", "DATEADDED")
"""GDELT columns the importer reads."""
_GDELT_NAMES = {n.lower(): n for columns in GDELT_COLUMNS.values() for n in columns}


def is_gdelt_header(line: str) -> bool:
    """A header row naming GDELT's columns (BigQuery and other exports of the events table)."""
    header = {h.strip().strip('"').lower() for h in re.split(r"[,;\t]", line)}
    return "globaleventid" in header and bool({"sqldate", "dateadded"} & header)


def _gdelt_1_row(fields: list[str]) -> dict[str, str] | None:
    """A GDELT 1.0 row of either width (57 fields before April 2013, 58 with SOURCEURL after)."""
    names = GDELT_COLUMNS.get(len(fields)) if len(fields) in (57, 58) else None
    if names is None:
        return None
    return {n: (v if v != "" else None) for n, v in zip(names, fields, strict=True)}


def _read_gdelt_with_header(file: Source) -> RawEvents:
    wanted = {c.lower() for c in _GDELT_READ}
    frame, rows, notes, problems = read_table(
        file, keep=lambda names: [n for n in names if n.strip().lower() in wanted]
    )
    frame = frame.rename(columns=lambda c: _GDELT_NAMES[c.strip().lower()])
    label = "GDELT events table with a header row (as BigQuery exports it)"
    date_column = "SQLDATE"
    if "SQLDATE" not in frame:
        date_column = "DATEADDED"
        label += "; no SQLDATE, so the day is DATEADDED, a UTC time"
    return _gdelt_raw(file.name, frame, rows, label, notes, problems, date_column=date_column)


def _gdelt_raw(
    file: str,
    frame: pd.DataFrame,
    rows: np.ndarray,
    label: str,
    notes: list[str],
    problems: list[Problem],
    *,
    date_column: str = "SQLDATE",
) -> RawEvents:
    """The canonical table of GDELT's events: ActionGeo_* places, CAMEO roots as types. Rows
    whose ActionGeo country is another country's are set aside first (geo.io.abroad)."""
    for column in _GDELT_READ:
        if column not in frame:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    country = country_codes(frame["ActionGeo_CountryCode"], coding="fips")
    named = pd.DataFrame(
        {
            "event_id_cnty": frame["GLOBALEVENTID"],
            "event_date": frame[date_column],
            "location": frame["ActionGeo_FullName"],
        }
    )
    keep, outside, abroad_notes = set_aside(named, rows, country)
    if not keep.all():
        frame, rows = frame.loc[keep].reset_index(drop=True), rows[keep]
        country = country.loc[keep].reset_index(drop=True)
    used = dict(GDELT_MAPPING, event_date=date_column)
    geo_type = pd.to_numeric(frame["ActionGeo_Type"], errors="coerce")
    country_level = (geo_type == 1).to_numpy()
    adm1_only = geo_type.isin([2, 5]).to_numpy()
    lat = pd.to_numeric(frame["ActionGeo_Lat"], errors="coerce")
    lon = pd.to_numeric(frame["ActionGeo_Long"], errors="coerce")
    null_island = ((lat == 0) & (lon == 0)).to_numpy()
    root = frame["EventRootCode"].str.strip().str.zfill(2)
    out = pd.DataFrame({target: frame[column] for target, column in used.items()})
    out["event_type"] = root.map({k: v[1] for k, v in CAMEO_ROOTS.items()})
    out["sub_event_type"] = root.map({k: f"{v[0]} (CAMEO {k})" for k, v in CAMEO_ROOTS.items()})
    out["source"] = out["source_url"].str.extract(r"^[a-z]+://(?:www\.)?([^/]+)", flags=re.I)[0]
    out.loc[adm1_only | null_island, ["latitude", "longitude"]] = pd.NA
    out["geo_precision"] = np.where(adm1_only, "3", np.where(geo_type.isin([3, 4]), "1", ""))
    out.pop("country")  # read above, as ISO codes
    extras = pd.DataFrame(
        {
            "country": country,
            "country_level": country_level,
            "gdelt_geo_type": geo_type.astype("Int8"),
            "cameo_code": frame["EventCode"].astype("string"),
        }
    )
    day = (
        "the event day is SQLDATE (DATEADDED, the ingest time, is ignored)"
        if date_column == "SQLDATE"
        else "the event day is DATEADDED taken in the event region's local time"
    )
    notes = [
        f"{label}: {day}; places from the ActionGeo_* fields (never Actor1Geo_*/Actor2Geo_*)",
        "event_type from the CAMEO root code; these count as unrest for onsets: "
        + ", ".join(f"{k} {CAMEO_ROOTS[k][0]} -> {CAMEO_ROOTS[k][1]}" for k in CAMEO_UNREST)
        + "; other roots get a readable family (17 Coercion (incl. arrests), ...) that does "
        "not count; sub_event_type names the root and its code",
        f"{int(country_level.sum())} row(s) located only at the country's centroid "
        "(ActionGeo_Type 1) are kept with country_level=True and left out of regional views",
        f"{int(adm1_only.sum())} row(s) located only at a first-level unit (ActionGeo_Type 5) "
        "are placed by their ActionGeo_ADM1Code, not by the unit's centroid point",
        *abroad_notes,
        *notes,
    ]
    if null_island.any():
        notes.append(
            f"{int(null_island.sum())} row(s) with ActionGeo coordinates 0,0 (GDELT's 'no "
            "location') are placed by their ADM1 code or place name, if any, not at 0,0"
        )
    return RawEvents(
        out,
        rows,
        dict(used, event_type="EventRootCode"),
        file,
        "gdelt",
        notes,
        problems,
        extras,
        utc=date_column == "DATEADDED",
        outside=outside,
    )
