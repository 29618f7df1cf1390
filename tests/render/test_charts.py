"""Altair charts and the context table: small hand-made frames, asserted on `chart.to_dict()`."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.analysis.spread import SpreadFit, spread_speed, units_affected_per_day
from geo.errors import EventDataError
from geo.record.context import CONTEXT_CSV, load_context
from geo.record.events import load_bundled_events
from geo.render.charts import (
    SELECTION_NAME,
    fit_line,
    inline_data,
    onset_distance_chart,
    selected_date,
    timeline_chart,
    units_affected_chart,
    with_day_shown,
)

COLOURS = {"Protests": "#0072B2", "Riots": "#E69F00", "Strategic developments": "#009E73"}


# --- helpers ------------------------------------------------------------------------------------


def layers(spec: dict) -> list[dict]:
    """Every unit view of a (nested) layer spec, depth first."""
    found = []
    for layer in spec.get("layer", []):
        found += layers(layer) if "layer" in layer else [layer]
    return found


def mark_type(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def by_description(spec: dict, description: str) -> list[dict]:
    return [
        layer
        for layer in layers(spec)
        if isinstance(layer.get("mark"), dict) and layer["mark"].get("description") == description
    ]


def values(spec: dict, layer: dict) -> list[dict]:
    """The rows a layer draws (its own data, or its parent layer's for nested layers)."""
    name = layer["data"]["name"] if "data" in layer else _parent_data(spec, layer)
    return spec["datasets"][name]


def _parent_data(spec: dict, target: dict) -> str:
    for layer in spec["layer"]:
        if "layer" in layer and target in layer["layer"]:
            return layer["data"]["name"]
    raise AssertionError("layer has no data")


# --- timeline -----------------------------------------------------------------------------------


@pytest.fixture
def per_day_by_type() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-03"]),
            "event_type": ["Protests", "Protests", "Riots"],
            "events": [2, 3, 1],
        }
    )


@pytest.fixture
def fatalities() -> pd.DataFrame:
    return pd.DataFrame(
        {"date": pd.to_datetime(["2022-01-02", "2022-01-03"]), "fatalities": [0, 2]}
    )


@pytest.fixture
def context() -> pd.DataFrame:
    """A window 2-4 Jan and two point milestones on 3 Jan (their labels must not collide)."""
    return pd.DataFrame(
        {
            "label": ["Emergency", "Cabinet resigns", "Troops arrive"],
            "start_date": pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-03"]),
            "end_date": pd.to_datetime(["2022-01-04", None, None]),
            "source_url": ["https://a.example", "https://b.example", "https://c.example"],
        }
    )


def test_timeline_stacks_bars_by_type_with_the_given_colours(per_day_by_type, context):
    spec = timeline_chart(
        per_day_by_type, None, context, "2022-01-03", type_colours=COLOURS
    ).to_dict()
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    encoding = bars["encoding"]
    assert encoding["x"]["field"] == "date"
    assert encoding["x"]["type"] == "temporal"
    assert encoding["x"]["timeUnit"] == "utcyearmonthdate"
    assert encoding["x"]["scale"]["type"] == "utc"
    assert encoding["y"] == {"field": "events", "type": "quantitative", "stack": "zero"} | {
        "title": "Events per day"
    }
    assert encoding["color"]["field"] == "event_type"
    assert encoding["color"]["scale"] == {
        "domain": ["Protests", "Riots"],
        "range": ["#0072B2", "#E69F00"],
    }
    tooltips = {t["title"] for t in encoding["tooltip"]}
    assert tooltips == {"Date", "Type", "Events"}
    rows = values(spec, bars)
    assert [(r["date"], r["event_type"], r["events"]) for r in rows] == [
        ("2022-01-02", "Protests", 2),
        ("2022-01-03", "Protests", 3),
        ("2022-01-03", "Riots", 1),
    ]


def test_timeline_has_a_click_selection_named_day_on_the_date(per_day_by_type):
    spec = timeline_chart(per_day_by_type, None, None, None, type_colours=COLOURS).to_dict()
    [param] = [p for p in spec["params"] if p["name"] == SELECTION_NAME]
    assert SELECTION_NAME == "day"
    assert param["select"] == {"type": "point", "fields": ["date"], "on": "click"}
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    assert bars["encoding"]["opacity"]["condition"]["param"] == "day"


