"""Hostile links and uploads through the dashboard (AppTest): issue 13's table, as a reader sees it.

Each hostile link opens the page with the default view and exactly one notice; an upload is
refused with our own one-line reason; nothing of one reader's upload reaches another.
"""

from __future__ import annotations

import ast
import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.io.limits import UPLOAD_LIMITS
from tests.paths import APP, FIXTURES, ROOT

TIMEOUT = 90


@pytest.fixture(autouse=True)
def clear_cache():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def opened(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return at.run()


def uploaded(name: str, content: bytes, at: AppTest | None = None) -> AppTest:
    at = at or opened()
    at.sidebar.get("file_uploader")[0].set_value((name, content, "text/csv"))
    return at.run()


def shown(markdown: str) -> str:
    """Markdown as the reader sees it: file names reach Markdown with their specials escaped."""
    return markdown.replace("\\", "")


def page_text(at: AppTest) -> str:
    """Everything the page says, from every element's message (labels, values, captions)."""
    texts = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return shown("\n".join(texts))


def the_default_view(at: AppTest) -> bool:
    return (
        at.select_slider(key="date").value == dt.date(2022, 1, 5)
        and at.slider(key="window").value == 3
        and at.checkbox(key="deaths").value is False
    )


@pytest.mark.parametrize(
    "query",
    [
        {"window": "²"},
        {"deaths": "²-³"},
        {"window": "9" * 5000},
        {"deaths": "0-99999999999999999999"},
        {"actors": ",".join(f"nobody{i}" for i in range(10_000))},
    ],
    ids=[
        "window-superscript",
        "deaths-superscripts",
        "window-5000-digits",
        "deaths-huge",
        "actors",
    ],
)
def test_a_hostile_link_opens_the_default_view_with_one_notice(query):
    at = opened(query)
    assert not at.exception
    assert len(at.warning) == 1 and "Ignored" in at.warning[0].value
    assert the_default_view(at)


def test_nine_bad_parameters_are_listed_in_one_notice():
    at = opened(
        {
            "date": "2030-01-01",
            "mode": "weekly",
            "window": "²",
            "metric": "mass",
            "arrows": "maybe",
            "speed": "٢",
            "region": "atlantis",
            "deaths": "0-99999999999999999999",
            "step": "minute",
        }
    )
    assert not at.exception
    assert len(at.warning) == 1
    notice = at.warning[0].value
    for name in ("date", "mode", "window", "metric", "arrows", "speed", "region", "deaths", "step"):
        assert f"Ignored the link's {name}=" in notice
    assert the_default_view(at)


def test_a_link_to_an_upload_that_is_gone_says_so():
    """After a restart (or from another reader's link) the upload is not on the server."""
    at = opened({"dataset": "upload", "date": "2022-01-03"})
    assert len(at.warning) == 1
    notice = at.warning[0].value
    assert "a link cannot carry" in notice and "upload the file to see that view" in notice
    assert at.select_slider(key="date").value == dt.date(2022, 1, 3)  # the rest still applies
    assert "dataset" not in at.query_params  # the link now says what the page shows


def test_an_upload_over_the_limits_is_refused_with_our_reason_and_the_bundled_data_stays():
    rows = b"event_date,location\n" + b"2022-01-05,Almaty\n" * (UPLOAD_LIMITS.rows + 1)
    at = uploaded("many.csv", rows)
    assert not at.exception
    assert [shown(e.value) for e in at.error] == [
        f"many.csv could not be used: many.csv: this file has {UPLOAD_LIMITS.rows + 1:,} rows "
        f"in Kazakhstan or of no stated country; the limit is {UPLOAD_LIMITS.rows:,} — filter it "
        "first or use the command line, which has no limit"
    ]
    assert len(at.select_slider(key="date").options) == 19  # the bundled days, 1-19 January


def test_a_file_of_nuls_is_refused_in_one_line():
    at = uploaded("nuls.csv", b"\0" * 10_000)
    assert len(at.error) == 1 and "\n" not in at.error[0].value
    assert "not a text file" in at.error[0].value


def test_the_same_bytes_under_another_name_show_only_that_name():
    content = (FIXTURES / "acled_current.csv").read_bytes()
    first = uploaded("alpha_export.csv", content)
    assert not first.exception and "alpha_export.csv" in page_text(first)
    second = uploaded("beta_export.csv", content)  # another reader: another session
    text = page_text(second)
    assert "beta_export.csv" in text and "alpha_export.csv" not in text


def test_a_new_upload_replaces_the_last_one_in_the_session():
    at = uploaded("first.csv", (FIXTURES / "acled_current.csv").read_bytes())
    at = uploaded("second.CSV", (FIXTURES / "20220110153000.export.CSV").read_bytes(), at)
    assert not at.exception
    (key, dataset) = at.session_state["uploaded"]
    assert key[1] == "second.CSV" and dataset.name == "second.CSV"
    assert "first.csv" not in page_text(at)


def test_every_cache_with_arguments_is_bounded():
    """Unbounded caches grew memory from 263 to 736 MB over eight uploads and never gave it back."""
    tree = ast.parse((ROOT / "ui" / "cached.py").read_text(encoding="utf-8"))
    bounds = {
        ast.unparse(node.targets[0]): ast.literal_eval(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) in ("BOUNDS", "PER_DAY")
    }
    assert set(bounds["BOUNDS"]) == {"max_entries", "ttl"}
    assert set(bounds["PER_DAY"]) == {"max_entries"}
    cached = 0
    for path in [ROOT / "dashboard.py", *sorted((ROOT / "ui").glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for decorator in map(ast.unparse, function.decorator_list):
                if decorator.startswith(("st.cache_data", "st.cache_resource")) and (
                    function.args.args or function.args.kwonlyargs
                ):
                    cached += 1
                    keywords = {k.arg for k in ast.parse(decorator).body[0].value.keywords}
                    bounded = {"**BOUNDS", "**PER_DAY"} & set(
                        f"**{k.value.id}"
                        for k in ast.parse(decorator).body[0].value.keywords
                        if k.arg is None
                    )
                    assert bounded or "max_entries" in keywords, (path.name, function.name)
    assert cached >= 2
