"""Text from data is never code: template and script payloads in every text column, in a
column header, in the file name and in a region name come out of every front end literally.

Each payload is wrapped as QX…QY so that an evaluation would show (QX49QY for {{7*7}}). The
marker payload would create a directory if any template pass ran it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

import geo
from geo.export import pictures, tables
from geo.export.page import standalone_html
from geo.paths import PROJECT_ROOT
from geo.render import webmap

TEXT_COLUMNS = (
    "event_id_cnty",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "notes",
    "source",
    "fatalities_source",
)
"""The text columns of the generic format that reach the map, the tables or the exports."""
MARKER = "QANTAR_SSTI_MARKER"


def payloads(marker_dir: Path) -> list[str]:
    return [
        "{{7*7}}",
        "{% raw %}",
        "{{ lipsum.__globals__.os.getpid() }}",
        "{{ lipsum.__globals__.os.mkdir(dict(" + MARKER + "=1)|first) }}",
        '{{ lipsum.__globals__.os.mkdir("' + str(marker_dir) + '") }}',
        "{#",
        "${7*7}",
        "<%= 7*7 %>",
        "see {{citation needed}}",
    ]


def evaluated_forms() -> list[str]:
    """What the payloads would turn into if anything evaluated them."""
    return ["QX49QY", f"QX{os.getpid()}QY", "QXNoneQY"]


def hostile_frame(text: str) -> pd.DataFrame:
    """Two events in Mangystau and Almaty city with `text` in every text column."""
    rows = pd.DataFrame(
        {
            "event_id_cnty": [f"QX{text}QY-1", f"QX{text}QY-2"],
            "event_date": ["2022-01-02", "2022-01-05"],
            "event_type": ["Protests", "Riots"],
            "latitude": [43.3412, 43.2567],
            "longitude": [52.8619, 76.9286],
            "fatalities": [1, 2],
            "source_url": ["https://example.org/a", "https://example.org/b"],
        }
    )
    for column in TEXT_COLUMNS[1:]:
        rows[column] = f"QX{text}QY"
    rows[f"QX{text}QY header"] = "extra"
    return rows


def decoded(page: str) -> str:
    """The page with the \\u escapes of JSON strings read back, as a browser would."""
    for escape, character in {
        "\\u007b": "{",
        "\\u007d": "}",
        "\\u003c": "<",
        "\\u003e": ">",
        "\\u0026": "&",
        "\\u0027": "'",
    }.items():
        page = page.replace(escape, character)
    return page


def dataset_of(text: str, tmp_path: Path, regions=None) -> geo.Dataset:
    path = tmp_path / f"QX{text.replace('/', '_')}QY.csv"
    hostile_frame(text).to_csv(path, index=False)
    imported = geo.read_events(path.read_bytes(), name=path.name)
    return geo.dataset_from_import(
        imported, regions if regions is not None else geo.load_regions("2022-01"), name=path.name
    )


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty directory, where the relative marker payload would create its folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_nothing_ran(marker_dir: Path, where: Path) -> None:
    assert not marker_dir.exists(), "a template payload ran and created its directory"
    assert not (where / MARKER).exists(), "a template payload ran and created its directory"


@pytest.mark.parametrize("index", range(9))
def test_payloads_come_out_of_the_map_and_its_page_literally(index, in_tmp):
    marker_dir = in_tmp / "absolute-marker"
    text = payloads(marker_dir)[index]
    regions = geo.load_regions("2022-01")
    regions = regions.assign(name_en=regions["name_en"].where(regions.index != 0, f"QX{text}QY"))
    dataset = dataset_of(text, in_tmp, regions)
    assert len(dataset.events) == 2 and dataset.events["region_id"].notna().all()

    m = webmap.story_map(dataset, basemap=geo.load_basemap())
    page = m.get_root().render()
    html_page = standalone_html(
        webmap.story_map(dataset, basemap=None), title=dataset.name, attribution=text
    )
    from ui.map_component import prepared_args  # the dashboard's map arguments

    args = prepared_args(webmap.story_map(dataset, basemap=None), key="map")
    component = json.dumps(args)

    assert_nothing_ran(marker_dir, in_tmp)
    for rendered in (page, html_page, component, args["script"]):
        for evaluated in evaluated_forms():
            assert evaluated not in decoded(rendered)
    payload = webmap.player_payload(dataset)
    for output in (page, html_page, args["script"]):
        literal = decoded(output)
        assert payload["names"][regions["region_id"][0]] == f"QX{text}QY"
        notes = {f["properties"]["notes"] for f in payload["events"]["features"]}
        assert notes == {f"QX{text}QY"}
        assert '"notes":' + json.dumps(f"QX{text}QY") in literal
    assert "&lt;" in html_page or "<" not in text  # the title and footer are HTML-escaped


@pytest.mark.parametrize("index", range(9))
def test_payloads_come_out_of_every_export_literally(index, in_tmp):
    marker_dir = in_tmp / "absolute-marker"
    text = payloads(marker_dir)[index]
    dataset = dataset_of(text, in_tmp)
    credit = f"QX{text}QY"
    scene = (dataset.regions, dataset.counts, dataset.events)

    onsets = pd.read_csv(
        io.BytesIO(tables.onset_csv(dataset.onsets, dataset.origin, attribution=credit))
    )
    assert set(onsets["first_place"].dropna()) == {f"QX{text}QY"}
    days = pd.read_csv(
        io.BytesIO(tables.region_day_csv(dataset.counts, dataset.regions, attribution=credit))
    )
    assert days["attribution"].str.startswith(f"QX{text}QY").all()
    collection = json.loads(
        tables.region_days_geojson(dataset.counts, dataset.regions, attribution=credit)
    )
    assert collection["attribution"].startswith(f"QX{text}QY")
    png = Image.open(io.BytesIO(pictures.frame_png(*scene, dataset.frames[-1], attribution=credit)))
    assert png.text["Attribution"].startswith(f"QX{text}QY")
    gif = Image.open(io.BytesIO(pictures.spread_gif(*scene, attribution=credit, width_px=320)))
    assert gif.n_frames == len(dataset.frames)
    assert_nothing_ran(marker_dir, in_tmp)


@pytest.mark.parametrize("index", [0, 3, 4, 8])
def test_payloads_come_out_of_the_command_line_literally(index, tmp_path):
    marker_dir = tmp_path / "absolute-marker"
    text = payloads(marker_dir)[index]
    events = tmp_path / "hostile.csv"
    hostile_frame(text).to_csv(events, index=False)
    page = tmp_path / "page.html"
    run = [sys.executable, "-m", "geo"]
    exported = subprocess.run(
        [*run, "export", "--what", "html", "--events", str(events), "--out", str(page)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert exported.returncode == 0, exported.stderr
    summary = subprocess.run(
        [*run, "validate", "--json", str(events)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert summary.returncode in (0, 1), summary.stderr
    assert_nothing_ran(marker_dir, tmp_path)
    literal = decoded(page.read_text(encoding="utf-8"))
    assert json.dumps(f"QX{text}QY") in literal
    for evaluated in evaluated_forms():
        assert evaluated not in literal
