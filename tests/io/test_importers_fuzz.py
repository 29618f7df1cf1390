"""Malformed input never crashes an importer: it loads with located problems or raises a
QantarError whose problems name the file (and, for row problems, a 1-based row)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.analysis.placing import place_events
from geo.errors import QantarError
from geo.io.finish import ImportResult
from geo.io.importers import FORMATS, read_events
from geo.record.regions import load_regions
from tests.paths import FIXTURES

NAME = "fuzzed.dat"
FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

cells = st.one_of(
    st.sampled_from(
        [
            "",
            "2022-01-05",
            "05.01.2022",
            "05 January 2022",
            "1/5/2022",
            "20220105",
            "43.65",
            "51,17",
            "-999",
            "NaN",
            "inf",
            "3",
            "-1",
            "2.5",
            "Актау",
            "Жаңаөзен",
            "KZ09",
            '"',
            "a,b",
            "x;y",
            "\t",
            "2022-01-05T23:30:00+05:00",
            "2022-13-45",
            "\\N",
        ]
    ),
    st.text(max_size=12),
)
headers = st.lists(
    st.sampled_from(
        [
            "date",
            "Дата",
            "lat",
            "lon",
            "latitude",
            "longitude",
            "place",
            "Город",
            "region",
            "Область",
            "type",
            "deaths",
            "url",
            "notes",
            "time",
            "admin1_code",
            "",
            "date",
        ]
    ),
    min_size=1,
    max_size=7,
)


def check(call) -> ImportResult | None:
    """Run an import; only QantarError may escape, and every problem must be located."""
    try:
        result = call()
    except QantarError as exc:
        problems = getattr(exc, "problems", ())
        assert problems, exc
        for problem in problems:
            assert problem.file
            assert problem.row is None or problem.row >= 1
        return None
    assert isinstance(result, ImportResult)
    for problem in result.problems:
        assert problem.file
        assert problem.row is None or problem.row >= 1
    assert result.events["source_row"].min() >= 1
    return result


@pytest.fixture(scope="module")
def regions():
    return load_regions("2022-01")


@FUZZ
@given(data=st.binary(max_size=400), format=st.sampled_from(("auto", *FORMATS)))
def test_random_bytes(data, format):
    check(lambda: read_events(data, format=format, name=NAME))


@FUZZ
@given(
    header=headers,
    rows=st.lists(st.lists(cells, max_size=8), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_malformed_delimited_rows(header, rows, delimiter, encoding, regions):
    text = "\n".join(delimiter.join(row) for row in [header, *rows]) + "\n"
    data = text.encode(encoding, errors="replace")
    result = check(lambda: read_events(data, name="fuzzed.csv"))
    if result is not None:
        placed = place_events(result.events, regions)
        assert len(placed.events) == len(result.events)
        assert (placed.unplaced["unplaced_reason"] != "").all()


@settings(max_examples=40, deadline=None, database=None)
@given(
    line=st.integers(min_value=0, max_value=4),
    cut=st.integers(min_value=0, max_value=70),
    junk=st.lists(cells, max_size=4),
)
def test_malformed_gdelt_rows(line, cut, junk):
    lines = (FIXTURES / "20220110153000.export.CSV").read_text(encoding="utf-8").splitlines()
    fields = lines[line].split("\t")
    lines[line] = "\t".join([*fields[:cut], *junk])
    data = ("\n".join(lines) + "\n").encode()
    check(lambda: read_events(data, format="gdelt", name="fuzzed.export.CSV"))


@settings(max_examples=40, deadline=None, database=None)
@given(
    line=st.integers(min_value=1, max_value=8),
    column=st.integers(min_value=0, max_value=30),
    value=cells,
)
def test_malformed_acled_cells(line, column, value):
    lines = (FIXTURES / "acled_old_schema.csv").read_text(encoding="utf-8").splitlines()
    line = min(line, len(lines) - 1)
    fields = lines[line].split(",")
    fields[min(column, len(fields) - 1)] = value
    lines[line] = ",".join(fields)
    data = ("\n".join(lines) + "\n").encode()
    check(lambda: read_events(data, format="acled", name="acled.csv"))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.text(max_size=10) | st.integers(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, database=None)
@given(
    features=st.lists(
        st.fixed_dictionaries(
            {
                "type": st.just("Feature"),
                "geometry": st.one_of(
                    st.none(),
                    json_values,
                    st.fixed_dictionaries(
                        {"type": st.just("Point"), "coordinates": st.lists(json_values, max_size=3)}
                    ),
                ),
                "properties": st.one_of(
                    json_values,
                    st.dictionaries(st.sampled_from(["date", "place", "type", "x"]), json_values),
                ),
            }
        ),
        max_size=5,
    )
)
def test_malformed_geojson(features):
    import json

    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    check(lambda: read_events(data, format="geojson", name="fuzzed.geojson"))
