"""Day-by-day playback inside the map: all per-day values go to the browser once, and a day
change is a tiny command that restyles regions and filters event points, never a new map.

`add_day_player` embeds the per-region daily series, the playback controls (play/pause, step,
first/last, speed, loop) and `window.qantarShow(state)` in the map's script. Playback runs in the
browser; the map tells Streamlit the chosen day when the person pauses or steps (through
`window.Streamlit.setComponentValue`, where the map runs inside streamlit-folium), and Streamlit
moves the map with `command_script`, a one-line call evaluated in the drawn map. The standalone
HTML export carries the same player.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.aggregate import MODES, values_at
from geo.assets import STREAMLIT_STATIC, AssetSource
from geo.mapview import (
    CLASS_COLOURS,
    ZERO_COLOUR,
    Bins,
    add_basemap,
    add_choropleth,
    add_event_points,
    base_map,
    value_bins,
)
from geo.pipeline import Dataset

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
  let current = null;
  let timer = null;
  let speed = {{ this.speed }};
  let loop = {{ this.loop|tojson }};
  let sequence = 0;
  function notify(extra) {
    // Tell Streamlit what the person chose in the map (never during playback frames).
    if (!window.Streamlit || !current) return;
    sequence += 1;
    window.Streamlit.setComponentValue(Object.assign(
      {qantar: true, day: current.day, speed: speed, loop: loop, seq: Date.now() + "-" + sequence},
      extra || {}));
  }
  function go(day, announce) {
    const last = data.days.length - 1;
    window.qantarShow(Object.assign({}, current, {day: Math.max(0, Math.min(last, day))}));
    if (announce) notify();
  }
  function stop(announce) {
    if (timer) { clearInterval(timer); timer = null; }
    const button = map.getContainer().querySelector(".qantar-play");
    if (button) { button.textContent = "▶"; button.setAttribute("aria-label", "Play");
                  button.setAttribute("aria-pressed", "false"); }
    if (announce) notify();
  }
  function tick() {
    const last = data.days.length - 1;
    if (current.day >= last) {
      if (loop) { go(0, false); } else { stop(true); }
      return;
    }
    go(current.day + 1, false);
    frames += 1;
    map.getContainer().setAttribute("data-qantar-frames", String(frames));
  }
  let frames = 0;
  function play() {
    if (timer) return;
    if (current.day >= data.days.length - 1) go(0, false);
    timer = setInterval(tick, 1000 / speed);
    const button = map.getContainer().querySelector(".qantar-play");
    button.textContent = "⏸"; button.setAttribute("aria-label", "Pause");
    button.setAttribute("aria-pressed", "true");
  }
  const Controls = L.Control.extend({
    options: {position: "topright"},
    onAdd: function () {
      const bar = L.DomUtil.create("div", "qantar-controls leaflet-bar");
      bar.setAttribute("role", "toolbar");
      bar.setAttribute("aria-label", "Day-by-day playback");
      bar.style.cssText = "background:#fff;padding:4px 6px;font:13px sans-serif;display:flex;" +
        "gap:4px;align-items:center";
      function button(cls, text, label, action) {
        const b = L.DomUtil.create("button", cls, bar);
        b.type = "button"; b.textContent = text; b.title = label;
        b.setAttribute("aria-label", label);
        b.style.cssText = "min-width:28px;height:26px;cursor:pointer";
        L.DomEvent.on(b, "click", function (e) { L.DomEvent.stop(e); action(); });
        return b;
      }
      button("qantar-first", "⏮", "First day", function () { stop(false); go(0, true); });
      button("qantar-back", "◀", "One day back", function () { stop(false); go(current.day - 1, true); });
      const playButton = button("qantar-play", "▶", "Play", function () {
        if (timer) { stop(true); } else { play(); }
      });
      playButton.setAttribute("aria-pressed", "false");
      button("qantar-forward", "▶|", "One day forward", function () { stop(false); go(current.day + 1, true); });
      button("qantar-last", "⏭", "Last day", function () { stop(false); go(data.days.length - 1, true); });
      const select = L.DomUtil.create("select", "qantar-speed", bar);
      select.setAttribute("aria-label", "Playback speed (days per second)");
      for (const value of [0.5, 1, 2, 4]) {
        const option = L.DomUtil.create("option", "", select);
        option.value = String(value); option.textContent = value + "×";
        option.selected = value === speed;
      }
      L.DomEvent.on(select, "change", function () {
        speed = Number(select.value);
        if (timer) { stop(false); play(); }
        notify();
      });
      const loopLabel = L.DomUtil.create("label", "", bar);
      const loopBox = L.DomUtil.create("input", "qantar-loop", loopLabel);
      loopBox.type = "checkbox"; loopBox.checked = loop;
      loopLabel.appendChild(document.createTextNode(" loop"));
      L.DomEvent.on(loopBox, "change", function () { loop = loopBox.checked; notify(); });
      const day = L.DomUtil.create("output", "qantar-day", bar);
      day.setAttribute("aria-live", "polite");
      day.style.cssText = "min-width:92px;text-align:center;font-weight:bold";
      L.DomEvent.disableClickPropagation(bar);
      return bar;
    },
  });
  new Controls().addTo(map);
  map.eachLayer(function (layer) {
    if (layer.options && layer.options.className === "qantar-region" && layer.feature) {
      layer.on("click", function () {
        stop(false);
        notify({region: layer.feature.properties.region_id});
      });
    }
  });
  window.qantarShow = function (state) {
    current = Object.assign({}, state);
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
    const label = map.getContainer().querySelector(".qantar-day");
    if (label) label.textContent = data.labels[state.day];
    const box = map.getContainer();
    box.setAttribute("data-qantar-day", data.days[state.day]);
    box.setAttribute("data-qantar-affected", String(affected));
    box.setAttribute("aria-label", data.days[state.day] + ": " + affected + " of " +
      Object.keys(data.names).length + " regions with events (" + modeNames[state.mode] + ")");
  };
  window.qantarCommand = function (state) { stop(false); window.qantarShow(state); };
  window.qantarShow({{ this.initial }});
})();
{% endmacro %}
"""
    )

    def __init__(
        self, payload: dict, initial: PlayerState, *, speed: float = 1, loop: bool = False
    ):
        super().__init__()
        self._name = "DayPlayer"
        self.payload = payload
        self.initial = initial.as_json()
        self.speed = speed
        self.loop = loop


