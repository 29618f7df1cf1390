"""The map draws exactly what the data says, whatever the person does.

Every check reads what the browser shows — each region path's `data-value`, its drawn `fill`, the
legend's swatches and words, the metric and the alt text — and compares it with what `geo`
computes for the same view, independently of the map's own JavaScript. All views are opened one
after another on the one test server, so its caches are shared as a real audience shares them.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import pytest

import geo
from geo.analysis.aggregate import key_days
from geo.analysis.filters import EventFilter, filter_mask
from geo.export.page import standalone_html
from geo.pipeline import by_hour, restrict_dataset
from geo.render import webmap
from geo.render.frames import frame_text
from geo.render.listings import frame_alt_text
from tests.browser.conftest import (
    MAP_FRAME,
    ST_DATA_FRAME,
    ST_METRIC,
    ST_METRIC_VALUE,
    ST_MULTI_SELECT,
    ST_MULTI_SELECT_TAGS_CONTAINER,
    ST_SIDEBAR,
    ST_SLIDER,
    wait_for_app,
)

expect = pytest.importorskip("playwright.sync_api").expect  # skipped without it; CI has it

pytestmark = pytest.mark.browser
METRICS = ("events", "fatalities", "onset", "diffusion")
MODES = ("cumulative", "daily", "window")
WINDOW = 3
FILTERS = {
    "none": ({}, EventFilter()),
    "one": ({"types": "Protests"}, EventFilter(event_types=("Protests",))),
    "two": (
        {"types": "Protests,Riots", "precision": "1"},
        EventFilter(event_types=("Protests", "Riots"), geo_precision=(1,)),
    ),
}
FRAME_LENGTH = {"day": pd.Timedelta(days=1), "hour": pd.Timedelta(hours=1)}


# ---- the oracle: what geo says a region shows ---------------------------------------------
@pytest.fixture(scope="module")
def bundled() -> geo.Dataset:
    """The bundled record as the dashboard builds it (boundaries in force on its dates)."""
    record = geo.load_bundled_events()
    layout = geo.layout_for_dates(record.events["event_date"])
    return geo.build_dataset(
        record.events, geo.load_regions(layout), name=record.file, problems=record.problems
    )


def shown(base: geo.Dataset, chosen: EventFilter, step: str = "day") -> geo.Dataset:
    dataset = base
    if not chosen.is_empty:
        dataset = restrict_dataset(base, filter_mask(base.events, chosen), label="filtered")
    return by_hour(dataset) if step == "hour" else dataset


def expected_values(dataset: geo.Dataset, frame: pd.Timestamp, metric: str, mode: str) -> dict:
    """Each region's value on `frame` as text, the way the map states it in data-value."""
    if metric in ("events", "fatalities"):
        values = geo.values_at(dataset.counts, frame, mode, WINDOW, step=dataset.step)
        return {
            rid: str(int(v)) for rid, v in zip(values["region_id"], values[metric], strict=True)
        }
    if metric == "onset":
        onsets = dataset.onsets.set_index("region_id")["onset_date"]
        first = onsets.min()
        return {
            rid: (
                ""
                if pd.isna(date) or date > frame
                else str(int((date - first) / FRAME_LENGTH[dataset.step]))
            )
            for rid, date in onsets.items()
        }
    day = pd.Timestamp(frame).normalize()
    that_day = dataset.diffusion[dataset.diffusion["date"] == day].set_index("region_id")["class"]
    classes = that_day.astype(object).where(that_day.notna(), "inactive")  # no class: inactive
    return {rid: str(classes.get(rid, "inactive")) for rid in dataset.regions["region_id"]}


# ---- what the browser shows ---------------------------------------------------------------
@dataclass(frozen=True)
class Drawn:
    values: dict[str, str]
    fills: dict[str, str]
    names: dict[str, str]
    legend: list[tuple[str, str]]
    frame_id: str
    alt: str


def hex_colour(css: str) -> str:
    found = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", css.strip())
    if not found:
        return css.strip().lower()
    return "#" + "".join(f"{int(part):02x}" for part in found.groups())


