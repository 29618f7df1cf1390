"""The map's words for an onset follow what the view counts (issue 21: with the Riots filter
the legend still said "First protest on …")."""

from __future__ import annotations

import geo
from geo.analysis.filters import EventFilter, filter_mask
from geo.pipeline import view_dataset
from geo.render.listings import onset_noun
from geo.render.webmap import player_payload


def filtered(dataset, *types):
    return view_dataset(dataset, keep=filter_mask(dataset.events, EventFilter(event_types=types)))


def test_the_onset_is_named_after_the_events_counted():
    dataset = geo.load_dataset()
    counted = set(dataset.events["event_type"]) & {
        "Protests", "Riots", "Battles", "Violence against civilians"
    }  # fmt: skip
    assert len(counted) >= 3 and onset_noun(dataset) == "unrest event"
    assert onset_noun(filtered(dataset, "Riots")) == "riot"
    assert onset_noun(filtered(dataset, "Protests")) == "protest"
    assert onset_noun(filtered(dataset, "Protests", "Battles")) == "protest or clash"


def test_the_payload_carries_the_words_the_legend_and_tooltips_use():
    riots = filtered(geo.load_dataset(), "Riots")
    payload = player_payload(riots)
    assert payload["metric_names"]["onset"] == "First riot"
    assert payload["onset_noun"] == "riot"