def test_a_click_on_a_period_is_not_its_first_day(per_day_by_type, context):
    """The day selection reads `date` from whatever mark is clicked: a shaded period or its
    bracket span many days, so they must not carry one (a click above a short bar inside the
    state of emergency used to jump to 5 January, the period's start)."""
    spec = timeline_chart(per_day_by_type, None, context, None, type_colours=COLOURS).to_dict()
    spans = [*by_description(spec, "Period"), *by_description(spec, "Period bracket")]
    assert spans
    assert all("date" not in row for layer in spans for row in values(spec, layer))
    dated = [layer for layer in layers(spec) if any("date" in r for r in values(spec, layer))]
    assert {mark_type(layer) for layer in dated} <= {"bar", "rule", "point", "text"}
    for layer in dated:  # every dated mark sits on one day
        assert "x2" not in layer.get("encoding", {}), layer


def test_timeline_marks_the_current_day_at_its_noon(per_day_by_type):
    spec = timeline_chart(
        per_day_by_type, None, None, pd.Timestamp("2022-01-03"), type_colours=COLOURS
    ).to_dict()
    [rule] = by_description(spec, "Day shown")
    assert mark_type(rule) == "rule"
    assert rule["mark"]["strokeWidth"] == 3
    assert rule["encoding"]["x"]["field"] == "at"
    assert [r["at"] for r in values(spec, rule)] == ["2022-01-03T12:00:00Z"]
    assert "The day shown is 3 Jan 2022." in spec["description"]


def test_timeline_without_a_current_day_has_no_bold_rule(per_day_by_type):
    spec = timeline_chart(per_day_by_type, None, None, None, type_colours=COLOURS).to_dict()
    assert by_description(spec, "Day shown") == []


def test_timeline_draws_only_days_with_reported_deaths_on_a_right_axis(per_day_by_type, fatalities):
    spec = timeline_chart(per_day_by_type, fatalities, None, None, type_colours=COLOURS).to_dict()
    [deaths] = by_description(spec, "Reported deaths")
    assert deaths["mark"]["shape"] == "diamond"
    assert deaths["encoding"]["y"]["field"] == "fatalities"
    assert deaths["encoding"]["y"]["axis"]["orient"] == "right"
    assert [(r["at"], r["fatalities"]) for r in values(spec, deaths)] == [
        ("2022-01-03T12:00:00Z", 2)
    ]
    assert spec["resolve"]["scale"]["y"] == "independent"
    # the number is written next to the diamond, not left to the axis alone
    texts = [layer for layer in layers(spec) if layer["encoding"].get("text")]
    assert any(layer["encoding"]["text"]["field"] == "fatalities" for layer in texts)


def test_timeline_shades_windows_and_staggers_milestone_labels(per_day_by_type, context):
    spec = timeline_chart(per_day_by_type, None, context, None, type_colours=COLOURS).to_dict()
    [shade] = by_description(spec, "Period")
    assert mark_type(shade) == "rect"
    [window] = values(spec, shade)
    assert (window["start"], window["end"]) == ("2022-01-02T00:00:00Z", "2022-01-04T00:00:00Z")
    assert window["source_url"] == "https://a.example"
    [rules] = by_description(spec, "Milestone")
    assert [r["at"] for r in values(spec, rules)] == ["2022-01-03T12:00:00Z"] * 2
    tooltip_fields = {t["field"] for t in rules["encoding"]["tooltip"]}
    assert {"label", "source_url"} <= tooltip_fields
    labels = [
        layer
        for layer in layers(spec)
        if mark_type(layer) == "text" and layer["encoding"]["text"]["field"] == "label"
    ]
    rows = {r["label"]: r["label_y"] for layer in labels for r in values(spec, layer)}
    assert set(rows) == {"Emergency", "Cabinet resigns", "Troops arrive"}
    assert len(set(rows.values())) == 3, "labels on overlapping spans must get their own rows"
    assert "Milestones: Emergency (2 Jan 2022 – 4 Jan 2022)" in spec["description"]


def test_timeline_x_axis_spans_whole_days_in_utc(per_day_by_type, context):
    spec = timeline_chart(per_day_by_type, None, context, None, type_colours=COLOURS).to_dict()
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    start, end = bars["encoding"]["x"]["scale"]["domain"]
    assert start == {"year": 2022, "month": 1, "date": 2, "utc": True}
    assert end == {"year": 2022, "month": 1, "date": 5, "utc": True}  # after 4 Jan, the window end


