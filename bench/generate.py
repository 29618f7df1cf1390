"""Write ACLED-like event CSVs of 10k, 100k and 1M rows into bench/out/ (git-ignored).

The files have the 31 columns of ACLED's current export, in its order. Points fall inside the
January 2022 region polygons (rejection sampling per region, each region getting a share of the
events proportional to its area), dates spread over January 2022, everything seeded, so two runs
write identical files. Usage: python bench/generate.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.record.regions import load_regions  # noqa: E402
from geo.schema import ACLED_SUB_EVENT_TYPES  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
SIZES = (10_000, 100_000, 1_000_000)
SEED = 20220102
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
TYPE_SHARES = {
    "Protests": 0.55,
    "Riots": 0.15,
    "Strategic developments": 0.15,
    "Battles": 0.06,
    "Violence against civilians": 0.06,
    "Explosions/Remote violence": 0.03,
}
DISORDER = {
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
    "Battles": "Political violence",
    "Violence against civilians": "Political violence",
    "Explosions/Remote violence": "Political violence",
}
ACTOR1 = {
    "Protests": ("Protesters (Kazakhstan)", "Protesters"),
    "Riots": ("Rioters (Kazakhstan)", "Rioters"),
    "Strategic developments": ("Government of Kazakhstan (2019-)", "State forces"),
    "Battles": ("Military Forces of Kazakhstan (2019-)", "State forces"),
    "Violence against civilians": ("Police Forces of Kazakhstan (2019-)", "State forces"),
    "Explosions/Remote violence": ("Unidentified Armed Group (Kazakhstan)", "Political militia"),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    regions = load_regions("2022-01")
    for size in args.sizes:
        started = time.perf_counter()
        path = write_events(size, regions, OUT / f"events_{_label(size)}.csv")
        megabytes = path.stat().st_size / 1e6
        seconds = time.perf_counter() - started
        print(f"{path.name}: {size:,} rows, {megabytes:,.0f} MB, {seconds:.1f} s")


def write_events(size: int, regions, path: Path) -> Path:
    """Generate `size` events and write them as an ACLED-style CSV at `path`."""
    rng = np.random.default_rng(SEED + size)
    region_at, lon, lat = _points(size, regions, rng)
    order = rng.permutation(size)  # regions interleaved, as in a real export
    days = np.sort(rng.integers(1, 32, size))
    region_at, lon, lat = region_at[order], lon[order], lat[order]
    table = pa.table(_columns(size, regions, region_at, lon, lat, days, rng))
    pacsv.write_csv(
        table, path, write_options=pacsv.WriteOptions(quoting_style="needed", batch_size=65_536)
    )
    return path


def _points(size: int, regions, rng: np.random.Generator):
    """Region index, longitude and latitude of `size` points inside the region polygons."""
    geometries = regions.geometry.values
    areas = shapely.area(geometries)
    counts = rng.multinomial(size, areas / areas.sum())
    region_at, lon, lat = [], [], []
    for position, (geometry, count) in enumerate(zip(geometries, counts, strict=True)):
        shapely.prepare(geometry)
        minx, miny, maxx, maxy = geometry.bounds
        fill = max(shapely.area(geometry) / ((maxx - minx) * (maxy - miny)), 0.05)
        xs, ys = np.empty(0), np.empty(0)
        while xs.size < count:
            want = int((count - xs.size) / fill * 1.2) + 16
            x = rng.uniform(minx, maxx, want)
            y = rng.uniform(miny, maxy, want)
            inside = shapely.contains_xy(geometry, x, y)
            xs, ys = np.concatenate([xs, x[inside]]), np.concatenate([ys, y[inside]])
        region_at.append(np.full(count, position))
        lon.append(np.round(xs[:count], 4))
        lat.append(np.round(ys[:count], 4))
    return np.concatenate(region_at), np.concatenate(lon), np.concatenate(lat)


def _columns(size, regions, region_at, lon, lat, days, rng) -> dict[str, pa.Array]:
    types = np.array(list(TYPE_SHARES))
    event_type = types[rng.choice(len(types), size, p=list(TYPE_SHARES.values()))]
    sub_event_type = np.empty(size, dtype=object)
    for kind in types:
        here = event_type == kind
        options = np.array(sorted(ACLED_SUB_EVENT_TYPES[kind]))
        sub_event_type[here] = options[rng.integers(0, len(options), here.sum())]
    violent = np.isin(event_type, ["Battles", "Violence against civilians"])
    actor1 = np.vectorize(lambda t: ACTOR1[t][0], otypes=[object])(event_type)
    inter1 = np.vectorize(lambda t: ACTOR1[t][1], otypes=[object])(event_type).astype(str)
    interaction = np.where(violent, np.char.add(inter1, "-Civilians"), np.char.add(inter1, " only"))
    dates = np.array([f"2022-01-{d:02d}" for d in range(1, 32)], dtype=object)[days - 1]
    names = regions["name_en"].to_numpy(dtype=object)
    null = pa.nulls(size, pa.string())
    return {
        "event_id_cnty": pa.array(np.char.add("KAZ", np.arange(1, size + 1).astype(str))),
        "event_date": pa.array(dates, pa.string()),
        "year": pa.array(np.full(size, 2022)),
        "time_precision": pa.array(rng.choice([1, 2, 3], size, p=[0.8, 0.15, 0.05])),
        "disorder_type": pa.array(np.vectorize(DISORDER.get, otypes=[object])(event_type)),
        "event_type": pa.array(event_type, pa.string()),
        "sub_event_type": pa.array(sub_event_type, pa.string()),
        "actor1": pa.array(actor1, pa.string()),
        "assoc_actor_1": null,
        "inter1": pa.array(inter1, pa.string()),
        "actor2": pa.array(np.where(violent, "Civilians (Kazakhstan)", None), pa.string()),
        "assoc_actor_2": null,
        "inter2": pa.array(np.where(violent, "Civilians", None), pa.string()),
        "interaction": pa.array(interaction, pa.string()),
        "civilian_targeting": pa.array(np.where(violent, "Civilian targeting", None), pa.string()),
        "iso": pa.array(np.full(size, 398)),
        "region": pa.array(np.full(size, "Caucasus and Central Asia", dtype=object), pa.string()),
        "country": pa.array(np.full(size, "Kazakhstan", dtype=object), pa.string()),
        "admin1": pa.array(names[region_at], pa.string()),
        "admin2": null,
        "admin3": null,
        "location": pa.array(np.char.add("Place ", rng.integers(1, 5000, size).astype(str))),
        "latitude": pa.array(lat),
        "longitude": pa.array(lon),
        "geo_precision": pa.array(rng.choice([1, 2, 3], size, p=[0.7, 0.25, 0.05])),
        "source": pa.array(np.full(size, "Generated for benchmarking", dtype=object), pa.string()),
        "source_scale": pa.array(np.full(size, "National", dtype=object), pa.string()),
        "notes": pa.array(
            np.char.add("Synthetic event in ", names[region_at].astype(str)), pa.string()
        ),
        "fatalities": pa.array(np.where(rng.random(size) < 0.95, 0, rng.integers(1, 10, size))),
        "tags": null,
        "timestamp": pa.array(np.full(size, 1_642_000_000) + days * 86_400),
    }


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


if __name__ == "__main__":
    main()
