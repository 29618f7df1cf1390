from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis.aggregate import key_days
from geo.analysis.filters import EventFilter, choices, filter_mask
from geo.render.listings import link_columns, region_events, safe_links


@pytest.fixture
def events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-02", "2022-01-03", "2022-01-05"]),
            "region_id": ["a", "a", "b"],
            "location": ["A town", "A town", "B town"],
            "event_type": ["Protests", "Riots", "Riots"],
            "sub_event_type": ["Peaceful protest", "Mob violence", "Violent demonstration"],
            "actor1": ["Protesters (X)", "Rioters (X)", "Rioters (X)"],
            "actor2": [None, "Police (X)", None],
            "notes": ["n1", "n2", "n3"],
            "fatalities": pd.array([None, 3, 0], dtype="Int64"),
            "fatalities_source": [None, "Ministry", "Ministry"],
            "source": ["S", "S", "S"],
            "source_url": [
                "https://a.example/1 | javascript:alert(1)",
                "data:text/html,x | http://b.example/2",
                None,
            ],
            "time_precision": pd.array([1, 2, 1], dtype="Int8"),
            "geo_precision": pd.array([1, 3, 2], dtype="Int8"),
        }
    )


@pytest.mark.parametrize(
    ("chosen", "kept"),
    [
        (EventFilter(), [True, True, True]),
        (EventFilter(event_types=("Riots",)), [False, True, True]),
        (EventFilter(sub_event_types=("Mob violence",)), [False, True, False]),
        (EventFilter(actors=("Police (X)",)), [False, True, False]),
        (EventFilter(geo_precision=(1, 2)), [True, False, True]),
        (EventFilter(fatalities=(1, 10)), [False, True, False]),
    ],
)
def test_filters_keep_what_they_name(events, chosen, kept):
    assert filter_mask(events, chosen).tolist() == kept


def test_choices_are_sorted_distinct_values(events):
    assert choices(events, "event_type") == ["Protests", "Riots"]
    assert choices(events, "missing") == []


def test_only_http_links_survive():
    assert safe_links("https://a.example/1 | javascript:alert(1)") == ["https://a.example/1"]
    assert safe_links("data:text/html,x | http://b.example/2") == ["http://b.example/2"]
    assert safe_links(None) == []


def test_every_source_is_its_own_link():
    urls = pd.Series(["https://a.example/1 | https://a.example/2", "javascript:x", None])
    table = link_columns(urls)
    assert table.columns.tolist() == ["source_1", "source_2"]
    assert table["source_1"].tolist() == ["https://a.example/1", None, None]
    assert table["source_2"].tolist() == ["https://a.example/2", None, None]


def test_region_panel_lists_the_period_newest_first(events):
    listed = region_events(events, "a", pd.Timestamp("2022-01-03"))
    assert listed["notes"].tolist() == ["n2", "n1"]
    assert listed["source_1"].tolist() == ["http://b.example/2", "https://a.example/1"]
    assert listed["where"].tolist() == ["region-level", "exact place"]
    assert listed["when"].tolist() == ["approximate day", "exact day"]
    assert region_events(events, "a", pd.Timestamp("2022-01-03"), "daily")["notes"].tolist() == [
        "n2"
    ]


def test_key_days_find_first_peak_and_last():
    counts = pd.DataFrame(
        {
            "region_id": ["a", "b"] * 4,
            "date": pd.to_datetime(
                ["2022-01-01"] * 2 + ["2022-01-02"] * 2 + ["2022-01-03"] * 2 + ["2022-01-04"] * 2
            ),
            "events": [0, 0, 1, 2, 4, 0, 0, 0],
        }
    )
    days = key_days(counts)
    assert (days.first, days.peak, days.last) == (
        pd.Timestamp("2022-01-02"),
        pd.Timestamp("2022-01-03"),
        pd.Timestamp("2022-01-03"),
    )


def test_frame_alt_text_says_how_many_and_which_are_new():
    from geo.render.listings import frame_alt_text

    onsets = pd.DataFrame(
        {
            "unit": ["A", "B", "C"],
            "onset_date": pd.to_datetime(["2022-01-02", "2022-01-04", None]),
        }
    )
    assert frame_alt_text(onsets, 3, pd.Timestamp("2022-01-04")) == (
        "2022-01-04: 2 of 3 regions where the unrest has begun; new that day: B."
    )
    assert frame_alt_text(onsets, 3, pd.Timestamp("2022-01-03")) == (
        "2022-01-03: 1 of 3 regions where the unrest has begun."
    )


def test_the_region_panel_reads_as_entries_with_one_line_of_source_links(events):
    from geo.render.listings import region_event_entries

    listed = region_events(events, "a", pd.Timestamp("2022-01-03"))
    newest, oldest = region_event_entries(listed)
    assert newest.splitlines()[0] == "**Mon 03 Jan · A town** · Riots · Mob violence  "
    assert "Deaths: 3 (reported by Ministry)" in newest
    assert "approximate day, region\\-level" in newest
    assert newest.endswith("Sources: [b\\.example](http://b.example/2)")  # data: dropped
    assert oldest.endswith("Sources: [a\\.example](https://a.example/1)")  # javascript: dropped
    assert "Deaths" not in oldest  # none reported: nothing said, never "None"
    assert "None" not in newest + oldest and "nan" not in newest + oldest


def test_a_hostile_source_cannot_close_its_link_or_add_markup():
    from geo.render.htmlsafe import markdown_link

    link = markdown_link("x](javascript:alert(1))", "https://a.example/p?q=1)[y](z")
    assert link == "[x\\]\\(javascript\\:alert\\(1\\)\\)](https://a.example/p?q=1%29%5By%5D%28z)"
    assert markdown_link("t", "javascript:alert(1)") == "t"
