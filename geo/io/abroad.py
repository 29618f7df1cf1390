"""Rows a file itself places in another country, set aside before any per-row work.

Research files are mostly about other countries: 97% of a GDELT day, 95% of a world ACLED
export. A row whose country column (ACLED `country`, GDELT `ActionGeo_CountryCode`, a generic
`country`) names another country is never placed, whatever its point or names, so it is not read
any further: its dates are not parsed, its values not validated, its point not joined. It is
kept, as a small table of what a report shows (row, date as written, place names, country), and
counted by country; geo.analysis.placing still sets aside rows abroad by their point or their
place name, for files that give no country.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.record.countries import is_outside

OUTSIDE_COLUMNS = (
    "source_row",
    "event_id_cnty",
    "event_date",
    "event_type",
    "location",
    "admin1",
    "country",
)
"""What is kept of a row set aside: its data row, its id, date, category and place names as
written, and the ISO alpha-2 code of its country."""


def no_outside() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "source_row" else "string") for c in OUTSIDE_COLUMNS}
    )


def set_aside(
    frame: pd.DataFrame, rows: np.ndarray, country: pd.Series
) -> tuple[np.ndarray, pd.DataFrame, list[str]]:
    """Which rows of `frame` stay (a mask), the rows set aside, and a note counting them.

    `country` holds each row's ISO code ("" or missing when the file does not say); `frame` has
    the canonical column `event_date` and, if the file has them, the other OUTSIDE_COLUMNS.
    """
    abroad = is_outside(country)
    if not abroad.any():
        return ~abroad, no_outside(), []
    positions = np.flatnonzero(abroad)
    missing = pd.Series(pd.NA, index=frame.index, dtype="string")
    kept = {"source_row": pd.Series(np.asarray(rows, dtype="int64")[positions])}
    for column in OUTSIDE_COLUMNS[1:-1]:
        values = frame.get(column, missing)
        kept[column] = _text(values.iloc[positions])
    kept["country"] = _text(country.iloc[positions])
    outside = pd.DataFrame(kept)
    counts = outside["country"].value_counts()
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    listed = ", ".join(f"{code} {n:,}" for code, n in ordered)
    note = (
        f"{len(outside):,} row(s) whose file names another country ({listed}) were set aside "
        "as outside Kazakhstan before reading them further (not validated, not placed)"
    )
    return ~abroad, outside, [note]


def _text(values: pd.Series) -> pd.Series:
    """As nullable text (from the reader's Arrow-backed strings: no copy of the data)."""
    return values.reset_index(drop=True).astype("string")