def drawn(frame) -> Drawn:
    """Everything the frame shows, read in one script run: the player redraws the legend on
    every command, and elements read across two calls may be from two drawings."""
    shown = frame.locator(".leaflet-container").first.evaluate(
        """box => ({
          regions: [...box.querySelectorAll('path.qantar-region')].map(p => [
            p.getAttribute('data-region'), p.getAttribute('data-value'),
            p.getAttribute('fill'), p.getAttribute('aria-label')]),
          legend: [...box.querySelectorAll('.qantar-legend-classes .qantar-legend-item' +
              ':not(.qantar-legend-toll):not(.qantar-legend-net)')]
            .map(i => [getComputedStyle(i.firstChild).backgroundColor, i.textContent]),
          frame: box.getAttribute('data-qantar-frame'),
          alt: box.querySelector('.qantar-alt').textContent,
        })"""
    )
    regions = shown["regions"]
    return Drawn(
        values={rid: value for rid, value, _, _ in regions},
        fills={rid: fill.lower() for rid, _, fill, _ in regions},
        names={rid: name for rid, _, _, name in regions},
        legend=[(hex_colour(colour), text) for colour, text in shown["legend"]],
        frame_id=shown["frame"],
        alt=shown["alt"],
    )


def legend_colour(legend: list[tuple[str, str]], metric: str, value: str, prefix: str) -> str:
    """The swatch the legend shows for `value`: what a reader would match the fill against."""
    for colour, text in legend:
        if metric in ("events", "fatalities"):
            low, _, high = text.partition("–")
            number = int(value)
            if text.endswith("+"):
                low, high = text[:-1], math.inf
            if int(low) <= number <= float(high or low):
                return colour
        elif metric == "onset":
            if value == "" and text == "not yet":
                return colour
            if value != "" and text in (f"{prefix}{value}", f"{prefix}{value}+"):
                return colour
            if value != "" and text.endswith("+") and int(value) >= int(text[len(prefix) : -1]):
                return colour
        elif text == value:
            return colour
    raise AssertionError(f"the legend {legend} has no entry for {metric} = {value!r}")


def assert_frame_is_true(frame, dataset: geo.Dataset, metric: str, mode: str, where: str):
    shown_now = drawn(frame)
    frames = [frame_text(f, dataset.step, "key") for f in dataset.frames]
    at = dataset.frames[frames.index(shown_now.frame_id)]
    expected = expected_values(dataset, at, metric, mode)
    wrong = {
        rid: (shown_now.values.get(rid), want)
        for rid, want in expected.items()
        if shown_now.values.get(rid) != want
    }
    assert not wrong, f"{where}, {shown_now.frame_id}: regions drawn wrong {wrong}"
    prefix = webmap.ONSET_PREFIX[dataset.step]
    for rid, value in expected.items():
        swatch = legend_colour(shown_now.legend, metric, value, prefix)
        assert shown_now.fills[rid] == swatch, (
            f"{where}, {shown_now.frame_id}: {rid} is filled {shown_now.fills[rid]}, "
            f"the legend says {swatch} for {value!r} (legend: {shown_now.legend})"
        )
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    for rid, label in shown_now.names.items():
        assert label.startswith(f"{names[rid]}: "), label
    if metric in ("events", "fatalities"):
        assert all(
            re.search(rf"\b{expected[rid]} ", label) for rid, label in shown_now.names.items()
        ), shown_now.names
    alt = frame_alt_text(dataset.onsets, len(dataset.regions), at, step=dataset.step)
    assert shown_now.alt == alt, (where, shown_now.alt, alt)
    return at


