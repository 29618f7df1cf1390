"""Real file shapes, read row by row: which region, counted or not, and why (issue 7, §2, §5).

Each fixture in tests/fixtures/places/ copies the *shape* of a kind of file seen in public
repositories (an ACLED export of several countries, a GDELT 2.0 event file, a Mass Mobilization
extract, a GeoJSON protest list, a log of geolocated videos, a Russian-language newsroom sheet);
the rows are invented, with coordinates of the real towns. Every row's expected reading is
written out here, worked out from the map, not from the code.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import geo
from geo.analysis import spread
from geo.analysis.placing import place_events
from geo.pipeline import dataset_from_import, restrict_dataset, with_unrest_types
from tests.paths import FIXTURES

PLACES = FIXTURES / "places"
KZ_2022 = "2022-01"

OUTSIDE = "outside Kazakhstan"


@pytest.fixture(scope="module")
def regions():
    return geo.load_regions(KZ_2022)


def read(name: str, regions, **options) -> pd.DataFrame:
    """Every row of the file as the dataset has it: placed or not, or set aside at import."""
    dataset = dataset_from_import(geo.read_events(PLACES / name, **options), regions, name=name)
    return every_row(dataset)


def every_row(dataset) -> pd.DataFrame:
    columns = ["source_row", "country", "unplaced_reason"]  # no region: never placed
    set_aside = dataset.unplaced[dataset.unplaced["source_row"].isin(dataset.outside["source_row"])]
    rows = pd.concat([dataset.events, set_aside[columns]], ignore_index=True)
    return rows.sort_values("source_row").set_index("source_row")


def reading(placed: pd.DataFrame) -> dict[int, tuple]:
    """source_row -> (region_id or None, country or None, the start of the reason)."""
    return {
        int(row): (
            None if pd.isna(r["region_id"]) else r["region_id"],
            None if pd.isna(r["country"]) else r["country"],
            r["unplaced_reason"],
        )
        for row, r in placed.iterrows()
    }


def assert_rows(placed: pd.DataFrame, expected: dict[int, tuple[str | None, str | None, str]]):
    got = reading(placed)
    assert set(got) == set(expected)
    for row, (region, country, reason) in expected.items():
        assert got[row][:2] == (region, country), f"row {row}: {got[row]}"
        assert got[row][2].startswith(reason), f"row {row}: {got[row][2]!r}"


def test_acled_export_of_several_countries_places_only_kazakhstan(regions):
    placed = read("acled_multi_country.csv", regions)
    assert_rows(
        placed,
        {
            1: ("mangystau", "KZ", ""),
            2: (None, "KG", f"{OUTSIDE} (KG)"),  # Bishkek: was Jambyl Region
            3: (None, "KG", f"{OUTSIDE} (KG)"),  # Sokuluk, Chuy
            4: (None, "UZ", f"{OUTSIDE} (UZ)"),  # Tashkent: was Turkistan Region
            5: (None, "RU", f"{OUTSIDE} (RU)"),  # Kazan: was "swapped" into Aktobe Region
            6: (None, "BF", f"{OUTSIDE} (BF)"),  # Alga, Centre-Nord, Burkina Faso
            7: (None, "UA", f"{OUTSIDE} (UA)"),  # Sevastopol
        },
    )


def test_acled_export_spread_starts_at_the_kazakh_event_not_abroad(regions):
    imported = geo.read_events(PLACES / "acled_multi_country.csv")
    dataset = dataset_from_import(imported, regions, name="acled_multi_country.csv")
    table = dataset.onsets
    assert list(table.dropna(subset=["onset_date"])["region_id"]) == ["mangystau"]
    origin = dataset.origin  # the Burkina Faso battle of 1 January came first, and is set aside
    assert (origin.date, origin.label) == (pd.Timestamp("2022-01-02"), "Zhanaozen")
    note = next(n for n in dataset.notes if "names another country" in n)
    assert note.startswith(
        "6 row(s) whose file names another country (KG 2, BF 1, RU 1, UA 1, UZ 1)"
    )


def test_gdelt_country_codes_are_fips(regions):
    placed = read("gdelt2_multi_country.export.CSV", regions)
    assert_rows(
        placed,
        {
            1: ("mangystau", "KZ", ""),
            2: (None, "RU", f"{OUTSIDE} (RU)"),  # FIPS RS is Russia (ISO RS is Serbia)
            3: (None, "KG", f"{OUTSIDE} (KG)"),
            4: (None, "UZ", f"{OUTSIDE} (UZ)"),
            5: (None, "KZ", "located only at the country's centroid"),
            6: ("almaty_city", "KZ", ""),
        },
    )


def test_newsroom_points_without_a_country_column(regions):
    placed = read("newsroom_points_ru.csv", regions)
    assert_rows(
        placed,
        {
            1: ("mangystau", None, ""),
            2: ("almaty_city", None, ""),
            3: (None, "KG", f"{OUTSIDE} (KG): the point lies in Kyrgyzstan"),  # Sokuluk
            4: (None, "UZ", f"{OUTSIDE} (UZ): the point lies in Uzbekistan"),  # Tashkent
            5: (None, "RU", f"{OUTSIDE} (RU): the point lies in Russia"),  # Kazan, not swapped
            6: ("almaty_city", None, ""),  # Almaty written lon, lat: in no country as given
            7: ("mangystau", None, ""),  # in the Caspian off Aktau: the nearest unit
            8: ("atyrau", None, ""),
        },
    )
    assert placed.loc[6, "place_method"] == "swapped coordinates"
    assert placed.loc[7, "join_method"] == "nearest"


def test_russian_categories_get_their_spread(regions):
    imported = geo.read_events(PLACES / "newsroom_points_ru.csv")
    placed = place_events(imported.events, regions)
    assert spread.unrest_types(placed.events["event_type"]) == (
        "митинг",
        "беспорядки",
        "столкновение",
        "забастовка",
    )  # not "задержание" (detention)
    table = spread.onsets(placed.events, regions).dropna(subset=["onset_date"])
    assert dict(zip(table["region_id"], table["onset_date"].dt.day, strict=True)) == {
        "mangystau": 2,
        "almaty_city": 4,
    }  # Atyrau's only row is a detention: no onset


def test_place_names_without_a_country(regions):
    placed = read("place_names_no_country.csv", regions)
    assert_rows(
        placed,
        {
            1: ("mangystau", None, ""),
            2: (None, "UZ", f"{OUTSIDE} (UZ): the place name 'Samarkand' is Samarkand"),
            3: (None, "RU", f"{OUTSIDE} (RU): the place name 'Astrakhan' is Astrakhan"),
            4: (None, "UA", f"{OUTSIDE} (UA): the place name 'Sevastopol' is Sevastopol"),
            5: (None, "MA", f"{OUTSIDE} (MA): the place name 'Agadir' is Agadir"),
            6: (None, None, "admin1 'Centre-Nord' is no region of Kazakhstan"),
            7: ("aktobe", None, ""),  # Alga with its own region
            8: (None, "KG", f"{OUTSIDE} (KG): the place name 'Bishkek' is Bishkek"),
            9: (None, "RU", f"{OUTSIDE} (RU): the place name 'Kazan' is Kazan"),
        },
    )


def test_a_kazakh_country_column_keeps_the_kazakh_village(regions):
    events = pd.DataFrame(
        {
            "event_date": pd.to_datetime(["2022-01-05"] * 2),
            "event_type": ["Protests"] * 2,
            "location": ["Sevastopol", "Sevastopol"],
            "country": ["KZ", pd.NA],
        }
    )
    placed = place_events(events, regions).events
    assert placed["region_id"].tolist()[0] == "kostanay"  # GeoNames' Sevastopol', Kostanay
    assert pd.isna(placed["region_id"].tolist()[1])


def test_geojson_protest_list(regions):
    placed = read("protests.geojson", regions)
    assert_rows(
        placed,
        {
            1: ("aktobe", "KZ", ""),
            2: (None, "KG", f"{OUTSIDE} (KG)"),  # Osh, country given
            3: (None, "KG", f"{OUTSIDE} (KG): the point lies in Kyrgyzstan"),  # Kant: was Jambyl
            4: ("shymkent", None, ""),
        },
    )


def test_video_log_takes_its_categories_from_label_not_the_medium(regions):
    imported = geo.read_events(PLACES / "video_log.csv")
    assert imported.mapping["event_type"] == "label"
    assert imported.events["event_type"].tolist() == ["protest", "clash", "protest", "protest"]
    assert (
        "'type' not taken for event_type: its values are media kinds (video, picture), not "
        "event categories"
    ) in imported.notes
    guessed = next(n for n in imported.notes if n.startswith("columns guessed"))
    assert "event_type <- 'label' (e.g. 'protest', 'clash')" in guessed
    placed = place_events(imported.events, regions).events
    assert placed["region_id"].tolist()[:3] == ["almaty_city", "almaty_city", "mangystau"]
    assert placed["unplaced_reason"].iloc[3] == f"{OUTSIDE} (KG): the point lies in Kyrgyzstan"


def test_mass_mobilization_columns_are_not_taken_for_type_or_region():
    frame = pd.read_csv(PLACES / "mass_mobilization.csv", dtype=str)
    passed_over: list[str] = []
    mapping = geo.io.mapping.guess_mapping(list(frame.columns), frame, passed_over)
    assert "admin1" not in mapping  # `region` holds continents
    assert "event_type" not in mapping  # `participants_category` holds crowd sizes
    assert mapping["country"] == "country"
    assert mapping["location"] == "location"
    assert passed_over == [
        "'region' not taken for admin1: its values are continents (Asia, Europe), not regions "
        "of a country",
        "'participants_category' not taken for event_type: its values are sizes or counts "
        "(1000-1999, 100-999, 50-99), not event categories",
    ]


def test_the_mapping_can_be_overridden_field_by_field(regions):
    imported = geo.read_events(PLACES / "video_log.csv", mapping={"event_type": "type"})
    assert imported.mapping["event_type"] == "type"
    assert imported.mapping["location"] == "city"  # the rest is still guessed
    assert imported.events["event_type"].tolist() == ["video", "picture", "video", "video"]


def test_the_file_columns_and_their_values_are_kept_for_correcting_the_guess(tmp_path):
    first = geo.read_events(PLACES / "video_log.csv", cache_dir=tmp_path)
    again = geo.read_events(PLACES / "video_log.csv", cache_dir=tmp_path)
    assert any("import cache" in note for note in again.notes)
    for result in (first, again):
        assert list(result.file_columns) == [
            "date", "time", "lat", "lon", "type", "label", "link", "city",
        ]  # fmt: skip
        assert result.file_columns["type"] == ("video", "picture")
        assert result.file_columns["label"] == ("protest", "clash")


def test_the_person_chooses_which_categories_count_as_unrest(regions):
    imported = geo.read_events(PLACES / "newsroom_points_ru.csv")
    dataset = dataset_from_import(imported, regions, name="newsroom")
    assert dataset.mapping["event_type"] == "тип"
    assert list(dataset.file_columns)[:3] == ["дата", "время", "город"]
    affected = dataset.onsets.dropna(subset=["onset_date"])["region_id"].tolist()
    assert affected == ["mangystau", "almaty_city"]
    only_rallies = with_unrest_types(dataset, ["митинг"])
    assert only_rallies.onsets.dropna(subset=["onset_date"])["region_id"].tolist() == [
        "mangystau"
    ]  # Almaty's rows are a riot and a clash
    assert only_rallies.fingerprint != dataset.fingerprint
    with_detentions = with_unrest_types(dataset, ["митинг", "задержание"])
    assert with_detentions.onsets.dropna(subset=["onset_date"])["region_id"].tolist() == [
        "mangystau",
        "atyrau",
    ]
    kept = restrict_dataset(only_rallies, np.ones(len(dataset.events), dtype=bool), label="all")
    assert kept.onsets.dropna(subset=["onset_date"])["region_id"].tolist() == ["mangystau"]
    with pytest.raises(ValueError, match="at least one event category"):
        with_unrest_types(dataset, [])


def test_cli_map_overrides_one_field_and_keeps_the_rest(capsys):
    from geo.cli.commands import main

    status = main(["validate", str(PLACES / "video_log.csv"), "--map", "type=type", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert report["mapping"]["event_type"] == "type"
    assert report["mapping"]["location"] == "city"


def test_cli_map_needs_field_equals_column(capsys):
    from geo.cli.commands import main

    assert main(["validate", str(PLACES / "video_log.csv"), "--map", "event_type"]) == 2
    assert "expected FIELD=COLUMN such as event_type=label, got 'event_type'" in (
        capsys.readouterr().err
    )


def test_a_minimal_acled_style_csv_with_world_regions(regions):
    """event_id_cnty, country and `region` (ACLED's world region) without ACLED's own columns:
    read as a generic CSV, its `region` is no admin1, its `country` decides."""
    imported = geo.read_events(PLACES / "acled_minimal_world.csv")
    assert imported.format == "csv"
    assert "admin1" not in imported.mapping
    placed = every_row(dataset_from_import(imported, regions, name="acled_minimal_world.csv"))
    assert_rows(
        placed,
        {
            1: (None, "SO", f"{OUTSIDE} (SO)"),
            2: (None, "YE", f"{OUTSIDE} (YE)"),
            3: ("almaty_city", "KZ", ""),
            4: (None, "KG", f"{OUTSIDE} (KG)"),
        },
    )


def test_a_kazakh_row_with_its_point_swapped_into_russia_is_repaired_in_its_named_unit(regions):
    """ACLED, Aktau written (51.16, 43.65): in Russia as given; the file says Kazakhstan and
    Mangystau, and swapped the point is in Mangystau. Swapped into another unit than the one
    named, it stays unplaced with its reason."""
    placed = read("acled_swapped_point.csv", regions)
    assert_rows(
        placed,
        {
            1: ("mangystau", "KZ", ""),
            2: ("mangystau", "KZ", ""),
            3: (None, "KZ", "the point lies in Russia (RU)"),
        },
    )
    assert placed.loc[1, "place_method"] == "swapped coordinates"
    assert (placed.loc[1, "latitude"], placed.loc[1, "longitude"]) == (43.65, 51.16)
    assert placed.loc[2, "place_method"] == "coordinates"
