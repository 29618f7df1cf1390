"""Exports: tables and GeoJSON worked out on paper, pictures checked by pixels, the standalone page
by its HTML and once in a real browser, offline, from file://."""

from __future__ import annotations

import html
import io
import json
import re
import sys

import folium
import geopandas as gpd
import pandas as pd
import pytest
from PIL import Image

import geo
from geo.analysis.aggregate import region_day_counts
from geo.errors import ExportError, ExternalAssetError
from geo.export import tables as export
from geo.paths import VENDOR_DIR
from geo.render import layers, webmap

ACLED = (
    "Armed Conflict Location & Event Data Project (ACLED); www.acleddata.com, accessed 2026-11-25"
)
XSS = "</script><script>alert(2)</script>"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def placed() -> pd.DataFrame:
    """Five events over 1-3 Jan 2022 in A | B | C (C stays quiet).

    A: 1 Jan two events (2 deaths), 3 Jan one event (1 death).
    B: 2 Jan one event (deaths not reported), 3 Jan one event (3 deaths).
    """
    return pd.DataFrame(
        {
            "event_id_cnty": ["E1", "E2", "E3", "E4", "E5"],
            "event_date": pd.to_datetime(
                ["2022-01-01", "2022-01-01", "2022-01-02", "2022-01-03", "2022-01-03"]
            ),
            "event_type": ["Protests", "Riots", "Protests", "Battles", "Riots"],
            "sub_event_type": ["Peaceful protest", "Mob violence", "Peaceful protest", "", ""],
            "location": ["A town", "A village", "B town", "A town", "B town"],
            "latitude": [0.5, 0.3, 0.5, 0.5, 0.6],
            "longitude": [0.5, 0.3, 1.5, 0.5, 1.6],
            "geo_precision": pd.array([1, 1, 3, 1, 1], dtype="Int8"),
            "fatalities": pd.array([0, 2, None, 1, 3], dtype="Int64"),
            "notes": ["plain", XSS, "plain", "plain", "plain"],
            "region_id": ["a", "a", "b", "a", "b"],
        }
    )


@pytest.fixture
def counts(placed, three_squares) -> pd.DataFrame:
    return region_day_counts(placed, three_squares["region_id"])


# --- CSV --------------------------------------------------------------------------------------