def settle(check, *args, seconds: float = 30) -> None:
    """Run `check(*args)` until it passes: a new map replaces the old one a moment after the
    rerun. A map that stays wrong (a cached map of another filter) still fails, with its error."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            check(*args)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def map_frame(page):
    """The map's frame, once the page shows one map: while a rerun replaces the map (a filter
    changes the data), the old frame stays in the page for a moment beside the new one."""
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=30_000)
    return page.frame_locator(MAP_FRAME)


def open_view(page, app_url: str, params: dict, dataset: geo.Dataset, frame_id: str):
    page.goto(f"{app_url}/?{urlencode(params)}")
    wait_for_app(page)
    frame = map_frame(page)
    expect(frame.locator(f".leaflet-container[data-qantar-frame='{frame_id}']")).to_have_count(
        1, timeout=60_000
    )
    expect(frame.locator("path.qantar-region")).to_have_count(len(dataset.regions))
    return frame


def day_id(day: pd.Timestamp) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def regions_with_events_metric(page) -> str:
    metric = page.get_by_test_id(ST_METRIC).filter(has_text="Regions with any event, of any type")
    return metric.get_by_test_id(ST_METRIC_VALUE).inner_text()


# ---- the grid of views ----------------------------------------------------------------------
@pytest.mark.parametrize("filter_name", list(FILTERS))
def test_every_view_draws_what_geo_computes(page, app_url, bundled, filter_name):
    """Every metric × mode × first/peak/last day, for no, one and two filters."""
    params, chosen = FILTERS[filter_name]
    dataset = shown(bundled, chosen)
    jumps = key_days(dataset.counts)
    for metric in METRICS:
        for mode in MODES:
            where = f"{filter_name} filter(s), {metric}, {mode}"
            view = {**params, "metric": metric, "mode": mode, "window": WINDOW}
            frame = open_view(
                page, app_url, {**view, "date": day_id(jumps.peak)}, dataset, day_id(jumps.peak)
            )
            at = assert_frame_is_true(frame, dataset, metric, mode, where)
            table = geo.region_table(
                dataset.regions, dataset.counts, dataset.onsets, at, mode, WINDOW
            )
            assert regions_with_events_metric(page) == (
                f"{geo.regions_with_events(table)} of {len(dataset.regions)}"
            ), where
            caption = page.get_by_text(
                re.compile(r"regions where the unrest has begun")
            ).first.inner_text()
            assert caption.startswith(frame_alt_text(dataset.onsets, len(dataset.regions), at)), (
                where,
                caption,
            )
            for button, day in (
                (".qantar-first", dataset.frames[0]),
                (".qantar-last", dataset.frames[-1]),
            ):
                frame.locator(button).click()
                expect(
                    frame.locator(f".leaflet-container[data-qantar-frame='{day_id(day)}']")
                ).to_have_count(1)
                assert_frame_is_true(frame, dataset, metric, mode, where)


# ---- what the person does does not change what is true ---------------------------------------
def points_inside_regions(frame) -> dict[str, list[float]]:
    """For each region, a point (in the map frame's pixels) where the region is what the
    pointer would hit: found with elementFromPoint, as a real pointer finds it."""
    return frame.locator(".leaflet-container").first.evaluate(
        """box => {
          const found = {};
          for (const path of box.querySelectorAll('path.qantar-region')) {
            const r = path.getBoundingClientRect();
            search: for (let fy = 0.5; fy < 1; fy += 0.02) {
              for (const sy of [fy, 1 - fy]) for (let fx = 0.5; fx < 1; fx += 0.02) {
                for (const sx of [fx, 1 - fx]) {
                  const x = r.left + r.width * sx, y = r.top + r.height * sy;
                  if (document.elementFromPoint(x, y) === path) {
                    found[path.getAttribute('data-region')] = [x, y]; break search;
                  }
                }
              }
            }
          }
          return found;
        }"""
    )


def frame_offset(page) -> tuple[float, float]:
    box = page.locator(MAP_FRAME).bounding_box()
    return box["x"], box["y"]


def test_hover_play_click_and_filters_never_change_what_is_drawn(page, app_url, bundled):
    dataset = bundled
    jumps = key_days(dataset.counts)
    where = "events up to the peak"
    frame = open_view(page, app_url, {"date": day_id(jumps.peak)}, dataset, day_id(jumps.peak))
    assert_frame_is_true(frame, dataset, "events", "cumulative", where)

    # A mouse sweep over every region, in and out (folium restored stale fills on mouseout).
    left, top = frame_offset(page)
    inside = points_inside_regions(frame)
    assert len(inside) >= len(dataset.regions) - 2, sorted(inside)  # cities hide under points
    for x, y in inside.values():
        page.mouse.move(left + x, top + y, steps=3)
    page.mouse.move(left + 5, top + 300)
    for rid in set(dataset.regions["region_id"]) - set(inside):
        region = frame.locator(f"path.qantar-region[data-region='{rid}']")
        region.dispatch_event("mouseover")
        region.dispatch_event("mouseout")
    assert_frame_is_true(frame, dataset, "events", "cumulative", f"{where}, after a sweep")

    # Play, then pause: whatever frame it stopped on is drawn right.
    frame.locator(".qantar-play").click()
    expect(frame.locator(".leaflet-container[data-qantar-frames='2']")).to_have_count(1)
    frame.locator(".qantar-play").click()
    assert_frame_is_true(frame, dataset, "events", "cumulative", f"{where}, after play/pause")

    # Ten first clicks: each selects the region under the pointer (a press used to scroll the
    # page, and the release landed on a neighbour).
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_en"], strict=True))
    targets = points_inside_regions(frame)  # after play, other points may cover other places
    for rid in list(targets)[:10]:
        frame_before = drawn(frame).frame_id
        left, top = frame_offset(page)
        x, y = targets[rid]
        page.mouse.click(left + x, top + y)
        expect(page.get_by_text(re.compile(rf"events in {re.escape(names[rid])} "))).to_be_visible(
            timeout=30_000
        )
        wait_for_app(page)
        assert drawn(frame).frame_id == frame_before
        assert_frame_is_true(frame, dataset, "events", "cumulative", f"{where}, clicked {rid}")

    # Filters back and forth through the sidebar.
    protests = shown(bundled, EventFilter(event_types=("Protests",)))
    for chosen, expected in ((["Protests"], protests), ([], bundled), (["Protests"], protests)):
        types = page.get_by_test_id(ST_MULTI_SELECT).filter(has_text="Event type")
        if not types.is_visible():
            page.get_by_test_id(ST_SIDEBAR).get_by_text("Filter events").click()
        tags = types.get_by_test_id(ST_MULTI_SELECT_TAGS_CONTAINER)
        wait_for_app(page)  # a rerun still running would replace the list under the pointer
        if chosen:
            choose(page, types, tags, "Protests")  # the person's choice took, then the map
        else:
            types.get_by_role("button", name=re.compile("Clear|Delete", re.I)).first.click()
            expect(tags).not_to_contain_text("Protests")
        wait_for_app(page)
        frame = map_frame(page)
        expect(frame.locator("path.qantar-region")).to_have_count(len(dataset.regions))
        settle(assert_frame_is_true, frame, expected, "events", "cumulative", f"filter {chosen}")


def choose(page, multiselect, tags, name: str) -> None:
    """Pick `name` in a multiselect as a person does: open the list, type, click the option.
    On a loaded machine the list can close under the click (a rerun redraws the sidebar); the
    person then picks again, and so does this, up to three times."""
    for attempt in range(3):
        wait_for_app(page)
        multiselect.get_by_role("button", name="Open").click()  # the list opens, then narrows
        multiselect.get_by_role("combobox").focus()
        page.keyboard.type(name)
        page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")
        try:
            expect(tags).to_contain_text(name, timeout=10_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


@pytest.mark.parametrize("metric", METRICS)
def test_the_html_snapshot_draws_what_geo_computes(browser, bundled, metric, tmp_path):
    """The offline page a person downloads: same checks, for every mode, before and after a
    mouse sweep, stepping with its own buttons."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    for mode in MODES:
        state = webmap.PlayerState(frame=len(bundled.frames) // 2, mode=mode, metric=metric)
        m = webmap.story_map(bundled, basemap=geo.load_basemap(), initial=state)
        path = tmp_path / f"snapshot-{mode}.html"
        path.write_text(standalone_html(m, title="Snapshot"), encoding="utf-8")
        page.goto(path.as_uri())
        expect(page.locator("path.qantar-region")).to_have_count(len(bundled.regions))
        where = f"snapshot, {metric}, {mode}"
        assert_frame_is_true(page, bundled, metric, mode, where)
        for x, y in points_inside_regions(page).values():
            page.mouse.move(x, y, steps=2)
        page.mouse.move(5, 300)
        assert_frame_is_true(page, bundled, metric, mode, f"{where}, after a sweep")
        for button in (".qantar-first", ".qantar-forward", ".qantar-last", ".qantar-back"):
            page.locator(button).click()
            assert_frame_is_true(page, bundled, metric, mode, f"{where}, after {button}")
    page.close()


STEP_BUTTONS = {
    ".qantar-first": "First %s",
    ".qantar-back": "One %s back",
    ".qantar-forward": "One %s forward",
    ".qantar-last": "Last %s",
}


def test_hourly_stepping_is_hourly_in_the_map_its_legend_and_its_table(page, app_url, bundled):
    if not geo.pipeline.has_times(bundled):
        pytest.fail("the bundled record has no times of day to step through by hour")
    hourly = shown(bundled, EventFilter(), step="hour")
    first = hourly.frames[0]
    for metric in ("events", "onset"):
        for mode in ("cumulative", "daily"):
            params = {"step": "hour", "metric": metric, "mode": mode, "date": day_id(first)}
            page.goto(f"{app_url}/?{urlencode(params)}")
            wait_for_app(page)
            frame = map_frame(page)
            expect(frame.locator("path.qantar-region")).to_have_count(
                len(hourly.regions), timeout=60_000
            )
            expect(frame.locator(".leaflet-container[data-qantar-frame*='T']")).to_have_count(1)
            for button, name in STEP_BUTTONS.items():  # they step by an hour, and say so
                expect(frame.locator(button)).to_have_attribute("aria-label", name % "hour")
            frame.locator(".qantar-first").click()
            for _ in range(6):
                settle(assert_frame_is_true, frame, hourly, metric, mode, f"hourly {metric}")
                if metric == "onset":
                    assert all(t.startswith("H+") for _, t in drawn(frame).legend[:-1])
                frame.locator(".qantar-forward").click()


def test_on_a_phone_the_player_leaves_the_zoom_buttons_free(browser, bundled, tmp_path):
    m = webmap.story_map(bundled, basemap=None, initial=webmap.PlayerState(frame=4))
    path = tmp_path / "phone.html"
    path.write_text(standalone_html(m, title="Phone"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 360, "height": 640}, is_mobile=True)
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    try:
        page.goto(path.as_uri())
        expect(page.locator("path.qantar-region")).to_have_count(len(bundled.regions))
        zoom = page.locator(".leaflet-control-zoom").bounding_box()
        bar = page.locator(".qantar-controls").bounding_box()
        apart = (
            bar["x"] >= zoom["x"] + zoom["width"]
            or bar["y"] >= zoom["y"] + zoom["height"]
            or bar["x"] + bar["width"] <= zoom["x"]
        )
        assert apart, f"the player {bar} covers the zoom buttons {zoom}"
        assert bar["x"] + bar["width"] <= 360  # and it stays on screen
    finally:
        page.close()


def test_an_embedded_link_shows_the_map_the_date_and_the_credits_only(page, app_url, bundled):
    page.goto(f"{app_url}/?embed=true&date=2022-01-06&metric=onset")
    wait_for_app(page)
    frame = map_frame(page)
    expect(frame.locator("path.qantar-region")).to_have_count(len(bundled.regions), timeout=60_000)
    expect(page.get_by_test_id(ST_SLIDER).filter(has_text="Date")).to_be_visible()
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    assert not page.get_by_test_id(ST_SIDEBAR).is_visible()
    assert page.get_by_role("tab").count() == 0
    assert page.get_by_role("button", name="Peak day").count() == 0
    assert page.get_by_test_id(ST_DATA_FRAME).count() == 0
    assert_frame_is_true(frame, bundled, "onset", "cumulative", "embedded")


def test_official_tolls_are_their_own_layer_beside_event_deaths(page, app_url, bundled):
    """On "Deaths reported", each region's official toll known by the day is labelled apart;
    the colours stay the event-level deaths (a reader must not take 15 for the toll)."""
    tolls = geo.load_official_tolls()
    for day in ("2022-01-07", "2022-01-10", "2022-01-19"):
        frame = open_view(page, app_url, {"metric": "fatalities", "date": day}, bundled, day)
        assert_frame_is_true(frame, bundled, "fatalities", "cumulative", f"tolls {day}")
        known = geo.regional_tolls_known_by(tolls, pd.Timestamp(day)).set_index("region_id")
        drawn_tolls = dict(
            frame.locator("path.qantar-region").evaluate_all(
                "paths => paths.map(p => [p.dataset.region, p.dataset.toll])"
            )
        )
        expected = {
            rid: (str(int(known.loc[rid, "deaths"])) if rid in known.index else "")
            for rid in bundled.regions["region_id"]
        }
        assert drawn_tolls == expected, day
        labels = sorted(frame.locator(".qantar-toll").all_inner_texts())
        assert labels == sorted(f"official {v}" for v in expected.values() if v), day
