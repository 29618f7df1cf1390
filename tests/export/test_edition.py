"""The edition for readers (geo.export.edition, `python -m geo publish`): a static folder whose
tables say what the data says, whose data text is escaped, and which needs no server and no CDN."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest

import geo
from geo.cli.commands import main
from geo.export.edition import FILES, edition_zip, write_edition
from geo.pipeline import build_dataset

HOSTILE = '<script>alert("x")</script>&amp;</script>'


@pytest.fixture(scope="module")
def bundled() -> geo.Dataset:
    events = geo.load_bundled_events()
    return build_dataset(
        events.events, geo.load_regions("2022-01"), name=events.file, problems=events.problems
    )


@pytest.fixture(scope="module")
def edition(bundled, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    written = write_edition(bundled, out, basemap=geo.load_basemap(), context=geo.load_context())
    return written, (out / "index.html").read_text(encoding="utf-8")


def page_data(index_html: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="edition-data">(.*?)</script>', index_html, re.S
    )
    return json.loads(found.group(1))


def test_the_folder_holds_the_page_the_map_and_the_chart_library(edition):
    written, index_html = edition
    assert sorted(written.sizes) == sorted(FILES)
    assert all(size > 0 for size in written.sizes.values())
    assert '<iframe class="map" id="map" src="map.html"' in index_html
    assert '<script src="vega.js"></script>' in index_html
    for name in FILES[:2]:
        page = (written.folder / name).read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page), name
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page), name


def test_the_region_table_of_each_day_counts_the_events_up_to_it(bundled, edition):
    data = page_data(edition[1])
    events = bundled.events[bundled.events["region_id"].notna()]
    names = dict(zip(bundled.regions["region_id"], bundled.regions["name_en"], strict=True))
    for day in ("2022-01-02", "2022-01-05", "2022-01-19"):
        up_to = events[events["event_date"].dt.normalize() <= pd.Timestamp(day)]
        on_day = events[events["event_date"].dt.normalize() == pd.Timestamp(day)]
        expected = {
            names[region]: [
                int((on_day["region_id"] == region).sum()),
                int((up_to["region_id"] == region).sum()),
                int(up_to.loc[up_to["region_id"] == region, "fatalities"].fillna(0).sum()),
            ]
            for region in names
        }
        rows = data["regions"][day]
        assert {row[0]: row[1:] for row in rows} == expected
        assert [row[2] for row in rows] == sorted((row[2] for row in rows), reverse=True)


def test_the_page_opens_on_the_fourth_day_and_lists_every_onset_and_source(bundled, edition):
    index_html = edition[1]
    data = page_data(index_html)
    assert data["opening"] == "2022-01-05"
    assert data["days"][0] == "2022-01-01" and len(data["days"]) == len(bundled.frames)
    assert index_html.count('<tr><td class="n">') >= bundled.onsets["onset_rank"].notna().sum()
    cited = {
        url.strip()
        for cell in bundled.events["source_url"].dropna()
        for url in cell.split("|")
        if url.strip().startswith(("http://", "https://"))
    }
    listed = set(re.findall(r'<li><a href="([^"]+)" rel="noopener noreferrer">', index_html))
    assert listed == {url.replace("&", "&amp;") for url in cited}
    assert set(data["specs"]) == {"timeline", "units", "onsets"}
    assert all("datasets" not in spec for spec in data["specs"].values())


def test_data_text_is_escaped_everywhere_and_only_web_links_are_linked(bundled, tmp_path):
    regions = bundled.regions.copy()
    regions.loc[regions.index[0], "name_en"] = HOSTILE
    onsets = bundled.onsets.copy()
    onsets.loc[onsets.index[0], "first_place"] = HOSTILE
    onsets.loc[onsets.index[0], "first_source_url"] = "javascript:alert(1)"
    events = bundled.events.copy()
    events.loc[events.index[0], "source_url"] = "javascript:alert(2) | https://example.org/<b>"
    hostile = replace(bundled, name=HOSTILE, regions=regions, onsets=onsets, events=events)
    write_edition(hostile, tmp_path, basemap=None)
    index_html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index_html
    assert "javascript:" not in index_html
    assert index_html.count("<script") == 3  # the data, vega.js and the page's own script
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;amp;&lt;/script&gt;" in index_html
    data = page_data(index_html)
    assert any(row[0] == HOSTILE for row in data["regions"]["2022-01-05"])


def test_publish_command_writes_the_folder_for_a_day(tmp_path, capsys):
    status = main(["publish", "--out", str(tmp_path / "site"), "--date", "2022-01-08"])
    assert status == 0
    assert page_data((tmp_path / "site" / "index.html").read_text())["opening"] == "2022-01-08"
    assert "Wrote" in capsys.readouterr().out
    assert main(["publish", "--out", str(tmp_path / "x"), "--date", "2023-01-01"]) == 2
    assert "not one of the data's days" in capsys.readouterr().err


def test_the_zip_holds_the_same_folder(bundled):
    import io
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(edition_zip(bundled, basemap=None)))
    assert sorted(archive.namelist()) == sorted(f"qantar-edition/{name}" for name in FILES)
    index_html = archive.read("qantar-edition/index.html").decode("utf-8")
    assert page_data(index_html)["opening"] == "2022-01-05"
