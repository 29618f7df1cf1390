"""Upload limits (geo.io.limits) and the capped import process (geo.uploads), one test per row of
issue 13's table. Every file is generated here and kept small: a bomb is a few KB whose archive
headers claim a huge size, or a real file read under limits scaled down to it.
"""

from __future__ import annotations

import dataclasses
import io
import random
import struct
import tomllib
import zipfile
from pathlib import Path

import pytest

from geo.errors import EventDataError, LimitError
from geo.io import importers
from geo.io.gdelt import GDELT_COLUMNS
from geo.io.importers import read_events
from geo.io.limits import MB, UPLOAD_LIMITS, ImportLimits
from geo.uploads import read_upload
from tests.paths import FIXTURES, ROOT

GDELT2 = FIXTURES / "20220110153000.export.CSV"
XLSX = FIXTURES / "events.xlsx"
WAY_OUT = "filter it first or use the command line, which has no limit"
PARSER_WORDS = ("straddl", "pyarrow", "CSV parse error", "block", "Errno", "Traceback", "zipfile")


class ParserReached(BaseException):
    """Raised by a reader in `no_parsing`; a BaseException, so no importer handler catches it."""


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if any reader starts: the limits must refuse before the work."""

    def reached(*_):
        raise ParserReached

    monkeypatch.setattr(importers, "READERS", dict.fromkeys(importers.READERS, reached))


def claim_size(archive: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s uncompressed size in its local and central headers set to
    `size`: what a crafted bomb looks like to a reader that trusts the headers."""
    data = bytearray(archive)
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        info = zipped.getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local file header
    central = data.find(b"PK\x01\x02")
    while central >= 0:  # central directory entries: the name is at 46, its length at 28
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == member.encode():
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def gdelt_lines(count: int) -> bytes:
    lines = GDELT2.read_bytes().splitlines(keepends=True)
    return b"".join(lines[i % len(lines)] for i in range(count))


# --- GDELT zip, 2.6 MB -> 599 MB ----------------------------------------------------------------
def test_a_zip_whose_header_claims_599_mb_is_refused_before_unpacking(no_parsing):
    bomb = claim_size(
        zipped("20220110.export.CSV", gdelt_lines(3)), "20220110.export.CSV", 599 * MB
    )
    assert len(bomb) < 4096
    with pytest.raises(LimitError) as refused:
        read_events(bomb, name="20220110.export.CSV.zip", limits=UPLOAD_LIMITS)
    assert str(refused.value) == (
        f"20220110.export.CSV.zip: this file unpacks to 599 MB; the limit is 200 MB — {WAY_OUT}"
    )


def test_a_zip_whose_header_understates_its_size_is_not_unpacked_beyond_it(no_parsing):
    content = gdelt_lines(2000)  # about 1.2 MB of real GDELT rows, declared as 1 KB
    understated = claim_size(zipped("x.CSV", content), "x.CSV", 1000)
    with pytest.raises(EventDataError, match=r"x\.CSV\.zip: not a readable ZIP archive"):
        read_events(understated, name="x.CSV.zip", limits=ImportLimits(unpacked_bytes=MB))


def test_unpacking_stops_at_the_limit_whatever_the_header_says():
    class Archive:  # a member that streams more than its header declares
        def open(self, _member):
            return io.BytesIO(b"x" * (3 * MB))

    member = zipfile.ZipInfo("x.CSV")
    member.file_size = 1000
    with pytest.raises(LimitError, match=r"unpacks to more than 2\.0 MB; the limit is 2\.0 MB"):
        ImportLimits(unpacked_bytes=2 * MB).unzip_member("x.zip", Archive(), member)


def test_a_zip_within_the_limits_is_read():
    content = gdelt_lines(9)
    result = read_events(zipped("x.CSV", content), name="x.CSV.zip", limits=UPLOAD_LIMITS)
    unlimited = read_events(content, name="x.CSV")
    assert result.format == "gdelt"
    assert result.events["event_id_cnty"].tolist() == unlimited.events["event_id_cnty"].tolist()


