from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo import EventDataError, validate_events
from tests.conftest import events_frame


def test_good_rows_load_and_bad_rows_are_located():
    raw = events_frame(
        [
            {
                "event_date": "2022-01-02",
                "latitude": "43.34",
                "longitude": "52.86",
                "fatalities": "",
            },
            {
                "event_date": "2022-13-40",
                "latitude": "43.6",
                "longitude": "51.2",
                "fatalities": "1",
            },
            {"event_date": "2022-01-05", "latitude": "95", "longitude": "51.2", "fatalities": "-2"},
            {"event_date": "05 January 2022", "latitude": "", "longitude": "", "fatalities": "3"},
        ]
    )
    result = validate_events(raw, "upload.csv")
    assert list(result.events["source_row"]) == [1, 4]
    assert result.events["event_date"].tolist() == [
        pd.Timestamp("2022-01-02"),
        pd.Timestamp("2022-01-05"),
    ]
    assert result.events["fatalities"].tolist()[1] == 3
    located = {(p.row, p.column): p for p in result.problems}
    assert set(located) == {(2, "event_date"), (3, "latitude"), (3, "fatalities")}
    assert located[(3, "latitude")].value == "95"
    assert "between -90 and 90" in str(located[(3, "latitude")])
    assert str(located[(2, "event_date")]).startswith("upload.csv, row 2, column 'event_date'")


def test_missing_date_column_is_an_error_naming_the_columns_found():
    with pytest.raises(EventDataError, match=r"column 'event_date'.*required.*latitude"):
        validate_events(events_frame([{"latitude": "1", "longitude": "2"}]), "x.csv")


def test_no_usable_row_is_an_error():
    with pytest.raises(EventDataError, match=r"x.csv, row 1, column 'event_date'"):
        validate_events(events_frame([{"event_date": "soon"}]), "x.csv")


def test_strict_types_reject_pairs_outside_acled():
    raw = events_frame(
        [
            {
                "event_date": "2022-01-02",
                "event_type": "Protests",
                "sub_event_type": "Peaceful protest",
            },
            {"event_date": "2022-01-02", "event_type": "Protests", "sub_event_type": "Armed clash"},
        ]
    )
    assert len(validate_events(raw, "x.csv").events) == 2
    strict = validate_events(raw, "x.csv", strict_types=True)
    assert list(strict.events["source_row"]) == [1]
    assert strict.problems[0].column == "event_type"


def test_problems_are_located_by_the_rows_and_columns_of_the_file():
    raw = events_frame(
        [
            {"event_date": "2022-01-02", "latitude": "43.34"},
            {"event_date": "2022-01-03", "latitude": "95"},
            {"event_date": "2022-01-04", "latitude": "43.6"},
        ]
    )
    result = validate_events(
        raw, "x.csv", source_rows=np.array([3, 7, 9]), column_names={"latitude": "Широта"}
    )
    assert list(result.events["source_row"]) == [3, 9]
    assert result.kept.tolist() == [True, False, True]
    assert [(p.row, p.column, p.value) for p in result.problems] == [(7, "Широта", "95")]