def test_timeline_is_described_and_titled(per_day_by_type):
    spec = timeline_chart(per_day_by_type, None, None, None, type_colours=COLOURS).to_dict()
    assert " ".join(spec["title"]["text"]) == "Events per day, by type"
    assert spec["description"].startswith(
        "Stacked bar chart of events per day by type from 2 Jan 2022 to 3 Jan 2022: 6 events"
    )
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    assert bars["encoding"]["x"]["title"] == "Date"


def test_timeline_rejects_a_frame_without_its_columns():
    with pytest.raises(ValueError, match=r"per_day_by_type is missing column\(s\) \['events'\]"):
        timeline_chart(
            pd.DataFrame({"date": [], "event_type": []}), None, None, None, type_colours=COLOURS
        )


def test_timeline_rejects_a_current_date_that_is_not_a_date(per_day_by_type):
    with pytest.raises(ValueError, match="current_date must be a date, got 'soon'"):
        timeline_chart(per_day_by_type, None, None, "soon", type_colours=COLOURS)


# --- selected_date ------------------------------------------------------------------------------

JAN_5 = pd.Timestamp("2022-01-05")


@pytest.mark.parametrize(
    "state",
    [
        # what Streamlit 1.67 returned for a click on the 5 Jan bar (in UTC, Almaty, New York)
        {"selection": {"day": [{"date": 1641340800000}]}},
        {"day": [{"date": 1641340800000}]},
        [{"date": 1641340800000}],
        {"day": [{"date": 1641340800000.0}]},
        {"day": [{"date": "2022-01-05T00:00:00.000Z"}]},
        {"day": [{"date": "2022-01-05"}]},
        {"day": {"date": [1641340800000]}},
        # a day start parsed in the browser's time zone (UTC+5, UTC-5) still gives the day
        {"day": [{"date": "2022-01-04T19:00:00.000Z"}]},
        {"day": [{"date": "2022-01-05T05:00:00.000Z"}]},
        # shift-click: the last one wins
        {"day": [{"date": "2022-01-02"}, {"date": "2022-01-05"}]},
    ],
)
def test_selected_date_reads_what_streamlit_returns(state):
    assert selected_date(state) == JAN_5


@pytest.mark.parametrize(
    "state",
    [
        None,
        {},
        {"selection": {"day": {}}},
        {"day": {}},
        {"day": []},
        {"day": [{"date": None}]},
        {"day": [{"date": "not a date"}]},
        {"day": [{"date": float("nan")}]},
        {"day": [{"date": True}]},
        {"day": [{"event_type": "Riots"}]},
        {"day": "2022-01-05"},
        "2022-01-05",
    ],
)
def test_selected_date_is_none_without_a_readable_selection(state):
    assert selected_date(state) is None


# --- units affected -----------------------------------------------------------------------------


@pytest.fixture
def per_day() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-04"]),
            "new_units": [1, 2, 0],
            "cumulative_units": [1, 3, 3],
            "new_unit_names": pd.array(["A", "B, C", ""], dtype="string"),
        }
    )


def test_units_affected_splits_each_bar_into_earlier_and_new_units(per_day):
    spec = units_affected_chart(per_day, "2022-01-03").to_dict()
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    assert bars["encoding"]["y"]["field"] == "units"
    assert bars["encoding"]["y"]["stack"] == "zero"
    assert bars["encoding"]["color"]["field"] == "part"
    rows = values(spec, bars)
    on_3_jan = {r["part"]: r["units"] for r in rows if r["date"] == "2022-01-03"}
    assert on_3_jan == {"affected earlier": 1, "newly affected": 2}
    tooltip = {t["field"]: t["title"] for t in bars["encoding"]["tooltip"]}
    assert tooltip["new_unit_names"] == "Which"
    assert tooltip["cumulative_units"] == "Units affected so far"
    assert {r["new_unit_names"] for r in rows if r["date"] == "2022-01-03"} == {"B, C"}


def test_units_affected_labels_new_units_and_marks_the_current_day(per_day):
    spec = units_affected_chart(per_day, "2022-01-03").to_dict()
    [text] = [layer for layer in layers(spec) if mark_type(layer) == "text"]
    assert [r["new_label"] for r in values(spec, text)] == ["+1", "+2"]
    [rule] = by_description(spec, "Day shown")
    assert [r["at"] for r in values(spec, rule)] == ["2022-01-03T12:00:00Z"]
    assert " ".join(spec["title"]["text"]) == "Units affected by unrest, cumulative"
    assert spec["description"].startswith("Bar chart of first-level units affected")


