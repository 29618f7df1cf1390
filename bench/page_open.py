"""Page open → map drawn, in Chromium, for the dashboard on a warm server (alone, and as
deployed: one replica behind scripts/replicas.sh's nginx) and for the edition for readers on a
plain static server; bytes over the wire and the server's CPU for each.

Timing is taken in the browser: an init script checks the map's iframe on every animation
frame and notes when it holds every region path; the figure is that moment minus the
navigation's start (`performance.timeOrigin`). Bytes are Chromium's own count (CDP
`Network.loadingFinished.encodedDataLength`, plus WebSocket frame payloads), for the page and
its frames. Server CPU is the kernel's CPU clock of the app processes (load.py's), from the
navigation to 1.5 s after the map is drawn: what one new reader's page open costs the server,
the ~150 frontend files a browser fetches included (a protocol-level reader of load.py fetches
none of them). Each page is opened once to warm the server (and the proxy's cache of the
frontend; never counted), then `--loads` times in fresh browser contexts (empty cache).
Requests to anything but 127.0.0.1 are aborted.

Usage: python bench/page_open.py [--at COMMIT] [--loads 5] [--out bench/out/page_open.json]
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]
from load import (  # noqa: E402
    Target,
    app_tree,
    free_port,
    replicas,
    streamlit_server,
    wait_for_health,
)

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LOOPBACK, MAP_FRAME  # noqa: E402

REGIONS = 17
MAP_READY = """
(() => {
  if (window.top !== window) return;
  function check() {
    const frame = document.querySelector(FRAME);
    const inside = frame && frame.contentDocument;
    if (inside && inside.querySelectorAll('path.qantar-region').length >= REGIONS) {
      window.__mapReadyMs = performance.now();
    } else if (performance.now() < 120000) {
      requestAnimationFrame(check);
    }
  }
  requestAnimationFrame(check);
})();
"""


def measure(browser, url: str, frame_selector: str, server: Target | None) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(  # the tests' browser and rules: nothing off this machine
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(LOOPBACK) else route.abort()
        ),
    )
    context.add_init_script(
        MAP_READY.replace("FRAME", json.dumps(frame_selector)).replace("REGIONS", str(REGIONS))
    )
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    wire = {"http": 0, "websocket": 0}

    def finished(event):
        wire["http"] += int(event.get("encodedDataLength", 0))

    def frame(event):
        payload = event["response"].get("payloadData", "")
        binary = event["response"].get("opcode") == 2
        wire["websocket"] += len(base64.b64decode(payload)) if binary else len(payload)

    session.on("Network.loadingFinished", finished)
    session.on("Network.webSocketFrameReceived", frame)
    cpu_before = server.cpu_seconds() if server else 0.0
    page.goto(url, wait_until="commit")
    ready_ms = map_ready_ms(page)
    page.wait_for_timeout(1500)  # what still arrives right after the map (charts, tables)
    cpu_ms = (server.cpu_seconds() - cpu_before) * 1000 if server else None
    context.close()
    return {
        "map_ms": ready_ms,
        **wire,
        "total_bytes": wire["http"] + wire["websocket"],
        "server_cpu_ms": cpu_ms,
    }


def map_ready_ms(page, timeout_s: float = 120) -> float:
    """The init script's mark, polled from here: Playwright's in-page `wait_for_function`
    evaluates a string, which the proxy's Content-Security-Policy (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout_s
    while (ready := page.evaluate("window.__mapReadyMs")) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the map was not drawn within {timeout_s:.0f} s")
        page.wait_for_timeout(100)
    return ready


def series(
    browser, url: str, frame_selector: str, loads: int, server: Target | None = None
) -> dict:
    measure(browser, url, frame_selector, server)  # warm-up: the server's caches, never counted
    runs = [measure(browser, url, frame_selector, server) for _ in range(loads)]
    times = sorted(r["map_ms"] for r in runs)
    cpu = [r["server_cpu_ms"] for r in runs if r["server_cpu_ms"] is not None]
    return {
        "url": url,
        "loads": loads,
        "map_ms_p50": statistics.median(times),
        "map_ms_max": times[-1],
        "bytes_p50": statistics.median(r["total_bytes"] for r in runs),
        "http_bytes_p50": statistics.median(r["http"] for r in runs),
        "websocket_bytes_p50": statistics.median(r["websocket"] for r in runs),
        "server_cpu_ms_p50": statistics.median(cpu) if cpu else None,
        "runs": runs,
    }


@contextmanager
def static_site(tree: Path, log_dir: Path):
    folder = log_dir / "site"
    subprocess.run(
        [sys.executable, "-m", "geo", "publish", "--out", str(folder)],
        cwd=tree,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "/index.html", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield url, {p.name: p.stat().st_size for p in folder.iterdir()}
    finally:
        server.terminate()
        server.wait(10)


def report(label: str, result: dict) -> None:
    print(label, json.dumps({k: v for k, v in result.items() if k != "runs"}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--at", metavar="COMMIT", help="the dashboard as committed at COMMIT")
    parser.add_argument("--before", metavar="COMMIT", help="also the dashboard at COMMIT")
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "page_open.json")
    args = parser.parse_args()
    args.out.parent.mkdir(exist_ok=True)
    log_dir = Path(tempfile.mkdtemp(prefix="qantar-page-open-"))
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        frame = MAP_FRAME
        for label, commit in (("dashboard before", args.before), ("dashboard", args.at)):
            if label == "dashboard before" and not commit:
                continue
            with app_tree(commit) as tree:
                with streamlit_server(label, tree / "dashboard.py", log_dir, tree) as target:
                    wait_for_health(target.base_url)
                    results[label] = series(
                        browser, target.base_url + "/", frame, args.loads, target
                    )
                    report(label, results[label])
                if label == "dashboard":
                    with replicas(1, tree, log_dir) as proxied:
                        results["dashboard behind nginx"] = series(
                            browser, proxied.base_url + "/", frame, args.loads, proxied
                        )
                        report("dashboard behind nginx", results["dashboard behind nginx"])
                    with static_site(tree, log_dir) as (url, files):
                        results["edition"] = series(
                            browser, url + "/index.html", "#map", args.loads
                        )
                        results["edition"]["files"] = files
                        report("edition", results["edition"])
        browser.close()
    args.out.write_text(json.dumps(results, indent=1))
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
