"""Downloads as pictures: a static map of one day (PNG) and the whole spread as an animation
(GIF, MP4), drawn like the interactive map on those days.

matplotlib draws them with the map's symbology (geo.render.style): its colour classes, type
colours, marker sizes and hollow rings, and the days each view counts
(geo.analysis.aggregate.frame_window). Every picture carries the credit lines
(geo.export.tables.credit_lines) in its footer. matplotlib, Pillow and imageio-ffmpeg are imported
only when a picture is made, so `import geo` stays light; no pyplot, so no figure or backend
state is left behind. The GIF's frames share one palette quantised here, so colours are exact and
do not flicker between days.
"""

from __future__ import annotations

import io
import math
import tempfile
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.aggregate import DEFAULT_WINDOW_DAYS, MODES, frame_window, values_at
from geo.checks import plain_day
from geo.errors import ExportError
from geo.export.tables import check_columns, check_counts, credit_lines
from geo.record.regions import CRS, check_regions
from geo.render.style import (
    BASEMAP_EDGE,
    BASEMAP_FILL,
    CAPTION_INK,
    CLASS_COLOURS,
    COUNT_METRICS,
    FRAME_EDGE,
    GUIDE_INK,
    INK,
    METRIC_NAMES,
    OTHER_TYPE_COLOUR,
    PAPER,
    REGION_EDGE,
    SWATCH_EDGE,
    TEXT_INK,
    TYPE_PALETTE,
    WATER_COLOUR,
    ZERO_COLOUR,
    Bins,
    colours_of_types,
    marker_radius,
    region_level,
    type_colours,
    type_legend,
    value_bins,
)

if TYPE_CHECKING:
    from PIL import Image

WIDTH_RANGE_PX = (320, 4000)

_PALETTE_COLOURS = (
    PAPER,
    INK,
    TEXT_INK,
    CAPTION_INK,
    SWATCH_EDGE,
    FRAME_EDGE,
    REGION_EDGE,
    BASEMAP_FILL,
    BASEMAP_EDGE,
    WATER_COLOUR,
    ZERO_COLOUR,
    OTHER_TYPE_COLOUR,
    *CLASS_COLOURS,
    *TYPE_PALETTE,
)
"""The colours the GIF palette keeps exactly: the map's own and the text's greys."""
_FIGURE_WIDTH_IN = 12.0
"""Every picture is laid out 12 inches wide; width_px only sets the dpi, so text scales with it."""


def frame_png(
    regions: gpd.GeoDataFrame,
    counts: pd.DataFrame,
    placed: pd.DataFrame,
    date: pd.Timestamp | str,
    *,
    mode: str = "cumulative",
    metric: str = "events",
    window_days: int = DEFAULT_WINDOW_DAYS,
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
    window_days: int = DEFAULT_WINDOW_DAYS,
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
    window_days: int = DEFAULT_WINDOW_DAYS,
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
        check_counts(counts, regions)
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
        self.type_legend = type_legend(
            placed.loc[placed["region_id"].notna(), "event_type"]
            if "region_id" in placed
            else placed["event_type"]
        )
        self._build(regions, basemap, credit_lines(attribution), width_px)

    def day(self, date: object, name: str) -> pd.Timestamp:
        day = plain_day(date, name, error=ExportError)
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
            edgecolor=REGION_EDGE,
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
            spine.set_edgecolor(FRAME_EDGE)
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
            shapes, facecolor=BASEMAP_FILL, edgecolor=BASEMAP_EDGE, linewidth=0.5, zorder=1
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
            0.012, y(0.48), "", fontsize=10.5, va="top", color=TEXT_INK, parse_math=False
        )
        self.legend_title = self.figure.text(
            0.012, (legend + foot - 0.08) / height, "", fontsize=9.5, va="top", parse_math=False
        )
        classes = [
            Patch(facecolor=colour, edgecolor=SWATCH_EDGE, linewidth=0.6)
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
            for colour, _ in self.type_legend
        ]
        ring = Line2D(
            [], [], marker="o", linestyle="", markerfacecolor="none", color=GUIDE_INK, markersize=7
        )
        self.figure.legend(
            [*kinds, ring],
            [*(kind for _, kind in self.type_legend), "region-level location"],
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
                color=CAPTION_INK,
                va="top",
                parse_math=False,
            )

    # - per day -

    def _show_events(self, day: pd.Timestamp) -> None:
        events = self.events
        start, end = frame_window(day, self.mode, self.window_days)
        shown = ((events["day"] >= start) & (events["day"] <= end)).to_numpy()
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
        return f"{METRIC_NAMES[self.metric]} {how} {day:%d %b %Y}"


def _check_view(mode: str, metric: str, window_days: int, width_px: int) -> None:
    if mode not in MODES:
        raise ExportError(f"mode must be one of {MODES}, got {mode!r}")
    if metric not in COUNT_METRICS:
        raise ExportError(f"metric must be one of {COUNT_METRICS}, got {metric!r}")
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
    check_columns(placed, "placed", ("event_date", "latitude", "longitude", "event_type"))
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
    unknown = pd.Series(pd.NA, index=located.index, dtype="Float64")
    return pd.DataFrame(
        {
            "day": located["event_date"].dt.normalize(),
            "longitude": located["longitude"].astype("float64"),
            "latitude": located["latitude"].astype("float64"),
            "colour": colours_of_types(located["event_type"], type_colours(placed["event_type"])),
            "hollow": region_level(located.get("geo_precision", unknown)),
            "size": _marker_area(located.get("fatalities", unknown)),
        }
    )


def _marker_area(fatalities: pd.Series) -> np.ndarray:
    """Marker areas in points²: the interactive map's radius (`geo.render.style.marker_radius`,
    screen pixels) at 0.75 pt per pixel (96 dpi)."""
    radius_pt = 0.75 * marker_radius(fatalities)
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