def test_units_affected_carries_the_total_to_the_last_day_shown(per_day):
    spec = units_affected_chart(per_day, None, days=("2022-01-01", "2022-01-06")).to_dict()
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    totals = {r["date"]: r["cumulative_units"] for r in values(spec, bars)}
    assert totals == {
        "2022-01-02": 1,
        "2022-01-03": 3,
        "2022-01-04": 3,
        "2022-01-05": 3,
        "2022-01-06": 3,
    }
    start, end = bars["encoding"]["x"]["scale"]["domain"]
    assert (start["date"], end["date"]) == (1, 7)


def test_units_affected_accepts_no_affected_unit():
    empty = units_affected_per_day(
        pd.DataFrame({"unit": ["A"], "onset_date": pd.Series([pd.NaT], dtype="datetime64[ns]")})
    )
    spec = units_affected_chart(empty, None).to_dict()
    [bars] = [layer for layer in layers(spec) if mark_type(layer) == "bar"]
    assert values(spec, bars) == []


# --- onset distance -----------------------------------------------------------------------------


@pytest.fixture
def onset_table() -> pd.DataFrame:
    """A on day 0 at the origin, B on day 1 at 110 km, C on day 2 at 210 km; D never affected."""
    return pd.DataFrame(
        {
            "region_id": ["a", "b", "c", "d"],
            "unit": ["A", "B", "C", "D"],
            "onset_date": pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-04", None]),
            "first_place": ["Zhanaozen", "Aktau", "Atyrau", None],
            "days_since_origin": [0.0, 1.0, 2.0, np.nan],
            "distance_km": [0.0, 110.0, 210.0, np.nan],
        }
    )


def known_fit(n: int = 3) -> SpreadFit:
    return SpreadFit(100.0, 10.0, 0.9, n, pd.DataFrame())


def test_fit_line_runs_over_the_days_of_the_points():
    line = fit_line(known_fit(), [0.0, 1.0, 2.0])
    assert line["days_since_origin"].tolist() == [0.0, 2.0]
    assert line["distance_km"].tolist() == [10.0, 210.0]


def test_onset_chart_draws_units_their_names_and_the_fitted_line(onset_table):
    spec = onset_distance_chart(onset_table, known_fit(), None).to_dict()
    [points] = by_description(spec, "Affected unit")
    assert points["encoding"]["x"]["field"] == "days_since_origin"
    assert points["encoding"]["y"]["field"] == "distance_km"
    assert points["encoding"]["x"]["title"] == "Days since the origin event (days)"
    assert points["encoding"]["y"]["title"] == "Distance from the origin (km)"
    assert [r["unit"] for r in values(spec, points)] == ["A", "B", "C"]
    tooltip = {t["title"] for t in points["encoding"]["tooltip"]}
    assert tooltip == {
        "Unit",
        "First affected",
        "First place",
        "Days since origin",
        "Distance (km)",
    }
    [names] = [layer for layer in layers(spec) if mark_type(layer) == "text"]
    assert names["encoding"]["text"]["field"] == "unit"
    [line] = by_description(spec, "Fitted line")
    ends = [(r["days_since_origin"], r["distance_km"]) for r in values(spec, line)]
    assert ends == [(0.0, 10.0), (2.0, 210.0)]
    assert " ".join(spec["title"]["text"]).endswith("≈ 100 km per day, R² = 0.90, n = 3")
    assert "≈ 100 km per day" in spec["description"]


def test_onset_chart_says_why_there_is_no_line(onset_table):
    single = onset_table.iloc[[0]]
    fit = spread_speed(single)
    assert math.isnan(fit.km_per_day)
    spec = onset_distance_chart(single, fit, None).to_dict()
    assert by_description(spec, "Fitted line") == []
    assert "no fitted line (need affected units on at least 2 distinct days" in (
        " ".join(spec["title"]["text"])
    )


def test_onset_chart_shows_a_slow_speed_with_a_decimal(onset_table):
    fit = SpreadFit(2.345, 0.0, float("nan"), 3, pd.DataFrame())
    spec = onset_distance_chart(onset_table, fit, None).to_dict()
    assert " ".join(spec["title"]["text"]).endswith("≈ 2.3 km per day, R² = n/a, n = 3")


