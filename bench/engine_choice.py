"""Which engine reads a research file's rows in scope fastest (issue 17): DuckDB's CSV scan with
the country filter in SQL, against pyarrow's CSV reader with the filter in Arrow compute (what
geo.io reads with), on the same GDELT-like day, in one run.

Both read GDELT 1.0's 58 tab-separated fields as text, keep the columns Qantar reads and the
rows whose ActionGeo country is Kazakhstan or not given. DuckDB is not a dependency of Qantar:
`pip install duckdb` into the environment to run this.

Usage: python bench/engine_choice.py bench/out/gdelt_1Mx1/20220101.export.CSV [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.io.gdelt import _GDELT_READ, GDELT_COLUMNS

NAMES = list(GDELT_COLUMNS[58])
WANTED = [name for name in NAMES if name in _GDELT_READ]


def with_duckdb(path: Path) -> int:
    import duckdb

    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in NAMES) + "}"
    query = (
        f"SELECT {', '.join(WANTED)} FROM read_csv('{path}', delim='\\t', header=false, "
        f"quote='', columns={columns}) "
        "WHERE ActionGeo_CountryCode = 'KZ' OR ActionGeo_CountryCode IS NULL"
    )
    return duckdb.connect().sql(query).to_arrow_table().num_rows


def with_pyarrow(path: Path) -> int:
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=NAMES, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(
            include_columns=WANTED, column_types=dict.fromkeys(WANTED, pa.large_string())
        ),
    )
    country = table["ActionGeo_CountryCode"]
    return table.filter(pc.or_(pc.equal(country, "KZ"), pc.is_null(country))).num_rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    ways = {"DuckDB read_csv + WHERE": with_duckdb, "pyarrow read_csv + filter": with_pyarrow}
    times: dict[str, list[float]] = {name: [] for name in ways}
    kept = {}
    for way in ways.values():
        way(args.file)  # warm-up: the file in the page cache, lazy imports
    for _ in range(args.repeat):  # the ways take turns
        for name, way in ways.items():
            started = time.perf_counter()
            kept[name] = way(args.file)
            times[name].append(time.perf_counter() - started)
    for name in ways:
        print(f"{name}: median {statistics.median(times[name]):.2f} s, rows kept {kept[name]:,}")


if __name__ == "__main__":
    main()
