"""The story's charts of one dataset, as every front end draws them (the dashboard, the
edition for readers): the timeline, units affected, onset distance and the official tolls.

Each is a Vega-Lite spec with its rows inside its layers (`charts.inline_data`) and no day
shown; a view adds its day with `charts.with_day_shown`.
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.aggregate import deaths_per_day, events_per_day
from geo.analysis.spread import units_affected_per_day
from geo.pipeline import Dataset
from geo.render import charts
from geo.render.style import type_colours


def day_span(dataset: Dataset) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of the dataset's frames: every day a view of it can show."""
    return dataset.frames[0].normalize(), dataset.frames[-1].normalize()


def timeline(
    dataset: Dataset,
    context: pd.DataFrame | None = None,
    connectivity: pd.DataFrame | None = None,
) -> dict:
    """Events per day by type and reported deaths per day (hourly frames summed into their
    day), with the national milestones of `context` and the internet cuts of `connectivity`
    (geo.record.connectivity) if given."""
    chart = charts.timeline_chart(
        events_per_day(dataset.events),
        deaths_per_day(dataset.counts),
        context,
        None,
        type_colours=type_colours(dataset.events["event_type"]),
        days=day_span(dataset),
        connectivity=connectivity,
    )
    return charts.inline_data(chart.to_dict())


def units_affected(dataset: Dataset) -> dict:
    per_day = units_affected_per_day(dataset.onsets)
    return charts.inline_data(
        charts.units_affected_chart(per_day, None, days=day_span(dataset)).to_dict()
    )


def onset_distance(dataset: Dataset) -> dict:
    chart = charts.onset_distance_chart(dataset.onsets, dataset.fit, dataset.origin)
    return charts.inline_data(chart.to_dict())


def mirrored_timeline(comparison) -> dict:
    """Two sources' events per day, one above the axis and one below (geo.analysis.compare)."""
    a_daily, b_daily = comparison.per_day()
    chart = charts.mirrored_timeline_chart(
        a_daily,
        b_daily,
        (comparison.a_name, comparison.b_name),
        days=(comparison.first_day, comparison.last_day),
    )
    return charts.inline_data(chart.to_dict())


def national_tolls(tolls: pd.DataFrame) -> dict:
    """`tolls` is geo.record.tolls.national_tolls(...)."""
    return charts.inline_data(charts.national_toll_chart(tolls).to_dict())
