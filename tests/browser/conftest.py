"""A real `streamlit run` on a free local port, driven by Debian's Chromium through Playwright.

Every request to anything but 127.0.0.1 is aborted, so a test passes only if the app works
offline. The server log goes to a file and is printed when a test fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.map_component import MAP_FRAME_SELECTOR

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("QANTAR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_SECONDS = 60
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
"""What a test page may load: this machine's servers and in-page data, nothing else."""
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

# ---- Streamlit's page, as the tests find their way in it --------------------------------------
# Streamlit's data-testid values and streamlit-folium's map iframe are not an API: they change with
# those packages (requirements.txt pins both), so they are named here once.
MAP_FRAME = MAP_FRAME_SELECTOR
"""The map's iframe (the selector ui.map_component itself uses to reach the drawn map)."""
ST_ALERT = "stAlert"
ST_APP = "stApp"
ST_DATA_FRAME = "stDataFrame"
ST_DOWNLOAD_BUTTON = "stDownloadButton"
ST_EXCEPTION = "stException"
ST_FILE_UPLOADER_DROPZONE_INPUT = "stFileUploaderDropzoneInput"
ST_MAIN = "stMain"
ST_METRIC = "stMetric"
ST_METRIC_VALUE = "stMetricValue"
ST_MULTI_SELECT = "stMultiSelect"
ST_MULTI_SELECT_TAGS_CONTAINER = "stMultiSelectTagsContainer"
ST_SELECTBOX = "stSelectbox"
ST_SIDEBAR = "stSidebar"
ST_SIDEBAR_CONTENT = "stSidebarContent"
ST_SLIDER = "stSlider"
ST_SLIDER_THUMB_VALUE = "stSliderThumbValue"
ST_TOOLBAR = "stToolbar"
ST_VEGA_LITE_CHART = "stVegaLiteChart"


def by_test_id(test_id: str) -> str:
    """A CSS selector for the elements with that Streamlit data-testid."""
    return f"[data-testid='{test_id}']"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"streamlit did not become healthy in {STARTUP_SECONDS}s:\n{log.read_text()}")


def start_streamlit(port: int, log: Path) -> subprocess.Popen:
    """`streamlit run dashboard.py` on 127.0.0.1:`port`, its output appended to `log`, once
    healthy."""
    with log.open("a") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "dashboard.py")),
                *("--server.port", str(port), "--server.address", "127.0.0.1"),
                *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
            ],
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for_health(f"http://127.0.0.1:{port}", process, log)
    return process


def stop_streamlit(process: subprocess.Popen) -> None:
    """Stop a server this test run started, by its PID."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    process = start_streamlit(port, log)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_streamlit(process)
        print(f"--- streamlit log ---\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium`")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside: list[str] = []

    def only_loopback(route):
        url = route.request.url
        if url.startswith(LOOPBACK):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    page.outside_requests = outside
    yield page
    context.close()


def wait_for_app(page) -> None:
    from playwright.sync_api import expect

    expect(
        page.locator(by_test_id(ST_APP) + "[data-test-script-state='notRunning']")
    ).to_be_attached(timeout=60_000)


def date_slider(page):
    """The date control (the sidebar's window slider is an stSlider too)."""
    return page.get_by_test_id(ST_SLIDER).filter(has=page.get_by_text("Date", exact=True))


def date_value(page):
    """The date control's current value as shown on its thumb, e.g. 'Wed 05 Jan 2022'."""
    return date_slider(page).get_by_test_id(ST_SLIDER_THUMB_VALUE)
