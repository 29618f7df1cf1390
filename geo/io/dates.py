"""Reading the dates and times of an event column the way the file means them.

One reading per column, never one per row: whether numeric dates are day-first (05/01/2022 =
5 January) or month-first (01/05/2022 = 5 January) is decided once for the whole column. A value
only one order allows (28/1/2022, 1/28/2022) decides it; a column where every value allows both
follows the person's choice (`order`), else the file's language (`dayfirst`), and a note says so.
Forms with month names (`05 January 2022`, `5-Jan-22`, `Jan 5, 2022`, Russian and Kazakh month
names), ISO dates, compact `20220105`, and Excel serial day numbers (`44566`) carry no ambiguity.

Times: a value with an offset keeps the day as written there; a UTC value (`Z`, `+00:00`, or any
value of a column named as UTC) is an instant whose local day depends on where the event was, so
the recipe takes its day in the zone of the event's region once the region is known
(geo.analysis.local_days)
(Kazakhstan in January 2022: UTC+5 in the west, UTC+6 elsewhere; one zone, UTC+5, since March 2024).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import ArgumentError
from geo.record.zones import NATIONAL_ZONE
from geo.schema import MONTH_PRECISION, YEAR_PRECISION

DAY_FIRST, MONTH_FIRST = "dayfirst", "monthfirst"
ORDERS = (DAY_FIRST, MONTH_FIRST)
EARLIEST, LATEST = pd.Timestamp("1900-01-01"), pd.Timestamp("2100-12-31")
"""Dates outside this range are typing errors in event data (and overflow pandas' ns times)."""
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
"""Day 0 of Excel's serial day numbers (1900 date system, as saved by every current Excel)."""
FORMS_READ = (
    "2022-01-05, 05.01.2022, 05/01/2022 or 01/05/2022, 05 January 2022, 05-January-2022, "
    "5-Jan-22, Jan 5, 2022, 20220105, 5 января 2022, an Excel day number such as 44566, a month "
    "(January 2022) or a year (2022)"
)
"""The forms named in messages about values that are none of them."""

_MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан",
)
_MONTHS = {
    **{name: month for names in _MONTH_NAMES for month, name in enumerate(names.split(), 1)},
    "sept": 9,
}
"""Month names and abbreviations (English, Russian nominative and genitive, Kazakh) -> month."""
_TIME = r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
_NUMERIC = re.compile(
    rf"^(?P<first>\d{{1,2}})(?P<sep>[./-])(?P<second_part>\d{{1,2}})(?P=sep)"
    rf"(?P<year>\d{{4}}|\d{{2}}){_TIME}$"
)
"""d/m/y or m/d/y with one separator: the order is the column's to decide."""
_NUMERIC_START = r"^\d{1,2}[./-]\d{1,2}[./-]\d\d"
"""A cheap first test for _NUMERIC that Arrow's regex engine (RE2) can run."""
_DAY_MONTH_NAME = re.compile(
    rf"^(?:[^\W\d_]+,?\s+)??(?P<day>\d{{1,2}})(?:st|nd|rd|th)?[\s./-]+(?P<month>[^\W\d_]{{3,}})\.?"
    rf"[\s,./-]+(?P<year>\d{{4}}|\d{{2}})(?:\s*(?:г\.?|ж\.?|жыл[ы]?))?{_TIME}$"
)
_MONTH_NAME_DAY = re.compile(
    rf"^(?:[^\W\d_]+,?\s+)??(?P<month>[^\W\d_]{{3,}})\.?,?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?"
    rf"\s+(?P<year>\d{{4}}){_TIME}$"
)
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})(?:(?P<hour>\d{2})"
                      r"(?P<minute>\d{2})(?P<second>\d{2}))?$")  # fmt: skip