# --- XLSX, 1.4 MB -> 400 MB of sheet XML (and issue 9's 5.8 MB -> 162 MB bomb) ------------------
def test_a_workbook_whose_sheet_claims_400_mb_is_refused_before_openpyxl(no_parsing):
    bomb = claim_size(XLSX.read_bytes(), "xl/worksheets/sheet1.xml", 400 * MB)
    with pytest.raises(LimitError) as refused:
        read_events(bomb, name="bomb.xlsx", limits=UPLOAD_LIMITS)
    assert str(refused.value).startswith(
        "bomb.xlsx: this workbook unpacks to 400 MB of XML; the limit is 100 MB — save it as CSV"
    )


def unpacked_size(path: Path) -> int:
    with zipfile.ZipFile(path) as workbook:
        return sum(member.file_size for member in workbook.infolist())


def test_a_real_workbook_over_a_scaled_down_limit_is_refused(no_parsing):
    with pytest.raises(LimitError, match="this workbook unpacks to"):
        read_events(XLSX, limits=ImportLimits(workbook_bytes=unpacked_size(XLSX) - 1))


def test_a_workbook_at_the_limit_is_read():
    limits = ImportLimits(workbook_bytes=unpacked_size(XLSX))
    assert len(read_events(XLSX, limits=limits).events) == len(read_events(XLSX).events) > 0


# --- CSV, 200 MB and 1.8 M rows -----------------------------------------------------------------
def test_a_file_over_the_size_limit_is_refused_from_its_size(no_parsing):
    with pytest.raises(
        LimitError, match=rf"this file is 1\.2 MB; the limit is 1\.0 MB — {WAY_OUT}"
    ):
        read_events(b"x" * 1_200_000, name="big.csv", limits=ImportLimits(file_bytes=MB))


def test_a_csv_with_more_lines_than_the_limit_is_refused_before_parsing(no_parsing):
    rows = UPLOAD_LIMITS.lines + 1
    data = b"event_date,location\n" + b"2022-01-05,Almaty\n" * rows  # 18 bytes a row: 18 MB
    with pytest.raises(LimitError) as refused:
        read_events(data, name="many.csv", limits=UPLOAD_LIMITS)
    assert str(refused.value) == (
        f"many.csv: this file has {rows:,} rows; the limit is {UPLOAD_LIMITS.lines:,} — {WAY_OUT}"
    )


def test_the_line_limit_counts_rows_not_the_header():
    data = b"event_date,location\n2022-01-05,Almaty\n2022-01-06,Aktau\n2022-01-07,Oral\n"
    assert len(read_events(data, name="three.csv", limits=ImportLimits(lines=3)).events) == 3
    with pytest.raises(LimitError, match="this file has 3 rows; the limit is 2"):
        read_events(data, name="three.csv", limits=ImportLimits(lines=2))


def test_the_row_limit_counts_rows_in_scope_not_rows_set_aside_as_abroad():
    """A GDELT 1.0 day in its exact shape is mostly about other countries: 200 rows, 20 Kazakh
    (the limit of 50 rows in scope reads it); with a limit of 10 it is refused, saying why."""
    names = GDELT_COLUMNS[58]
    lines = []
    for row in range(200):
        fields = dict.fromkeys(names, "")
        kazakh = row % 10 == 0
        fields.update(
            GLOBALEVENTID=str(10**9 + row),
            SQLDATE="20220105",
            EventCode="140",
            EventRootCode="14",
            ActionGeo_Type="4",
            ActionGeo_CountryCode="KZ" if kazakh else "US",
            ActionGeo_Lat="43.65" if kazakh else "38.9",
            ActionGeo_Long="51.16" if kazakh else "-77.0",
        )
        lines.append("\t".join(fields[n] for n in names))
    data = ("\n".join(lines) + "\n").encode()
    read = read_events(data, name="20220105.export.CSV", limits=ImportLimits(rows=50))
    assert (len(read.events), len(read.outside)) == (20, 180)
    with pytest.raises(LimitError) as refused:
        read_events(data, name="20220105.export.CSV", limits=ImportLimits(rows=10))
    assert "has 20 rows in Kazakhstan or of no stated country (and 180 set aside as outside " in (
        str(refused.value)
    )


# --- One 50 MB line, a file of NULs, garbage ----------------------------------------------------
@pytest.fixture(scope="module")
def one_long_line() -> bytes:
    return b"event_date,location\n2022-01-05," + b"A" * (49 * MB) + b"\n2022-01-06,Aktau\n"


