"""Reading the bundled CSV tables: every cell as text; a located error for a file that is not
one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.errors import EventDataError


def read_text_csv(path: Path) -> pd.DataFrame:
    """A bundled-style CSV with every cell as text (empty cells missing), or a located error."""
    try:
        return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    except FileNotFoundError as exc:
        raise EventDataError.of_file(str(path), "file not found") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise EventDataError.of_file(path.name, f"not a readable CSV file: {exc}") from exc
