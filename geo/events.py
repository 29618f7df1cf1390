"""Loading event tables in the canonical form (see geo.schema)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import EventDataError
from geo.paths import BUNDLED_EVENTS
from geo.schema import ValidatedEvents, validate_events


def load_bundled_events() -> ValidatedEvents:
    """The bundled January 2022 record, held to the strict schema (ACLED types only)."""
    return load_events_csv(BUNDLED_EVENTS, strict_types=True)


def load_events_csv(path: str | Path, *, strict_types: bool = False) -> ValidatedEvents:
    """Read a canonical (ACLED-named) CSV and validate it; bad rows are reported, not fatal."""
    path = Path(path)
    return validate_events(read_text_csv(path), path.name, strict_types=strict_types)


def read_text_csv(path: Path) -> pd.DataFrame:
    """A bundled-style CSV with every cell as text (empty cells missing), or a located error."""
    try:
        return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise EventDataError.of_file(str(path), "file not found") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise EventDataError.of_file(path.name, f"not a readable CSV file: {exc}") from exc
