"""The dashboard's upload: the day-first/month-first choice, and what the report says."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.io.gdelt import GDELT_COLUMNS
from tests import shapes
from tests.paths import APP, FIXTURES

AMBIGUOUS = (
    "дата;место;широта;долгота\n1/5/2022;Актау;43.6611;51.1739\n2/5/2022;Алматы;43.2525;76.9115\n"
)


@pytest.fixture(autouse=True)
def clear_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def uploaded(name: str, content: bytes) -> AppTest:
    """The upload's report, in the Data tab (tabs render only when open)."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["tab"] = "Data and exports"
    at.run()
    at.sidebar.get("file_uploader")[0].set_value((name, content, "text/csv"))
    return at.run()


def shown_days(at: AppTest) -> list[str]:
    (_, dataset) = at.session_state["uploaded"]
    return pd.to_datetime(dataset.events["event_date"]).dt.strftime("%Y-%m-%d").tolist()


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_an_ambiguous_upload_says_how_it_was_read_and_the_person_can_choose():
    at = uploaded("ru.csv", AMBIGUOUS.encode())
    assert not at.exception
    assert shown_days(at) == ["2022-05-01", "2022-05-02"]
    assert any("read day first because the file is in Russian/Kazakh" in c for c in captions(at))
    # Words for readers: the choice is the sidebar's, not a command-line option.
    assert not any("--dayfirst" in c or "--monthfirst" in c for c in captions(at))
    at.sidebar.radio(key="date_order").set_value("monthfirst")
    at.run()
    assert not at.exception
    assert shown_days(at) == ["2022-01-05", "2022-02-05"]
    assert any("numeric dates read month first, as chosen" in c for c in captions(at))


def test_the_report_lists_the_duplicates_of_a_one_row_per_actor_export():
    name, data = shapes.acled_one_row_per_actor()
    at = uploaded(name, data)
    assert not at.exception
    assert any("6 rows read · 3 loaded" in m.value and "3 duplicates counted once" in m.value
               for m in at.markdown)  # fmt: skip
    (table,) = [d.value for d in at.dataframe if "duplicate_of" in d.value.columns]
    assert table["source_row"].tolist() == [3, 5, 6]
    assert table["duplicate_of"].tolist() == [2, 4, 4]


def test_the_report_counts_a_row_with_two_problems_once():
    """Two data rows, the second with two problems: two rows read (it said three)."""
    at = uploaded(
        "two.csv",
        b"event_date,event_type,location,latitude,longitude,fatalities\n"
        b"2022-01-04,Protests,Aktobe,50.2797,57.2072,2\n"
        b"2022-01-05,Protests,Atyrau,95,51.8843,many\n",
    )
    assert not at.exception
    assert any("2 rows read · 1 loaded" in m.value and "1 rejected" in m.value
               for m in at.markdown)  # fmt: skip


def test_the_data_tab_counts_the_rows_not_placed_by_reason_and_offers_them_all():
    """GDELT 2.0 with rows in Russia, Kyrgyzstan and Uzbekistan and one at Kazakhstan's centroid:
    one line per reason with its count, counted again here from the file's own columns."""
    path = FIXTURES / "places" / "gdelt2_multi_country.export.CSV"
    at = uploaded(path.name, path.read_bytes())
    assert not at.exception
    fields = pd.read_csv(path, sep="\t", header=None, names=GDELT_COLUMNS[61], dtype=str)
    fips = {"RS": "RU", "KG": "KG", "UZ": "UZ", "KZ": "KZ"}
    country = fields["ActionGeo_CountryCode"].map(fips)
    centroid = fields["ActionGeo_Type"] == "1"  # located at the country only
    expected = {
        f"outside Kazakhstan ({c})": n for c, n in country[country != "KZ"].value_counts().items()
    }
    expected["located only at the country's centroid (country-level report)"] = int(
        (centroid & (country == "KZ")).sum()
    )
    (reasons,) = [d.value for d in at.dataframe if list(d.value.columns) == ["reason", "rows"]]
    assert dict(zip(reasons["reason"], reasons["rows"], strict=True)) == expected
    (first,) = [d.value for d in at.dataframe if "unplaced_reason" in d.value.columns]
    assert len(first) == sum(expected.values())  # a few rows: each reason's first 20 are all
    labels = [b.label for b in at.get("download_button")]
    assert f"Every row not placed ({sum(expected.values())}, CSV)" in labels


def test_an_upload_selects_no_region_until_the_reader_picks_one():
    """After an upload the region control listed Akmola Region (the first of the new options)
    and the address said region=akmola, though the reader had chosen nothing."""
    path = FIXTURES / "acled_current.csv"
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert at.selectbox(key="region").value is None
    at.sidebar.get("file_uploader")[0].set_value((path.name, path.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    assert at.selectbox(key="region").value is None
    assert "region" not in at.query_params
