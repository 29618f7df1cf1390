"""Write GDELT-1.0-like daily event files into bench/out/ (git-ignored): the files researchers
hold, mostly about other countries.

Each file has GDELT 1.0's 58 tab-separated fields without a header, in its order. A share of
the rows (3% by default) lies in Kazakhstan: points inside the January 2022 region polygons,
country code KZ and the region's FIPS ADM1 code. The rest are spread over other countries' boxes
(FIPS codes, weighted towards the countries GDELT reports most), about one in four of them
located only at the country (ActionGeo_Type 1), as in real files. Seeded: two runs write
identical files. Usage:

    python bench/generate_gdelt.py --rows 1000000                  # one day of 1M rows
    python bench/generate_gdelt.py --rows 200000 --days 19 --zip   # a folder of 19 daily zips
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import _points  # noqa: E402

from geo.io.gdelt import GDELT_COLUMNS  # noqa: E402
from geo.record.regions import load_regions  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SEED = 20220105
FOREIGN = {  # FIPS code: (weight, south, north, west, east) — a box inside the country, roughly
    "US": (30, 30, 47, -120, -75),
    "UK": (8, 51, 56, -4, 1),
    "RS": (6, 50, 65, 35, 120),
    "CH": (5, 25, 42, 100, 120),
    "IN": (5, 10, 30, 72, 88),
    "IS": (4, 30, 33, 34.3, 35.5),
    "UP": (4, 46, 51, 24, 38),
    "FR": (3, 44, 49, -1, 6),
    "GM": (3, 48, 54, 7, 14),
    "TU": (3, 37, 41, 28, 42),
    "NI": (2, 6, 12, 4, 12),
    "AS": (2, -35, -20, 115, 150),
    "KG": (1, 40.5, 42.5, 72, 78),
    "UZ": (1, 39, 42, 60, 70),
    "TX": (1, 37.5, 40, 55, 61),
    "PK": (2, 25, 33, 66, 73),
    "BR": (2, -25, -5, -55, -40),
    "JA": (2, 33, 39, 132, 140),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per file")
    parser.add_argument("--days", type=int, default=1, help="files, one per day from 1 Jan 2022")
    parser.add_argument("--kazakh", type=float, default=0.03, help="share of rows in Kazakhstan")
    parser.add_argument("--zip", action="store_true", help="zip each file, as GDELT serves them")
    parser.add_argument("--out", type=Path, default=None, help="folder (default bench/out/...)")
    args = parser.parse_args(argv)
    folder = args.out or OUT / f"gdelt_{_label(args.rows)}x{args.days}"
    folder.mkdir(parents=True, exist_ok=True)
    for path in write_days(folder, args.rows, args.days, args.kazakh, zipped=args.zip):
        print(f"{path}: {path.stat().st_size / 1e6:,.0f} MB")


def write_days(folder: Path, rows: int, days: int, kazakh: float, *, zipped: bool) -> list[Path]:
    regions = load_regions("2022-01")
    paths = []
    for day in range(1, days + 1):
        rng = np.random.default_rng(SEED + 1000 * day + rows)
        table = gdelt_table(rows, day, kazakh, regions, rng, first_id=day * 10**9)
        path = folder / f"202201{day:02d}.export.CSV"
        pacsv.write_csv(
            table,
            path,
            write_options=pacsv.WriteOptions(
                include_header=False, delimiter="\t", quoting_style="none", batch_size=65_536
            ),
        )
        if zipped:
            with zipfile.ZipFile(f"{path}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(path, path.name)
            path.unlink()
            path = Path(f"{path}.zip")
        paths.append(path)
    return paths


def gdelt_table(rows: int, day: int, kazakh: float, regions, rng, *, first_id: int) -> pa.Table:
    """`rows` GDELT 1.0 events of 1 Jan 2022 + `day` - 1, a share `kazakh` in Kazakhstan."""
    local = rng.random(rows) < kazakh
    n_kz = int(local.sum())
    lat = np.empty(rows)
    lon = np.empty(rows)
    country = np.empty(rows, dtype=object)
    adm1 = np.empty(rows, dtype=object)
    full_name = np.empty(rows, dtype=object)
    region_at, kz_lon, kz_lat = _points(n_kz, regions, rng)
    order = rng.permutation(n_kz)
    # Shymkent has no FIPS code of its own: GDELT files it under South Kazakhstan (KZ10)
    fips = regions["fips_10_4"].fillna("KZ10").to_numpy(dtype=object)[region_at[order]]
    names = regions["name_en"].to_numpy(dtype=object)[region_at[order]]
    lat[local], lon[local] = kz_lat[order], kz_lon[order]
    country[local] = "KZ"
    adm1[local] = fips
    full_name[local] = np.char.add(names.astype(str), ", Kazakhstan").astype(object)
    codes = np.array(list(FOREIGN))
    weights = np.array([v[0] for v in FOREIGN.values()], dtype=float)
    chosen = rng.choice(len(codes), rows - n_kz, p=weights / weights.sum())
    boxes = np.array([v[1:] for v in FOREIGN.values()])[chosen]
    lat[~local] = np.round(rng.uniform(boxes[:, 0], boxes[:, 1]), 4)
    lon[~local] = np.round(rng.uniform(boxes[:, 2], boxes[:, 3]), 4)
    country[~local] = codes[chosen]
    unit = np.char.zfill(rng.integers(1, 9, rows - n_kz).astype(str), 2)
    adm1[~local] = np.char.add(codes[chosen], unit).astype(object)
    full_name[~local] = np.char.add("Place in ", codes[chosen]).astype(object)
    geo_type = np.where(local, rng.choice([3, 4, 2], rows, p=[0.6, 0.3, 0.1]), 0)
    geo_type = np.where(~local, rng.choice([1, 3, 4, 2], rows, p=[0.25, 0.45, 0.2, 0.1]), geo_type)
    root = rng.integers(1, 21, rows)
    event_code = np.char.add(np.char.zfill(root.astype(str), 2), "0")
    sqldate = 20220100 + day
    # a few events are about earlier days, as GDELT's daily files carry
    event_day = np.where(rng.random(rows) < 0.05, sqldate - rng.integers(1, 3, rows), sqldate)
    event_day = np.maximum(event_day, 20220101)
    null = pa.nulls(rows, pa.string())
    columns: dict[str, pa.Array] = {name: null for name in GDELT_COLUMNS[58]}
    columns.update(
        {
            "GLOBALEVENTID": pa.array(np.arange(first_id, first_id + rows)),
            "SQLDATE": pa.array(event_day),
            "MonthYear": pa.array(event_day // 100),
            "Year": pa.array(event_day // 10000),
            "FractionDate": pa.array(np.round(2022 + (event_day % 100) / 365, 4)),
            "Actor1Name": pa.array(np.where(rng.random(rows) < 0.7, "PROTESTER", "POLICE")),
            "Actor2Name": pa.array(np.where(rng.random(rows) < 0.5, "GOVERNMENT", None)),
            "IsRootEvent": pa.array(rng.integers(0, 2, rows)),
            "EventCode": pa.array(event_code),
            "EventBaseCode": pa.array(event_code),
            "EventRootCode": pa.array(np.char.zfill(root.astype(str), 2)),
            "QuadClass": pa.array(rng.integers(1, 5, rows)),
            "GoldsteinScale": pa.array(np.round(rng.uniform(-10, 10, rows), 1)),
            "NumMentions": pa.array(rng.integers(1, 20, rows)),
            "NumSources": pa.array(rng.integers(1, 5, rows)),
            "NumArticles": pa.array(rng.integers(1, 20, rows)),
            "AvgTone": pa.array(np.round(rng.uniform(-10, 5, rows), 3)),
            "ActionGeo_Type": pa.array(geo_type),
            "ActionGeo_FullName": pa.array(full_name, pa.string()),
            "ActionGeo_CountryCode": pa.array(country, pa.string()),
            "ActionGeo_ADM1Code": pa.array(np.where(geo_type == 1, country, adm1), pa.string()),
            "ActionGeo_Lat": pa.array(lat),
            "ActionGeo_Long": pa.array(lon),
            "ActionGeo_FeatureID": pa.array(rng.integers(1, 10**6, rows).astype(str)),
            "DATEADDED": pa.array(np.full(rows, sqldate * 1_000_000 + 120000, dtype=np.int64)),
            "SOURCEURL": pa.array(
                np.char.add("https://news.example.org/story/", np.arange(rows).astype(str))
            ),
        }
    )
    return pa.table(columns)


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


if __name__ == "__main__":
    main()
