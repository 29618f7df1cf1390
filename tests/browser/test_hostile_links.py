"""A hostile link and a server restart in a real browser (issue 13).

`?window=²` and a deaths range beyond any int once raised on the server and showed a traceback
with the server's file paths; every bad actor was a banner of its own (10,000 through AppTest,
tests/app/test_app_limits.py; a browser's request line holds ~16 KB, so 500 here). Now the page
opens with the link's good parameters applied, one notice naming every ignored one, and the map.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.browser.conftest import (
    MAP_FRAME,
    ST_ALERT,
    ST_EXCEPTION,
    ST_FILE_UPLOADER_DROPZONE_INPUT,
    date_value,
    free_port,
    start_streamlit,
    stop_streamlit,
    wait_for_app,
)

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser


def test_a_hostile_link_opens_the_page_with_one_notice_and_the_map(page, app_url):
    query = urlencode(
        {
            "date": "2022-01-03",
            "window": "²",
            "deaths": "0-99999999999999999999",
            "actors": ",".join(f"nobody{i}" for i in range(500)),  # the HTTP server takes ~16 KB
        }
    )
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page)
    expect(page.get_by_test_id(ST_EXCEPTION)).to_have_count(0)
    notices = page.get_by_test_id(ST_ALERT)
    expect(notices).to_have_count(1)
    for part in ("window='²'", "deaths='0-99999999999999999999'", "Ignored 500 values"):
        expect(notices.first).to_contain_text(part)
    expect(date_value(page)).to_have_text("Mon 03 Jan 2022")  # the good parameter applied
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=30_000)
    assert "Traceback" not in page.content() and ".py" not in page.inner_text("body")


@contextmanager
def server_on(port: int, log: Path) -> Iterator[None]:
    """`streamlit run dashboard.py` on `port`, stopped (by its PID) on leaving."""
    process = start_streamlit(port, log)
    try:
        yield
    finally:
        stop_streamlit(process)


def test_after_a_restart_the_page_says_the_upload_is_gone(page, tmp_path):
    """The server restarts under an open page that had an upload: the page, reconnected, says
    the file is gone and must be uploaded again, instead of silently showing the bundled data."""
    upload = tmp_path / "mine.csv"
    upload.write_text(
        "event_date,location,event_type\n2022-01-02,Zhanaozen,Protests\n"
        "2022-01-04,Aktau,Protests\n",
        encoding="utf-8",
    )
    port, log = free_port(), tmp_path / "streamlit.log"
    url = f"http://127.0.0.1:{port}/"
    try:
        with server_on(port, log):
            page.goto(url)
            wait_for_app(page)
            page.get_by_test_id(ST_FILE_UPLOADER_DROPZONE_INPUT).set_input_files(str(upload))
            expect(page.get_by_text("mine.csv: 2 of 2 rows placed")).to_be_visible(timeout=60_000)
            expect(page).to_have_url(re.compile(r"dataset=upload"))
        with server_on(port, log):
            # The page reconnects and reruns by itself (ui.reconnect): the notice comes with no
            # action from the reader, once the client's back-off lets it reconnect.
            notice = page.get_by_test_id(ST_ALERT).filter(has_text="you uploaded is gone")
            expect(notice).to_be_visible(timeout=60_000)
            expect(notice).to_contain_text("the server restarted")
            expect(notice).to_contain_text("upload it again")
            expect(page.get_by_text("mine.csv: 2 of 2 rows placed")).to_have_count(0)
            expect(page).not_to_have_url(re.compile(r"dataset=upload"))
    except AssertionError:
        print(log.read_text())
        raise
