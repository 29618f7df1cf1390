"""The command line's parser: its choices are what the commands can do."""

from __future__ import annotations

from geo.cli import parser
from geo.render.style import COUNT_METRICS


def test_metric_choices_are_what_the_pictures_can_show():
    export = parser.build_parser()._subparsers._group_actions[0].choices["export"]
    [metric] = [action for action in export._actions if "--metric" in action.option_strings]
    assert tuple(metric.choices) == COUNT_METRICS
