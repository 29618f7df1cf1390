"""Write an ACLED-world-like export into bench/out/ (git-ignored): ACLED's 31 columns, 5% of the
rows in Kazakhstan (bench/generate.py's rows), the rest in other countries' boxes with their
names, ISO numeric codes and a first-level unit, as a world or regional export has them. Seeded.

Usage: python bench/generate_acled_world.py [--rows 1000000] [--kazakh 0.05]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import OUT, _columns, _label, _points  # noqa: E402

from geo.record.regions import load_regions  # noqa: E402

SEED = 20220107
COUNTRIES = {  # name: (ISO 3166-1 numeric, weight, south, north, west, east)
    "Ukraine": (804, 30, 46, 51, 24, 38),
    "Syria": (760, 15, 33, 37, 36, 41),
    "Mexico": (484, 12, 17, 30, -110, -90),
    "India": (356, 12, 10, 30, 72, 88),
    "Pakistan": (586, 8, 25, 33, 66, 73),
    "Russia": (643, 5, 50, 65, 35, 120),
    "Kyrgyzstan": (417, 2, 40.5, 42.5, 72, 78),
    "Uzbekistan": (860, 2, 39, 42, 60, 70),
    "Nigeria": (566, 9, 6, 12, 4, 12),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--kazakh", type=float, default=0.05)
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    path = OUT / f"acled_world_{_label(args.rows)}.csv"
    rng = np.random.default_rng(SEED + args.rows)
    regions = load_regions("2022-01")
    region_at, lon, lat = _points(args.rows, regions, rng)
    order = rng.permutation(args.rows)
    days = np.sort(rng.integers(1, 32, args.rows))
    columns = _columns(args.rows, regions, region_at[order], lon[order], lat[order], days, rng)
    abroad = rng.random(args.rows) >= args.kazakh
    n = int(abroad.sum())
    names = np.array(list(COUNTRIES))
    chosen = rng.choice(len(names), n, p=_weights())
    boxes = np.array([v[2:] for v in COUNTRIES.values()])[chosen]

    def replaced(column: str, values) -> pa.Array:
        full = columns[column].to_numpy(zero_copy_only=False).astype(object)
        full[abroad] = values
        return pa.array(full, type=columns[column].type)

    columns["country"] = replaced("country", names[chosen])
    columns["iso"] = replaced("iso", np.array([v[0] for v in COUNTRIES.values()])[chosen])
    columns["admin1"] = replaced("admin1", np.char.add(names[chosen], " Province"))
    columns["location"] = replaced("location", np.char.add("Town in ", names[chosen]))
    columns["latitude"] = replaced("latitude", np.round(rng.uniform(boxes[:, 0], boxes[:, 1]), 4))
    columns["longitude"] = replaced("longitude", np.round(rng.uniform(boxes[:, 2], boxes[:, 3]), 4))
    pacsv.write_csv(
        pa.table(columns),
        path,
        write_options=pacsv.WriteOptions(quoting_style="needed", batch_size=65_536),
    )
    print(f"{path}: {args.rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB")


def _weights() -> np.ndarray:
    weights = np.array([v[1] for v in COUNTRIES.values()], dtype=float)
    return weights / weights.sum()


if __name__ == "__main__":
    main()
