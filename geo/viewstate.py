"""The shareable view: what a link must carry to reopen exactly this view, and parsing it back.

Parsing never fails: a missing parameter takes its default; an invalid or hostile one takes its
default too and yields a notice that says what was ignored and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace

from geo.aggregate import MODES
from geo.player import METRICS

SPEEDS = (0.5, 1.0, 2.0, 4.0)
WINDOW_DAYS = range(2, 15)
DATASETS = ("bundled", "upload")
STEPS = ("day", "hour")
_SHOWN_VALUE_LENGTH = 40
_LIST_FIELDS = ("types", "subtypes", "actors", "precision")


@dataclass(frozen=True)
class ViewState:
    date: dt.date
    mode: str = "cumulative"
    window: int = 3
    metric: str = "events"
    arrows: bool = True
    tiles: bool = False
    region: str | None = None
    speed: float = 1.0
    loop: bool = False
    types: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    precision: tuple[int, ...] = ()
    deaths: tuple[int, int] | None = None
    dataset: str = "bundled"
    step: str = "day"


@dataclass(frozen=True)
class ViewChoices:
    """What a link may choose from in the current data."""

    days: Sequence[dt.date]
    regions: Sequence[str]
    types: Sequence[str] = ()
    subtypes: Sequence[str] = ()
    actors: Sequence[str] = ()


def parse_view(
    params: Mapping[str, Sequence[str]], choices: ViewChoices, default: ViewState
) -> tuple[ViewState, list[str]]:
    """The view a URL asks for (each parameter's values as a list), and a notice per problem."""
    notices: list[str] = []
    chosen: dict[str, object] = {}
    for name in (f.name for f in fields(ViewState)):
        values = [v for v in params.get(name, []) if v is not None]
        if not values:
            continue
        if name in _LIST_FIELDS:
            items = [item for value in values for item in value.split(",") if item]
            kept, rejected, expected = _PARSERS[name](items, choices)
            for item in rejected:
                notices.append(_notice(name, item, expected))
            chosen[name] = kept
            continue
        value, expected = _PARSERS[name](values[-1], choices)
        if value is None:
            notices.append(_notice(name, values[-1], expected))
        else:
            chosen[name] = value
    return replace(default, **chosen), notices


def view_query(state: ViewState, default: ViewState) -> dict[str, str]:
    """Query parameters for `state`, leaving out what equals the default (short links)."""
    query = {}
    for item in fields(ViewState):
        value = getattr(state, item.name)
        if value != getattr(default, item.name):
            query[item.name] = (
                "-".join(map(str, value)) if item.name == "deaths" else _format(value)
            )
    return query


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _notice(name: str, text: str, expected: str) -> str:
    return f"Ignored the link's {name}={_shown(text)}: expected {expected}."


def _shown(text: str) -> str:
    printable = "".join(c for c in text if c.isprintable() and c not in "`[]<>*_\\")
    if len(printable) > _SHOWN_VALUE_LENGTH:
        printable = printable[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f"'{printable}'"


def _date(text: str, choices: ViewChoices):
    days = choices.days
    expected = f"a day from {days[0].isoformat()} to {days[-1].isoformat()} (YYYY-MM-DD)"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, expected
    return (day if day in days else None), expected


def _choice(allowed: Sequence[str]) -> Callable:
    def parse(text: str, _choices):
        return (text if text in allowed else None), f"one of {', '.join(allowed)}"

    return parse


def _switch(text: str, _choices):
    value = {"on": True, "off": False, "true": True, "false": False}.get(text.lower())
    return value, "on or off"


def _window(text: str, _choices):
    expected = f"a whole number of days from {WINDOW_DAYS.start} to {WINDOW_DAYS.stop - 1}"
    return (int(text) if text.isdigit() and int(text) in WINDOW_DAYS else None), expected


def _speed(text: str, _choices):
    try:
        value = float(text)
    except ValueError:
        value = None
    expected = "one of " + ", ".join(f"{s:g}" for s in SPEEDS)
    return (value if value in SPEEDS else None), expected


def _region(text: str, choices: ViewChoices):
    return (text if text in choices.regions else None), "a region id of the current layout"


def _deaths(text: str, _choices):
    low, _, high = text.partition("-")
    ok = low.isdigit() and high.isdigit() and int(low) <= int(high)
    return ((int(low), int(high)) if ok else None), "a range such as 1-10"


def _members(attribute: str, convert: Callable = str) -> Callable:
    def parse(items: list[str], choices: ViewChoices):
        allowed = {str(a) for a in getattr(choices, attribute)}
        kept = tuple(convert(i) for i in dict.fromkeys(items) if i in allowed)
        rejected = [i for i in items if i not in allowed]
        return kept, rejected, f"values present in the data's {attribute}"

    return parse


def _precisions(items: list[str], _choices):
    kept = tuple(int(i) for i in dict.fromkeys(items) if i in ("1", "2", "3"))
    return kept, [i for i in items if i not in ("1", "2", "3")], "precision codes 1, 2 or 3"


_PARSERS: dict[str, Callable] = {
    "date": _date,
    "mode": _choice(MODES),
    "window": _window,
    "metric": _choice(METRICS),
    "arrows": _switch,
    "tiles": _switch,
    "region": _region,
    "speed": _speed,
    "loop": _switch,
    "types": _members("types"),
    "subtypes": _members("subtypes"),
    "actors": _members("actors"),
    "precision": _precisions,
    "deaths": _deaths,
    "dataset": _choice(DATASETS),
    "step": _choice(STEPS),
}