def test_region_day_csv_has_daily_and_cumulative_values_worked_out_by_hand(counts, three_squares):
    table = pd.read_csv(io.BytesIO(export.region_day_csv(counts, three_squares)))
    expected = pd.DataFrame(
        {
            "region_id": ["a"] * 3 + ["b"] * 3 + ["c"] * 3,
            "region": ["A"] * 3 + ["B"] * 3 + ["C"] * 3,
            "date": ["2022-01-01", "2022-01-02", "2022-01-03"] * 3,
            "events": [2, 0, 1, 0, 1, 1, 0, 0, 0],
            "fatalities": [2, 0, 1, 0, 0, 3, 0, 0, 0],
            "cumulative_events": [2, 2, 3, 0, 1, 2, 0, 0, 0],
            "cumulative_fatalities": [2, 2, 3, 0, 0, 3, 0, 0, 0],
            "attribution": [export.DEFAULT_CREDITS] * 9,
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert list(table.columns) == list(export.REGION_DAY_COLUMNS)


def test_csv_attribution_is_a_column_on_every_row_and_parses_cleanly(counts, three_squares):
    data = export.region_day_csv(counts, three_squares, attribution=ACLED)
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff") and not text.startswith("#")
    table = pd.read_csv(io.BytesIO(data))
    assert len(table) == 9
    assert set(table["attribution"]) == {f"{ACLED} | {export.DEFAULT_CREDITS}"}


def test_region_day_csv_refuses_counts_from_other_regions(counts, three_squares):
    other = counts.assign(region_id=counts["region_id"].replace({"c": "zz"}))
    with pytest.raises(ExportError, match=r"region_id value\(s\) \['zz'\] that are not"):
        export.region_day_csv(other, three_squares)


def test_onset_csv_writes_dates_blanks_and_attribution():
    onsets = pd.DataFrame(
        {
            "region_id": ["a", "b", "c"],
            "unit": ["A", "B", "C"],
            "onset_date": pd.to_datetime(["2022-01-01", "2022-01-02", None]),
            "onset_rank": pd.array([1, 2, None], dtype="Int64"),
            "distance_km": [0.0, 111.3, float("nan")],
        }
    )
    table = pd.read_csv(
        io.BytesIO(export.onset_csv(onsets, None, attribution=ACLED)), keep_default_na=False
    )
    assert table["onset_date"].tolist() == ["2022-01-01", "2022-01-02", ""]
    assert table["onset_rank"].astype(str).tolist() == ["1", "2", ""]
    assert table["attribution"].str.startswith(ACLED).all()


def test_csv_text_cannot_run_as_a_spreadsheet_formula():
    onsets = pd.DataFrame(
        {
            "region_id": ["a", "b"],
            "onset_date": pd.to_datetime(["2022-01-01", "2022-01-02"]),
            "first_place": ['=HYPERLINK("http://x","y")', "Zhanaozen"],
            "distance_km": [-1.5, 2.0],
        }
    )
    table = pd.read_csv(io.BytesIO(export.onset_csv(onsets, None)))
    assert table["first_place"].tolist() == ['\'=HYPERLINK("http://x","y")', "Zhanaozen"]
    assert table["distance_km"].tolist() == [-1.5, 2.0]


@pytest.mark.parametrize("formula", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "=cmd|' /C calc'!A0"])
def test_every_csv_table_neutralises_formulas_in_its_text(counts, three_squares, formula):
    """Region names (a person's own boundary file), event text and onset places can all start
    with a formula character; each table export prefixes them, and leaves numbers alone."""
    regions = three_squares.assign(name_en=[formula, "B", "C"])
    region_days = pd.read_csv(io.BytesIO(export.region_day_csv(counts, regions)))
    assert set(region_days.loc[region_days["region_id"] == "a", "region"]) == {"'" + formula}
    assert set(region_days.loc[region_days["region_id"] == "b", "region"]) == {"B"}
    events = pd.DataFrame({"notes": [formula, "calm"], "deaths": [-1, 2]})
    read = pd.read_csv(io.BytesIO(export.event_table_csv(events)))
    assert read["notes"].tolist() == ["'" + formula, "calm"]
    assert read["deaths"].tolist() == [-1, 2]
    onsets = pd.DataFrame(
        {
            "region_id": ["a"],
            "onset_date": pd.to_datetime(["2022-01-01"]),
            "first_place": [formula],
        }
    )
    assert pd.read_csv(io.BytesIO(export.onset_csv(onsets, None)))["first_place"].tolist() == [
        "'" + formula
    ]


def test_onset_csv_of_spread_onsets_names_the_origin(placed, three_squares):
    from geo.analysis.spread import default_origin, onsets

    origin = default_origin(placed)
    table = pd.read_csv(io.BytesIO(export.onset_csv(onsets(placed, three_squares), origin)))
    by_region = table.set_index("region_id")
    assert by_region.loc["a", "onset_date"] == "2022-01-01"
    assert by_region.loc["b", "onset_date"] == "2022-01-02"
    assert pd.isna(by_region.loc["c", "onset_date"])
    assert set(table["origin_date"]) == {"2022-01-01"}
    assert (table["attribution"] == export.DEFAULT_CREDITS).all()


def test_onset_csv_names_missing_columns():
    with pytest.raises(ExportError, match=r"onset_table is missing column\(s\)"):
        export.onset_csv(pd.DataFrame({"region_id": ["a"]}), None)


# --- GeoJSON ----------------------------------------------------------------------------------


def test_geojson_has_one_feature_per_region_with_its_series(counts, three_squares):
    data = export.region_days_geojson(counts, three_squares, attribution=ACLED)
    collection = json.loads(data)
    assert collection["type"] == "FeatureCollection"
    assert collection["attribution"] == f"{ACLED} | {export.DEFAULT_CREDITS}"
    props = {f["properties"]["region_id"]: f["properties"] for f in collection["features"]}
    assert props["a"]["dates"] == ["2022-01-01", "2022-01-02", "2022-01-03"]
    assert props["a"]["events"] == [2, 0, 1] and props["a"]["fatalities"] == [2, 0, 1]
    assert props["b"]["events"] == [0, 1, 1] and props["b"]["fatalities"] == [0, 0, 3]
    assert props["c"]["total_events"] == 0 and props["b"]["total_fatalities"] == 3

    frame = gpd.read_file(io.BytesIO(data))
    assert frame.crs == "EPSG:4326"
    assert frame["region_id"].tolist() == ["a", "b", "c"]
    assert list(frame["events"].iloc[0]) == [2, 0, 1]
    assert frame.geometry.equals(three_squares.geometry)


# --- pictures ---------------------------------------------------------------------------------


def pixels_of(image: Image.Image, hex_colour: str) -> int:
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return dict((colour, n) for n, colour in image.getcolors(maxcolors=1 << 20)).get(rgb, 0)


def test_frame_png_is_a_png_of_the_requested_width(three_squares, counts, placed):
    data = export.frame_png(three_squares, counts, placed, "2022-01-03", width_px=640)
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width == 640
    assert image.text["Attribution"] == export.DEFAULT_CREDITS


def test_frame_png_colours_regions_with_the_map_classes(three_squares, counts, placed):
    # Bins over the whole period: A has 3 events in all, so edges (1, 2, 3).
    bins = layers.value_bins(3, "events")
    assert bins.edges == (1.0, 2.0, 3.0)
    cumulative = Image.open(io.BytesIO(export.frame_png(three_squares, counts, placed, "2022-1-3")))
    big = (
        0.1 * cumulative.width * cumulative.height / 3
    )  # a square fills far more than a legend chip
    assert pixels_of(cumulative.convert("RGB"), bins.colour(3)) > big  # A: 3 events up to 3 Jan
    assert pixels_of(cumulative.convert("RGB"), bins.colour(2)) > big  # B: 2
    assert pixels_of(cumulative.convert("RGB"), layers.ZERO_COLOUR) > big  # C: none

    daily = export.frame_png(three_squares, counts, placed, "2022-01-02", mode="daily")
    daily_image = Image.open(io.BytesIO(daily)).convert("RGB")
    assert pixels_of(daily_image, bins.colour(1)) > big  # B: 1 event that day
    assert pixels_of(daily_image, layers.ZERO_COLOUR) > 2 * big  # A and C: none that day
    assert pixels_of(daily_image, bins.colour(3)) < big


def test_frame_png_carries_the_attribution(three_squares, counts, placed, tmp_path):
    plain = export.frame_png(three_squares, counts, placed, "2022-01-02")
    credited = export.frame_png(three_squares, counts, placed, "2022-01-02", attribution=ACLED)
    image = Image.open(io.BytesIO(credited))
    assert image.text["Attribution"] == f"{ACLED} | {export.DEFAULT_CREDITS}"
    assert image.height > Image.open(io.BytesIO(plain)).height  # one more footer line
    # Same map for the same day: only the footer differs.
    again = export.frame_png(three_squares, counts, placed, "2022-01-02")
    assert Image.open(io.BytesIO(again)).tobytes() == Image.open(io.BytesIO(plain)).tobytes()


def test_frame_png_draws_neighbours_from_a_basemap(three_squares, counts, placed):
    neighbours = gpd.GeoDataFrame(
        {"name": ["North"]},
        geometry=gpd.GeoSeries.from_wkt(["POLYGON ((-1 1, 4 1, 4 2, -1 2, -1 1))"]),
        crs="EPSG:4326",
    )
    data = export.frame_png(three_squares, counts, placed, "2022-01-02", basemap=neighbours)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert pixels_of(image, "#e8e4dc") > 1000  # the neighbour's grey fill
    assert pixels_of(image, layers.WATER_COLOUR) > 1000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "weekly"}, r"mode must be one of \('daily', 'cumulative', 'window'\)"),
        ({"metric": "arrests"}, r"metric must be one of \('events', 'fatalities'\)"),
        ({"window_days": 0}, "window_days must be a whole number of at least 1, got 0"),
        ({"width_px": 50}, "width_px must be a whole number from 320 to 4000, got 50"),
        ({"date": "2022-02-01"}, "date must be within the counted days 2022-01-01 to 2022-01-03"),
        ({"date": "someday"}, "date must be a date, got 'someday'"),
        ({"attribution": 42}, "attribution must be a string or None, got int"),
    ],
)
def test_frame_png_names_the_bad_argument(three_squares, counts, placed, change, message):
    arguments = {"date": "2022-01-02", **change}
    date = arguments.pop("date")
    with pytest.raises(ExportError, match=message):
        export.frame_png(three_squares, counts, placed, date, **arguments)


