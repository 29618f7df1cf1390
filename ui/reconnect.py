"""After a server restart, the page reruns the whole app as soon as it reconnects.

Streamlit's frontend (1.67, `App.handleConnectionStateChanged`) reruns on reconnecting only when
the last run was interrupted, a fragment run was under way, or a fragment reruns on a timer.
Otherwise it waits for the person's next action; when that action is a control inside a
fragment (the date, a jump button, the map's player), the new server, which has never run the
script for this page, knows no fragment and drops the request ("The fragment with id … does not
exist anymore", streamlit/streamlit#11660; #11890 fixed only the fragment-run case), so the
control does nothing until something outside the fragment is touched. A fragment on a timer is
the public way to make the frontend rerun on reconnecting; it draws nothing and its timer runs
it once an hour, a few milliseconds each time.
"""

from __future__ import annotations

import streamlit as st

RECONNECT_TIMER = "1h"


@st.fragment(run_every=RECONNECT_TIMER)
def rerun_after_restart() -> None:
    """Draws nothing: its timer is what makes the page rerun the app when it reconnects."""
