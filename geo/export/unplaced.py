"""The rows that were read but not placed, at any size: counts by reason and by country, the
first rows of each reason, and the full list as a CSV download.

A day of GDELT leaves about 970,000 rows unplaced (they are abroad): a report lists how many
for each reason and country, and a few rows of each so a person can see what they are; the full
list is a file of its own (`unplaced_csv`), never a table on a page or a JSON array.
"""

from __future__ import annotations

import pandas as pd

from geo.export.tables import event_table_csv

FIRST_ROWS = 20
"""Rows of each reason a report shows."""
UNPLACED_COLUMNS = ("source_row", "event_date", "location", "admin1", "country", "unplaced_reason")
"""The columns of the full list, as the row was read."""
NO_REASON = "no region"


def unplaced_rows(unplaced: pd.DataFrame) -> pd.DataFrame:
    """The unplaced rows with the columns of the list (missing ones empty), in file order."""
    columns = {
        column: unplaced[column] if column in unplaced else pd.Series(pd.NA, index=unplaced.index)
        for column in UNPLACED_COLUMNS
    }
    if "source_file" in unplaced:  # several files (geo.io.many): a row is its file and its row
        columns = {"source_file": unplaced["source_file"], **columns}
    table = pd.DataFrame(columns).reset_index(drop=True)
    reason = table["unplaced_reason"].astype("string").fillna("")
    table["unplaced_reason"] = reason.mask(reason == "", NO_REASON)
    return table


def by_reason(unplaced: pd.DataFrame) -> pd.DataFrame:
    """One row per reason, most rows first: reason, rows."""
    counts = unplaced_rows(unplaced)["unplaced_reason"].value_counts(sort=False)
    table = pd.DataFrame({"reason": counts.index.astype(str), "rows": counts.to_numpy()})
    return table.sort_values(["rows", "reason"], ascending=[False, True], ignore_index=True)


def by_country(unplaced: pd.DataFrame) -> pd.DataFrame:
    """One row per country (ISO alpha-2; missing when unknown), most rows first: country, rows."""
    country = unplaced_rows(unplaced)["country"].astype("string")
    counts = country.value_counts(dropna=False, sort=False)
    table = pd.DataFrame({"country": counts.index.astype("string"), "rows": counts.to_numpy()})
    order = table.assign(key=table["country"].fillna("~"))
    return table.loc[order.sort_values(["rows", "key"], ascending=[False, True]).index].reset_index(
        drop=True
    )


def first_of_each_reason(unplaced: pd.DataFrame, first: int = FIRST_ROWS) -> pd.DataFrame:
    """The first `first` rows (in file order) of each reason."""
    rows = unplaced_rows(unplaced)
    return rows.groupby("unplaced_reason", sort=False).head(first)


def unplaced_csv(unplaced: pd.DataFrame, *, attribution: str | None = None) -> bytes:
    """Every unplaced row (the columns of UNPLACED_COLUMNS), UTF-8 CSV with the credits column."""
    return event_table_csv(unplaced_rows(unplaced), attribution=attribution)
