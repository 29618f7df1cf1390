"""Qantar's core: load dated, geolocated events, join them to regions, aggregate, map.

Imports no Streamlit; the dashboard is a thin adapter over these functions. The chart functions
(geo.render.charts, which needs altair) are imported when first used, so `import geo` loads no
drawing library.
"""

from importlib import import_module

from geo.analysis.aggregate import (
    MODES,
    deaths_per_day,
    events_per_day,
    region_day_counts,
    region_day_type_counts,
    region_hour_counts,
    values_at,
)
from geo.analysis.compare import Comparison, compare
from geo.analysis.join import DEFAULT_TOLERANCE_KM, assign_regions
from geo.analysis.matching import CATEGORY_GROUPS, match_events
from geo.analysis.placing import PLACE_METHODS, PlacedEvents, place_events
from geo.analysis.spread import (
    DIFFUSION_CLASSES,
    UNREST_TYPES,
    Origin,
    SpreadFit,
    adjacency,
    diffusion_classes,
    is_unrest,
    onsets,
    origin_of_event,
    spread_speed,
    spread_tree,
    units_affected_per_day,
    unrest_table,
    unrest_types,
)
from geo.errors import EventDataError, Problem, QantarError, RegionDataError, UnknownLayoutError
from geo.io.acled import ACLED_ATTRIBUTION
from geo.io.finish import ImportResult
from geo.io.importers import FORMATS, read_events
from geo.io.sniffing import detect_format
from geo.pipeline import (
    Dataset,
    ReadCounts,
    build_dataset,
    dataset_from_import,
    load_dataset,
    read_counts,
)
from geo.record.context import load_context
from geo.record.disputes import attach_disputes, load_disputes
from geo.record.events import load_bundled_events, load_events_csv
from geo.record.regions import (
    CRS,
    check_regions,
    layout_for_dates,
    load_basemap,
    load_regions,
    repair_regions,
)
from geo.record.tolls import load_official_tolls, national_tolls, regional_tolls_known_by
from geo.render.listings import onset_listing, region_table, regions_with_events
from geo.schema import CANONICAL_COLUMNS, EVENT_TYPES, ValidatedEvents, validate_events

__all__ = [
    "ACLED_ATTRIBUTION",
    "CANONICAL_COLUMNS",
    "CATEGORY_GROUPS",
    "CRS",
    "DEFAULT_TOLERANCE_KM",
    "DIFFUSION_CLASSES",
    "EVENT_TYPES",
    "FORMATS",
    "MODES",
    "PLACE_METHODS",
    "SELECTION_NAME",
    "UNREST_TYPES",
    "Comparison",
    "Dataset",
    "EventDataError",
    "ImportResult",
    "Origin",
    "PlacedEvents",
    "Problem",
    "QantarError",
    "ReadCounts",
    "RegionDataError",
    "SpreadFit",
    "UnknownLayoutError",
    "ValidatedEvents",
    "adjacency",
    "assign_regions",
    "attach_disputes",
    "build_dataset",
    "check_regions",
    "compare",
    "dataset_from_import",
    "deaths_per_day",
    "detect_format",
    "diffusion_classes",
    "events_per_day",
    "inline_data",
    "is_unrest",
    "layout_for_dates",
    "load_basemap",
    "load_bundled_events",
    "load_context",
    "load_dataset",
    "load_disputes",
    "load_events_csv",
    "load_official_tolls",
    "load_regions",
    "match_events",
    "national_toll_chart",
    "national_tolls",
    "onset_distance_chart",
    "onset_listing",
    "onsets",
    "origin_of_event",
    "place_events",
    "read_counts",
    "read_events",
    "region_day_counts",
    "region_day_type_counts",
    "region_hour_counts",
    "region_table",
    "regional_tolls_known_by",
    "regions_with_events",
    "repair_regions",
    "selected_date",
    "spread_speed",
    "spread_tree",
    "timeline_chart",
    "units_affected_chart",
    "units_affected_per_day",
    "unrest_table",
    "unrest_types",
    "validate_events",
    "values_at",
    "with_day_shown",
]

_CHARTS = (
    "SELECTION_NAME",
    "inline_data",
    "national_toll_chart",
    "onset_distance_chart",
    "selected_date",
    "timeline_chart",
    "units_affected_chart",
    "with_day_shown",
)


def __getattr__(name: str):
    """The chart functions, imported from geo.render.charts on first use (PEP 562)."""
    if name in _CHARTS:
        return getattr(import_module("geo.render.charts"), name)
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