_YEAR_FIRST = re.compile(
    rf"^(?P<year>\d{{4}})[./](?P<month>\d{{1,2}})[./](?P<day>\d{{1,2}}){_TIME}$"
)
_MONTH_YEAR = re.compile(
    r"^(?:(?P<month>[^\W\d_]{3,})\.?,?\s+(?P<year>\d{4})|(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2}))$"
)
"""A month only: January 1971, Jan. 1971, январь 2022, 1971-01."""
_YEAR = re.compile(r"^(?P<year>\d{4})$")
"""A year only: 1971."""
_SERIAL = re.compile(r"^(?P<serial>\d{5}(?:\.\d+)?)$")
_OFFSET = re.compile(r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*([Zz]|[+-]\d\d:?\d\d)$")
_HAS_OFFSET = _OFFSET.pattern.replace("\\s*(", "\\s*(?:")
_UTC_OFFSETS = ("Z", "+00:00", "+0000", "-00:00")
_UTC_HEADER = re.compile(r"(?:^|_)(?:utc|gmt|zulu)(?:$|_)|^dateadded$")


@dataclass(frozen=True)
class DateColumn:
    """A date column as read: the day of each value, its time if any, and how it was read."""

    days: pd.Series
    """The day (datetime64, midnight); for UTC values the day in NATIONAL_ZONE until placed."""
    datetimes: pd.Series | None
    """Times of day (tz-aware in NATIONAL_ZONE when some value was zoned); None without times."""
    bad: np.ndarray
    """Values that are no date (or impossible in the column's order)."""
    from_utc: np.ndarray
    """Values given in UTC, whose day geo.analysis.local_days takes in the event region's zone."""
    notes: tuple[str, ...]
    order: str | None = None
    """DAY_FIRST or MONTH_FIRST when the column had numeric dates, else None."""
    precision: np.ndarray | None = None
    """The time_precision a value's own form gives: MONTH_PRECISION for a month only (read as
    its first day), YEAR_PRECISION for a year only (its 1 January), 0 for a day; None: all days."""


def is_utc_header(name: str) -> bool:
    """Whether a column's name says its times are UTC (`datetime_UTC`, `time_utc`, GDELT's
    `DATEADDED`)."""
    return bool(_UTC_HEADER.search(re.sub(r"[\W_]+", "_", name.strip().lower()).strip("_")))


def parse_dates(
    values: pd.Series, *, dayfirst: bool = True, order: str | None = None, utc: bool = False
) -> tuple[pd.Series, pd.Series | None, np.ndarray, list[str]]:
    """(days, datetimes, bad, notes) of `read_date_column`, for callers that need no more."""
    column = read_date_column(values, dayfirst=dayfirst, order=order, utc=utc)
    return column.days, column.datetimes, column.bad, list(column.notes)


def read_date_column(
    values: pd.Series, *, dayfirst: bool = True, order: str | None = None, utc: bool = False
) -> DateColumn:
    """Read a column of dates or date-times written in one of the common forms (FORMS_READ).

    `order` is the person's choice for numeric dates (DAY_FIRST or MONTH_FIRST; values that
    cannot be read that way are bad); without it the values decide, and a column they leave
    ambiguous is read day-first when `dayfirst` (the file is in Russian or Kazakh) else
    month-first. `utc` says the column holds UTC times (its name says so).
    """
    if order is not None and order not in ORDERS:
        raise ArgumentError(f"order must be one of {ORDERS} or None, got {order!r}")
    if pd.api.types.is_datetime64_any_dtype(values):
        return _from_datetimes(values, utc)
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=False)
    if len(uniques) < len(values):  # event files repeat few distinct dates: parse each once
        once = read_date_column(pd.Series(uniques), dayfirst=dayfirst, order=order, utc=utc)

        def expand(column: pd.Series) -> pd.Series:
            return pd.Series(column.to_numpy()[codes], index=values.index, dtype=column.dtype)

        return DateColumn(
            expand(once.days),
            None if once.datetimes is None else expand(once.datetimes),
            once.bad[codes],
            once.from_utc[codes],
            once.notes,
            once.order,
            None if once.precision is None else once.precision[codes],
        )
    return _read_unique(values.astype("string").str.strip(), dayfirst, order, utc)


def local_datetime_text(stamps: pd.Series, zones: pd.Series) -> pd.Series:
    """Each time as ISO 8601 local time with its offset (`2022-01-05T23:30:00+05:00`), in its
    row's zone (empty zone: NATIONAL_ZONE for zoned times, as written for naive ones)."""
    out = pd.Series("", index=stamps.index, dtype=object)
    present = stamps.notna().to_numpy()
    if not present.any():
        return out
    aware = getattr(stamps.dt, "tz", None) is not None
    if not aware:
        out[present] = stamps[present].dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()
        return out
    zone_of = zones.fillna("").replace("", NATIONAL_ZONE).to_numpy()
    for zone in pd.unique(zone_of[present]):
        rows = present & (zone_of == zone)
        local = stamps[rows].dt.tz_convert(zone)
        text = local.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.replace(
            r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True
        )
        out[rows] = text.to_numpy()
    return out


# --- one pass over distinct values ----------------------------------------------------------------


