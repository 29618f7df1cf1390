"""Column settings the dashboard's tables share."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.render.frames import moment_format


def source_link_columns(table: pd.DataFrame) -> dict:
    """Each `source_k` column of a geo listing as its own clickable link."""
    return {
        column: st.column_config.LinkColumn(f"Source {column.removeprefix('source_')}")
        for column in table.columns
        if column.startswith("source_") and column.removeprefix("source_").isdigit()
    }


def frame_column(label: str, step: str):
    """A date column that shows a frame's time as the map labels it: a day, or its hour."""
    return st.column_config.DatetimeColumn(label, format=moment_format(step))