# --- context ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_events() -> pd.DataFrame:
    return load_bundled_events().events


def test_bundled_context_is_sourced_by_bundled_events(bundled_events):
    context = load_context(bundled_events)
    assert len(context) >= 8
    ids = set(bundled_events["event_id_cnty"])
    assert set(context["event_id_cnty"]) <= ids
    assert set(context["end_event_id_cnty"].dropna()) <= ids
    first, last = pd.Timestamp("2022-01-01"), pd.Timestamp("2022-01-19")
    assert context["start_date"].between(first, last).all()
    assert context["end_date"].dropna().between(first, last).all()
    windows = context[context["kind"] == "window"]
    assert (windows["end_date"] >= windows["start_date"]).all()
    assert set(windows["label"]) >= {"State of emergency"}
    assert context["source_url"].str.startswith("http").all()
    assert windows["end_source_url"].str.startswith("http").all()


def test_bundled_context_loads_without_arguments():
    context = load_context()
    assert context["start_date"].dtype == "datetime64[ns]"
    assert context["label"].is_unique


def write_context(tmp_path, rows: str):
    path = tmp_path / "context.csv"
    path.write_text(
        "label,start_date,end_date,event_id_cnty,end_event_id_cnty\n" + rows, encoding="utf-8"
    )
    return path


def test_context_naming_a_missing_event_raises(tmp_path, bundled_events):
    path = write_context(tmp_path, "Made up,2022-01-05,,QNT-KAZ-9999,\n")
    with pytest.raises(
        EventDataError, match=r"context.csv, row 1, column 'event_id_cnty'.*'QNT-KAZ-9999'"
    ):
        load_context(bundled_events, path=path)


def test_context_checked_against_given_events_names_the_missing_id():
    events = pd.DataFrame(
        {
            "event_id_cnty": ["QNT-KAZ-0001"],
            "event_date": pd.to_datetime(["2022-01-01"]),
            "source_url": ["https://example.org"],
        }
    )
    with pytest.raises(EventDataError, match="QNT-KAZ-0002"):
        load_context(events, path=CONTEXT_CSV)


def test_context_date_must_match_its_source(tmp_path, bundled_events):
    path = write_context(tmp_path, "LPG,2022-01-02,,QNT-KAZ-0001,\n")
    with pytest.raises(EventDataError, match="differs from the event_date 2022-01-01"):
        load_context(bundled_events, path=path)


def test_context_window_needs_an_end_source_and_a_later_end(tmp_path, bundled_events):
    path = write_context(tmp_path, "Emergency,2022-01-05,2022-01-19,QNT-KAZ-0042,\n")
    with pytest.raises(EventDataError, match=r"end_event_id_cnty.*exactly when end_date is"):
        load_context(bundled_events, path=path)
    path = write_context(tmp_path, "Backwards,2022-01-05,2022-01-01,QNT-KAZ-0042,QNT-KAZ-0001\n")
    with pytest.raises(EventDataError, match=r"end_date.*must not be before start_date"):
        load_context(bundled_events, path=path)


def test_context_rejects_a_bad_date(tmp_path, bundled_events):
    path = write_context(tmp_path, "LPG,1 Jan,,QNT-KAZ-0001,\n")
    with pytest.raises(
        EventDataError, match=r"column 'start_date': must be YYYY-MM-DD \(got '1 Jan'\)"
    ):
        load_context(bundled_events, path=path)


def test_context_file_without_its_columns_raises(tmp_path):
    path = tmp_path / "context.csv"
    path.write_text("label,start_date\nLPG,2022-01-01\n", encoding="utf-8")
    with pytest.raises(EventDataError, match=r"missing column\(s\) \['end_date'"):
        load_context(pd.DataFrame(), path=path)


def test_timeline_accepts_the_bundled_context(bundled_events):
    from geo import events_per_day

    context = load_context(bundled_events)
    spec = timeline_chart(
        events_per_day(bundled_events), None, context, "2022-01-05", type_colours=COLOURS
    ).to_dict()
    labels = [
        r["label"]
        for layer in layers(spec)
        if mark_type(layer) == "text" and layer["encoding"]["text"]["field"] == "label"
        for r in values(spec, layer)
        if layer["mark"].get("stroke") is None
    ]
    assert sorted(labels) == sorted(context["label"])


# --- the day shown, added to a cached spec ------------------------------------------------------


