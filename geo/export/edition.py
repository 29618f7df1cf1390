"""The edition for readers: a static folder that any web host or CDN serves as it is.

`write_edition(dataset, out)` writes, for the bundled story or anyone's data:

- `index.html`: the day (from the address's fragment, `#date=YYYY-MM-DD`, so a link can open
  any day), the map, the region table for that day, the timeline and the spread charts, the
  onset table and the sources;
- `map.html`: the map with its own player (`geo.render.webmap.story_map` through
  `geo.export.page.standalone_html`: every script inlined, no network);
- `vega.js`: Vega, Vega-Lite and vega-embed (vl-convert-python's offline bundle), which draw the
  charts from their Vega-Lite specs in the reader's browser.

No server, no CDN. Data text reaches the page only as escaped values: Jinja's autoescape for the
HTML, `tojson` (which escapes <, >, & and ') for the JSON the page's script reads, and
`textContent` when that script fills the table. Source links are http(s) only.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from geo.analysis.aggregate import values_at
from geo.errors import ExportError
from geo.export.page import standalone_html
from geo.export.tables import credit_lines
from geo.pipeline import Dataset, connectivity_of
from geo.render import story_charts, webmap
from geo.render.frames import frame_text
from geo.render.listings import onset_noun, story_title
from geo.render.webmap import PlayerState
from geo.schema import is_web_link

TEMPLATES = Path(__file__).resolve().parent / "templates"
FILES = ("index.html", "map.html", "vega.js")
SOURCES_SHOWN = 500


@dataclass(frozen=True)
class Edition:
    """What `write_edition` wrote: the folder and each file's size in bytes."""

    folder: Path
    sizes: dict[str, int]


def write_edition(
    dataset: Dataset,
    out: Path,
    *,
    basemap: gpd.GeoDataFrame | None,
    day: pd.Timestamp | None = None,
    context: pd.DataFrame | None = None,
    tolls: pd.DataFrame | None = None,
) -> Edition:
    """Write the edition of `dataset` into the folder `out` (created; its files replaced).

    `day` is the day the edition opens on when the link has no `#date=` (default: the fourth
    day of the data, as the dashboard); `context` (`geo.load_context()`) adds the timeline's
    milestones and `tolls` (`geo.national_tolls(...)`) the official national tolls chart.
    """
    days = [pd.Timestamp(d).normalize() for d in dataset.frames]
    if not days:
        raise ExportError("the dataset has no days to publish")
    opening = pd.Timestamp(day).normalize() if day is not None else days[min(4, len(days) - 1)]
    if opening not in days:
        raise ExportError(f"day {opening:%Y-%m-%d} is not one of the data's days")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    initial = PlayerState(frame=days.index(opening))
    title = story_title(dataset)
    pages = {
        "map.html": standalone_html(
            webmap.story_map(
                dataset, basemap=basemap, initial=initial, connectivity=connectivity_of(dataset)
            ),
            title=title,
            attribution=dataset.attribution,
        ),
        "vega.js": _vega_bundle(),
        "index.html": _index_page(dataset, days, opening, title, context, tolls),
    }
    for name, text in pages.items():
        (out / name).write_text(text, encoding="utf-8")
    return Edition(out, {name: (out / name).stat().st_size for name in FILES})


def edition_zip(dataset: Dataset, **options) -> bytes:
    """The edition as a ZIP of its folder (for a download button); `options` as `write_edition`."""
    with tempfile.TemporaryDirectory(prefix="qantar-edition-") as folder:
        edition = write_edition(dataset, Path(folder), **options)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in FILES:
                archive.write(edition.folder / name, f"qantar-edition/{name}")
        return buffer.getvalue()


def _index_page(dataset, days, opening, title, context, tolls) -> str:
    return (
        _environment()
        .get_template("edition.html.j2")
        .render(
            title=title,
            name=dataset.name,
            days=[frame_text(d, "day", "key") for d in days],
            onset_noun=onset_noun(dataset),
            day_labels=[frame_text(d, "day", "control") for d in days],
            opening=f"{opening:%Y-%m-%d}",
            regions_by_day=_regions_by_day(dataset, days),
            specs=_chart_specs(dataset, context, tolls),
            onsets=_onset_rows(dataset.onsets),
            sources=_sources(dataset.events),
            credits=credit_lines(dataset.attribution),
            events=len(dataset.events),
            regions=len(dataset.regions),
        )
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _vega_bundle() -> str:
    import vl_convert

    return vl_convert.javascript_bundle()


def _regions_by_day(dataset: Dataset, days: list[pd.Timestamp]) -> dict[str, list[list]]:
    """Per day: [region, events that day, events up to it, deaths reported up to it], most
    events up to the day first, as the dashboard's table orders them."""
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    table = {}
    for day in days:
        on_day = values_at(dataset.counts, day, "daily").set_index("region_id")
        so_far = values_at(dataset.counts, day, "cumulative").set_index("region_id")
        rows = [
            [
                names[region],
                int(on_day.loc[region, "events"]),
                int(so_far.loc[region, "events"]),
                int(so_far.loc[region, "fatalities"]),
            ]
            for region in names
        ]
        table[f"{day:%Y-%m-%d}"] = sorted(rows, key=lambda row: (-row[2], row[0]))
    return table


def _chart_specs(dataset, context, tolls) -> dict[str, dict]:
    specs = {
        "timeline": story_charts.timeline(dataset, context, connectivity_of(dataset)),
        "units": story_charts.units_affected(dataset),
        "onsets": story_charts.onset_distance(dataset),
    }
    if tolls is not None and len(tolls):
        specs["tolls"] = story_charts.national_tolls(tolls)
    return specs


def _onset_rows(onsets: pd.DataFrame) -> list[dict]:
    rows = []
    for row in onsets.sort_values("onset_rank", na_position="last").itertuples(index=False):
        rows.append(
            {
                "rank": "" if pd.isna(row.onset_rank) else int(row.onset_rank),
                "unit": row.unit,
                "date": "" if pd.isna(row.onset_date) else f"{row.onset_date:%d %b %Y}",
                "d_plus": ""
                if pd.isna(row.days_since_origin)
                else f"D+{int(row.days_since_origin)}",
                "km": "" if pd.isna(row.distance_km) else f"{row.distance_km:.0f}",
                "place": "" if pd.isna(row.first_place) else str(row.first_place),
                "source": _web_link(row.first_source_url),
            }
        )
    return rows


def _sources(events: pd.DataFrame) -> list[str]:
    """Every distinct http(s) source URL the events cite, in order of first citation."""
    found: dict[str, None] = {}
    for cell in events["source_url"].dropna().astype(str):
        for url in cell.split("|"):
            link = _web_link(url)
            if link:
                found.setdefault(link, None)
    return list(found)[:SOURCES_SHOWN]


def _web_link(value) -> str:
    """`value` if it is an http(s) URL, else "" (no javascript:, data: or relative links)."""
    return value.strip() if is_web_link(value) else ""
