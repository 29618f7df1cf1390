"""Bring-your-own-data and exports, in a real browser, offline."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from PIL import Image

from tests.browser.conftest import (
    ARTIFACTS,
    MAP_FRAME,
    ST_FILE_UPLOADER_DROPZONE_INPUT,
    ST_SELECTBOX,
    date_slider,
    date_value,
    wait_for_app,
)

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser
IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT_PAYLOAD = "</script><script>alert(2)</script>"


@pytest.fixture
def hostile_csv(tmp_path):
    rows = pd.DataFrame(
        {
            "event_date": ["2022-01-02", "2022-01-03", "2022-01-04", "not a date"],
            "latitude": [43.3412, 43.6611, 43.25, 43.25],
            "longitude": [52.8619, 51.1739, 76.95, 76.95],
            "event_type": ["Protests", "Protests", "Riots", "Riots"],
            "location": [IMG_PAYLOAD, "Aktau", SCRIPT_PAYLOAD, "Almaty"],
            "notes": [IMG_PAYLOAD, SCRIPT_PAYLOAD, "plain", "bad row"],
            "source_url": ["javascript:alert(3)", "https://example.org/a", "", ""],
        }
    )
    path = tmp_path / "hostile.csv"
    rows.to_csv(path, index=False)
    return path


def test_an_uploaded_xss_payload_stays_text(page, app_url, hostile_csv):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(hostile_csv))
    # The upload's three days (2-4 January) replace the bundled nineteen.
    expect(date_slider(page)).not_to_contain_text("19 Jan 2022", timeout=30_000)
    wait_for_app(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)  # the new map replaced the old
    expect(page.get_by_text("hostile.csv: 3 of 4 rows placed")).to_be_visible()
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=30_000)
    expect(frame.locator(".qantar-legend-title")).to_contain_text("2022", timeout=30_000)

    frame.locator(".qantar-last").click()
    events = frame.locator("path.qantar-event")
    expect(events).to_have_count(3)
    shown = []
    for index in range(3):  # each event's tooltip, as text
        events.nth(index).dispatch_event("mouseover")
        shown.append(frame.locator(".leaflet-tooltip").last.inner_text())
        events.nth(index).dispatch_event("mouseout")
    assert any(IMG_PAYLOAD in text for text in shown), shown
    assert any(SCRIPT_PAYLOAD in text for text in shown), shown
    assert frame.locator("img[src='x']").count() == 0

    page.get_by_role("tab", name="Data and exports").click()
    expect(page.get_by_text("1 rejected")).to_be_visible()
    expect(page.get_by_text("row 4", exact=False).first).to_be_attached()
    page.get_by_role("tab", name="Map").click()
    wait_for_app(page)
    page.get_by_test_id(ST_SELECTBOX).filter(has_text="Region details").click()
    page.keyboard.type("Mangystau")  # the list shows a few options at a time, as a reader types
    page.get_by_role("option", name="Mangystau Region").click()
    wait_for_app(page)
    expect(page.get_by_text("events in Mangystau Region")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)
    assert dialogs == [], f"a payload ran: {dialogs}"


def download(page, label: str, tmp_path):
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_every_export_downloads_and_opens(page, app_url, tmp_path, browser):
    page.goto(f"{app_url}/?date=2022-01-04")
    wait_for_app(page)
    page.get_by_role("tab", name="Data and exports").click()

    table = pd.read_csv(download(page, "Region-day table (CSV)", tmp_path))
    assert {"region_id", "date", "events", "cumulative_events"} <= set(table.columns)
    assert table["region_id"].nunique() == 17
    onsets = pd.read_csv(download(page, "Onset table (CSV)", tmp_path))
    assert onsets.sort_values("onset_rank").iloc[0]["first_place"] == "Zhanaozen"
    geojson = json.loads(download(page, "Region-days (GeoJSON)", tmp_path).read_text())
    assert len(geojson["features"]) == 17
    png = Image.open(io.BytesIO(download(page, "This frame (PNG)", tmp_path).read_bytes()))
    assert png.format == "PNG" and png.width > 300
    gif = Image.open(io.BytesIO(download(page, "The whole spread (GIF)", tmp_path).read_bytes()))
    assert gif.format == "GIF" and gif.n_frames == 19

    mp4 = download(page, "The whole spread (MP4)", tmp_path).read_bytes()
    assert mp4[4:8] == b"ftyp"  # an MP4 container

    snapshot = download(page, "Offline map with player (HTML)", tmp_path)
    offline = browser.new_page()
    try:
        asked: list[str] = []
        offline.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(("file:", "data:"))
                else (asked.append(r.request.url), r.abort())
            ),
        )
        offline.goto(snapshot.as_uri())
        expect(offline.locator("path.qantar-region")).to_have_count(17)
        expect(offline.locator(".qantar-legend-title")).to_contain_text("04 Jan 2022")
        offline.locator(".qantar-forward").click()
        expect(offline.locator(".qantar-legend-title")).to_contain_text("05 Jan 2022")
        assert asked == []
    finally:
        offline.close()


def test_timed_data_steps_by_hour(page, app_url, tmp_path):
    timed = tmp_path / "timed.csv"
    timed.write_text(
        "date,lat,lon,type\n"
        "2022-01-05T14:10:00+06:00,43.3412,52.8619,Protests\n"
        "2022-01-05T16:40:00+06:00,43.25,76.95,Riots\n"
        "2022-01-05T19:05:00+06:00,51.1605,71.4704,Protests\n",
        encoding="utf-8",
    )
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(timed))
    expect(page.get_by_text("timed.csv: 3 of 3 rows placed")).to_be_visible(timeout=30_000)
    page.get_by_text("hours", exact=True).click()
    wait_for_app(page)
    expect(date_slider(page)).to_contain_text("19:00", timeout=30_000)
    wait_for_app(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)  # the hourly map replaced it
    frame = page.locator(MAP_FRAME).content_frame
    frame.locator(".qantar-first").click()
    expect(frame.locator(".qantar-frame")).to_have_text("05 Jan 2022 14:00")
    frame.locator(".qantar-forward").click()
    expect(frame.locator(".qantar-frame")).to_have_text("05 Jan 2022 15:00")
    expect(date_value(page)).to_have_text("Wed 05 Jan 2022 15:00", timeout=20_000)
    assert "step=hour" in page.url


@pytest.fixture
def own_taxonomy_csv(tmp_path):
    """An export in another taxonomy than ACLED's (the categories issue 21 saw drawn grey), of
    2023: its layout has 20 units, not the bundled 17, so the region control's options change."""
    rows = pd.DataFrame(
        {
            "event_date": ["2023-01-02", "2023-01-03", "2023-01-04", "2023-01-04", "2023-01-05"],
            "latitude": [43.3412, 43.6611, 43.25, 47.1048, 50.2797],
            "longitude": [52.8619, 51.1739, 76.95, 51.8843, 57.2072],
            "event_type": [
                "Violent Protests",
                "Violent Protests",
                "Movement of Security Forces",
                "Violent Protests",
                "Protests",
            ],
            "location": ["Zhanaozen", "Aktau", "Almaty", "Atyrau", "Aktobe"],
        }
    )
    path = tmp_path / "own_taxonomy.csv"
    rows.to_csv(path, index=False)
    return path, rows


