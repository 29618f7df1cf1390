"""Official death tolls: what an authority said the dead numbered, for a region or the nation.

These are statements, not events: "164 dead since the unrest began (Health Ministry, 9 January)"
covers many days and places and is later revised, so it must never be summed with, or shown as,
the deaths the event rows report. Each row of `data/events/kz_jan2022_official_tolls.csv` is one
such statement with its scope, the period it covers, who gave it, when, and the pages it comes
from; `load_official_tolls` checks all of that, and `regional_tolls_known_by` picks, for a day,
the latest figure each region had by then (for a map layer distinct from event deaths).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import ArgumentError, EventDataError, Problem
from geo.paths import DATA_DIR
from geo.record.tables import read_text_csv
from geo.schema import is_web_link

TOLLS_CSV = DATA_DIR / "events" / "kz_jan2022_official_tolls.csv"
TOLL_COLUMNS = ("scope", "region_id", "period_start", "period_end", "deaths", "covers",
                "given_by", "given_on", "source_url", "notes")  # fmt: skip
TOLL_SCOPES = ("national", "region-period")
"""national: the whole country; region-period: one first-level unit (region_id) over the period."""
TOLL_COVERS = ("everyone", "security forces", "attackers")
"""Whose deaths a figure counts: all the dead, only police and soldiers, or only the people the
authorities said their forces killed ("armed criminals"). Only "everyone" figures are tolls to
show as such; the partial ones are kept because they are what officials said first."""
_DATE_COLUMNS = ("period_start", "period_end", "given_on")
_OPTIONAL = ("region_id", "period_end", "given_on")
"""Empty allowed: region_id for national rows (required for regional ones); period_end and
given_on when the pages do not say (the row's notes say so)."""


def load_official_tolls(
    path: str | Path = TOLLS_CSV, *, region_ids: set[str] | None = None
) -> pd.DataFrame:
    """The official tolls, one row per statement, checked; `EventDataError` names each bad cell.

    `region_ids` are the units a regional row may name; by default those of the January 2022
    layout (`geo.load_regions("2022-01")`). Columns as in the file, with `deaths` an integer and
    the three dates datetime64 (NaT where the pages give none), sorted by given_on (undated last).
    """
    path = Path(path)
    raw = read_text_csv(path)
    missing = [c for c in TOLL_COLUMNS if c not in raw.columns]
    if missing:
        raise EventDataError.of_file(
            path.name, f"missing column(s) {missing}; a tolls file needs {list(TOLL_COLUMNS)}"
        )
    if region_ids is None:
        from geo.record.regions import load_regions

        region_ids = set(load_regions("2022-01")["region_id"])
    problems = _problems(raw, path.name, region_ids)
    if problems:
        raise EventDataError(problems)
    return _parsed(raw)


def regional_tolls_known_by(tolls: pd.DataFrame, date) -> pd.DataFrame:
    """Each region's latest official toll of all deaths (covers "everyone") given on or before
    `date` (a day; time ignored).

    One row per region that has one: region_id, deaths, given_by, given_on, period_start,
    period_end, source_url. Undated statements are never "known by" a date. When two figures for
    a region were given the same day, the larger is kept (the later count in the pages read).
    """
    day = pd.Timestamp(date).normalize()
    known = tolls[
        (tolls["scope"] == "region-period")
        & (tolls["covers"] == "everyone")
        & (tolls["given_on"] <= day)
    ]
    latest = known.sort_values(["region_id", "given_on", "deaths"]).groupby("region_id").tail(1)
    columns = ["region_id", "deaths", "given_by", "given_on", "period_start", "period_end",
               "source_url"]  # fmt: skip
    return latest[columns].sort_values("region_id").reset_index(drop=True)


def national_tolls(tolls: pd.DataFrame, covers: str = "everyone") -> pd.DataFrame:
    """The national figures counting `covers` in the order they were given (undated ones last)."""
    if covers not in TOLL_COVERS:
        raise ArgumentError(f"covers must be one of {list(TOLL_COVERS)}, got {covers!r}")
    national = tolls[(tolls["scope"] == "national") & (tolls["covers"] == covers)]
    return national.sort_values("given_on", na_position="last").reset_index(drop=True)


def _problems(raw: pd.DataFrame, file: str, region_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []

    def bad(index: int, column: str, message: str) -> None:
        value = raw.at[index, column]
        shown = None if pd.isna(value) else str(value)
        problems.append(Problem(file, index + 1, column, shown, message))

    for index, row in raw.iterrows():
        for column in TOLL_COLUMNS:
            if column not in _OPTIONAL and column != "notes" and pd.isna(row[column]):
                bad(index, column, "must not be empty")
        if row["scope"] not in TOLL_SCOPES and not pd.isna(row["scope"]):
            bad(index, "scope", f"expected one of {list(TOLL_SCOPES)}")
        if row["covers"] not in TOLL_COVERS and not pd.isna(row["covers"]):
            bad(index, "covers", f"expected one of {list(TOLL_COVERS)}")
        regional = row["scope"] == "region-period"
        if regional and row["region_id"] not in region_ids:
            bad(index, "region_id", "a regional toll needs a region_id of the 2022-01 layout")
        if row["scope"] == "national" and not pd.isna(row["region_id"]):
            bad(index, "region_id", "a national toll has no region_id")
        if not pd.isna(row["deaths"]) and not str(row["deaths"]).isdigit():
            bad(index, "deaths", "expected a whole number >= 0")
        for column in _DATE_COLUMNS:
            if not pd.isna(row[column]) and pd.isna(_date(row[column])):
                bad(index, column, "expected a date such as 2022-01-09")
        start, end = _date(row["period_start"]), _date(row["period_end"])
        if not pd.isna(start) and not pd.isna(end) and end < start:
            bad(index, "period_end", "the period ends before it starts")
        if not pd.isna(row["source_url"]) and not _urls_ok(row["source_url"]):
            bad(index, "source_url", "expected http(s) URLs separated by ' | '")
    return problems


def _date(value) -> pd.Timestamp:
    return pd.to_datetime(value, format="%Y-%m-%d", errors="coerce")


def _urls_ok(value: str) -> bool:
    return all(is_web_link(u) for u in value.split(" | "))


def _parsed(raw: pd.DataFrame) -> pd.DataFrame:
    tolls = raw.loc[:, list(TOLL_COLUMNS)].copy()
    tolls["deaths"] = tolls["deaths"].astype(int)
    for column in _DATE_COLUMNS:
        tolls[column] = pd.to_datetime(tolls[column], format="%Y-%m-%d")
    return tolls.sort_values("given_on", na_position="last", kind="stable").reset_index(drop=True)
