"""Map builders, tested by rendering the HTML the browser would get."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from geo.analysis.aggregate import WINDOW_DAYS, frame_window
from geo.errors import ArgumentError
from geo.paths import VENDOR_DIR
from geo.pipeline import build_dataset
from geo.render import layers, style, webmap
from geo.render.assets import STREAMLIT_STATIC, VENDORED_FILES

XSS = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-02", "2022-01-03"]),
            "latitude": [0.5, 0.5],
            "longitude": [0.5, 2.5],
            "event_type": ["Protests", "Riots"],
            "sub_event_type": ["Peaceful protest", "Mob violence"],
            "location": [XSS, "C town"],
            "notes": [XSS, "plain"],
            "source": ["Outlet", XSS],
            "fatalities": pd.array([None, 2], dtype="Int64"),
            "fatalities_source": [None, "Health ministry"],
            "geo_precision": pd.array([1, 3], dtype="Int8"),
        }
    )


def test_map_asks_only_for_local_assets(three_squares):
    html = layers.base_map().get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "cdn" not in html.lower() and "jquery" not in html.lower()
    for relative in VENDORED_FILES:
        assert (VENDOR_DIR / relative).is_file(), relative
    assert STREAMLIT_STATIC.url("x.js") == "/app/static/vendor/x.js"


def test_region_colours_follow_the_classes(events, three_squares):
    bins = style.value_bins(8, "events")
    assert bins.colour(0) == style.ZERO_COLOUR
    assert bins.colour(1) == style.CLASS_COLOURS[0]
    assert bins.colour(8) == style.CLASS_COLOURS[-1]
    payload = webmap.player_payload(build_dataset(events, three_squares, name="hand.csv"))
    assert payload["colours"] == list(style.CLASS_COLOURS)
    assert [f["properties"]["region_id"] for f in payload["regions"]["features"]] == ["a", "b", "c"]


def test_bins_cover_the_maximum_with_labels():
    bins = style.value_bins(40, "events")
    assert bins.edges[-1] == 40
    assert bins.labels()[0] == (style.ZERO_COLOUR, "0")
    assert bins.labels()[-1][1].endswith("+")


def test_data_text_reaches_the_page_only_as_json_strings(events, three_squares):
    named = three_squares.assign(name_en=[XSS, "B", "C"])
    dataset = build_dataset(events, named, name="hand.csv")
    page = webmap.story_map(dataset, basemap=None).get_root().render()
    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    # In JSON strings, <, >, {, } and & are \u escapes: the browser reads back the exact text.
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    payload = webmap.player_payload(dataset)
    assert payload["names"]["a"] == XSS  # plain text: the browser shows it with textContent
    assert {payload["events"]["features"][0]["properties"][k] for k in ("place", "notes")} == {XSS}


def test_region_level_locations_are_hollow(events):
    days = sorted(events["event_date"])
    features = layers.event_features(events, days)["features"]
    assert [f["properties"]["approximate"] for f in features] == [False, True]
    assert [f["properties"]["frame"] for f in features] == [0, 1]


def test_player_embeds_the_daily_series_and_days(events, three_squares):
    dataset = build_dataset(events, three_squares, name="hand.csv")
    payload = webmap.player_payload(dataset)
    assert payload["frames"] == ["2022-01-02", "2022-01-03"]
    assert payload["series"]["events"] == {"a": [1, 0], "b": [0, 0], "c": [0, 1]}
    assert payload["series"]["fatalities"]["c"] == [0, 2]
    assert payload["onset"] == {"a": 0, "b": None, "c": 1}  # a protest on day 0, riot on day 1
    assert payload["tree"] == [{"from": [0.5, 0.5], "to": [0.5, 2.5], "frame": 1}]
    assert payload["diffusion"]["c"] == [0, 1]  # flashpoint: its only neighbour, b, is quiet
    assert payload["names"]["a"] == "A"
    html = webmap.story_map(dataset, basemap=None).get_root().render()
    assert "window.qantarShow = function" in html
    assert '"frame":0' in html and '"frame":1' in html


def test_player_carries_each_views_frames_as_frame_window_counts_them(events, three_squares):
    """The player looks the frames up (`range` in day_player.js.j2): they are frame_window's."""
    dataset = build_dataset(events, three_squares, name="hand.csv")
    frames = pd.date_range("2022-01-02", periods=6, freq="D")
    starts = webmap.window_starts(list(frames), "day", [2, 4])
    assert starts == {
        "daily": [0, 1, 2, 3, 4, 5],
        "cumulative": [0, 0, 0, 0, 0, 0],
        "window": {"2": [0, 0, 1, 2, 3, 4], "4": [0, 0, 0, 0, 1, 2]},
    }
    for mode, k in [("daily", 1), ("cumulative", 1), ("window", 2), ("window", 4)]:
        listed = starts["window"][str(k)] if mode == "window" else starts[mode]
        for i, frame in enumerate(frames):
            first, last = frame_window(frame, mode, k)
            assert frames[listed[i]] == max(first, frames[0]) and last == frame
    hours = list(pd.date_range("2022-01-05 14:00", periods=3, freq="h"))
    assert webmap.window_starts(hours, "hour", [2])["window"] == {"2": [0, 0, 1]}
    payload = webmap.player_payload(dataset)
    assert set(payload["window_starts"]["window"]) == {str(k) for k in WINDOW_DAYS}
    with pytest.raises(ArgumentError, match="no frames for a window of 1"):
        webmap.StoryLayer(
            payload, webmap.PlayerState(frame=0, window_days=1), source=STREAMLIT_STATIC
        )


