"""The dashboard behind the proxy configuration it ships with (deploy/nginx), as
scripts/replicas.sh runs it: two replicas and Debian's nginx on 127.0.0.1.

What a reader gets through the proxy: the security headers, no Prometheus metrics, a routing
cookie, Streamlit's frontend from the proxy's cache, and a map that still draws in Chromium under
the Content-Security-Policy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.conftest import MAP_FRAME, PROJECT_ROOT, free_port, wait_for_app

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

REPLICAS = PROJECT_ROOT / "scripts" / "replicas.sh"
CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def news_sites(tmp_path_factory) -> Iterator[dict]:
    """Two news sites on 127.0.0.1, each a page that embeds the dashboard: the first is on the
    proxy's allow-list (QANTAR_FRAME_ANCESTORS), the second is not."""
    folder = tmp_path_factory.mktemp("news")
    sites, servers = {}, []
    for name in ("allowed", "other"):
        port = free_port()
        sites[name] = f"http://127.0.0.1:{port}"
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        yield {"folder": folder, **sites}
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, news_sites) -> Iterator[dict]:
    if shutil.which("nginx") is None:
        if os.environ.get("CI"):
            pytest.fail("nginx not found: `apt-get install -y nginx`")
        pytest.skip("nginx not found (apt-get install -y nginx)")
    run_dir = tmp_path_factory.mktemp("replicas")
    env = {**os.environ, "QANTAR_RUN_DIR": str(run_dir), "PYTHON": sys.executable}
    env["QANTAR_FRAME_ANCESTORS"] = f"'self' {news_sites['allowed']}"
    port = free_port()
    started = subprocess.run(
        [str(REPLICAS), "start", "2", str(port)], env=env, capture_output=True, text=True
    )
    try:
        if started.returncode:
            logs = "\n".join(p.read_text() for p in sorted(run_dir.glob("*.log")))
            pytest.fail(f"replicas.sh start failed:\n{started.stderr}\n{logs}")
        app_ports = [
            line.split("127.0.0.1:")[1].split()[0]
            for line in (run_dir / "nginx.conf").read_text().splitlines()
            if line.strip().startswith("server 127.0.0.1:")
        ]
        yield {"url": f"http://127.0.0.1:{port}", "replicas": app_ports}
    finally:
        subprocess.run([str(REPLICAS), "stop"], env=env, check=False, timeout=60)


def status_and_headers(url: str) -> tuple[int, dict]:
    return fetched(url)[:2]


def fetched(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_the_proxy_sends_security_headers_and_a_routing_cookie(proxy):
    status, headers = status_and_headers(proxy["url"] + "/")
    assert status == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert headers["Server"] == "nginx"  # server_tokens off: no version
    assert headers["Set-Cookie"].startswith("qantar_route=")
    assert "HttpOnly" in headers["Set-Cookie"]


def test_metrics_are_not_served_through_the_proxy(proxy):
    replica = f"http://127.0.0.1:{proxy['replicas'][0]}"
    assert status_and_headers(replica + "/_stcore/metrics")[0] == 200  # the app serves them
    assert status_and_headers(proxy["url"] + "/_stcore/metrics")[0] == 404
    assert status_and_headers(proxy["url"] + "/_stcore/health")[0] == 200


def test_the_frontend_comes_from_the_proxys_cache_and_the_page_does_not(proxy):
    status, headers, page = fetched(proxy["url"] + "/")
    assert status == 200
    assert "X-Qantar-Cache" not in headers  # the page itself always comes from a replica
    scripts = re.findall(r'src="\./(static/js/[^"]+\.js)"', page.decode())
    assert scripts, "no frontend script named in the page"
    first = fetched(f"{proxy['url']}/{scripts[0]}")
    again = fetched(f"{proxy['url']}/{scripts[0]}")
    replica = fetched(f"http://127.0.0.1:{proxy['replicas'][0]}/{scripts[0]}")
    assert first[0] == again[0] == 200
    assert first[1]["X-Qantar-Cache"] in {"MISS", "HIT"}  # HIT if a test before fetched it
    assert again[1]["X-Qantar-Cache"] == "HIT"
    assert again[2] == first[2] == replica[2]  # the replica's own file, byte for byte
    session = fetched(proxy["url"] + "/_stcore/host-config")
    assert session[0] == 200 and "X-Qantar-Cache" not in session[1]


def test_the_map_draws_through_the_proxy_under_its_policy(page, proxy):
    page.add_init_script(CSP_VIOLATIONS)
    page.goto(proxy["url"] + "/?date=2022-01-04")
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.qantar-region")).to_have_count(17, timeout=60_000)
    violations = {f.url: f.evaluate("window.__cspViolations || []") for f in page.frames}
    assert all(found == [] for found in violations.values()), violations
    assert page.outside_requests == []


def test_a_news_site_on_the_allow_list_embeds_the_map_and_another_cannot(page, proxy, news_sites):
    """Embeds with consent: `frame-ancestors` lists the sites that may frame the page. The
    allowed site's `?embed=true` iframe draws the map; the other site's frame stays empty."""
    _, headers = status_and_headers(proxy["url"] + "/")
    assert headers["Content-Security-Policy"].endswith(
        f"frame-ancestors 'self' {news_sites['allowed']}"
    )
    story = (
        "<!DOCTYPE html><title>A story</title><p>Our reporting.</p>"
        f'<iframe id="qantar" src="{proxy["url"]}/?embed=true&date=2022-01-04" '
        'width="1000" height="800" title="Qantar"></iframe>'
    )
    (news_sites["folder"] / "story.html").write_text(story, encoding="utf-8")
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(news_sites["allowed"] + "/story.html")
    embed = page.frame_locator("#qantar")
    expect(embed.frame_locator(MAP_FRAME).locator("path.qantar-region")).to_have_count(
        17, timeout=90_000
    )
    expect(embed.locator("[data-testid='stSidebar']")).to_be_hidden()  # embedded: no sidebar
    assert not [text for text in refused if "frame-ancestors" in text]

    page.goto(news_sites["other"] + "/story.html")
    page.wait_for_timeout(3000)
    assert page.frame_locator("#qantar").locator("[data-testid='stApp']").count() == 0
    assert any("frame-ancestors" in text for text in refused), refused