def add_day_player(
    m: folium.Map,
    counts: pd.DataFrame,
    regions: pd.DataFrame,
    initial: PlayerState,
    *,
    speed: float = 1,
    loop: bool = False,
) -> folium.Map:
    """Embed the daily series and the playback controls in `m` and show `initial`.

    Call it after the regions and events are added: it finds them by their class names.
    Playback starts paused.
    """
    DayPlayer(player_payload(counts, regions), initial, speed=speed, loop=loop).add_to(m)
    return m


def command_script(state: PlayerState) -> str:
    """JavaScript that shows `state` in an already-drawn player map (and stops any playback)."""
    return f"window.qantarCommand && window.qantarCommand({state.as_json()});"


def story_map(
    dataset: Dataset,
    *,
    basemap: gpd.GeoDataFrame | None,
    online_tiles: bool = False,
    speed: float = 1,
    loop: bool = False,
    source: AssetSource = STREAMLIT_STATIC,
) -> folium.Map:
    """The playable map of a dataset: basemap, regions, every event, and the day player.

    Everything that varies with the date is in the player's data, so one map serves every day.
    """
    m = base_map(source=source, online_tiles=online_tiles)
    if basemap is not None:
        add_basemap(basemap, m)
    first_day = values_at(dataset.counts, dataset.days[0], "daily")
    add_choropleth(dataset.regions, first_day, value_bins(1, "events"), m=m, caption="Events")
    add_event_points(dataset.events[dataset.events["region_id"].notna()], m, days=dataset.days)
    return add_day_player(
        m, dataset.counts, dataset.regions, PlayerState(day=0), speed=speed, loop=loop
    )
