"""The map component's coupling to streamlit-folium: the helpers it calls and what it passes."""

from __future__ import annotations

import itertools
import re

import pandas as pd
import pytest
import streamlit_folium as stf
from branca.element import Element

from geo.pipeline import build_dataset
from geo.render.webmap import story_map
from tests.paths import ROOT
from ui import map_component

SHARED = ("header", "html", "id", "css_links", "js_links", "default")
"""Arguments computed as st_folium computes them. The key is ours (stable per map), and so is the
script: st_folium's own has no day player in it."""


@pytest.fixture
def draw(monkeypatch, three_squares):
    """Builds the same story map each time it is called, down to its element ids."""
    events = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-02", "2022-01-03"]),
            "latitude": [0.5, 2.5],
            "longitude": [0.5, 0.5],
            "event_type": ["Protests", "Riots"],
            "sub_event_type": ["Peaceful protest", "Mob violence"],
            "location": ["A town", "C town"],
            "notes": ["", ""],
            "source": ["Outlet", "Outlet"],
            "fatalities": pd.array([None, 2], dtype="Int64"),
            "geo_precision": pd.array([1, 1], dtype="Int8"),
        }
    )
    dataset = build_dataset(events, three_squares, name="hand.csv")

    def drawn():
        ids = itertools.count()
        monkeypatch.setattr(Element, "_generate_id", classmethod(lambda _: f"{next(ids):032x}"))
        return story_map(dataset, basemap=None)

    return drawn


def component_arguments(monkeypatch, draw) -> dict:
    """What `draw()` hands streamlit-folium's component, recorded instead of drawn."""
    passed: dict = {}
    monkeypatch.setattr(stf, "_component_func", lambda **arguments: passed.update(arguments))
    draw()
    return passed


def test_prepared_args_are_what_st_folium_gives_its_component(monkeypatch, draw):
    args = map_component.prepared_args(draw(), key="map")
    ours = component_arguments(
        monkeypatch, lambda: map_component.player_map(args, height=600, on_message=print)
    )
    theirs = component_arguments(
        monkeypatch,
        lambda: stf.st_folium(draw(), key="map", returned_objects=map_component.RETURNED_OBJECTS),
    )
    assert set(ours) == set(theirs)  # the component gets every argument it knows, no other
    assert {name: args[name] for name in SHARED} == {name: theirs[name] for name in SHARED}
    assert args["default"] == {}  # drawing the map sends no value, so causes no rerun
    assert "window.qantarShow = function" in args["script"]
    assert "/app/static/vendor/leaflet/leaflet.js" in args["js_links"]


def test_prepared_args_key_is_the_same_for_the_same_map(draw):
    first = map_component.prepared_args(draw(), key="map")
    assert re.fullmatch(r"map-[0-9a-f]{16}", first["key"])
    assert map_component.prepared_args(draw(), key="map") == first  # a rerun never remounts it


def test_a_missing_helper_is_named_at_import(monkeypatch):
    monkeypatch.delattr(stf, "_get_map_string")
    with pytest.raises(ImportError, match=r"calls streamlit_folium\._get_map_string, which"):
        map_component.check_streamlit_folium()


def test_the_helpers_are_checked_against_the_pinned_version():
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert f"streamlit-folium=={map_component.STREAMLIT_FOLIUM_VERSION}\n" in pins
    map_component.check_streamlit_folium()
