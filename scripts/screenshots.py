"""The README's screenshots, taken again from the dashboard: `python scripts/screenshots.py`.

Starts `streamlit run dashboard.py` on a free local port, opens it in Debian's Chromium
(/usr/bin/chromium, through Playwright) and writes docs/screenshot.png (the map on 10 January
2022, coloured by reported deaths), docs/spread.png (the Spread tab), docs/compare.png (the
record beside a second source, tests/fixtures/acled_current.csv) and docs/phone.png (the map at
390 px). Then stops the server it started.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402  (the tests' own way to start and find things)
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    ST_FILE_UPLOADER_DROPZONE_INPUT,
    ST_MAIN,
    free_port,
    start_streamlit,
    stop_streamlit,
)

DOCS = ROOT / "docs"
SECOND_SOURCE = ROOT / "tests" / "fixtures" / "acled_current.csv"


def settled(page) -> None:
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        timeout=60_000
    )
    page.frame_locator(MAP_FRAME).first.locator("path.qantar-region").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2500)  # tiles of the basemap, charts and tables finish drawing


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = ROOT / "test-artifacts" / "screenshots.log"
    log.parent.mkdir(exist_ok=True)
    server = start_streamlit(port, log)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/?date=2022-01-10&metric=fatalities&region=almaty_city")
            settled(page)
            page.screenshot(path=str(DOCS / "screenshot.png"))
            page.get_by_role("tab", name="Spread").click()
            page.wait_for_timeout(3000)
            page.screenshot(path=str(DOCS / "spread.png"))
            page.get_by_role("tab", name="Compare sources").click()
            page.get_by_test_id(ST_MAIN).get_by_test_id(
                ST_FILE_UPLOADER_DROPZONE_INPUT
            ).set_input_files(str(SECOND_SOURCE))
            page.locator(MAP_FRAME).nth(1).wait_for(timeout=60_000)
            settled(page)
            page.get_by_text("Same event if within (km)").scroll_into_view_if_needed()
            page.mouse.wheel(0, 250)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(DOCS / "compare.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(f"{url}/?date=2022-01-05")
            settled(phone)
            phone.screenshot(path=str(DOCS / "phone.png"))
            browser.close()
    finally:
        stop_streamlit(server)
    print("wrote", ", ".join(f"docs/{n}.png" for n in ("screenshot", "spread", "compare", "phone")))


if __name__ == "__main__":
    main()
