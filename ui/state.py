"""The view's state in the session: one table ties each field of the shareable view
(`ui.viewstate.ViewState`, whose field names are the URL's parameters) to the session-state key
of the control that holds it. Restoring a link, reading the view back and checking it against a
new dataset all go through that table, so a new control is one row, not five edits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from geo.analysis.filters import EventFilter, choices
from geo.pipeline import Dataset
from geo.render.webmap import PlayerState
from ui.viewstate import ViewChoices, ViewState, parse_view


@dataclass(frozen=True)
class Control:
    """A view field (and URL parameter) and the session-state key of the control holding it."""

    field: str
    key: str
    listed: bool = False
    """Multiselects hold lists; the view holds tuples."""


CONTROLS = (
    Control("date", "date"),
    Control("mode", "mode"),
    Control("window", "window"),
    Control("metric", "metric"),
    Control("arrows", "arrows"),
    Control("tiles", "tiles"),
    Control("region", "region"),
    Control("speed", "speed"),  # the map's player sets these two (ui.map_tab.apply_map_message)
    Control("loop", "loop"),
    Control("step", "step"),
    Control("types", "types", listed=True),
    Control("subtypes", "subtypes", listed=True),
    Control("actors", "actors", listed=True),
    Control("precision", "precision", listed=True),
    Control("match_km", "match_km"),  # the comparison's windows (ui.compare_tab)
    Control("match_days", "match_days"),
)
DEATHS_SWITCH, DEATHS_RANGE = "deaths", "deaths_range"
"""The view's `deaths` (a range, or None) is held by two controls: a checkbox and a slider."""
DERIVED_FIELDS = ("deaths", "dataset")
"""View fields no single control holds: `dataset` says whether an upload is shown."""
FRAMES = "frames"
"""The session-state key of the shown dataset's frames, which the map's and the timeline's
callbacks need before the page runs."""
RESTORED = "view_restored"


def default_view(days: list) -> ViewState:
    """Opens on the fourth day of the data: for the bundled story, 5 January, the day the
    government fell and the emergency was declared."""
    return ViewState(date=days[min(4, len(days) - 1)])


def frames_of(dataset: Dataset) -> list:
    """The values of the date control: days (dates) or hours (datetimes)."""
    return [as_frame(frame, dataset.step) for frame in dataset.frames]


def as_frame(stamp, step: str):
    stamp = pd.Timestamp(stamp)
    return stamp.to_pydatetime() if step == "hour" else stamp.date()


def day_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def set_frames(dataset: Dataset) -> list:
    """The shown dataset's frames, kept for the callbacks; the date falls back to the same day,
    or the default, and the region to none, when the dataset does not have them."""
    days = st.session_state[FRAMES] = frames_of(dataset)
    chosen = st.session_state.get("date")
    if chosen not in days:
        same_day = [f for f in days if chosen is not None and day_of(f) == day_of(chosen)]
        st.session_state["date"] = same_day[0] if same_day else default_view(days).date
    if st.session_state.get("region") not in (None, *dataset.regions["region_id"]):
        st.session_state["region"] = None
    return days


def frames() -> list:
    return st.session_state[FRAMES]


def set_date(day) -> None:
    st.session_state["date"] = day


def upload_state() -> str:
    """ "present"; "gone" when the page still lists a file the server no longer has (it
    restarted, or the session expired: Streamlit then holds a DeletedFile); or "none"."""
    value = st.session_state.get("upload")
    if value is None:
        return "none"
    return "gone" if isinstance(value, DeletedFile) else "present"


def embedded() -> bool:
    """Whether the page is embedded (`?embed=true`, as in a news story's iframe)."""
    return bool(st.context.is_embedded)


def widget_values(view: ViewState) -> dict:
    """The session-state values that make the controls show `view`."""
    values = {
        c.key: list(getattr(view, c.field)) if c.listed else getattr(view, c.field)
        for c in CONTROLS
    }
    values[DEATHS_SWITCH] = view.deaths is not None
    values[DEATHS_RANGE] = view.deaths or (1, 100)
    return values


def current_view() -> ViewState:
    """The view the controls hold now."""
    state = st.session_state
    chosen = {
        c.field: tuple(state[c.key]) if c.listed else state[c.key]
        for c in CONTROLS
        if c.key in state
    }
    chosen["speed"] = float(chosen.get("speed", 1.0))
    chosen["loop"] = bool(chosen.get("loop", False))
    chosen["deaths"] = tuple(state[DEATHS_RANGE]) if state.get(DEATHS_SWITCH) else None
    chosen["dataset"] = "upload" if upload_state() == "present" else "bundled"
    return ViewState(**chosen)


def event_filter(view: ViewState) -> EventFilter:
    return EventFilter(
        event_types=view.types,
        sub_event_types=view.subtypes,
        actors=view.actors,
        geo_precision=view.precision,
        fatalities=view.deaths,
    )


def restore_from_url(dataset: Dataset) -> list[str]:
    """Once per session: the link's view goes into the controls. Returns what was ignored."""
    if RESTORED in st.session_state:
        return []
    days = frames_of(dataset)
    allowed = ViewChoices(
        days=days,
        regions=list(dataset.regions["region_id"]),
        types=choices(dataset.events, "event_type"),
        subtypes=choices(dataset.events, "sub_event_type"),
        actors=sorted({*choices(dataset.events, "actor1"), *choices(dataset.events, "actor2")}),
    )
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    view, notices = parse_view(params, allowed, default_view(days))
    upload = upload_state()
    if upload == "gone":
        notices.append(
            "The file you uploaded is gone: the server restarted, or this page was away too "
            "long, and uploads are kept only while their page is connected. Showing the bundled "
            "data; remove the file from the list under the upload box and upload it again."
        )
    elif view.dataset == "upload" and upload == "none":
        notices.append(
            "This view was made with an uploaded file, which a link cannot carry. Showing the "
            "bundled data; upload the file to see that view."
        )
    st.session_state.update(widget_values(view), **{RESTORED: True})
    return notices


def player_state(view: ViewState, days: list) -> PlayerState:
    """What the map's player shows for `view` among the frames `days`."""
    return PlayerState(
        frame=days.index(view.date),
        mode=view.mode,
        metric=view.metric,
        window_days=view.window,
        arrows=view.arrows,
        speed=view.speed,
        loop=view.loop,
    )