def test_an_upload_has_its_own_legend_and_no_region_chosen_for_the_reader(
    page, app_url, own_taxonomy_csv
):
    from geo.render.style import type_colours

    path, rows = own_taxonomy_csv
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(path))
    expect(page.get_by_text("own_taxonomy.csv: 5 of 5 rows placed")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.qantar-region")).to_have_count(20, timeout=30_000)  # 2023: 20 units
    colours = type_colours(rows["event_type"])
    legend = frame.locator(".qantar-legend > .qantar-legend-item")
    expect(legend.first).to_be_visible()
    shown = legend.evaluate_all(
        "items => items.map(i => [i.textContent, i.firstChild && i.firstChild.style"
        " ? getComputedStyle(i.firstChild).color : ''])"
    )
    kinds = {text.lstrip("● ").strip(): colour for text, colour in shown if text.startswith("●")}
    assert set(kinds) == set(colours)  # the file's categories, not ACLED's six
    for kind, colour in colours.items():
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert kinds[kind] == f"rgb({red}, {green}, {blue})", kind
    frame.locator(".qantar-last").click()
    points = frame.locator("path.qantar-event")
    expect(points).to_have_count(5)
    drawn = sorted(points.evaluate_all("ps => ps.map(p => p.getAttribute('fill'))"))
    assert drawn == sorted(colours[kind] for kind in rows["event_type"])
    assert "region=" not in page.url
    region = page.get_by_test_id(ST_SELECTBOX).filter(has_text="Region details")
    expect(region.get_by_role("combobox")).to_have_value("")
    expect(region).not_to_contain_text("Akmola")  # the first of the upload's regions


def test_a_large_upload_draws_a_mark_per_place_with_its_count(page, app_url, tmp_path):
    """3,000 events at three places over three days: marks for places, not events; their
    counts (data-count) add up to the events on the last day, counted again here."""
    from tests.render.test_marks_by_place import many_events

    events = many_events(3000).drop(columns="region_id")
    path = tmp_path / "many.csv"
    events.assign(event_date=events["event_date"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(path))
    expect(page.get_by_text("many.csv: 3,000 of 3,000 rows placed")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=30_000)
    frame.locator(".qantar-last").click()
    marks = frame.locator("path.qantar-event")
    groups = events.groupby([events["event_date"].dt.date, "location", "event_type"]).size()
    expect(marks).to_have_count(len(groups))
    counts = marks.evaluate_all(
        "ms => ms.filter(m => m.style.display !== 'none').map(m => +m.dataset.count)"
    )
    assert sorted(counts) == sorted(groups.tolist())
    assert sum(counts) == len(events)
