"""How a frame is written: a day, or an hour when the view steps by hour.

One table for every front end: the map's payload (the frame's key in the URL fragment and in
`data-*`, its label), the map's words for screen readers, the date control (with the weekday),
the edition and the dashboard's table columns. Streamlit's date columns take Moment.js tokens,
not strftime ones: `moment_format` translates this table rather than writing the format again.
"""

from __future__ import annotations

import pandas as pd

FRAME_FORMATS = {
    "day": {"key": "%Y-%m-%d", "label": "%d %b %Y", "control": "%a %d %b %Y", "alt": "%Y-%m-%d"},
    "hour": {
        "key": "%Y-%m-%dT%H:00",
        "label": "%d %b %Y %H:00",
        "control": "%a %d %b %Y %H:00",
        "alt": "%Y-%m-%d %H:00",
    },
}
"""key: for machines; label: for readers; control: the date control; alt: the map's words."""
_MOMENT_TOKENS = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%b": "MMM", "%a": "ddd", "%H": "HH"}


def frame_text(stamp, step: str, kind: str = "label") -> str:
    """`stamp` written as a frame of a view stepping by `step` ("day" or "hour")."""
    return pd.Timestamp(stamp).strftime(FRAME_FORMATS[step][kind])


def moment_format(step: str, kind: str = "label") -> str:
    """The same format in Moment.js tokens, as Streamlit's date columns take it."""
    text = FRAME_FORMATS[step][kind]
    for token, moment in _MOMENT_TOKENS.items():
        text = text.replace(token, moment)
    return text
