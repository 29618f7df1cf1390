"""Day-by-day playback inside the map: all per-day values go to the browser once, and a day
change is a tiny command that restyles regions and filters event points, never a new map.

`add_day_player` embeds the per-region daily series and defines `window.qantarShow(state)` in the
map's script. `day_command` wraps one call of it in an empty FeatureGroup, which streamlit-folium's
`feature_group_to_add` evaluates in the already-drawn map, so the iframe is never reloaded and the
geometry is never sent again. The standalone HTML export drives the same function from its own
player controls.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.aggregate import MODES
from geo.mapview import CLASS_COLOURS, ZERO_COLOUR, Bins, value_bins

METRICS = ("events", "fatalities")


@dataclass(frozen=True)
class PlayerState:
    """What the map shows: a day (index into the day list), how to count, and what to colour by."""

    day: int
    mode: str = "cumulative"
    metric: str = "events"
    window_days: int = 3

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        if self.metric not in METRICS:
            raise ValueError(f"metric must be one of {METRICS}, got {self.metric!r}")
        if self.window_days < 1:
            raise ValueError(f"window_days must be at least 1, got {self.window_days}")

    def as_json(self) -> str:
        return json.dumps(
            {"day": self.day, "mode": self.mode, "metric": self.metric, "window": self.window_days}
        )


def player_payload(counts: pd.DataFrame, regions: pd.DataFrame) -> dict:
    """Per-region daily series and fixed colour classes per metric, ready for JSON."""
    days = sorted(counts["date"].drop_duplicates())
    series = {}
    for metric in METRICS:
        wide = counts.pivot(index="region_id", columns="date", values=metric).reindex(columns=days)
        series[metric] = {rid: [int(v) for v in row] for rid, row in wide.fillna(0).iterrows()}
    totals = counts.groupby("region_id")[list(METRICS)].sum()
    bins: dict[str, Bins] = {metric: value_bins(totals[metric].max(), metric) for metric in METRICS}
    return {
        "days": [pd.Timestamp(d).strftime("%Y-%m-%d") for d in days],
        "labels": [pd.Timestamp(d).strftime("%d %b %Y") for d in days],
        "series": series,
        "names": {
            rid: html.escape(str(name))
            for rid, name in zip(regions["region_id"], regions["name_en"], strict=True)
        },
        "edges": {metric: list(b.edges) for metric, b in bins.items()},
        "legend": {metric: b.labels() for metric, b in bins.items()},
        "colours": list(CLASS_COLOURS),
        "zero": ZERO_COLOUR,
    }


class DayPlayer(MacroElement):
    """Defines window.qantarShow(state) for the map it is added to."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const data = {{ this.payload|tojson }};
  const map = {{ this._parent.get_name() }};
  const metricNames = {events: "Events", fatalities: "Deaths reported"};
  const modeNames = {cumulative: "up to", daily: "on", window: "in the days up to"};
  function colour(metric, value) {
    if (!value) return data.zero;
    const edges = data.edges[metric];
    let i = edges.findIndex(edge => value <= edge);
    if (i < 0) i = edges.length - 1;
    return data.colours[Math.min(i, data.colours.length - 1)];
  }
  function range(state) {
    if (state.mode === "daily") return [state.day, state.day];
    if (state.mode === "window") return [Math.max(0, state.day - state.window + 1), state.day];
    return [0, state.day];
  }
  function sum(values, from, to) {
    let total = 0;
    for (let i = from; i <= to; i++) total += values[i] || 0;
    return total;
  }
  function legend(state) {
    const title = document.querySelector(".qantar-legend .qantar-legend-title");
    const classes = document.querySelector(".qantar-legend .qantar-legend-classes");
    if (!title || !classes) return;
    title.textContent = metricNames[state.metric] + " " + modeNames[state.mode] + " " +
      data.labels[state.day];
    classes.replaceChildren(...data.legend[state.metric].map(function ([swatch, label]) {
      const row = document.createElement("div");
      const chip = document.createElement("span");
      chip.style.cssText = "display:inline-block;width:14px;height:10px;margin-right:4px;" +
        "border:1px solid #777;background:" + swatch;
      row.append(chip, document.createTextNode(label));
      return row;
    }));
  }
  window.qantarShow = function (state) {
    const [from, to] = range(state);
    let affected = 0;
    map.eachLayer(function (layer) {
      const props = layer.feature && layer.feature.properties;
      if (!props) return;
      if (layer.options.className === "qantar-region") {
        const values = data.series[state.metric][props.region_id] || [];
        const value = sum(values, from, to);
        const events = sum(data.series.events[props.region_id] || [], from, to);
        if (events > 0) affected += 1;
        layer.setStyle({fillColor: colour(state.metric, value)});
        layer.getElement && layer.getElement() &&
          layer.getElement().setAttribute("data-value", String(value));
        props.label = "<b>" + data.names[props.region_id] + "</b><br>" + value + " " +
          metricNames[state.metric].toLowerCase();
      } else if (layer.options.className === "qantar-event" && props.day !== undefined) {
        const visible = props.day >= from && props.day <= to;
        const element = layer.getElement && layer.getElement();
        if (element) element.style.display = visible ? "" : "none";
      }
    });
    legend(state);
    const box = map.getContainer();
    box.setAttribute("data-qantar-day", data.days[state.day]);
    box.setAttribute("data-qantar-affected", String(affected));
    box.setAttribute("aria-label", data.days[state.day] + ": " + affected + " of " +
      Object.keys(data.names).length + " regions with events (" + modeNames[state.mode] + ")");
  };
  window.qantarShow({{ this.initial }});
})();
{% endmacro %}
"""
    )

    def __init__(self, payload: dict, initial: PlayerState):
        super().__init__()
        self._name = "DayPlayer"
        self.payload = payload
        self.initial = initial.as_json()


class _DayCommand(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}window.qantarShow && window.qantarShow({{ this.state }});"
        "{% endmacro %}"
    )

    def __init__(self, state: PlayerState):
        super().__init__()
        self._name = "DayCommand"
        self.state = state.as_json()


def add_day_player(
    m: folium.Map, counts: pd.DataFrame, regions: pd.DataFrame, initial: PlayerState
) -> folium.Map:
    """Embed the daily series in `m` and show `initial`; call after the regions and events."""
    DayPlayer(player_payload(counts, regions), initial).add_to(m)
    return m


def day_command(state: PlayerState) -> folium.FeatureGroup:
    """An empty layer whose script shows `state` in an already-drawn player map."""
    group = folium.FeatureGroup(name="day", control=False)
    _DayCommand(state).add_to(group)
    return group
