"""Qantar's core: load dated, geolocated events, join them to regions, aggregate, map.

Imports no Streamlit; the dashboard is a thin adapter over these functions.
"""

from geo.aggregate import (
    MODES,
    events_per_day,
    region_day_counts,
    region_day_type_counts,
    values_at,
)
from geo.errors import EventDataError, Problem, QantarError, RegionDataError, UnknownLayoutError
from geo.events import load_bundled_events, load_events_csv
from geo.join import DEFAULT_TOLERANCE_KM, assign_regions
from geo.regions import (
    CRS,
    check_regions,
    layout_for_dates,
    load_basemap,
    load_regions,
    repair_regions,
)
from geo.schema import CANONICAL_COLUMNS, EVENT_TYPES, ValidatedEvents, validate_events

__all__ = [
    "CANONICAL_COLUMNS",
    "CRS",
    "DEFAULT_TOLERANCE_KM",
    "EVENT_TYPES",
    "MODES",
    "EventDataError",
    "Problem",
    "QantarError",
    "RegionDataError",
    "UnknownLayoutError",
    "ValidatedEvents",
    "assign_regions",
    "check_regions",
    "events_per_day",
    "layout_for_dates",
    "load_basemap",
    "load_bundled_events",
    "load_events_csv",
    "load_regions",
    "region_day_counts",
    "region_day_type_counts",
    "repair_regions",
    "validate_events",
    "values_at",
]
