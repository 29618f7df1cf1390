"""Which column of a file is which canonical column: guessed from English, Russian and Kazakh
headers, or as the person gave it (`mapping`, checked against the file), and the table in which
the dashboard shows the mapping for correcting.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.errors import EventDataError, Problem
from geo.io.columns import unfit_reason
from geo.io.dates import is_utc_header
from geo.schema import CANONICAL_COLUMNS

CANONICAL_TARGETS: dict[str, tuple[str, ...]] = {
    "event_date": ("event_date", "date", "day", "datetime", "timestamp_local", "дата", "день",
                   "күні", "күн", "дата_события", "date_time", "time_stamp"),
    "time": ("time", "hour", "время", "час", "уақыт", "уакыт"),
    "latitude": ("latitude", "lat", "y", "широта", "ендік", "lat_dd"),
    "longitude": ("longitude", "lon", "lng", "long", "x", "долгота", "бойлық", "lon_dd"),
    "location": ("location", "place", "city", "town", "settlement", "place_name", "город",
                 "место", "населенный_пункт", "нас_пункт", "пункт", "локация", "қала", "елді_мекен",
                 "орын"),
    "admin1": ("admin1", "region", "oblast", "province", "state", "область", "регион", "облыс",
               "аймақ", "admin_1", "region_name"),
    "admin1_code": ("admin1_code", "region_code", "iso_3166_2", "fips", "adm1code", "код_региона"),
    "event_type": ("event_type", "type", "category", "kind", "тип", "тип_события", "вид",
                   "категория", "түрі", "оқиға_түрі", "label", "tag"),
    "sub_event_type": ("sub_event_type", "subtype", "подтип"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "deaths_reported", "погибшие",
                   "погибших", "убитые", "жертвы", "қаза_тапқандар", "қайтыс_болғандар"),
    "notes": ("notes", "note", "text", "description", "summary", "comment", "описание", "текст",
              "примечание", "комментарий", "сипаттама", "мәтін"),
    "source_url": ("source_url", "url", "link", "href", "ссылка", "сілтеме", "источник_url"),
    "source": ("source", "sources", "outlet", "источник", "источники", "дереккөз"),
    "actor1": ("actor1", "actor", "actor_1", "who", "участник", "актор", "участники"),
    "actor2": ("actor2", "actor_2", "target"),
    "event_id_cnty": ("event_id_cnty", "event_id", "id", "uid", "номер"),
    "country": ("country", "country_name", "country_code", "iso2", "iso_a2", "iso3", "страна",
                "ел", "мемлекет"),
}  # fmt: skip
"""Canonical column -> header names (normalised: lower case, '_' for spaces) it is guessed from."""
MAPPING_ALIASES = {"date": "event_date", "lat": "latitude", "lon": "longitude",
                   "lng": "longitude", "place": "location", "region": "admin1",
                   "type": "event_type", "deaths": "fatalities", "url": "source_url",
                   "text": "notes", "actor": "actor1", "id": "event_id_cnty"}  # fmt: skip
"""Short names accepted as keys of an explicit `mapping`."""


def guess_mapping(
    columns: list[str], values: pd.DataFrame | None = None, passed_over: list[str] | None = None
) -> dict[str, str]:
    """Canonical column -> one of `columns`, guessed from English, Russian and Kazakh headers.

    With the file's `values`, a column whose values cannot be the target (geo.io.columns: media
    kinds or crowd sizes for event_type, continents for admin1) is passed over, and why is
    appended to `passed_over`.
    """
    # Columns named as UTC come last, so a local or origin time is preferred to them.
    keys = {c: header_key(c) for c in sorted(columns, key=is_utc_header)}
    # A column already named like a canonical one is that column: `time_precision` must not be
    # taken for a time of day by the fuzzy pass below.
    chosen: dict[str, str] = {key: c for c, key in keys.items() if key in CANONICAL_COLUMNS}
    used: set[str] = set(chosen.values())
    for exact in (True, False):
        for target, synonyms in CANONICAL_TARGETS.items():
            if target in chosen:
                continue
            for column, key in keys.items():
                if column in used:
                    continue
                parts = key.split("_")
                hit = key in synonyms if exact else any(p in synonyms for p in parts if len(p) > 1)
                unfit = unfit_reason(target, values[column]) if hit and values is not None else None
                if unfit:
                    note = f"{column!r} not taken for {target}: {unfit}"
                    if passed_over is not None and note not in passed_over:
                        passed_over.append(note)
                    continue
                if hit:
                    chosen[target] = column
                    used.add(column)
                    break
    return chosen


def header_key(name: str) -> str:
    """A header as the synonyms are written: lower case, runs of other characters as '_'."""
    return re.sub(r"[\W_]+", "_", name.strip().lower()).strip("_")


def checked_mapping(mapping: dict[str, str], columns: list[str], file: str) -> dict[str, str]:
    """The person's `mapping` with its short keys (MAPPING_ALIASES) spelled out; a key that is no
    canonical column, or a column the file does not have, is an EventDataError."""
    targets = (*CANONICAL_TARGETS, *CANONICAL_COLUMNS)
    chosen = {}
    for key, column in mapping.items():
        target = MAPPING_ALIASES.get(key, key)
        if target not in targets:
            allowed = ", ".join(sorted(set(targets)))
            raise EventDataError(
                [Problem(file, None, None, key, f"mapping key must be one of {allowed}")]
            )
        if column not in columns:
            raise EventDataError(
                [
                    Problem(
                        file,
                        None,
                        str(column),
                        None,
                        f"mapping[{key!r}] names a column the file does not have "
                        f"(columns found: {', '.join(columns[:20])})",
                    )
                ]
            )
        chosen[target] = column
    return chosen


def describe_mapping(chosen: dict[str, str]) -> str:
    """`target <- 'column'` pairs, for the notes."""
    return ", ".join(f"{target} <- {column!r}" for target, column in chosen.items())


def mapping_table(
    mapping: dict[str, str], file_columns: dict[str, tuple[str, ...]]
) -> pd.DataFrame:
    """One row per canonical field: the file's column read for it ("" for none) and a few of
    that column's values, in the order of CANONICAL_TARGETS (what the upload's column table shows
    and the person corrects)."""
    fields = list(dict.fromkeys([*CANONICAL_TARGETS, *mapping]))
    columns = [mapping.get(f, "") if mapping.get(f, "") in file_columns else "" for f in fields]
    return pd.DataFrame(
        {
            "field": fields,
            "column": columns,
            "values": [", ".join(file_columns.get(c, ())) for c in columns],
        }
    )


def mapping_from_table(table: pd.DataFrame) -> dict[str, str]:
    """The mapping a (possibly edited) `mapping_table` says: field -> column, blanks left out."""
    chosen = table[table["column"].fillna("").astype(str) != ""]
    return dict(zip(chosen["field"].astype(str), chosen["column"].astype(str), strict=True))
