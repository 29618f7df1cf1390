"""What every part of the page shares: geo's errors said plainly, and the embedded page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

import geo
from geo.render.htmlsafe import markdown_text


@contextmanager
def said_plainly() -> Iterator[None]:
    """Runs a part of the page that calls geo. A QantarError, which geo raises on purpose with
    words meant for the reader, ends that part with its message instead of a traceback."""
    try:
        yield
    except geo.QantarError as error:
        st.error(markdown_text(error))


def page_style() -> None:
    """Text Streamlit would cut with "…" wraps instead: the upload box's list of file types."""
    st.html(
        "<style>[data-testid='stFileUploaderDropzoneInstructions'] *"
        "{white-space:normal!important;overflow:visible!important}</style>"
    )


def hide_sidebar() -> None:
    """Embedded, the view comes from the link alone: the sidebar's choices are not shown."""
    st.html(
        "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],"
        "[data-testid='stExpandSidebarButton']{display:none}</style>"
    )


def link_notices_ui(notices: list[str]) -> None:
    """One notice, however many of the link's parameters were ignored."""
    if notices:
        st.warning(
            "**This link's view was not fully restored.**\n"
            + "".join(f"\n- {notice}" for notice in notices),
            icon="⚠️",
        )