def test_player_state_is_small_json():
    state = json.loads(webmap.PlayerState(frame=3, mode="daily", speed=4.0).as_json())
    assert state == {
        "frame": 3,
        "mode": "daily",
        "metric": "events",
        "window": 3,
        "arrows": True,
        "speed": 4.0,
        "loop": False,
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mode", "weekly", "mode must be one of"),
        ("metric", "mood", "metric must be one of"),
        ("window_days", 0, "window_days must be at least 1"),
    ],
)
def test_player_state_is_validated(field, value, message):
    with pytest.raises(ValueError, match=message):
        webmap.PlayerState(frame=0, **{field: value})


def test_dense_points_are_clustered_with_local_assets(events, three_squares, monkeypatch):
    monkeypatch.setattr(webmap, "CLUSTER_THRESHOLD", 1)
    dataset = build_dataset(events, three_squares, name="hand.csv")
    html = webmap.story_map(dataset, basemap=None).get_root().render()
    assert '"cluster":true' in html and "L.markerClusterGroup" in html
    assert "/app/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "cdnjs" not in html and "jsdelivr" not in html


def test_points_grow_with_reported_deaths(events):
    features = layers.event_features(events, sorted(events["event_date"]))["features"]
    assert features[0]["properties"]["radius"] == 4.0  # no deaths reported
    assert features[1]["properties"]["radius"] == 7.5  # 2 deaths: 4 + 2.5 * sqrt(2), rounded


@pytest.mark.parametrize("layout", ["2022-01", "current"])
def test_drawn_borders_keep_every_region_its_place_and_share_their_edges(layout):
    """The web map's simplified borders: the same regions in the same order, each within the
    tolerance of its true border and its area within 2 %, still a coverage (no gap or overlap
    between neighbours), and every event a region holds still inside it when drawn."""
    import shapely
    from shapely.geometry import shape

    from geo.record.events import load_bundled_events
    from geo.record.regions import load_regions

    regions = load_regions(layout)
    features = layers.region_features(regions)["features"]
    drawn = [shape(feature["geometry"]) for feature in features]
    assert [f["properties"]["region_id"] for f in features] == list(regions["region_id"])
    assert (
        sum(map(shapely.get_num_coordinates, drawn))
        < 0.7 * shapely.get_num_coordinates(regions.geometry.to_numpy()).sum()
    )
    assert shapely.coverage_is_valid(drawn)
    for true, simple in zip(regions.geometry, drawn, strict=True):
        assert shapely.hausdorff_distance(true, simple) < 10 * layers.BORDER_TOLERANCE
        assert abs(simple.area - true.area) < 0.02 * true.area
    placed = build_dataset(load_bundled_events().events, regions, name="bundled").events
    located = placed.dropna(subset=["latitude", "longitude", "region_id"])
    index = {rid: i for i, rid in enumerate(regions["region_id"])}
    inside_true = shapely.contains_xy(
        regions.geometry.to_numpy()[[index[r] for r in located["region_id"]]],
        located["longitude"],
        located["latitude"],
    )
    inside_drawn = shapely.contains_xy(
        [drawn[index[r]] for r in located["region_id"]], located["longitude"], located["latitude"]
    )
    assert (inside_drawn | ~inside_true).all(), located.loc[inside_true & ~inside_drawn, "location"]