@pytest.mark.parametrize("day", ["2022-01-02", "2022-01-03"])
def test_adding_the_day_to_a_timeline_spec_equals_drawing_it_with_that_day(
    per_day_by_type, fatalities, day
):
    context = load_context()
    drawn = timeline_chart(
        per_day_by_type, fatalities, context, pd.Timestamp(day), type_colours=COLOURS
    ).to_dict()
    cached = timeline_chart(per_day_by_type, fatalities, context, None, type_colours=COLOURS)
    assert with_day_shown(cached.to_dict(), pd.Timestamp(day)) == drawn


@pytest.mark.parametrize("day", ["2022-01-01", "2022-01-04", "2022-01-06"])
def test_adding_the_day_to_a_units_spec_equals_drawing_it_with_that_day(per_day, day):
    span = ("2022-01-01", "2022-01-06")
    drawn = units_affected_chart(per_day, pd.Timestamp(day), days=span).to_dict()
    cached = units_affected_chart(per_day, None, days=span).to_dict()
    assert with_day_shown(cached, pd.Timestamp(day)) == drawn
    [rule] = by_description(with_day_shown(cached, pd.Timestamp(day)), "Day shown")
    assert [r["at"] for r in values(with_day_shown(cached, day), rule)] == [f"{day}T12:00:00Z"]


def test_adding_the_day_leaves_the_cached_spec_as_it_was(per_day):
    cached = units_affected_chart(per_day, None).to_dict()
    before = repr(cached)
    with_day_shown(cached, "2022-01-03")
    assert repr(cached) == before
    assert by_description(cached, "Day shown") == []


def test_a_day_outside_the_cached_charts_days_is_refused(per_day):
    cached = units_affected_chart(per_day, None).to_dict()  # spans 2-4 January
    with pytest.raises(ValueError, match="current_date 2022-01-05 is outside the chart's days"):
        with_day_shown(cached, "2022-01-05")


def resolved_rows(spec: dict) -> list[list[dict]]:
    """Each unit view's rows, wherever the spec keeps them: in the view, or in the layer around
    it that its marks share (a view of the top level without data of its own has none here)."""

    def rows(data: dict) -> list[dict]:
        return data["values"] if "values" in data else spec["datasets"][data["name"]]

    def walk(view: dict, inherited: dict | None) -> list[list[dict]]:
        data = view.get("data", inherited)
        if "layer" in view:
            return [found for layer in view["layer"] for found in walk(layer, data)]
        return [] if data is None else [rows(data)]

    return [found for layer in spec.get("layer", []) for found in walk(layer, None)]


def test_inlined_data_draws_the_same_rows_and_leaves_no_datasets(per_day_by_type, fatalities):
    spec = timeline_chart(
        per_day_by_type,
        fatalities,
        load_context(),
        pd.Timestamp("2022-01-03"),
        type_colours=COLOURS,
    ).to_dict()
    inlined = inline_data(spec)
    assert "datasets" not in inlined
    assert resolved_rows(inlined) == resolved_rows(spec)
    assert len(resolved_rows(spec)) > 5
    [rule] = by_description(inlined, "Day shown")
    assert rule["data"]["values"][0]["at"] == "2022-01-03T12:00:00Z"
    without_data = [{k: v for k, v in layer.items() if k != "data"} for layer in layers(spec)]
    assert [
        {k: v for k, v in layer.items() if k != "data"} for layer in layers(inlined)
    ] == without_data


def test_a_top_level_dataset_is_written_into_every_layer_that_inherits_it():
    """Streamlit turns a spec's top-level data into Arrow on every rerun, as it does `datasets`;
    layers that inherit it get the rows themselves, the same rows each."""
    from geo.record.tolls import load_official_tolls, national_tolls
    from geo.render.charts import national_toll_chart

    spec = national_toll_chart(national_tolls(load_official_tolls())).to_dict()
    top = spec["datasets"][spec["data"]["name"]]
    inlined = inline_data(spec)
    assert "data" not in inlined and "datasets" not in inlined
    for original, layer in zip(spec["layer"], inlined["layer"], strict=True):
        expected = spec["datasets"][original["data"]["name"]] if "data" in original else top
        assert layer["data"]["values"] == expected
        assert {k: v for k, v in layer.items() if k != "data"} == {
            k: v for k, v in original.items() if k != "data"
        }
    assert len(top) > 3
