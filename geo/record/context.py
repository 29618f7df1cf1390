"""National milestones a timeline marks (price rise, emergency rule, CSTO …); the hours the
internet was cut are geo.record.connectivity's.

Each row of `data/events/context.csv` names the bundled event that sources it, so the timeline
shows no fact without a source: `load_context` checks that the event exists and falls on the
row's date, and attaches the event's `source_url` for a tooltip.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.checks import require_columns
from geo.errors import EventDataError, Problem
from geo.paths import DATA_DIR
from geo.record.tables import read_text_csv

CONTEXT_CSV = DATA_DIR / "events" / "context.csv"
CONTEXT_COLUMNS = ("label", "start_date", "end_date", "event_id_cnty", "end_event_id_cnty")
"""Columns of the context file; end_date and end_event_id_cnty are empty for a point milestone."""


def load_context(
    events: pd.DataFrame | None = None, *, path: str | Path = CONTEXT_CSV
) -> pd.DataFrame:
    """The context milestones, one row each, checked against the events that source them.

    `events` is a canonical events frame (`event_id_cnty`, `event_date`, `source_url`); by default
    the bundled record (`geo.load_bundled_events().events`), which the context file refers to.
    Every referenced id must exist in it and its event_date must equal the row's start_date (or
    end_date for end_event_id_cnty); otherwise `EventDataError` names file, row, column and id.

    Columns: label, start_date, end_date (datetime64; NaT for a point), event_id_cnty,
    end_event_id_cnty, kind ("point" or "window"), source_url, end_source_url (the referenced
    events' pages, " | "-separated as in the events file). A window runs from start_date 00:00
    to end_date 00:00: the end date is the day it was lifted or restored.
    """
    path = Path(path)
    raw = _read(path)
    if events is None:
        from geo.record.events import load_bundled_events

        events = load_bundled_events().events
    _check_events(events)
    context = _parse(raw, path.name)
    _check_sources(context, events, path.name)
    return _with_sources(context, events)


def _read(path: Path) -> pd.DataFrame:
    raw = read_text_csv(path)
    missing = [c for c in CONTEXT_COLUMNS if c not in raw.columns]
    if missing:
        raise EventDataError.of_file(
            path.name, f"missing column(s) {missing}; a context file needs {list(CONTEXT_COLUMNS)}"
        )
    return raw


def _check_events(events: pd.DataFrame) -> None:
    needed = ("event_id_cnty", "event_date", "source_url")
    require_columns(
        events,
        "events",
        needed,
        hint=f"it needs {list(needed)}: pass a canonical events frame such as "
        "geo.load_bundled_events().events",
    )


def _parse(raw: pd.DataFrame, file: str) -> pd.DataFrame:
    problems: list[Problem] = []
    for position, row in enumerate(raw.itertuples(index=False), start=1):
        problems.extend(_row_problems(row._asdict(), position, file))
    if problems:
        raise EventDataError(problems)
    context = raw[list(CONTEXT_COLUMNS)].copy()
    for column in ("label", "event_id_cnty", "end_event_id_cnty"):
        context[column] = context[column].str.strip()
    for column in ("start_date", "end_date"):
        context[column] = pd.to_datetime(context[column], format="%Y-%m-%d").astype(
            "datetime64[ns]"
        )
    context["kind"] = pd.array(
        ["window" if pd.notna(end) else "point" for end in context["end_date"]], dtype="string"
    )
    return context.reset_index(drop=True)


def _row_problems(row: dict[str, object], position: int, file: str) -> list[Problem]:
    problems = []
    for column in ("label", "start_date", "event_id_cnty"):
        if pd.isna(row[column]) or not str(row[column]).strip():
            problems.append(Problem(file, position, column, None, "must not be empty"))
    dates = {}
    for column in ("start_date", "end_date"):
        value = row[column]
        if pd.isna(value):
            continue
        try:
            dates[column] = pd.to_datetime(str(value), format="%Y-%m-%d")
        except ValueError:
            problems.append(Problem(file, position, column, str(value), "must be YYYY-MM-DD"))
    has_end, has_end_id = pd.notna(row["end_date"]), pd.notna(row["end_event_id_cnty"])
    if has_end != has_end_id:
        problems.append(
            Problem(
                file,
                position,
                "end_event_id_cnty",
                None if not has_end_id else str(row["end_event_id_cnty"]),
                "must be given exactly when end_date is (a window's end needs its own source)",
            )
        )
    if len(dates) == 2 and dates["end_date"] < dates["start_date"]:
        problems.append(
            Problem(
                file,
                position,
                "end_date",
                str(row["end_date"]),
                f"must not be before start_date {row['start_date']}",
            )
        )
    return problems


def _check_sources(context: pd.DataFrame, events: pd.DataFrame, file: str) -> None:
    dates = _event_dates(events)
    problems = []
    for position, row in enumerate(context.itertuples(index=False), start=1):
        for id_column, date_column in (
            ("event_id_cnty", "start_date"),
            ("end_event_id_cnty", "end_date"),
        ):
            event_id = getattr(row, id_column)
            if pd.isna(event_id):
                continue
            if event_id not in dates:
                problems.append(
                    Problem(
                        file,
                        position,
                        id_column,
                        event_id,
                        "is not an event_id_cnty of the events; every milestone needs a source",
                    )
                )
            elif dates[event_id] != getattr(row, date_column):
                problems.append(
                    Problem(
                        file,
                        position,
                        date_column,
                        f"{getattr(row, date_column):%Y-%m-%d}",
                        f"differs from the event_date {dates[event_id]:%Y-%m-%d} of its source "
                        f"{event_id}",
                    )
                )
    if problems:
        raise EventDataError(problems)


def _event_dates(events: pd.DataFrame) -> dict[str, pd.Timestamp]:
    ids = events["event_id_cnty"].astype("string")
    days = pd.to_datetime(events["event_date"]).dt.normalize()
    return {
        str(event_id): day
        for event_id, day in zip(ids, days, strict=True)
        if pd.notna(event_id) and pd.notna(day)
    }


def _with_sources(context: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    urls = (
        events.assign(event_id_cnty=events["event_id_cnty"].astype("string"))
        .drop_duplicates("event_id_cnty")
        .set_index("event_id_cnty")["source_url"]
        .astype("string")
    )
    context["source_url"] = pd.array(
        urls.reindex(context["event_id_cnty"]).to_numpy(), dtype="string"
    )
    context["end_source_url"] = pd.array(
        urls.reindex(context["end_event_id_cnty"]).to_numpy(), dtype="string"
    )
    return context