def test_a_49_mb_line_is_refused_with_our_reason_before_parsing(one_long_line, no_parsing):
    with pytest.raises(LimitError) as refused:
        read_events(one_long_line, name="line.csv", limits=UPLOAD_LIMITS)
    assert str(refused.value) == (
        "line.csv: a line of this file is 49 MB long; the limit is 1.0 MB per line — is it a "
        f"CSV file with one event per line? — {WAY_OUT}"
    )


def test_a_file_of_nuls_is_not_text(no_parsing):
    with pytest.raises(EventDataError) as refused:
        read_events(b"\0" * 100_000, name="nuls.csv", limits=UPLOAD_LIMITS)
    assert str(refused.value) == (
        "nuls.csv: this is not a text file (it is full of NUL bytes); UTF-16 text is not read "
        "either: save it as UTF-8 CSV"
    )


def test_nul_bytes_inside_fields_still_load():
    data = b"event_date,location,notes\n2022-01-05,Almaty,a\0b\n2022-01-06,Aktau,c\n"
    assert len(read_events(data, name="nul.csv", limits=UPLOAD_LIMITS).events) == 2


def test_a_49_mb_line_gets_our_reason_without_limits(one_long_line):
    """The command line has no limits: the line reaches pyarrow, whose words go to the log."""
    with pytest.raises(EventDataError) as refused:
        read_events(one_long_line, name="line.csv")
    message = str(refused.value)
    assert message == (
        "line.csv: not readable as delimited text: its lines could not be split into the same "
        "columns"
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_garbage_gets_one_line_of_our_own(seed):
    garbage = random.Random(seed).randbytes(200_000)
    with pytest.raises(EventDataError) as refused:
        read_events(garbage, name="garbage.csv", limits=UPLOAD_LIMITS)
    message = str(refused.value)
    assert message.startswith("garbage.csv") and "\n" not in message
    assert not any(word.lower() in message.lower() for word in PARSER_WORDS)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.zip", b"PK\x03\x04" + b"\x00" * 200, "not a readable ZIP archive"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x01" * 200, "not a readable XLSX workbook"),
    ],
    ids=["zip", "xlsx"],
)
def test_damaged_archives_get_our_reason(name, data, reason):
    with pytest.raises(EventDataError) as refused:
        read_events(data, name=name, limits=UPLOAD_LIMITS)
    assert reason in str(refused.value)
    assert not any(word.lower() in str(refused.value).lower() for word in PARSER_WORDS)


# --- The capped import process ------------------------------------------------------------------
def test_an_upload_is_read_and_placed_in_the_child_process():
    stages: list[str] = []
    dataset = read_upload(GDELT2.read_bytes(), "mine.CSV", "2022-01", UPLOAD_LIMITS, stages.append)
    direct = read_events(GDELT2, name="mine.CSV")
    assert dataset.name == "mine.CSV"
    assert len(dataset.events) == len(direct.events)
    assert all(problem.file == "mine.CSV" for problem in dataset.problems)
    assert stages and stages[0].startswith("Reading mine.CSV…")


def test_a_refusal_in_the_child_comes_back_as_the_same_error():
    with pytest.raises(LimitError, match=r"this file has 3 rows in Kazakhstan .*; the limit is 2"):
        data = b"event_date,location\n" + b"2022-01-05,Almaty\n" * 3
        read_upload(data, "three.csv", "2022-01", ImportLimits(rows=2))


def test_an_upload_over_its_time_is_stopped():
    with pytest.raises(LimitError, match=r"reading this file took longer than 0 s"):
        read_upload(GDELT2.read_bytes(), "slow.CSV", "2022-01", ImportLimits(seconds=0.0))


def test_an_upload_over_its_memory_is_stopped():
    data = b"event_date,location,notes\n" + b"2022-01-05,Almaty," + b"n" * 10 * MB + b"\n"
    limits = ImportLimits(memory_bytes=600 * MB, line_bytes=20 * MB)
    with pytest.raises(LimitError, match=r"out of the 0\.6 GB|more than the 0\.6 GB"):
        read_upload(data, "heavy.csv", "2022-01", limits)


def test_the_server_refuses_uploads_over_the_importers_file_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    allowed = config["server"]["maxUploadSize"] * 2**20  # Streamlit counts MiB
    assert UPLOAD_LIMITS.file_bytes <= allowed < UPLOAD_LIMITS.file_bytes * 1.1
    assert config["client"]["showErrorDetails"] == "none"


def test_limits_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        UPLOAD_LIMITS.rows = 10**9
