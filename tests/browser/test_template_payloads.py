"""A template payload uploaded through the real file uploader stays text: the server runs
nothing, and the person sees exactly what the file says."""

from __future__ import annotations

import uuid
from pathlib import Path

import pandas as pd
import pytest

from tests.browser.conftest import (
    MAP_FRAME,
    ST_FILE_UPLOADER_DROPZONE_INPUT,
    date_slider,
    wait_for_app,
)

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser


def test_an_uploaded_template_payload_runs_nothing_on_the_server(page, app_url, tmp_path):
    name = f"qantar_ssti_{uuid.uuid4().hex}"
    marker = Path("/tmp") / name
    # No quotes (a JSON-escaped quote would stop an older template pass before it ran anything).
    os_ = "lipsum.__globals__.os"
    payload = (
        "{{ "
        + os_
        + ".mkdir("
        + os_
        + ".path.join("
        + os_
        + ".sep, dict(tmp=1)|first, dict("
        + name
        + "=1)|first)) }}"
    )
    benign = "see {{citation needed}} and {{7*7}}"
    rows = pd.DataFrame(
        {
            "event_date": ["2022-01-02", "2022-01-03"],
            "latitude": [43.3412, 43.6611],
            "longitude": [52.8619, 51.1739],
            "event_type": ["Protests", "Protests"],
            "location": [payload, "Aktau"],
            "notes": [benign, payload],
            "source_url": ["https://example.org/a", "https://example.org/b"],
        }
    )
    path = tmp_path / "payloads.csv"
    rows.to_csv(path, index=False)

    page.goto(app_url)
    wait_for_app(page)
    page.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(path))
    expect(date_slider(page)).not_to_contain_text("19 Jan 2022", timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("payloads.csv: 2 of 2 rows placed")).to_be_visible(timeout=30_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".qantar-last").click()
    events = frame.locator("path.qantar-event")
    expect(events).to_have_count(2, timeout=30_000)
    shown = []
    for index in range(2):
        events.nth(index).dispatch_event("mouseover")
        shown.append(frame.locator(".leaflet-tooltip").last.inner_text())
        events.nth(index).dispatch_event("mouseout")

    assert not marker.exists(), "the uploaded payload ran on the server"
    assert any(payload in text for text in shown), shown
    assert any(benign in text for text in shown), shown
    # The marker's random name may hold the digits 49; only the benign note's own words may not.
    assert not any("and 49" in text for text in shown), shown
