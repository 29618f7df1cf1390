"""Where the bundled data and assets live, resolved from this file, never from the working dir."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
BUNDLED_EVENTS = DATA_DIR / "events" / "kz_jan2022_events.csv"
PLACES = DATA_DIR / "places.csv"
GAZETTEER = DATA_DIR / "gazetteer.csv"
COUNTRIES = DATA_DIR / "countries.csv"
REGION_LAYOUTS = {
    "2022-01": DATA_DIR / "regions" / "kz_regions_2022-01.geojson",
    "current": DATA_DIR / "regions" / "kz_regions_current.geojson",
}
BASEMAP = DATA_DIR / "basemap" / "neighbours.geojson"
VENDOR_DIR = PROJECT_ROOT / "static" / "vendor"