def _from_datetimes(values: pd.Series, utc: bool) -> DateColumn:
    """Cells that already hold times (e.g. an XLSX date cell read by openpyxl)."""
    stamps = values
    from_utc = np.zeros(len(values), dtype=bool)
    if values.dt.tz is not None:
        stamps = values.dt.tz_convert(NATIONAL_ZONE)
    elif utc:
        stamps = values.dt.tz_localize("UTC").dt.tz_convert(NATIONAL_ZONE)
        from_utc = values.notna().to_numpy()
    return _split(stamps, values.isna().to_numpy(), from_utc, [], None)


def _read_unique(text: pd.Series, dayfirst: bool, order: str | None, utc: bool) -> DateColumn:
    present = (text.notna() & (text != "")).to_numpy()
    notes: list[str] = []
    matches = pc.match_substring_regex(pa.array(text, from_pandas=True), _HAS_OFFSET)
    aware = matches.fill_null(False).to_numpy(zero_copy_only=False) & present
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    from_utc = np.zeros(len(text), dtype=bool)
    instants = pd.Series(pd.NaT, index=text.index, dtype=f"datetime64[ns, {NATIONAL_ZONE}]")
    if aware.any():
        zoned = text[aware]
        offset = zoned.str.extract(_OFFSET, expand=False).str.upper()
        wall = pd.to_datetime(
            zoned.str.replace(r"\s*(Z|[+-]\d\d:?\d\d)$", "", regex=True, flags=re.I),
            format="ISO8601",
            errors="coerce",
        )
        instant = pd.to_datetime(zoned, format="ISO8601", errors="coerce", utc=True)
        is_utc = offset.isin(_UTC_OFFSETS).to_numpy()
        local = instant.dt.tz_convert(NATIONAL_ZONE)
        parsed[aware] = _in_range(wall.where(~is_utc, local.dt.tz_localize(None)))
        instants[aware] = local
        from_utc[np.flatnonzero(aware)[is_utc]] = True
        notes.append(
            f"{int(aware.sum())} date-time(s) with a UTC offset: a day given with an offset is "
            "the local day as written; a UTC one (Z) is taken in the event's region"
        )
    naive = present & ~aware
    column_order = None
    if naive.any():
        values, column_order, naive_notes = _read_naive(text[naive], dayfirst, order)
        parsed[naive] = values
        notes += naive_notes
    bad = (present & parsed.isna().to_numpy()) | ~present
    if utc and naive.any():
        # A day without a time (GDELT 1.0's DATEADDED) stays that day: UTC midnight is morning
        # of the same day in every Kazakh zone.
        naive_ok = naive & ~bad & (parsed != parsed.dt.normalize()).to_numpy()
        as_utc = parsed[naive_ok].dt.tz_localize("UTC").dt.tz_convert(NATIONAL_ZONE)
        instants[naive_ok] = as_utc
        parsed[naive_ok] = as_utc.dt.tz_localize(None)
        from_utc |= naive_ok
    if aware.any() or utc:
        naive_local = parsed[naive & ~from_utc].dt.tz_localize(
            NATIONAL_ZONE, ambiguous="NaT", nonexistent="NaT"
        )
        instants[naive & ~from_utc] = naive_local
        stamps = instants
        if (naive & ~from_utc & ~bad).any():
            notes.append(f"date-times without an offset are read as {NATIONAL_ZONE} time")
    else:
        stamps = parsed
    # A value without a time of day has no event_datetime, not midnight (a column where some
    # rows give the hour and some only the day).
    timed = pc.match_substring_regex(pa.array(text, from_pandas=True), r"\d:\d\d|^\d{5}\.\d")
    timed = timed.fill_null(False).to_numpy(zero_copy_only=False)
    if timed.any() and not timed.all():
        stamps = stamps.where(timed)
    column = _split(stamps, bad, from_utc & ~bad, notes, column_order, wall=parsed)
    precision = _precision_of(text, naive & ~bad)
    return column if precision is None else replace(column, precision=precision)


def _precision_of(text: pd.Series, read: np.ndarray) -> np.ndarray | None:
    """MONTH_PRECISION or YEAR_PRECISION for values read from a month or a year alone."""
    month = text.str.fullmatch(_MONTH_YEAR).fillna(False).to_numpy(dtype=bool) & read
    year = text.str.fullmatch(_YEAR).fillna(False).to_numpy(dtype=bool) & read
    if not (month.any() or year.any()):
        return None
    return np.select([month, year], [MONTH_PRECISION, YEAR_PRECISION], 0).astype(np.int8)


