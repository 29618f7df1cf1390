"""The shareable view: what a link must carry to reopen exactly this view, and parsing it back.

Parsing never fails: a missing parameter takes its default, an invalid or hostile one takes its
default too and yields a notice that says what was ignored and what was expected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace

from geo.aggregate import MODES
from geo.player import METRICS

_SHOWN_VALUE_LENGTH = 40


@dataclass(frozen=True)
class ViewState:
    date: dt.date
    mode: str = "cumulative"
    metric: str = "events"
    tiles: bool = False


def parse_view(
    params: Mapping[str, str | Sequence[str]], days: Sequence[dt.date], default: ViewState
) -> tuple[ViewState, list[str]]:
    """The view a URL asks for, and a notice for each parameter that was ignored."""
    notices: list[str] = []
    chosen: dict[str, object] = {}
    for field in fields(ViewState):
        if field.name not in params:
            continue
        raw = params[field.name]
        text = raw if isinstance(raw, str) else (raw[-1] if raw else "")
        value, expected = _PARSERS[field.name](text, days)
        if value is None:
            notices.append(f"Ignored the link's {field.name}={_shown(text)}: expected {expected}.")
        else:
            chosen[field.name] = value
    return replace(default, **chosen), notices


def view_query(state: ViewState, default: ViewState) -> dict[str, str]:
    """Query parameters for `state`, leaving out what equals the default (short links)."""
    query = {}
    for name, value in asdict(state).items():
        if value != getattr(default, name):
            query[name] = _format(value)
    return query


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _shown(text: str) -> str:
    printable = "".join(c for c in text if c.isprintable() and c not in "`[]<>")
    if len(printable) > _SHOWN_VALUE_LENGTH:
        printable = printable[: _SHOWN_VALUE_LENGTH - 1] + "…"
    return f"'{printable}'"


def _date(text: str, days: Sequence[dt.date]):
    expected = f"a day from {days[0].isoformat()} to {days[-1].isoformat()} (YYYY-MM-DD)"
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, expected
    return (day if day in days else None), expected


def _choice(allowed: Sequence[str]):
    def parse(text: str, _days):
        return (text if text in allowed else None), f"one of {', '.join(allowed)}"

    return parse


def _switch(text: str, _days):
    value = {"on": True, "off": False, "true": True, "false": False}.get(text.lower())
    return value, "on or off"


_PARSERS = {"date": _date, "mode": _choice(MODES), "metric": _choice(METRICS), "tiles": _switch}
