from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from ui.viewstate import ViewChoices, ViewState, parse_view, view_query

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
        ("deaths", "10-1", "a range within 0-100 such as 1-10"),
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


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("window", "²"),  # a digit to str.isdigit, not to int()
        ("window", "٣"),  # an Arabic-Indic 3: int() reads it, a link should not
        ("window", "9" * 5000),  # beyond int()'s 4,300-digit limit
        ("deaths", "²-³"),
        ("deaths", "0-99999999999999999999"),  # beyond the slider's 0-100
        ("deaths", "-5"),
        ("speed", "٢"),  # float() reads it as 2.0
        ("speed", "1e309"),
        ("date", "２０２２-01-05"),  # full-width digits
        ("date", "2022-01-05" + "0" * 100_000),
    ],
    ids=lambda value: value if len(value) < 30 else f"{len(value)}-chars",
)
def test_hostile_numbers_fall_back_with_one_short_notice(name, value):
    parsed, notices = parse_view({name: [value]}, CHOICES, DEFAULT)
    assert parsed == DEFAULT
    assert len(notices) == 1 and f"Ignored the link's {name}='" in notices[0]
    assert len(notices[0]) < 200


def test_a_repeated_key_takes_its_last_value():
    parsed, notices = parse_view({"date": ["2022-01-03", "2022-01-04"]}, CHOICES, DEFAULT)
    assert parsed.date == dt.date(2022, 1, 4) and notices == []
    parsed, notices = parse_view({"window": ["5", "²"]}, CHOICES, DEFAULT)
    assert parsed.window == DEFAULT.window and len(notices) == 1


def test_ten_thousand_bad_values_give_one_notice():
    bad = ",".join(f"nobody{i}" for i in range(10_000))
    parsed, notices = parse_view({"actors": [bad + ",Protesters (Kazakhstan)"]}, CHOICES, DEFAULT)
    assert notices == [
        "Ignored 10,001 values of the link's actors ('nobody0', 'nobody1', 'nobody2' and 9,998 "
        "more): expected values present in the data's actors."
    ]
    assert parsed.actors == ()  # the known value came after the first 1,000: not looked at


def test_every_bad_parameter_is_one_notice_and_the_good_ones_still_apply():
    params = {
        "window": ["²"],
        "deaths": ["0-99999999999999999999"],
        "types": ["Riots,Aliens,Martians"],
        "mode": ["daily"],
    }
    parsed, notices = parse_view(params, CHOICES, DEFAULT)
    assert parsed == replace(DEFAULT, types=("Riots",), mode="daily")
    assert [n.split("=")[0].split(" of ")[0] for n in notices] == [
        "Ignored the link's window",
        "Ignored 2 values",
        "Ignored the link's deaths",
    ]
