"""The two ways to deploy behind a proxy say the same thing: the nginx config (compose and
scripts/replicas.sh) and the Kubernetes ingress send the same security headers, accept the
app's own upload limit and hide the metrics endpoint. tests/browser/test_proxy.py checks the
nginx one against the running app; this keeps the ingress from drifting away from it."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.paths import ROOT

NGINX = (ROOT / "deploy" / "nginx" / "qantar-server.conf").read_text(encoding="utf-8")
INGRESS = next(
    doc
    for doc in yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text("utf-8"))
    if doc and doc.get("kind") == "Ingress"
)["metadata"]["annotations"]


ANCESTORS = (ROOT / "deploy" / "nginx" / "frame-ancestors.conf").read_text(encoding="utf-8")


def nginx_headers() -> dict[str, str]:
    """The headers nginx sends, with the default allow-list of frame-ancestors.conf in place."""
    found = dict(re.findall(r'^add_header ([\w-]+) "(.*)" always;$', NGINX, flags=re.M))
    default = re.search(r'^\s*default "(.*)";$', ANCESTORS, flags=re.M).group(1)
    policy = found["Content-Security-Policy"]
    found["Content-Security-Policy"] = policy.replace("$qantar_frame_ancestors", default)
    return found


def ingress_headers() -> dict[str, str]:
    snippet = INGRESS["nginx.ingress.kubernetes.io/configuration-snippet"]
    return dict(re.findall(r'^more_set_headers "([\w-]+): (.*)";$', snippet, flags=re.M))


def test_the_ingress_sends_the_proxy_security_headers():
    headers = nginx_headers()
    assert {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} <= set(headers)
    assert ingress_headers() == headers


def test_both_accept_the_apps_upload_limit_and_hide_the_metrics():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = f"{config['server']['maxUploadSize']}m"
    assert f"client_max_body_size {limit};" in NGINX
    assert INGRESS["nginx.ingress.kubernetes.io/proxy-body-size"] == limit
    assert (
        "location = /_stcore/metrics { return 404; }"
        in INGRESS["nginx.ingress.kubernetes.io/server-snippet"]
    )
    assert re.search(r"location = /_stcore/metrics \{\s*return 404;\s*\}", NGINX)


def test_every_nginx_config_declares_the_frontend_cache_the_server_part_uses():
    zone = re.search(r"^\s*proxy_cache (\w+);$", NGINX, flags=re.M).group(1)
    for name in ("compose.conf", "replicas.conf.template"):
        http = (ROOT / "deploy" / "nginx" / name).read_text(encoding="utf-8")
        assert re.search(rf"^\s*proxy_cache_path \S+ .*keys_zone={zone}:", http, flags=re.M), name


def test_who_may_frame_the_page_is_one_allow_list_defaulting_to_the_page_itself():
    assert re.search(r'^\s*default "\'self\'";$', ANCESTORS, flags=re.M)
    assert "frame-ancestors $qantar_frame_ancestors" in NGINX
    assert "server_tokens off;" in NGINX
    compose = (ROOT / "deploy" / "nginx" / "compose.conf").read_text(encoding="utf-8")
    assert "include /etc/nginx/qantar/frame-ancestors.conf;" in compose
    template = (ROOT / "deploy" / "nginx" / "replicas.conf.template").read_text(encoding="utf-8")
    assert "include @RUN@/frame-ancestors.conf;" in template
