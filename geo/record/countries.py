"""Country names and codes as event files write them, read to ISO 3166-1 alpha-2.

Names and codes are read with the GeoNames country table (data/countries.csv: ISO alpha-2,
alpha-3, numeric, FIPS 10-4, English name), since GDELT writes FIPS 10-4 codes (Russia is `RS`
there, Serbia in ISO).
"""

from __future__ import annotations

import csv
from functools import cache

import numpy as np
import pandas as pd

from geo.errors import ArgumentError
from geo.paths import COUNTRIES
from geo.record.gazetteer import normalise_name

KAZAKHSTAN = "KZ"
CODINGS = ("auto", "fips")
"""How a country column is written: "auto" (names, ISO alpha-2/alpha-3/numeric) or "fips"."""
_KAZAKHSTAN_STEMS = ("kazak", "kazah")
"""Folded stems of every spelling of Kazakhstan's name (Kazakhstan, Qazaqstan, Казахстан,
Қазақстан, Republic of Kazakhstan...)."""


def country_codes(values: pd.Series, *, coding: str = "auto") -> pd.Series:
    """The ISO alpha-2 code of each value; "" where the value is missing.

    A value that is not a known name or code is kept as written (stripped), so that a row naming
    a country we cannot read is still out of scope, and says what its file wrote.
    """
    if coding not in CODINGS:
        raise ArgumentError(f"coding must be one of {CODINGS}, got {coding!r}")
    text = values.astype("string").str.strip().fillna("")
    unique = pd.Series(text.unique())
    table = _fips_codes() if coding == "fips" else _country_keys()
    codes = unique.map(lambda value: _code_of(value, table, coding))
    return text.map(dict(zip(unique, codes, strict=True))).astype("string")


def is_outside(codes: pd.Series) -> np.ndarray:
    """True where a country code is known and is not Kazakhstan's."""
    text = codes.astype("string").fillna("")
    return ((text != "") & (text != KAZAKHSTAN)).to_numpy(dtype=bool)


def country_name(code: str) -> str:
    """English name of an ISO alpha-2 code (the code itself when unknown)."""
    return _names().get(code, code)


def _code_of(value: str, table: dict[str, str], coding: str) -> str:
    if not value:
        return ""
    if coding == "fips":
        return table.get(value.upper(), value)
    key = normalise_name(value)
    if any(stem in key for stem in _KAZAKHSTAN_STEMS) or value.upper() in ("KZ", "KAZ", "398"):
        return KAZAKHSTAN
    upper = value.upper()
    return table.get(upper) or table.get(key) or value


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with COUNTRIES.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@cache
def _country_keys() -> dict[str, str]:
    """ISO alpha-2, alpha-3, numeric code and folded English name -> ISO alpha-2."""
    keys: dict[str, str] = {}
    for row in _rows():
        for key in (row["iso"], row["iso3"], row["isonumeric"], normalise_name(row["name"])):
            keys.setdefault(key, row["iso"])
    keys.update({normalise_name(n): iso for n, iso in _OTHER_NAMES.items()})
    return keys


_OTHER_NAMES = {
    "Russian Federation": "RU",
    "Democratic Republic of Congo": "CD",
    "Republic of Congo": "CG",
    "Cote d'Ivoire": "CI",
    "China, People's Republic of": "CN",
    "Kyrgyz Republic": "KG",
    "Россия": "RU",
    "Кыргызстан": "KG",
    "Киргизия": "KG",
    "Узбекистан": "UZ",
    "Туркменистан": "TM",
    "Таджикистан": "TJ",
    "Китай": "CN",
    "Ресей": "RU",
    "Қырғызстан": "KG",
    "Өзбекстан": "UZ",
    "Түрікменстан": "TM",
    "Тәжікстан": "TJ",
    "Қытай": "CN",
}
"""Names ACLED and Russian/Kazakh newsroom files use that GeoNames spells otherwise."""


@cache
def _fips_codes() -> dict[str, str]:
    return {row["fips"]: row["iso"] for row in _rows() if row["fips"]}


@cache
def _names() -> dict[str, str]:
    return {row["iso"]: row["name"] for row in _rows()}


def alpha2_of_alpha3() -> dict[str, str]:
    """ISO alpha-3 -> alpha-2 of every country in the table."""
    return {row["iso3"]: row["iso"] for row in _rows()}
