"""The edition for readers served by a plain static file server, opened in Chromium: the day in
the link opens the map, the table and the charts on that day, with nothing fetched from
anywhere but the host."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import geo
from geo.export.edition import write_edition
from tests.browser.conftest import free_port

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it


@pytest.fixture(scope="module")
def bundled():
    return geo.load_dataset()  # the bundled record, as every front end loads it


@pytest.fixture(scope="module")
def edition_folder(bundled, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("edition")
    write_edition(bundled, folder, basemap=geo.load_basemap(), context=geo.load_context())
    return folder


@pytest.fixture(scope="module")
def site_url(edition_folder) -> Iterator[str]:
    folder = edition_folder
    port = free_port()
    log = folder.parent / "http.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_page(url, server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_page(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"http.server exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/index.html", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"http.server did not answer:\n{log.read_text()}")


def test_a_link_with_a_day_opens_the_map_and_the_table_on_that_day(page, site_url, bundled):
    page.goto(site_url + "/index.html#date=2022-01-03")
    frame = page.frame_locator("#map")
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=60_000)
    expect(frame.get_by_text("03 Jan 2022").first).to_be_visible()
    expect(page.locator("#regions-title")).to_have_text("Regions on Mon 03 Jan 2022")
    events = bundled.events[bundled.events["region_id"].notna()]
    up_to = events[events["event_date"].dt.normalize() <= pd.Timestamp("2022-01-03")]
    most = int(up_to["region_id"].value_counts().max())  # the first row: most events so far
    expect(page.locator("#regions tbody tr").first.locator("td").nth(2)).to_have_text(str(most))
    expect(page.locator("#regions tbody tr")).to_have_count(len(bundled.regions))
    expect(page.locator(".chart svg")).to_have_count(3)
    assert page.outside_requests == []


def test_moving_the_day_writes_it_into_the_link(page, site_url):
    page.goto(site_url + "/index.html")
    expect(page.locator("#regions-title")).to_have_text("Regions on Wed 05 Jan 2022")
    page.locator("#day").fill("1")
    expect(page.locator("#regions-title")).to_have_text("Regions on Sun 02 Jan 2022")
    assert page.url.endswith("#date=2022-01-02")
    frame = page.frame_locator("#map")
    expect(frame.get_by_text("02 Jan 2022").first).to_be_visible(timeout=30_000)


@pytest.mark.parametrize("served", ["web", "file"])
def test_the_maps_player_and_the_day_control_name_one_day(
    browser, site_url, edition_folder, served
):
    """The edition had two days: ▶ on the map played to 8 Jan while the label and the table
    stayed on 6 Jan, and from file:// the day control left the map where it was."""
    base = site_url + "/index.html" if served == "web" else (edition_folder / "index.html").as_uri()
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith((base.split("/index.html")[0], "data:", "blob:"))
            else (outside.append(route.request.url), route.abort())
        ),
    )
    try:
        _one_day_throughout(page, base)
    finally:
        page.close()
    assert outside == []


def _one_day_throughout(page, base: str) -> None:
    page.goto(base + "#date=2022-01-03")
    frame = page.frame_locator("#map")
    box = frame.locator(".leaflet-container")
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=60_000)
    expect(box).to_have_attribute("data-qantar-frame", "2022-01-03", timeout=30_000)

    def one_day(day: str, label: str) -> None:
        expect(box).to_have_attribute("data-qantar-frame", day, timeout=30_000)
        expect(page.locator("#day-label")).to_have_text(label)
        expect(page.locator("#regions-title")).to_have_text(f"Regions on {label}")
        assert page.url.endswith(f"#date={day}")

    frame.locator(".qantar-forward").click()  # the map's own step moves the page
    one_day("2022-01-04", "Tue 04 Jan 2022")
    frame.locator(".qantar-play").click()
    page.wait_for_function(
        "document.querySelector('#day-label').textContent >= 'Thu 06'", timeout=30_000
    )
    frame.locator(".qantar-play").click()  # pause wherever it got to: both name that day
    shown = box.get_attribute("data-qantar-frame")
    label = pd.Timestamp(shown).strftime("%a %d %b %Y")
    one_day(shown, label)
    page.locator("#day").fill("6")  # the page's control moves the map, from file:// too
    one_day("2022-01-07", "Fri 07 Jan 2022")


def test_the_edition_says_what_the_story_is_not_a_file_name(page, site_url):
    page.goto(site_url + "/index.html")
    expect(page.locator("h1")).to_have_text(
        "Qantar: how the January 2022 unrest spread across Kazakhstan"
    )
    assert "kz_jan2022_events.csv" not in page.title()
