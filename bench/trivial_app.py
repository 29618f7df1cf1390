"""The yardstick for bench/load.py: a plain Streamlit page with the same date control.

A title, a select slider labelled "Date" over the nineteen days of January 2022 and one line of
text that depends on it: what any Streamlit page costs per rerun on this machine.
"""

import datetime as dt

import streamlit as st

DAYS = [dt.date(2022, 1, 1) + dt.timedelta(days=n) for n in range(19)]

st.title("Trivial app")
day = st.select_slider(
    "Date", options=DAYS, value=DAYS[4], format_func=lambda d: d.strftime("%a %d %b %Y")
)
st.write(f"The chosen day is {day:%d %B %Y}.")
