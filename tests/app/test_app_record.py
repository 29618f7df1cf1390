"""What the dashboard shows of the bundled record's tolls, disputes and missing onsets."""

from __future__ import annotations

import csv
import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.paths import APP, ROOT

TOLLS = ROOT / "data" / "events" / "kz_jan2022_official_tolls.csv"


@pytest.fixture(scope="module")
def app() -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["region"] = "mangystau"
    at.query_params["date"] = "2022-01-19"
    return at.run()


@pytest.fixture(scope="module")
def spread_tab() -> AppTest:
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["tab"] = "Spread"  # tabs render only when open
    return at.run()


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def test_the_official_toll_is_its_own_chart_beside_a_caption(app):
    assert not app.exception
    with open(TOLLS, encoding="utf-8", newline="") as handle:
        national = sorted(
            (r["given_on"], int(r["deaths"]))
            for r in csv.DictReader(handle)
            if r["scope"] == "national" and r["covers"] == "everyone" and r["given_on"]
        )
    steps = " → ".join(str(deaths) for _, deaths in national)
    tolls = [c for c in _charts(app) if "death toll as announced" in c.get("description", "")]
    assert len(tolls) == 1
    assert tolls[0]["description"] == f"Official national death toll as announced: {steps}."
    assert any("not the death toll" in c.value for c in app.caption)


def test_onset_table_and_region_panel_show_the_disputes(app, spread_tab):
    assert not spread_tab.exception
    rows = spread_tab.dataframe[0].value.set_index("unit")
    assert rows.at["Mangystau Region", "disputes"].startswith("1 Jan per Prosecutor General")
    assert (
        rows.loc[["Akmola Region", "Turkistan Region"], "note"].tolist()
        == ["no dated protest, riot or clash in this data"] * 2
    )
    panel = next(m.value for m in app.markdown if "Start of the unrest" in m.value)
    zhanaozen = next(e for e in panel.split("\n\n") if "Start of the unrest" in e)
    assert zhanaozen.startswith("**Sun 02 Jan, \\~11\\:00 · Zhanaozen**")
    assert "Other sources say: date\\: 1 Jan per Prosecutor General" in zhanaozen
