"""Rows that repeat an event: one event counts once, whatever shape the export has.

ACLED's one-row-per-actor exports repeat each event (same `event_id_cnty`, same fatalities) once
per actor; a spreadsheet pasted twice repeats whole rows. Counting those rows would multiply the
events and the deaths. The first row of each event is kept; each later one is listed with the
`source_row` of the row it repeats and why, so the person can check every collapse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SAME_ID = "same event_id_cnty as an earlier row (one row per actor): counted once"
SAME_ROW = "exact duplicate of an earlier row: counted once"
DUPLICATE_COLUMNS = ("source_row", "event_id_cnty", "event_date", "duplicate_of", "reason")
"""Columns of the table of collapsed rows."""


def no_duplicates() -> pd.DataFrame:
    """An empty table of collapsed rows."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES[c]) for c in DUPLICATE_COLUMNS})


def collapse_duplicates(
    events: pd.DataFrame, compared: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(events with each event once, the collapsed rows, notes).

    A row repeats an earlier one when its non-empty `event_id_cnty` is the same, or when every
    column of `compared` (the file's own columns, not the importer's additions) is the same.
    `events` needs `source_row`.
    """
    if events.empty:
        return events, no_duplicates(), []
    first_of = np.arange(len(events))
    reason = np.full(len(events), "", dtype=object)
    ids = None
    if "event_id_cnty" in events:
        ids = events["event_id_cnty"].astype("string").str.strip()
    if ids is not None and ids.notna().any():
        keyed = ids.notna().to_numpy() & (ids != "").fillna(False).to_numpy()
        codes = pd.factorize(ids.where(keyed))[0]
        repeat = keyed & pd.Series(codes).duplicated().to_numpy()
        first_of = _first_of(codes, repeat, first_of)
        reason[repeat] = SAME_ID
    columns = [c for c in compared if c in events]
    if columns:
        hashed = pd.util.hash_pandas_object(events[columns], index=False).to_numpy()
        codes = pd.factorize(hashed)[0]
        same = pd.Series(codes).duplicated().to_numpy() & (reason == "")
        first_of = _first_of(codes, same, first_of)
        reason[same] = SAME_ROW
    repeated = reason != ""
    if not repeated.any():
        return events, no_duplicates(), []
    rows = events["source_row"].to_numpy()
    table = pd.DataFrame(
        {
            "source_row": rows[repeated],
            "event_id_cnty": (
                ids[repeated].to_numpy()
                if ids is not None
                else np.full(int(repeated.sum()), pd.NA, dtype=object)
            ),
            "event_date": events["event_date"].to_numpy()[repeated],
            "duplicate_of": rows[first_of[repeated]],
            "reason": reason[repeated],
        }
    ).astype(_DTYPES)
    kept = events.loc[~repeated].reset_index(drop=True)
    return kept, table, _notes(events, repeated, reason, first_of)


def _first_of(codes: np.ndarray, repeat: np.ndarray, first_of: np.ndarray) -> np.ndarray:
    """Position of the first row with the same code, for the rows marked `repeat`."""
    first_position = pd.Series(np.arange(len(codes))).groupby(codes).transform("min").to_numpy()
    return np.where(repeat & (codes >= 0), first_position, first_of)


def _notes(events: pd.DataFrame, repeated, reason, first_of) -> list[str]:
    notes = []
    same_id = int((reason == SAME_ID).sum())
    same_row = int((reason == SAME_ROW).sum())
    if same_id:
        events_hit = len(np.unique(first_of[reason == SAME_ID]))
        note = (
            f"{same_id} row(s) repeat the event_id_cnty of {events_hit} earlier event(s) (ACLED's "
            "one-row-per-actor exports): each event is counted once with the fatalities of its "
            "first row, not summed"
        )
        if "fatalities" in events:
            deaths = pd.to_numeric(events["fatalities"], errors="coerce").astype("float64")
            deaths = deaths.to_numpy()
            differ = (reason == SAME_ID) & ~(
                (deaths == deaths[first_of]) | (np.isnan(deaths) & np.isnan(deaths[first_of]))
            )
            if differ.any():
                note += f"; {int(differ.sum())} repeated row(s) give other fatalities (listed)"
        notes.append(note)
    if same_row:
        notes.append(f"{same_row} exact duplicate row(s) counted once")
    listed = ", ".join(
        f"row {r} = row {f}"
        for r, f in zip(
            events["source_row"].to_numpy()[repeated][:5],
            events["source_row"].to_numpy()[first_of[repeated]][:5],
            strict=True,
        )
    )
    more = int(repeated.sum()) - 5
    notes.append(f"duplicates: {listed}" + (f" and {more} more" if more > 0 else ""))
    return notes


_DTYPES = {
    "source_row": "int64",
    "event_id_cnty": "string",
    "event_date": "datetime64[ns]",
    "duplicate_of": "int64",
    "reason": "string",
}
