"""Picture exports (geo.export.pictures): PNG, GIF and MP4 checked by their pixels and frames."""

from __future__ import annotations

import io
import sys

import geopandas as gpd
import pytest
from PIL import Image

from geo.errors import ExportError
from geo.export import pictures
from geo.render import style
from tests.export.samples import ACLED

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pixels_of(image: Image.Image, hex_colour: str) -> int:
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return dict((colour, n) for n, colour in image.getcolors(maxcolors=1 << 20)).get(rgb, 0)


def test_frame_png_is_a_png_of_the_requested_width(three_squares, counts, placed):
    data = pictures.frame_png(three_squares, counts, placed, "2022-01-03", width_px=640)
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width == 640
    assert image.text["Attribution"] == style.DEFAULT_CREDITS


def test_frame_png_colours_regions_with_the_map_classes(three_squares, counts, placed):
    # Bins over the whole period: A has 3 events in all, so edges (1, 2, 3).
    bins = style.value_bins(3, "events")
    assert bins.edges == (1.0, 2.0, 3.0)
    cumulative = Image.open(
        io.BytesIO(pictures.frame_png(three_squares, counts, placed, "2022-1-3"))
    )
    big = (
        0.1 * cumulative.width * cumulative.height / 3
    )  # a square fills far more than a legend chip
    assert pixels_of(cumulative.convert("RGB"), bins.colour(3)) > big  # A: 3 events up to 3 Jan
    assert pixels_of(cumulative.convert("RGB"), bins.colour(2)) > big  # B: 2
    assert pixels_of(cumulative.convert("RGB"), style.ZERO_COLOUR) > big  # C: none

    daily = pictures.frame_png(three_squares, counts, placed, "2022-01-02", mode="daily")
    daily_image = Image.open(io.BytesIO(daily)).convert("RGB")
    assert pixels_of(daily_image, bins.colour(1)) > big  # B: 1 event that day
    assert pixels_of(daily_image, style.ZERO_COLOUR) > 2 * big  # A and C: none that day
    assert pixels_of(daily_image, bins.colour(3)) < big


def test_frame_png_carries_the_attribution(three_squares, counts, placed, tmp_path):
    plain = pictures.frame_png(three_squares, counts, placed, "2022-01-02")
    credited = pictures.frame_png(three_squares, counts, placed, "2022-01-02", attribution=ACLED)
    image = Image.open(io.BytesIO(credited))
    assert image.text["Attribution"] == f"{ACLED} | {style.DEFAULT_CREDITS}"
    assert image.height > Image.open(io.BytesIO(plain)).height  # one more footer line
    # Same map for the same day: only the footer differs.
    again = pictures.frame_png(three_squares, counts, placed, "2022-01-02")
    assert Image.open(io.BytesIO(again)).tobytes() == Image.open(io.BytesIO(plain)).tobytes()


def test_frame_png_draws_neighbours_from_a_basemap(three_squares, counts, placed):
    neighbours = gpd.GeoDataFrame(
        {"name": ["North"]},
        geometry=gpd.GeoSeries.from_wkt(["POLYGON ((-1 1, 4 1, 4 2, -1 2, -1 1))"]),
        crs="EPSG:4326",
    )
    data = pictures.frame_png(three_squares, counts, placed, "2022-01-02", basemap=neighbours)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert pixels_of(image, "#e8e4dc") > 1000  # the neighbour's grey fill
    assert pixels_of(image, style.WATER_COLOUR) > 1000


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
        pictures.frame_png(three_squares, counts, placed, date, **arguments)


def test_frame_png_refuses_a_basemap_in_another_crs(three_squares, counts, placed):
    with pytest.raises(ExportError, match="basemap must be in EPSG:4326"):
        pictures.frame_png(
            three_squares, counts, placed, "2022-01-02", basemap=three_squares.to_crs(3857)
        )


def test_spread_gif_has_one_frame_per_day_and_loops(three_squares, counts, placed):
    data = pictures.spread_gif(three_squares, counts, placed, seconds_per_frame=0.5, width_px=400)
    image = Image.open(io.BytesIO(data))
    assert image.format == "GIF" and image.width == 400
    assert image.n_frames == 3
    assert image.info["loop"] == 0
    assert image.info["duration"] == 500
    image.seek(2)  # 3 Jan, cumulative: the palette keeps the map's colours exact
    last = image.convert("RGB")
    big = 0.1 * last.width * last.height / 3
    bins = style.value_bins(3, "events")
    assert pixels_of(last, bins.colour(3)) > big and pixels_of(last, bins.colour(2)) > big
    assert pixels_of(last, "#ffffff") > big


def test_pictures_leave_no_pyplot_figures_behind(three_squares, counts, placed):
    before = (
        sys.modules["matplotlib.pyplot"].get_fignums() if "matplotlib.pyplot" in sys.modules else []
    )
    pictures.frame_png(three_squares, counts, placed, "2022-01-02", width_px=400)
    pictures.spread_gif(three_squares, counts, placed, width_px=400)
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == before


def test_spread_gif_refuses_a_silly_frame_time(three_squares, counts, placed):
    with pytest.raises(ExportError, match=r"seconds_per_frame must be a number from 0\.02"):
        pictures.spread_gif(three_squares, counts, placed, seconds_per_frame=0)


def test_spread_mp4_is_an_mp4_or_says_why_not(three_squares, counts, placed):
    reason = pictures.mp4_unavailable_reason()
    data = pictures.spread_mp4(three_squares, counts, placed, width_px=400)
    if reason is not None:
        assert data is None
        pytest.skip(reason)
    assert data[4:8] == b"ftyp"


# --- standalone page --------------------------------------------------------------------------
