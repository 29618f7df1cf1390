"""The player map inside streamlit-folium's component, rendered once and steered by commands.

`st_folium` regenerates the whole map script on every rerun (about 0.2 s for the bundled story)
and the person's browser would be sent the geometry again on every date change. Here the
component arguments are built once per map (cached) and never change with the date, so the
iframe is never remounted and Streamlit's message cache sends them once; the date and view go to
the drawn map through `show_state`, a few hundred bytes.

This uses streamlit-folium's own component and some of its private helpers (`HELPERS`), written
for the version requirements.txt pins (`STREAMLIT_FOLIUM_VERSION`): importing this module fails,
naming them, if the installed streamlit-folium lacks one; tests/ui checks that the component gets
the arguments `st_folium` itself would give it, and tests/browser that the map draws and follows
commands.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib import metadata

import folium
import streamlit as st
import streamlit_folium as stf
from folium.elements import JSCSSMixin

STREAMLIT_FOLIUM_VERSION = "0.27.4"
"""The streamlit-folium this module is written for: requirements.txt pins the same."""
HELPERS = (
    "_get_html",
    "_get_header",
    "_get_map_string",
    "get_full_id",
    "generate_js_hash",
    "_component_func",
)
"""What this module calls in streamlit_folium besides `st_folium`: mostly private to it, so
free to change from one of its versions to the next."""


def check_streamlit_folium() -> None:
    """Fail with a message naming what is missing when the installed streamlit-folium lacks one
    of `HELPERS`, rather than with an AttributeError when the first map is drawn."""
    missing = [name for name in HELPERS if not callable(getattr(stf, name, None))]
    if not missing:
        return
    try:
        installed = f"streamlit-folium {metadata.version('streamlit-folium')}"
    except metadata.PackageNotFoundError:
        installed = "the installed streamlit-folium"
    names = ", ".join(f"streamlit_folium.{name}" for name in missing)
    raise ImportError(
        f"ui.map_component calls {names}, which {installed} does not have: it is written for "
        f"streamlit-folium {STREAMLIT_FOLIUM_VERSION} (pinned in requirements.txt)"
    )


check_streamlit_folium()

MAP_FRAME_SELECTOR = 'iframe[title="streamlit_folium.st_folium"]'
RETURNED_OBJECTS: list[str] = []
"""The map reports only what the day player sends; pans and zooms cause no reruns."""
_SEND_TO_MAPS = (
    "function send(state) {"
    "  let reached = 0;"
    f"  for (const frame of document.querySelectorAll({json.dumps(MAP_FRAME_SELECTOR)})) {{"
    "    try { if (frame.contentWindow.qantarCommand) {"
    "      frame.contentWindow.qantarCommand(state); reached += 1; } } catch (error) {}"
    "  }"
    "  return reached;"
    "}"
)
"""JavaScript: `send(state)` shows `state` in every drawn map on the page; returns how many."""


def prepared_args(m: folium.Map, key: str) -> dict:
    """Everything the component needs except the per-rerun command, computed once per map."""
    m.get_root().render()
    html = stf._get_html(m)
    header = stf._get_header(m)
    script = stf._get_map_string(m)
    elements = list(_walk(m))
    css_links = list(dict.fromkeys(href for e in elements for _, href in e.default_css))
    js_links = list(dict.fromkeys(src for e in elements for _, src in e.default_js))
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": stf.get_full_id(m),
        "key": f"{key}-{stf.generate_js_hash(script, key)[:16]}",
        "css_links": css_links,
        "js_links": js_links,
        # Equal to what the map reports with RETURNED_OBJECTS empty, so drawing it (which fires
        # Leaflet's moveend) does not send a value and rerun the script.
        "default": {},
    }


def show_state(state_json: str) -> None:
    """Tell the map (already drawn, or about to be) which day and view to show.

    A few hundred bytes of script in the page, not in the map component's arguments: those stay
    identical from rerun to rerun, so Streamlit's message cache sends the 350 KB map only once.
    The map picks the state up itself when it is drawn later (see day_player.js.j2).
    """
    st.html(
        "<script>(function () {"
        f"const state = {state_json};"
        "window.__qantarState = state;"
        f"{_SEND_TO_MAPS}"
        "let tries = 0;"
        "(function push() { if (!send(state) && ++tries < 100) setTimeout(push, 50); })();"
        "})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def follow_slider(label: str) -> None:
    """Move the map the moment the slider labelled `label` moves, before Streamlit reruns.

    The slider's options are the map's days, so its position is the day index. A page-level
    observer watches the slider's hidden range input (keyboard, drag or a value set by Python
    all change it) and sends the map the last state with the new day; the rerun that follows
    sends the same state, which changes nothing. Installed once per page.
    """
    st.html(
        "<script>(function () {"
        "if (window.__qantarFollowing) return; window.__qantarFollowing = true;"
        f"const selector = 'input[type=range][aria-label=' + {json.dumps(json.dumps(label))} + ']';"
        f"{_SEND_TO_MAPS}"
        "let last = null;"
        "new MutationObserver(function () {"
        "  const input = document.querySelector(selector);"
        "  if (!input || input.value === last || !window.__qantarState) return;"
        "  last = input.value;"
        "  send(Object.assign({}, window.__qantarState, {frame: Number(input.value)}));"
        "}).observe(document.body, {subtree: true, attributes: true,"
        "  attributeFilter: ['aria-valuetext']});"
        "})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def share_frames() -> None:
    """Keep every map on the page on one frame: when a map's own player moves (a step, or each
    frame while it plays), the others show that frame too, at once and without a rerun (the
    comparison's two maps, one player). Installed once per page."""
    st.html(
        "<script>(function () {"
        "if (window.__qantarSharing) return; window.__qantarSharing = true;"
        f"const selector = {json.dumps(MAP_FRAME_SELECTOR)};"
        "window.addEventListener('message', function (event) {"
        "  const frame = event.data && event.data.qantarShown;"
        "  if (typeof frame !== 'number' || !window.__qantarState) return;"
        "  window.__qantarState = Object.assign({}, window.__qantarState, {frame: frame});"
        "  for (const map of document.querySelectorAll(selector)) {"
        "    if (map.contentWindow === event.source) continue;"
        "    try { if (map.contentWindow.qantarCommand)"
        "      map.contentWindow.qantarCommand(window.__qantarState); } catch (error) {}"
        "  }"
        "});"
        "})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def player_map(args: dict, *, height: int, on_message: Callable[[dict], None]) -> None:
    """Draw the prepared map (once); messages from it go to `on_message`."""
    key = args["key"]

    def handle() -> None:
        message = st.session_state.get(key)
        if isinstance(message, dict) and message.get("qantar"):
            on_message(message)

    stf._component_func(
        **args,
        height=height,
        width=None,
        returned_objects=RETURNED_OBJECTS,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        on_change=handle,
        wrap_longitude=False,
    )


def _walk(element) -> Iterator[JSCSSMixin]:
    """Every element of the map that brings its own JS/CSS (the map, a marker cluster …)."""
    if isinstance(element, JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)
