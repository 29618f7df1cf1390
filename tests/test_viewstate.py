from __future__ import annotations

import datetime as dt

import pytest

from geo.viewstate import ViewChoices, ViewState, parse_view, view_query

DAYS = [dt.date(2022, 1, d) for d in range(1, 20)]
CHOICES = ViewChoices(
    days=DAYS,
    regions=["mangystau", "almaty_city"],
    types=["Protests", "Riots"],
    subtypes=["Peaceful protest"],
    actors=["Protesters (Kazakhstan)"],
)
DEFAULT = ViewState(date=dt.date(2022, 1, 5))


def test_a_full_view_survives_the_round_trip():
    view = ViewState(
        date=dt.date(2022, 1, 3),
        mode="window",
        window=5,
        metric="diffusion",
        arrows=False,
        tiles=True,
        region="mangystau",
        speed=4.0,
        loop=True,
        types=("Riots",),
        subtypes=("Peaceful protest",),
        actors=("Protesters (Kazakhstan)",),
        precision=(1, 3),
        deaths=(1, 10),
    )
    query = view_query(view, DEFAULT)
    assert query["date"] == "2022-01-03" and query["speed"] == "4" and query["deaths"] == "1-10"
    parsed, notices = parse_view({k: [v] for k, v in query.items()}, CHOICES, DEFAULT)
    assert parsed == view
    assert notices == []


def test_defaults_stay_out_of_the_link():
    assert view_query(DEFAULT, DEFAULT) == {}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("date", "2030-01-01", "a day from 2022-01-01 to 2022-01-19"),
        ("date", "yesterday", "(YYYY-MM-DD)"),
        ("mode", "weekly", "one of daily, cumulative, window"),
        ("window", "99", "from 2 to 14"),
        ("speed", "3", "one of 0.5, 1, 2, 4"),
        ("region", "atlantis", "a region id"),
        ("deaths", "10-1", "a range such as 1-10"),
        ("tiles", "maybe", "on or off"),
    ],
)
def test_a_bad_parameter_falls_back_with_a_notice(name, value, expected):
    parsed, notices = parse_view({name: [value]}, CHOICES, DEFAULT)
    assert parsed == DEFAULT
    assert len(notices) == 1 and expected in notices[0] and f"{name}=" in notices[0]


def test_hostile_text_is_defanged_in_the_notice():
    _, notices = parse_view(
        {"mode": ["<script>alert(1)</script>[x](javascript:y)"]}, CHOICES, DEFAULT
    )
    assert "<" not in notices[0] and "[" not in notices[0] and "`" not in notices[0]


def test_list_parameters_keep_known_values_and_report_the_rest():
    parsed, notices = parse_view({"types": ["Riots,Aliens", "Protests"]}, CHOICES, DEFAULT)
    assert parsed.types == ("Riots", "Protests")
    assert notices == [
        "Ignored the link's types='Aliens': expected values present in the data's types."
    ]