def _split(stamps: pd.Series, bad, from_utc, notes, order, wall=None) -> DateColumn:
    """`wall` is the time as written (its day is the event's), default `stamps` in their zone."""
    has_time = bool((stamps.notna() & (stamps != stamps.dt.normalize())).any())
    if wall is None:
        wall = stamps.dt.tz_localize(None) if stamps.dt.tz is not None else stamps
    return DateColumn(
        wall.dt.normalize().astype("datetime64[ns]"),
        stamps if has_time or bool(np.any(from_utc)) else None,
        np.asarray(bad, dtype=bool),
        np.asarray(from_utc, dtype=bool),
        tuple(notes),
        order,
    )


def _read_naive(
    text: pd.Series, dayfirst: bool, order: str | None
) -> tuple[pd.Series, str | None, list[str]]:
    """Values without an offset: numeric d/m/y decided once for the column, every other form
    unambiguous."""
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    notes: list[str] = []
    # Arrow's regex match is a fast first pass; only the matching values are taken apart.
    matched = pc.match_substring_regex(pa.array(text, from_pandas=True), _NUMERIC_START)
    is_numeric = matched.fill_null(False).to_numpy(zero_copy_only=False)
    column_order = None
    if is_numeric.any():
        parts = text[is_numeric].str.extract(_NUMERIC)
        is_numeric[np.flatnonzero(is_numeric)[parts["first"].isna().to_numpy()]] = False
        parts = parts[parts["first"].notna()]
    if is_numeric.any():
        column_order, note = _numeric_order(parts, dayfirst, order)
        notes.append(note)
        day, month = (
            (parts["first"], parts["second_part"])
            if column_order == DAY_FIRST
            else (parts["second_part"], parts["first"])
        )
        parsed[is_numeric] = _assemble(parts.assign(day=day, month=month))
    forms: list[str] = []
    rest = ~is_numeric
    for name, reader in _UNAMBIGUOUS:
        todo = rest & parsed.isna().to_numpy()
        if not todo.any():
            break
        found = reader(text[todo])
        if found.notna().any():
            parsed[todo] = found
            forms.append(name)
    if forms:
        notes.append("date form(s) read: " + ", ".join(forms))
    return _in_range(parsed), column_order, notes


def _numeric_order(parts: pd.DataFrame, dayfirst: bool, order: str | None) -> tuple[str, str]:
    """The column's order of numeric dates and a note saying why."""
    first = parts["first"].astype(int)
    second = parts["second_part"].astype(int)
    only_dayfirst = parts.loc[(first > 12) & (second <= 12)]
    only_monthfirst = parts.loc[(second > 12) & (first <= 12)]
    shown = {
        DAY_FIRST: _example(only_dayfirst),
        MONTH_FIRST: _example(only_monthfirst),
    }
    if order is not None:
        against = only_monthfirst if order == DAY_FIRST else only_dayfirst
        note = f"numeric dates read {_label(order)}, as chosen"
        if len(against):
            note += (
                f"; {len(against)} distinct value(s) such as {_example(against)} cannot be read "
                "that way and are reported"
            )
        return order, note
    if len(only_dayfirst) or len(only_monthfirst):
        chosen = DAY_FIRST if len(only_dayfirst) >= len(only_monthfirst) else MONTH_FIRST
        other = MONTH_FIRST if chosen == DAY_FIRST else DAY_FIRST
        count = len(only_dayfirst) if chosen == DAY_FIRST else len(only_monthfirst)
        note = (
            f"numeric dates read {_label(chosen)} for the whole column: {count} distinct "
            f"value(s) such as {shown[chosen]} allow only that reading"
        )
        if shown[other]:
            conflicting = len(only_monthfirst) if chosen == DAY_FIRST else len(only_dayfirst)
            note += (
                f"; {conflicting} value(s) such as {shown[other]} allow only {_label(other)} "
                "and are reported, not guessed"
            )
        return chosen, note
    dotted = bool((parts["sep"] == ".").all())
    chosen = DAY_FIRST if dotted or dayfirst else MONTH_FIRST
    if dotted:
        return chosen, (
            f"numeric dates such as {_example(parts)} read day first (dates written with dots "
            "are day first by convention); choose month first if that is wrong"
        )
    why = "the file is in Russian/Kazakh" if dayfirst else "the file is not in Russian/Kazakh"
    sample = _example(parts)
    note = (
        f"numeric dates such as {sample} are ambiguous (every value allows day first and month "
        f"first): read {_label(chosen)} because {why}; choose day first or month first if "
        "that is wrong"
    )
    return chosen, note


