"""Where sources disagree: each other claim about an event or a unit's onset, with who made it.

The event rows keep one value per field (the best-supported one, see `notes`); every other
value a source gives is a row of `data/events/kz_jan2022_disputes.csv`: the event (or, for a
unit's first protest, the unit), the field, the claimed value, who claimed it and the page.
`attach_disputes` turns them into readable text on the events ("1 Jan per …"), so that the
region panel lists them beside each event and the onset table beside each unit's first day.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo.errors import EventDataError, Problem
from geo.paths import DATA_DIR
from geo.record.tables import read_text_csv
from geo.schema import is_web_link

DISPUTES_CSV = DATA_DIR / "events" / "kz_jan2022_disputes.csv"
DISPUTE_COLUMNS = ("event_id_cnty", "region_id", "field", "claimed_value", "claimed_by",
                   "source_url", "notes")  # fmt: skip
DISPUTE_FIELDS = {
    "event_date": "date",
    "event_time": "time",
    "location": "place",
    "fatalities": "deaths",
    "figure": "figure",
    "onset_date": "first protest",
}
"""Disputable fields and the word the text uses for each. onset_date is a unit's claim (region_id),
the others an event's (event_id_cnty)."""
_DATE_FIELDS = ("event_date", "onset_date")
_VALUE_FORMATS = {
    "event_date": ("%Y-%m-%d", "expected a date such as 2022-01-01"),
    "onset_date": ("%Y-%m-%d", "expected a date such as 2022-01-01"),
    "event_time": ("%H:%M", "expected a time such as 16:37"),
}


def load_disputes(
    events: pd.DataFrame, region_ids: set[str], path: str | Path = DISPUTES_CSV
) -> pd.DataFrame:
    """The disputes file, checked against `events` (ids) and `region_ids` (units).

    Every row names exactly one of an event of `events` or a unit of `region_ids` (onset_date
    claims name a unit, the others an event), a known field, a value (a date such as 2022-01-01
    for date fields, HH:MM for event_time), who claims it and http(s) pages; otherwise
    `EventDataError` names file, row, column and value.
    """
    path = Path(path)
    raw = read_text_csv(path)
    missing = [c for c in DISPUTE_COLUMNS if c not in raw.columns]
    if missing:
        raise EventDataError.of_file(
            path.name, f"missing column(s) {missing}; a disputes file needs {list(DISPUTE_COLUMNS)}"
        )
    problems = _problems(raw, path.name, set(events["event_id_cnty"].dropna()), region_ids)
    if problems:
        raise EventDataError(problems)
    return raw.loc[:, list(DISPUTE_COLUMNS)].reset_index(drop=True)


def attach_disputes(
    events: pd.DataFrame, disputes: pd.DataFrame, unit_regions: Mapping[str, str]
) -> pd.DataFrame:
    """`events` with two text columns (missing where nothing is disputed):

    - `disputes`: every other claim about the event, e.g. "date: 1 Jan per Prosecutor General's
      Office …; time: 23:00 per Orda.kz (via Kloop)";
    - `onset_disputes`: the other dates given for its unit's first protest, e.g. "3 Jan per …",
      for the onset table to show when this event is the unit's first: the claims on the unit,
      and the claims that the event itself happened earlier (a later date for it would not make
      the unit's first day later while other events share that day).

    `unit_regions` maps the events' `admin1` to region ids (the layout's name_en → region_id).
    """
    claims = disputes.assign(text=[_claim_text(row) for row in disputes.itertuples()])
    on_events = claims[claims["event_id_cnty"].notna()]
    labelled = on_events["field"].map(DISPUTE_FIELDS) + ": " + on_events["text"]
    per_event = labelled.groupby(on_events["event_id_cnty"]).agg(_joined)
    event_days = on_events["event_id_cnty"].map(events.set_index("event_id_cnty")["event_date"])
    earlier = (on_events["field"] == "event_date") & (
        pd.to_datetime(on_events["claimed_value"], format="%Y-%m-%d", errors="coerce") < event_days
    )
    own_dates = on_events[earlier].groupby("event_id_cnty")["text"].agg(_joined)
    per_unit = claims[claims["region_id"].notna()].groupby("region_id")["text"].agg(_joined)
    unit_texts = events["admin1"].map(unit_regions).map(per_unit)
    date_texts = events["event_id_cnty"].map(own_dates)
    onset = [
        _joined(t for t in (u, d) if isinstance(t, str)) or pd.NA
        for u, d in zip(unit_texts, date_texts, strict=True)
    ]
    return events.assign(
        disputes=events["event_id_cnty"].map(per_event).astype("string"),
        onset_disputes=pd.array(onset, dtype="string"),
    )


def _claim_text(row) -> str:
    value = row.claimed_value
    if row.field in _DATE_FIELDS:
        day = pd.Timestamp(value)
        value = f"{day.day} {day:%b}"
    return f"{value} per {row.claimed_by}"


def _unparsed(value: str, pattern: str) -> bool:
    return pd.isna(pd.to_datetime(value, format=pattern, errors="coerce"))


def _joined(texts) -> str:
    return "; ".join(texts)


def _problems(raw: pd.DataFrame, file: str, event_ids: set, region_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []

    def bad(index: int, column: str, message: str) -> None:
        value = raw.at[index, column]
        problems.append(Problem(file, index + 1, column, None if pd.isna(value) else str(value),
                                message))  # fmt: skip

    for index, row in raw.iterrows():
        for column in ("field", "claimed_value", "claimed_by", "source_url"):
            if pd.isna(row[column]):
                bad(index, column, "must not be empty")
        field = row["field"]
        if not pd.isna(field) and field not in DISPUTE_FIELDS:
            bad(index, "field", f"expected one of {list(DISPUTE_FIELDS)}")
        on_unit = field == "onset_date"
        if on_unit and row["region_id"] not in region_ids:
            bad(index, "region_id", "an onset_date claim names a unit of the 2022-01 layout")
        if not on_unit and row["event_id_cnty"] not in event_ids:
            bad(index, "event_id_cnty", "a claim about an event names an event of the record")
        if not pd.isna(row["event_id_cnty"]) and not pd.isna(row["region_id"]):
            bad(index, "region_id", "name either an event or a unit, not both")
        value = row["claimed_value"]
        expected = _VALUE_FORMATS.get(field)
        if expected and not pd.isna(value) and _unparsed(value, expected[0]):
            bad(index, "claimed_value", expected[1])
        urls = "" if pd.isna(row["source_url"]) else row["source_url"]
        if urls and not all(is_web_link(u) for u in urls.split(" | ")):
            bad(index, "source_url", "expected http(s) URLs separated by ' | '")
    return problems