def test_frame_png_refuses_a_basemap_in_another_crs(three_squares, counts, placed):
    with pytest.raises(ExportError, match="basemap must be in EPSG:4326"):
        export.frame_png(
            three_squares, counts, placed, "2022-01-02", basemap=three_squares.to_crs(3857)
        )


def test_spread_gif_has_one_frame_per_day_and_loops(three_squares, counts, placed):
    data = export.spread_gif(three_squares, counts, placed, seconds_per_frame=0.5, width_px=400)
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF" and image.width == 400
    assert image.n_frames == 3
    assert image.info["loop"] == 0
    assert image.info["duration"] == 500
    image.seek(2)  # 3 Jan, cumulative: the palette keeps the map's colours exact
    last = image.convert("RGB")
    big = 0.1 * last.width * last.height / 3
    bins = layers.value_bins(3, "events")
    assert pixels_of(last, bins.colour(3)) > big and pixels_of(last, bins.colour(2)) > big
    assert pixels_of(last, "#ffffff") > big


def test_pictures_leave_no_pyplot_figures_behind(three_squares, counts, placed):
    before = (
        sys.modules["matplotlib.pyplot"].get_fignums() if "matplotlib.pyplot" in sys.modules else []
    )
    export.frame_png(three_squares, counts, placed, "2022-01-02", width_px=400)
    export.spread_gif(three_squares, counts, placed, width_px=400)
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == before


