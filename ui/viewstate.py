"""The shareable view: what a link must carry to reopen exactly this view, and parsing it back.

Parsing never fails: a missing parameter takes its default; an invalid or hostile one takes its
default too and yields a notice that says what was ignored and what was expected (one notice per
parameter, however many of its values were bad). Numbers are ASCII digits only ('²' and '٣' are
digits to Python, not to a link) within the range their control allows, and the work is bounded
whatever the link's size: long values are refused unread, a list is read from its first
_LONGEST_LIST characters, and at most _MOST_ITEMS of its values are looked up. A repeated key
takes its last value, as browsers' forms do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace

from geo.analysis.aggregate import DEFAULT_WINDOW_DAYS, MODES, WINDOW_DAYS
from geo.analysis.matching import DEFAULT_DAYS, DEFAULT_KM
from geo.render.style import METRICS

SPEEDS = (0.5, 1.0, 2.0, 4.0)
DATASETS = ("bundled", "upload")
STEPS = ("day", "hour")
DEATHS = range(0, 101)
"""What the deaths filter's slider allows."""
MATCH_KM = (5, 10, 25, 50, 100)
"""The distance windows the comparison offers (geo.analysis.matching allows any 0.1–1000 km)."""
MATCH_DAYS = range(0, 8)
_SHOWN_VALUE_LENGTH = 40
_SHOWN_ITEMS = 3
_LONGEST_VALUE = 200
_MOST_ITEMS = 1000
_LONGEST_LIST = 1_000_000
_LIST_FIELDS = ("types", "subtypes", "actors", "precision")


@dataclass(frozen=True)
class ViewState:
    date: dt.date
    mode: str = "cumulative"
    window: int = DEFAULT_WINDOW_DAYS
    """k of "the last k days" (the URL's `window`; geo's functions call it window_days)."""
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
    match_km: int = int(DEFAULT_KM)
    """How far apart two sources' reports of one event may be (the comparison's window)."""
    match_days: int = DEFAULT_DAYS


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
    """The view a URL asks for (each parameter's values as a list), and a notice per parameter
    that had values to ignore."""
    notices: list[str] = []
    chosen: dict[str, object] = {}
    for name in (f.name for f in fields(ViewState)):
        values = [v for v in params.get(name, []) if v is not None]
        if not values:
            continue
        if name in _LIST_FIELDS:
            items = _items(values)
            kept, rejected, expected = _PARSERS[name](items[:_MOST_ITEMS], choices)
            rejected = [*rejected, *items[_MOST_ITEMS:]]
            if rejected:
                notices.append(_list_notice(name, rejected, expected))
            chosen[name] = kept
            continue
        text = values[-1]
        value, expected = _PARSERS[name](text if len(text) <= _LONGEST_VALUE else "", choices)
        if value is None:
            notices.append(_notice(name, text, expected))
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


def _items(values: list[str]) -> list[str]:
    """The comma-separated items of a list parameter, from its first _LONGEST_LIST characters."""
    text = ",".join(values[:_MOST_ITEMS])[:_LONGEST_LIST]
    return [item for item in text.split(",") if item]


def _notice(name: str, text: str, expected: str) -> str:
    return f"Ignored the link's {name}={_shown(text)}: expected {expected}."


def _list_notice(name: str, rejected: list[str], expected: str) -> str:
    if len(rejected) == 1:
        return _notice(name, rejected[0], expected)
    examples = ", ".join(_shown(item) for item in rejected[:_SHOWN_ITEMS])
    more = len(rejected) - _SHOWN_ITEMS
    listed = f"{examples} and {more:,} more" if more > 0 else examples
    return f"Ignored {len(rejected):,} values of the link's {name} ({listed}): expected {expected}."


def _shown(text: str) -> str:
    """The value as a notice may show it: short, printable, with no Markdown or LaTeX markup."""
    printable = "".join(
        c for c in text[: _SHOWN_VALUE_LENGTH * 4] if c.isprintable() and c not in "`[]<>*_\\$~|"
    )
    if len(printable) > _SHOWN_VALUE_LENGTH or len(text) > _SHOWN_VALUE_LENGTH * 4:
        printable = printable[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f"'{printable}'"


def _whole(text: str, allowed: range) -> int | None:
    """A whole number in `allowed` written in ASCII digits, or None."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(allowed.stop))):
        return None
    value = int(text)
    return value if value in allowed else None


def _date(text: str, choices: ViewChoices):
    days = choices.days
    expected = f"a day from {days[0].isoformat()} to {days[-1].isoformat()} (YYYY-MM-DD)"
    try:
        day = dt.date.fromisoformat(text) if text.isascii() else None
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
    return _whole(text, WINDOW_DAYS), expected


def _match_km(text: str, _choices):
    value = _whole(text, range(MATCH_KM[0], MATCH_KM[-1] + 1))
    expected = "one of " + ", ".join(map(str, MATCH_KM)) + " (km)"
    return (value if value in MATCH_KM else None), expected


def _match_days(text: str, _choices):
    expected = f"a whole number of days from {MATCH_DAYS.start} to {MATCH_DAYS.stop - 1}"
    return _whole(text, MATCH_DAYS), expected


def _speed(text: str, _choices):
    try:
        value = float(text) if text.isascii() else None
    except ValueError:
        value = None
    expected = "one of " + ", ".join(f"{s:g}" for s in SPEEDS)
    return (value if value in SPEEDS else None), expected


def _region(text: str, choices: ViewChoices):
    return (text if text in choices.regions else None), "a region id of the current layout"


def _deaths(text: str, _choices):
    low_text, _, high_text = text.partition("-")
    low, high = _whole(low_text, DEATHS), _whole(high_text, DEATHS)
    ok = low is not None and high is not None and low <= high
    expected = f"a range within {DEATHS.start}-{DEATHS.stop - 1} such as 1-10"
    return ((low, high) if ok else None), expected


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
    "match_km": _match_km,
    "match_days": _match_days,
}
