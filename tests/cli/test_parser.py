"""The command line's parser: its choices match what the commands can do."""

from __future__ import annotations

from geo.cli import parser
from geo.export.tables import METRICS


def test_metric_choices_match_what_the_pictures_can_show():
    assert parser.METRICS == METRICS
