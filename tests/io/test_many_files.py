"""Folders, globs and Parquet (issue 17): a month of GDELT is a file a day, a world ACLED
export is often Parquet. Each check sets the combined reading against the files read one by one."""

from __future__ import annotations

import shutil
import zipfile

import pandas as pd
import pytest

from geo.errors import EventDataError
from geo.export.event_table import event_table
from geo.io.importers import read_events
from geo.pipeline import load_dataset, read_counts
from tests.paths import FIXTURES

DAILY = [FIXTURES / "20220110.export.CSV", FIXTURES / "places" / "gdelt2_multi_country.export.CSV"]


@pytest.fixture
def gdelt_folder(tmp_path):
    """Two GDELT days as GDELT serves them, zipped, and a note that is no event file."""
    folder = tmp_path / "gdelt"
    folder.mkdir()
    for day, path in zip(("20220110", "20220111"), DAILY, strict=True):
        with zipfile.ZipFile(folder / f"{day}.export.CSV.zip", "w") as archive:
            archive.write(path, f"{day}.export.CSV")
    (folder / "README.md").write_text("downloaded from data.gdeltproject.org\n")
    return folder


def test_a_folder_reads_each_file_and_tags_its_rows(gdelt_folder):
    combined = read_events(gdelt_folder)
    alone = [read_events(p) for p in sorted(gdelt_folder.glob("*.zip"))]
    assert combined.format == "gdelt"
    assert len(combined.events) == sum(len(r.events) for r in alone)
    assert len(combined.outside) == sum(len(r.outside) for r in alone)
    expected = pd.concat([r.events.assign(source_file=r.file) for r in alone], ignore_index=True)
    pd.testing.assert_frame_equal(combined.events, expected)
    assert combined.events["source_file"].unique().tolist() == [r.file for r in alone]


def test_a_glob_is_the_same_as_its_folder(gdelt_folder):
    by_glob = read_events(str(gdelt_folder / "2022011*.export.CSV.zip"))
    pd.testing.assert_frame_equal(by_glob.events, read_events(gdelt_folder).events)
    with pytest.raises(EventDataError, match="no file matches this pattern"):
        read_events(str(gdelt_folder / "2023*.zip"))


def test_the_counts_and_the_cleaned_table_of_several_files_add_up(gdelt_folder):
    dataset = load_dataset(gdelt_folder)
    files = [load_dataset(p) for p in sorted(gdelt_folder.glob("*.zip"))]
    counts, each = read_counts(dataset), [read_counts(d) for d in files]
    for field in ("rows_read", "loaded", "placed", "unplaced", "set_aside", "rejected"):
        assert getattr(counts, field) == sum(getattr(c, field) for c in each), field
    table = event_table(dataset.events, dataset.duplicates, dataset.problems, dataset.outside)
    assert len(table) == counts.rows_read
    assert table.groupby("source_file", sort=False).size().tolist() == [c.rows_read for c in each]
    assert table["source_row"].tolist() == [row for c in each for row in range(1, c.rows_read + 1)]


def test_the_import_cache_keys_each_file(gdelt_folder, tmp_path):
    cache = tmp_path / "cache"
    first = read_events(gdelt_folder, cache_dir=cache)
    assert len(list(cache.glob("*.json"))) == 2
    (gdelt_folder / "20220111.export.CSV.zip").unlink()
    shutil.copy(gdelt_folder / "20220110.export.CSV.zip", gdelt_folder / "20220112.export.CSV.zip")
    again = read_events(gdelt_folder, cache_dir=cache)
    hits = [n for n in again.notes if "read from the import cache" in n]
    assert [n.split(":")[0] for n in hits] == ["20220110.export.CSV.zip"]  # the copy's name
    assert len(list(cache.glob("*.json"))) == 3  # is part of its key: read and stored anew
    day = first.events[first.events["source_file"].str.startswith("20220110")]
    assert len(again.events) == 2 * len(day)


def test_parquet_is_read_by_its_column_names(tmp_path):
    """An ACLED export saved as Parquet, and GDELT's BigQuery export saved as Parquet."""
    for fixture in (
        FIXTURES / "acled_current.csv",
        FIXTURES / "places" / "bigquery_gdelt_export.csv",
    ):
        frame = pd.read_csv(fixture, dtype=str, keep_default_na=False)
        path = tmp_path / fixture.with_suffix(".parquet").name
        frame.to_parquet(path, index=False)
        from_csv, from_parquet = read_events(fixture), read_events(path)
        assert from_parquet.format == from_csv.format
        columns = ["event_date", "event_type", "latitude", "longitude", "source_row"]
        pd.testing.assert_frame_equal(from_parquet.events[columns], from_csv.events[columns])
