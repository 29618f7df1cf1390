"""The upload's column and unrest tables (AppTest): what the person sees and corrects (issue 7 §5).

A Russian-language newsroom sheet (tests/fixtures/places/newsroom_points_ru.csv) is uploaded;
its guessed columns and its categories are shown as editable tables, and the spread follows the
person's corrections.
"""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.paths import APP, ROOT

NEWSROOM = ROOT / "tests" / "fixtures" / "places" / "newsroom_points_ru.csv"
TIMEOUT = 120


@pytest.fixture(autouse=True)
def clear_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.sidebar.get("file_uploader")[0].set_value(
        ("newsroom.csv", NEWSROOM.read_bytes(), "text/csv")
    )
    return at.run()


def table(at: AppTest, key: str) -> pd.DataFrame:
    return next(d for d in at.dataframe if d.key == key).value


def onset_days(at: AppTest) -> dict[str, int]:
    """Unit -> day of January of its onset, from the region table the page shows."""
    shown = next(d for d in at.dataframe if d.key is None and "onset_date" in d.value).value
    affected = shown.dropna(subset=["onset_date"])
    return dict(zip(affected["name_en"], affected["onset_date"].dt.day, strict=True))


def test_the_guessed_columns_are_shown_with_their_values(app):
    assert not app.exception
    columns = table(app, "columns_table").set_index("field")
    assert columns.loc["event_date", "column"] == "дата"
    assert columns.loc["location", "column"] == "город"
    assert columns.loc["event_type", "column"] == "тип"
    assert columns.loc["event_type", "values"] == "митинг, беспорядки, столкновение"
    assert columns.loc["admin1_code", "column"] == ""


def test_russian_categories_count_as_unrest_and_the_spread_is_there(app):
    categories = table(app, "unrest_table")
    assert dict(zip(categories["category"], categories["unrest"], strict=True)) == {
        "митинг": True,
        "беспорядки": True,
        "забастовка": True,
        "задержание": False,  # a detention is not unrest
        "столкновение": True,
    }
    assert dict(zip(categories["category"], categories["events"], strict=True))["митинг"] == 4
    assert onset_days(app) == {"Mangystau Region": 2, "Almaty": 4}


def test_ticking_a_category_recounts_the_onsets(app):
    edited = {"edited_rows": {3: {"unrest": True}}, "added_rows": [], "deleted_rows": []}
    app.session_state["unrest_table"] = edited  # задержание counted too
    app.run()
    assert onset_days(app) == {"Mangystau Region": 2, "Almaty": 4, "Atyrau Region": 6}


def test_choosing_another_column_reads_the_file_again(app):
    edited = {"edited_rows": {7: {"column": "город"}}, "added_rows": [], "deleted_rows": []}
    app.session_state["columns_table"] = edited  # event_type from the city column
    app.run()
    assert not app.exception
    categories = table(app, "unrest_table")
    assert set(categories["category"]) == {
        "Алматы", "Актау", "Атырау", "Жанаозен", "Казань", "Сокулук", "Ташкент",
    }  # fmt: skip
    assert not categories["unrest"].any()
    assert [w.value for w in app.warning] == [
        "No category counts as unrest, so no unit has an onset: tick at least one."
    ]
    assert onset_days(app) == {}
