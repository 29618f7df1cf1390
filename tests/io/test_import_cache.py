"""The opt-in import cache of read_events: hits, misses, and damaged entries.

The cache must return exactly what a fresh read returns (frame, problems, format, mapping and
notes, plus one note saying where it came from), and never trust an entry it cannot read back.
"""

from pathlib import Path

import pandas as pd
import pytest

from geo.errors import EventDataError
from geo.io.importers import read_events
from tests.paths import FIXTURES

ACLED_OLD = FIXTURES / "acled_old_schema.csv"
CACHE_NOTE = "read from the import cache"


@pytest.fixture
def acled_with_problems(tmp_path) -> Path:
    """The old-schema ACLED fixture with a bad latitude in row 2 and a bad date in row 4."""
    lines = ACLED_OLD.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("43.6611", "north")
    lines[4] = lines[4].replace("2022-01-05", "2022-13-45")
    path = tmp_path / "acled_bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def entries(cache: Path) -> list[str]:
    return sorted(p.suffix for p in cache.iterdir())


def assert_same_import(cached, fresh) -> None:
    pd.testing.assert_frame_equal(cached.events, fresh.events)
    assert cached.problems == fresh.problems
    assert (cached.format, cached.mapping) == (fresh.format, fresh.mapping)
    assert cached.notes[:-1] == fresh.notes
    assert cached.notes[-1].startswith(CACHE_NOTE)
    pd.testing.assert_frame_equal(cached.outside, fresh.outside)


def test_second_read_hits_the_cache_and_returns_the_same_import(acled_with_problems, tmp_path):
    cache = tmp_path / "cache"
    fresh = read_events(acled_with_problems)
    first = read_events(acled_with_problems, cache_dir=cache)
    assert entries(cache) == [".arrow", ".json", ".parquet"]  # rows set aside, notes, events
    assert not any(n.startswith(CACHE_NOTE) for n in first.notes)
    pd.testing.assert_frame_equal(first.events, fresh.events)
    assert first.problems == fresh.problems

    second = read_events(acled_with_problems, cache_dir=cache)
    assert_same_import(second, fresh)
    assert {(p.row, p.column, p.value) for p in second.problems} == {
        (2, "latitude", "north"),
        (4, "event_date", "2022-13-45"),
    }


def test_the_rows_set_aside_as_abroad_come_back_from_the_cache(tmp_path):
    path = FIXTURES / "places" / "acled_multi_country.csv"
    fresh = read_events(path)
    assert len(fresh.outside) > 0
    read_events(path, cache_dir=tmp_path)
    assert_same_import(read_events(path, cache_dir=tmp_path), fresh)


@pytest.mark.parametrize(
    "name", ["20220110153000.export.CSV", "events.xlsx", "events_cp1251.csv", "events.geojson"]
)
def test_every_format_round_trips_through_the_cache(name, tmp_path):
    fresh = read_events(FIXTURES / name)
    read_events(FIXTURES / name, cache_dir=tmp_path)
    assert_same_import(read_events(FIXTURES / name, cache_dir=tmp_path), fresh)


def test_zoned_date_times_round_trip(tmp_path):
    data = (
        b"date,lat,lon,type\n"
        b"2022-01-05T23:30:00+05:00,43.65,51.17,Protests\n"
        b"2022-01-05T20:00:00Z,43.25,76.95,Riots\n"
    )
    fresh = read_events(data, name="zoned.csv")
    assert str(fresh.events["event_datetime"].dtype) == "datetime64[ns, Asia/Almaty]"
    read_events(data, name="zoned.csv", cache_dir=tmp_path)
    assert_same_import(read_events(data, name="zoned.csv", cache_dir=tmp_path), fresh)


def test_a_changed_file_misses(acled_with_problems, tmp_path):
    cache = tmp_path / "cache"
    read_events(acled_with_problems, cache_dir=cache)
    text = acled_with_problems.read_text(encoding="utf-8").replace("north", "43.6611")
    acled_with_problems.write_text(text, encoding="utf-8")
    changed = read_events(acled_with_problems, cache_dir=cache)
    assert not changed.notes[-1].startswith(CACHE_NOTE)
    assert {p.row for p in changed.problems} == {4}
    assert len(list(cache.glob("*.parquet"))) == 2


def test_another_mapping_or_format_misses(tmp_path):
    data = b"date,lat_a,lat_b,lon\n2022-01-05,43.25,43.65,76.95\n"
    guessed = read_events(data, name="x.csv", cache_dir=tmp_path)
    assert guessed.events["latitude"].tolist() == [43.25]
    mapped = read_events(
        data, name="x.csv", cache_dir=tmp_path, mapping={"date": "date", "lat": "lat_b"}
    )
    assert not mapped.notes[-1].startswith(CACHE_NOTE)
    assert mapped.events["latitude"].tolist() == [43.65]
    as_csv = read_events(data, name="x.csv", format="csv", cache_dir=tmp_path)
    assert not as_csv.notes[-1].startswith(CACHE_NOTE)
    assert read_events(data, name="x.csv", cache_dir=tmp_path).notes[-1].startswith(CACHE_NOTE)


@pytest.mark.parametrize(
    ("suffix", "damage"),
    [
        (".parquet", b"not a parquet file"),
        (".parquet", b""),
        (".json", b"{broken"),
        (".json", b'{"key": "someone else"}'),
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(acled_with_problems, tmp_path, suffix, damage):
    cache = tmp_path / "cache"
    fresh = read_events(acled_with_problems, cache_dir=cache)
    (entry,) = cache.glob(f"*{suffix}")
    entry.write_bytes(damage)
    rebuilt = read_events(acled_with_problems, cache_dir=cache)
    assert not rebuilt.notes[-1].startswith(CACHE_NOTE)
    pd.testing.assert_frame_equal(rebuilt.events, fresh.events)
    assert rebuilt.problems == fresh.problems
    assert_same_import(read_events(acled_with_problems, cache_dir=cache), fresh)


def test_a_truncated_table_is_ignored(acled_with_problems, tmp_path):
    fresh = read_events(acled_with_problems, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("*.parquet")
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    again = read_events(acled_with_problems, cache_dir=tmp_path)
    pd.testing.assert_frame_equal(again.events, fresh.events)
    assert not again.notes[-1].startswith(CACHE_NOTE)


def test_an_unwritable_cache_only_adds_a_note(acled_with_problems, tmp_path):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("", encoding="utf-8")
    result = read_events(acled_with_problems, cache_dir=blocker)
    assert result.notes[-1].startswith("import cache not written to")
    assert len(result.events) == 3


def test_unreadable_files_are_not_cached(tmp_path):
    with pytest.raises(EventDataError, match="no date column"):
        read_events(b"a,b\n1,2\n", name="x.csv", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_without_cache_dir_nothing_is_written(acled_with_problems, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = read_events(acled_with_problems)
    assert not result.notes[-1].startswith(CACHE_NOTE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acled_bad.csv"]