def test_spread_gif_refuses_a_silly_frame_time(three_squares, counts, placed):
    with pytest.raises(ExportError, match=r"seconds_per_frame must be a number from 0\.02"):
        export.spread_gif(three_squares, counts, placed, seconds_per_frame=0)


def test_spread_mp4_is_an_mp4_or_says_why_not(three_squares, counts, placed):
    reason = export.mp4_unavailable_reason()
    data = export.spread_mp4(three_squares, counts, placed, width_px=400)
    if reason is not None:
        assert data is None
        pytest.skip(reason)
    assert data[4:8] == b"ftyp"


# --- standalone page --------------------------------------------------------------------------


def squares_map(three_squares, counts, placed) -> folium.Map:
    dataset = geo.build_dataset(placed.drop(columns="region_id"), three_squares, name="sq.csv")
    return webmap.story_map(dataset, basemap=None)


def test_standalone_html_inlines_leaflet_and_loads_nothing_from_outside(
    three_squares, counts, placed
):
    page = export.standalone_html(squares_map(three_squares, counts, placed), title="Squares")
    tags = re.findall(r"<(?:script|link)\b[^>]*>", page, flags=re.IGNORECASE)
    assert not [t for t in tags if re.search(r"\b(?:src|href)\s*=", t)], tags
    leaflet = (VENDOR_DIR / "leaflet" / "leaflet.js").read_text(encoding="utf-8")
    assert leaflet[:2000] in page
    assert "url(images/" not in page and 'url("data:image/png;base64,' in page
    assert "<title>Squares</title>" in page
    assert 'class="qantar-credits"' in page and export.DEFAULT_CREDITS in page


def test_standalone_html_escapes_data_title_and_attribution(three_squares, counts, placed):
    m = squares_map(three_squares, counts, placed)
    page = export.standalone_html(m, title="<b>Kazakhstan</b> & co", attribution=f"{ACLED} <i>")
    assert XSS not in page
    assert "alert(2)</script>" not in page
    assert "<title>&lt;b&gt;Kazakhstan&lt;/b&gt; &amp; co</title>" in page
    assert html.escape(f"{ACLED} <i>") in page and f"{ACLED} <i>" not in page


def test_standalone_html_refuses_a_map_that_loads_from_a_cdn():
    with pytest.raises(ExternalAssetError, match="from outside the page"):
        export.standalone_html(folium.Map(tiles=None), title="CDN map")


def test_standalone_html_escapes_closing_script_tags_in_inlined_files(monkeypatch, tmp_path):
    vendored = tmp_path / "leaflet"
    vendored.mkdir()
    (vendored / "leaflet.js").write_text('var tag = "</script><!--";', encoding="utf-8")
    (vendored / "leaflet.css").write_text(".x{background:url(images/none.png)}", encoding="utf-8")
    monkeypatch.setattr(export, "VENDOR_DIR", tmp_path)
    page = export.standalone_html(layers.base_map(), title="Escapes")
    assert 'var tag = "<\\/script><\\!--";' in page
    assert ".x{background:none}" in page


def test_standalone_html_needs_a_title():
    with pytest.raises(ExportError, match="title must be a non-empty string"):
        export.standalone_html(layers.base_map(), title=" ")


def test_region_day_csv_keeps_official_tolls_apart_from_event_deaths():
    """Oracle read from the tolls file with the csv module: each region-day's official toll is
    the latest all-deaths figure given for that region by that day."""
    import csv

    from geo.io.tolls import TOLLS_CSV

    record = geo.load_bundled_events()
    dataset = geo.build_dataset(record.events, geo.load_regions("2022-01"), name=record.file)
    table = pd.read_csv(
        io.BytesIO(
            export.region_day_csv(dataset.counts, dataset.regions, tolls=geo.load_official_tolls())
        ),
        dtype={"official_toll": "Int64"},
    )
    with TOLLS_CSV.open(encoding="utf-8") as handle:
        statements = [
            row
            for row in csv.DictReader(handle)
            if row["scope"] == "region-period" and row["covers"] == "everyone" and row["given_on"]
        ]
    for row in table.itertuples():
        given = [
            s for s in statements if s["region_id"] == row.region_id and s["given_on"] <= row.date
        ]
        latest = max(given, key=lambda s: (s["given_on"], int(s["deaths"])), default=None)
        expected = None if latest is None else int(latest["deaths"])
        assert (None if pd.isna(row.official_toll) else int(row.official_toll)) == expected, row
    event_deaths = table.groupby("region_id")["fatalities"].sum()
    assert event_deaths.sum() == int(dataset.events["fatalities"].fillna(0).sum())