def _label(order: str) -> str:
    return "day first" if order == DAY_FIRST else "month first"


def _example(parts: pd.DataFrame) -> str:
    if not len(parts):
        return ""
    row = parts.iloc[0]
    return f"{row['first']}{row['sep']}{row['second_part']}{row['sep']}{row['year']}"


def _assemble(parts: pd.DataFrame) -> pd.Series:
    """Timestamps from extracted day/month/year (2-digit years as strptime's %y) and time."""
    year = parts["year"].astype(int)
    short = parts["year"].str.len() == 2
    year = year.where(~short, np.where(year < 69, 2000 + year, 1900 + year))
    month = pd.to_numeric(parts["month"], errors="coerce")
    named = parts["month"].astype("string").str.lower().str.rstrip(".").map(_MONTHS)
    month = month.fillna(pd.to_numeric(named, errors="coerce"))
    fields = pd.DataFrame(
        {
            "year": year,
            "month": month,
            "day": parts["day"].astype(float),
            "hour": _time_part(parts, "hour"),
            "minute": _time_part(parts, "minute"),
            "second": _time_part(parts, "second"),
        },
        index=parts.index,
    )
    complete = fields[["year", "month", "day"]].notna().all(axis=1)
    out = pd.Series(pd.NaT, index=parts.index, dtype="datetime64[ns]")
    if complete.any():
        out[complete] = pd.to_datetime(fields[complete], errors="coerce")
    return out


def _time_part(parts: pd.DataFrame, name: str) -> pd.Series:
    if name not in parts:
        return pd.Series(0.0, index=parts.index)
    return pd.to_numeric(parts[name], errors="coerce").fillna(0.0)


def _reader(pattern: re.Pattern):
    def read(text: pd.Series) -> pd.Series:
        parts = text.str.extract(pattern)
        found = parts["year"].notna()
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        if found.any():
            out[found] = _assemble(parts[found])
        return out

    return read


def _read_month(text: pd.Series) -> pd.Series:
    parts = text.str.extract(_MONTH_YEAR)
    parts["month"] = parts["month"].fillna(parts["iso_month"])
    parts["year"] = parts["year"].fillna(parts["iso_year"])
    found = parts["year"].notna() & parts["month"].notna()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if found.any():
        out[found] = _assemble(parts[found].assign(day="1"))
    return out


def _read_year(text: pd.Series) -> pd.Series:
    parts = text.str.extract(_YEAR)
    found = parts["year"].notna()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if found.any():
        out[found] = _assemble(parts[found].assign(month="1", day="1"))
    return out


def _read_iso(text: pd.Series) -> pd.Series:
    iso_start = pc.match_substring_regex(pa.array(text, from_pandas=True), r"^\d{4}-\d{1,2}-\d")
    candidate = iso_start.fill_null(False).to_numpy(zero_copy_only=False)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if candidate.any():
        out[candidate] = pd.to_datetime(text[candidate], format="ISO8601", errors="coerce").astype(
            "datetime64[ns]"
        )
    return out


def _read_serial(text: pd.Series) -> pd.Series:
    serial = pd.to_numeric(text.str.extract(_SERIAL)["serial"], errors="coerce")
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    ok = serial.between(1, 73050)  # up to 2099-12-31
    if ok.any():
        days = pd.to_timedelta(serial[ok], unit="D").dt.round("s")
        out[ok] = (EXCEL_EPOCH + days).astype("datetime64[ns]")
    return out


_UNAMBIGUOUS = (
    ("ISO 8601 (2022-01-05)", _read_iso),
    ("compact (20220105)", _reader(_COMPACT)),
    ("year first (2022/01/05)", _reader(_YEAR_FIRST)),
    ("day and month name (05 January 2022, 5-Jan-22)", _reader(_DAY_MONTH_NAME)),
    ("month name and day (Jan 5, 2022)", _reader(_MONTH_NAME_DAY)),
    ("Excel day numbers (44566 = 2022-01-05)", _read_serial),
    ("a month only (January 1971, 1971-01: its first day, within the month)", _read_month),
    ("a year only (1971: its 1 January, within the year)", _read_year),
)


def _in_range(stamps: pd.Series) -> pd.Series:
    return stamps.where((stamps >= EARLIEST) & (stamps <= LATEST)).astype("datetime64[ns]")
