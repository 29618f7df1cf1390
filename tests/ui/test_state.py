"""ui.state's one table of controls: every view field has a control (or is derived), and a view
put into the controls reads back as the same view."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

import pandas as pd
import pytest
import streamlit as st

from geo.render.frames import FRAME_FORMATS, frame_text, moment_format
from ui import state
from ui.viewstate import ViewState


def test_every_view_field_has_one_control_or_is_derived():
    held = [c.field for c in state.CONTROLS]
    assert len(held) == len(set(held)), "a field held by two controls"
    assert sorted({*held, *state.DERIVED_FIELDS}) == sorted(f.name for f in fields(ViewState))
    keys = [c.key for c in state.CONTROLS] + [state.DEATHS_SWITCH, state.DEATHS_RANGE]
    assert len(keys) == len(set(keys)), "two fields share a control"


@pytest.mark.parametrize(
    "view",
    [
        ViewState(date=dt.date(2022, 1, 5)),
        ViewState(
            date=dt.date(2022, 1, 3),
            mode="window",
            window=5,
            metric="diffusion",
            arrows=False,
            tiles=True,
            region="mangystau",
            speed=4.0,
            loop=True,
            types=("Protests", "Riots"),
            subtypes=("Peaceful protest",),
            actors=("Police",),
            precision=(1, 2),
            deaths=(2, 40),
            step="hour",
        ),
    ],
)
def test_a_view_put_into_the_controls_reads_back_the_same(view, monkeypatch):
    session = dict(state.widget_values(view))
    monkeypatch.setattr(st, "session_state", session)
    assert state.current_view() == view


def test_a_frame_is_written_from_one_table():
    hour = pd.Timestamp("2022-01-05 14:00")
    assert frame_text(hour, "day", "key") == "2022-01-05"
    assert frame_text(hour, "hour", "key") == "2022-01-05T14:00"
    assert frame_text(hour, "hour", "control") == "Wed 05 Jan 2022 14:00"
    assert moment_format("day") == "DD MMM YYYY"
    assert moment_format("hour") == "DD MMM YYYY HH:00"
    for step, formats in FRAME_FORMATS.items():
        for kind in formats:  # every strftime token has its Moment.js token
            assert "%" not in moment_format(step, kind)
