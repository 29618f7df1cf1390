"""The README's figures are the code's: the record's size, its days and the fitted speed, as the
dashboard computes them from the bundled record (issue 21: it said 165 events and 690 km a day
while the app said 212 and 579)."""

from __future__ import annotations

import re

import geo
from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_record_size_and_days_are_the_records():
    dataset = geo.load_dataset()
    (events, first, last) = re.search(
        r"Qantar's own record of (\d+) events, (\d+)–(\d+) January 2022", README
    ).groups()
    assert int(events) == len(dataset.events)
    assert (int(first), int(last)) == (
        dataset.events["event_date"].min().day,
        dataset.events["event_date"].max().day,
    )


def test_the_speed_is_the_fitted_speed_rounded_to_ten_km():
    dataset = geo.load_dataset()
    (speed,) = re.findall(r"about ([\d,]+) km a day", README)
    assert int(speed.replace(",", "")) == round(dataset.fit.km_per_day, -1)
