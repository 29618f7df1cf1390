"""The Compare tab: what the reader sees equals what geo.analysis.compare computes."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import geo
from geo.analysis.compare import compare
from geo.export.tables import comparison_csv
from tests.analysis.test_compare import A_ROWS, B_ROWS, TOWNS
from tests.paths import APP


@pytest.fixture(autouse=True)
def clear_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def csv_of(rows, shift_km: float = 0.0) -> bytes:
    lines = ["event_date,event_type,location,latitude,longitude"]
    for day, kind, town in rows:
        lat, lon = TOWNS[town]
        lines.append(f"{day},{kind},{town},{lat + shift_km / 111.195:.5f},{lon}")
    return ("\n".join(lines) + "\n").encode()


def compare_tab() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["tab"] = "Compare sources"
    return at.run()


def second_upload(at: AppTest, name: str, content: bytes) -> AppTest:
    uploaders = [u for u in at.get("file_uploader") if u.key == "compare_upload"]
    uploaders[0].set_value((name, content, "text/csv"))
    return at.run()


def shown_table(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "a_events" in d.value.columns)


def test_the_record_beside_an_upload_shows_the_comparison_geo_computes():
    at = second_upload(compare_tab(), "b.csv", csv_of(B_ROWS, shift_km=3))
    assert not at.exception
    expected = compare(geo.load_dataset(), geo.load_dataset(csv_of(B_ROWS, 3), name="b.csv"))
    table = shown_table(at)
    assert table["region"].tolist() == expected.regions["region"].tolist()
    for column in ("a_events", "b_events", "matched", "a_only", "b_only"):
        assert table[column].tolist() == expected.regions[column].tolist(), column
    assert table["lag_days"].astype("Int64").tolist() == expected.regions["lag_days"].tolist()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Events matched"] == f"{expected.matched:,}"
    assert metrics["Only in b.csv"] == f"{expected.b_only:,}"
    assert metrics["Estimated events in all"] == f"{expected.estimated_total:,.0f}"
    download = next(b for b in at.get("download_button") if b.proto.label.startswith("Download"))
    assert download is not None
    assert comparison_csv(expected).startswith(b"region_id,region,a_events")


def test_the_windows_are_in_the_link_and_change_the_matching():
    """B's events lie 30 km north of the towns: matched within 50 km, not within 25."""
    at = second_upload(compare_tab(), "b.csv", csv_of(B_ROWS, shift_km=30))
    record = geo.load_dataset()
    b = geo.load_dataset(csv_of(B_ROWS, 30), name="b.csv")
    before = {m.label: m.value for m in at.metric}["Events matched"]
    assert before == f"{compare(record, b, km=50).matched:,}" == "7"
    next(s for s in at.select_slider if s.key == "match_km").set_value(25)
    next(s for s in at.select_slider if s.key == "match_days").set_value(2)
    at.run()
    assert (at.query_params["match_km"], at.query_params["match_days"]) == ("25", "2")
    after = {m.label: m.value for m in at.metric}["Events matched"]
    assert after == f"{compare(record, b, km=25, days=2).matched:,}" == "0"


def test_a_link_opens_the_comparison_with_its_windows():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["match_km"] = "10"
    at.query_params["match_days"] = "0"
    at.session_state["tab"] = "Compare sources"
    at.run()
    assert (at.session_state["match_km"], at.session_state["match_days"]) == (10, 0)
    second_upload(at, "b.csv", csv_of(B_ROWS, shift_km=3))
    assert next(s for s in at.select_slider if s.key == "match_km").value == 10
    record = geo.load_dataset()
    b = geo.load_dataset(csv_of(B_ROWS, 3), name="b.csv")
    matched = {m.label: m.value for m in at.metric}["Events matched"]
    assert matched == f"{compare(record, b, km=10, days=0).matched:,}"


def test_an_upload_is_compared_with_the_bundled_record_when_the_reader_asks():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["tab"] = "Compare sources"
    at.run()
    at.sidebar.get("file_uploader")[0].set_value(("a.csv", csv_of(A_ROWS), "text/csv"))
    at.run()
    next(r for r in at.radio if r.key == "compare_with").set_value(
        "The bundled January 2022 record"
    )
    at.run()
    assert not at.exception
    expected = compare(geo.load_dataset(csv_of(A_ROWS), name="a.csv"), geo.load_dataset())
    table = shown_table(at)
    assert table["matched"].tolist() == expected.regions["matched"].tolist()
    assert table["b_events"].tolist() == expected.regions["b_events"].tolist()
    text = " ".join(m.value for m in at.markdown)
    assert f"{expected.matched:,} of them are the same event in both" in text


def test_the_csv_download_is_the_table_with_a_row_for_the_whole():
    record = geo.load_dataset()
    b = geo.load_dataset(csv_of(B_ROWS, 3), name="b.csv")
    comparison = compare(record, b)
    table = pd.read_csv(io.BytesIO(comparison_csv(comparison)))
    by_region = table[table["region_id"] != "all"].reset_index(drop=True)
    assert by_region["matched"].tolist() == comparison.regions["matched"].tolist()
    whole = table[table["region_id"] == "all"].iloc[0]
    assert whole["matched"] == comparison.matched
    assert whole["a_events"] == len(comparison.a_events)
    assert whole["b_only"] == comparison.b_only
    assert set(table["b_source"]) == {"b.csv"} and set(table["km"]) == {50.0}
