"""The server is killed under an open page (kill -9) and started again (issue 9).

The page must reconnect and rerun by itself, keep the view its link holds, and every control
must work again, the controls inside the date fragment included: before ui.reconnect, the new
server dropped a jump button's rerun because it knew none of the old page's fragments.
"""

from __future__ import annotations

import re
import subprocess

import pytest

import geo
from geo.analysis.aggregate import key_days
from tests.browser.conftest import (
    LOOPBACK,
    MAP_FRAME,
    ST_EXCEPTION,
    date_value,
    free_port,
    start_streamlit,
    wait_for_app,
)

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

LABEL = "%a %d %b %Y"
COUNT_SCRIPT_RUNS = """() => {
  window.__qantarRuns = 0;
  const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver(() => {
    if (app.getAttribute("data-test-script-state") === "running") window.__qantarRuns += 1;
  }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def only_loopback(route) -> None:
    route.continue_() if route.request.url.startswith(LOOPBACK) else route.abort()


def stop(process: subprocess.Popen) -> None:
    process.kill()  # SIGKILL: no clean shutdown, as when a container or a machine dies
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def peak_day() -> str:
    return key_days(geo.load_dataset().counts).peak.strftime(LABEL)


def test_after_kill_9_the_page_reconnects_keeps_its_view_and_its_controls_work(
    page, browser, tmp_path, peak_day
):
    port, log = free_port(), tmp_path / "streamlit.log"
    link = f"http://127.0.0.1:{port}/?date=2022-01-03&metric=fatalities&mode=daily"
    assert peak_day != "Mon 03 Jan 2022"
    server = start_streamlit(port, log)
    try:
        page.goto(link)
        wait_for_app(page)
        expect(date_value(page)).to_have_text("Mon 03 Jan 2022")
        expect(page.frame_locator(MAP_FRAME).locator("path.qantar-region")).to_have_count(17)
        page.evaluate(COUNT_SCRIPT_RUNS)

        stop(server)
        server = start_streamlit(port, log)

        # It reruns by itself once reconnected (the client's back-off can take several seconds).
        page.wait_for_function("() => window.__qantarRuns > 0", timeout=60_000)
        wait_for_app(page)
        expect(page.get_by_test_id(ST_EXCEPTION)).to_have_count(0)
        expect(date_value(page)).to_have_text("Mon 03 Jan 2022")
        for part in ("date=2022-01-03", "metric=fatalities", "mode=daily"):
            assert part in page.url, page.url

        # A control inside the date fragment works on the new server.
        page.get_by_role("button", name="Peak day").click()
        expect(date_value(page)).to_have_text(peak_day, timeout=30_000)
        expect(page).to_have_url(re.compile(r"metric=fatalities"))

        # A reader opening the shared link on the new server gets the same view.
        fresh = browser.new_page()
        try:
            fresh.route("**/*", only_loopback)
            fresh.goto(link)
            wait_for_app(fresh)
            expect(date_value(fresh)).to_have_text("Mon 03 Jan 2022")
            expect(fresh.frame_locator(MAP_FRAME).locator("path.qantar-region")).to_have_count(17)
        finally:
            fresh.close()
    except AssertionError:
        print(log.read_text())
        raise
    finally:
        stop(server)
