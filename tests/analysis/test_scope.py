"""Country columns, the compact gazetteer, the unrest rule and the default origin (issue 7)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import geo
from geo.analysis import spread
from geo.analysis.scope import countries_at
from geo.paths import GAZETTEER
from geo.record.countries import country_codes
from geo.record.gazetteer import find_places, normalise_name, places_elsewhere


@pytest.mark.parametrize(
    "written, code",
    [
        ("Kazakhstan", "KZ"),
        ("Казахстан", "KZ"),
        ("Қазақстан", "KZ"),
        ("Republic of Kazakhstan", "KZ"),
        ("398", "KZ"),  # ACLED `iso` is ISO 3166-1 numeric
        ("KAZ", "KZ"),
        ("Kyrgyzstan", "KG"),
        ("Кыргызстан", "KG"),
        ("417", "KG"),
        ("Russia", "RU"),
        ("Burkina Faso", "BF"),
        ("Democratic Republic of Congo", "CD"),
        ("Atlantis", "Atlantis"),  # unknown: kept as written, so still not Kazakhstan
        ("", ""),
    ],
)
def test_country_names_and_codes(written, code):
    assert country_codes(pd.Series([written])).tolist() == [code]


def test_gdelt_fips_codes():
    fips = pd.Series(["KZ", "RS", "KG", "UZ", "UP", "CH", "TX", "TI", "UV"])
    assert country_codes(fips, coding="fips").tolist() == [
        "KZ", "RU", "KG", "UZ", "UA", "CN", "TM", "TJ", "BF",
    ]  # fmt: skip


def test_points_in_neighbouring_countries():
    lat = np.array([42.87, 41.3111, 55.7887, 43.2567, 43.60, 40.5283])
    lon = np.array([74.59, 69.2797, 49.1221, 76.9286, 51.10, 72.7985])
    # Bishkek, Tashkent, Kazan, Almaty (Kazakhstan is not a neighbour), the Caspian, Osh
    assert countries_at(lat, lon).tolist() == ["KG", "UZ", "RU", "", "", "KG"]


def test_gazetteer_keys_are_what_normalise_name_gives():
    """data/gazetteer.csv stores its lookup keys; they must match today's folding."""
    with GAZETTEER.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names = [row["name"], *filter(None, row["alternate_names"].split("|"))]
            expected = sorted({normalise_name(n) for n in names} - {""})
            assert row["keys"].split("|") == expected, row["name"]


def test_gazetteer_finds_kazakh_towns_and_towns_abroad():
    assert [p.name for p in find_places("Жанаозен")] == ["Zhanaozen"]
    assert [p.country for p in places_elsewhere("Bishkek")] == ["KG"]
    assert places_elsewhere("Samarkand")[0].name == "Samarkand"
    assert places_elsewhere("Zhanaozen") == ()


@pytest.mark.parametrize("category", [*spread.UNREST_TYPES, "Violence", "Protests"])
def test_acled_and_gdelt_unrest_types_count(category):
    assert spread.is_unrest(category)


@pytest.mark.parametrize(
    "category",
    [
        "Strategic developments",
        "Explosions/Remote violence",
        "Coercion (incl. arrests)",
        "задержание",
        "заявление",
        None,
    ],
)
def test_decrees_arrests_and_remote_violence_do_not_count(category):
    assert not spread.is_unrest(category)


@pytest.mark.parametrize(
    "category",
    ["митинг", "Протест", "забастовка", "массовые беспорядки", "столкновение", "шеру",
     "наразылық акциясы", "ереуіл", "Riots/Protests", "demonstration", "strike", "clash"],
)  # fmt: skip
def test_newsroom_categories_in_three_languages_count(category):
    assert spread.is_unrest(category)


def test_the_bundled_record_counts_the_same_types_as_before():
    events = geo.load_bundled_events().events
    assert set(spread.unrest_types(events["event_type"])) == set(spread.UNREST_TYPES)


def _placed(**columns) -> pd.DataFrame:
    base = {
        "event_date": pd.to_datetime(["2022-01-01", "2022-01-02", "2022-01-03", "2022-01-04"]),
        "event_type": ["Protests"] * 4,
        "latitude": [48.0, 45.0, 43.3412, 43.2567],
        "longitude": [68.0, 50.0, 52.8619, 76.9286],
        "location": ["Kazakhstan", "Caspian", "Zhanaozen", "Almaty"],
        "region_id": ["karaganda", "mangystau", "mangystau", "almaty_city"],
    }
    return pd.DataFrame({**base, **columns})


def test_default_origin_skips_country_level_rows_and_points_outside():
    placed = _placed(
        country_level=[True, False, False, False],
        join_method=["within", "nearest", "within", "within"],
    )
    assert spread.default_origin(placed).label == "Zhanaozen"


def test_default_origin_prefers_point_precision():
    placed = _placed(geo_precision=[3, 2, 2, 1])
    assert spread.default_origin(placed).label == "Almaty"
    assert spread.default_origin(_placed(geo_precision=[3, 2, 2, 2])).label == "Kazakhstan"


def test_default_origin_needs_a_region():
    placed = _placed(region_id=[None, None, "mangystau", "almaty_city"])
    assert spread.default_origin(placed).label == "Zhanaozen"


def test_unrest_table_lists_categories_most_frequent_first():
    categories = pd.Series(["митинг", "задержание", "митинг", None, "Protests"])
    table = spread.unrest_table(categories)
    assert table.to_dict("list") == {
        "category": ["митинг", "Protests", "задержание"],
        "events": [2, 1, 1],
        "unrest": [True, True, False],
    }


def test_mapping_table_round_trips_and_drops_blanks():
    from geo.io.mapping import mapping_from_table, mapping_table

    columns = {"when": ("2022-01-05",), "place": ("Aktau", "Atyrau"), "kind": ("protest",)}
    mapping = {"event_date": "when", "location": "place", "event_type": "kind"}
    table = mapping_table(mapping, columns)
    rows = table.set_index("field")
    assert rows.loc["location"].tolist() == ["place", "Aktau, Atyrau"]
    assert rows.loc["admin1"].tolist() == ["", ""]
    assert mapping_from_table(table) == mapping
    edited = table.assign(column=table["column"].where(table["field"] != "event_type", ""))
    assert mapping_from_table(edited) == {"event_date": "when", "location": "place"}


def test_a_point_nearer_to_a_neighbour_than_to_any_unit_is_not_placed():
    """Tokmok (Kyrgyzstan) lies in the sliver between Natural Earth's border and our simplified
    outline: 0.5 km from Kyrgyzstan, 1.8 km from Jambyl. The tolerance used to give it to
    Jambyl; an Aktau port point off the Caspian coast still gets Mangystau."""
    import pandas as pd

    import geo
    from geo.analysis.placing import place_events

    events = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-05", "2022-01-05"]),
            "latitude": [42.8421, 43.65],
            "longitude": [75.3015, 51.16],
            "event_type": ["Protests", "Protests"],
            "location": ["Tokmok", "Aktau port"],
        }
    )
    placed = place_events(events, geo.load_regions("2022-01")).events
    assert pd.isna(placed["region_id"].iloc[0])
    assert "Kyrgyzstan (KG)" in placed["unplaced_reason"].iloc[0]
    assert "nearer to the neighbour" in placed["unplaced_reason"].iloc[0]
    assert placed["region_id"].iloc[1] == "mangystau"
