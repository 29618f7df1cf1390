"""Does a large upload starve the other readers? A second reader's date changes, idle and while
another reader's large upload is being read, on one `streamlit run dashboard.py` on 127.0.0.1.

Reader B opens the page and changes the date IDLE_CHANGES times (the idle yardstick). Then, for
each upload, a new reader A uploads it through Streamlit's own upload route and widget state, as
the browser does, and while A's run is in progress B keeps changing the date, each change timed.
The uploads: a generated CSV at the row limit (ROWS rows, 20 MB, points spread over
Kazakhstan's bounding box) and, with --bombs, the issue's bombs made honestly (a GDELT file of
599 MB zipped to a few MB; a workbook whose sheet is 400 MB of XML). The figure (issue 13): B's
median change during an upload within 2x of B's idle median. `--before COMMIT` runs the same
against the dashboard at COMMIT, in the same run, so both face the same machine load (never with
the bombs: the old code spends minutes and gigabytes on them, on a shared machine). The protocol
client is bench/load.py's; XSRF is off on these servers only because this client does not fetch
the page's XSRF cookie.

Usage: python bench/upload_starvation.py [--before COMMIT] [--rows 99000] [--bombs]
A benchmark, never a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import statistics
import sys
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (
    OUT,
    ROOT,
    Reader,
    app_tree,
    machine_notes,
    streamlit_server,
)
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

IDLE_CHANGES = 12
THINK_SECONDS = 0.3
UPLOAD_TIMEOUT = 600.0
SEED = 13


class UploadingReader(Reader):
    """A reader that also knows the file uploader's widget id and the alerts shown."""

    uploader_id: str | None = None
    alerts: list[str] | None = None

    def _read_delta(self, msg: ForwardMsg) -> None:
        super()._read_delta(msg)
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        if element.WhichOneof("type") == "file_uploader":
            self.uploader_id = element.file_uploader.id
        if element.WhichOneof("type") == "alert":
            self.alerts = [*(self.alerts or []), element.alert.body]

    async def upload(self, base_url: str, name: str, data: bytes) -> float:
        """PUT the file to the upload route, then rerun with it in the uploader's state, as the
        frontend does; returns the seconds until that run finished."""
        file_id = uuid.uuid4().hex
        url = f"{base_url}/_stcore/upload_file/{self.session_id}/{file_id}"
        boundary = uuid.uuid4().hex
        body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            url,
            data=body,
            method="PUT",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        await asyncio.to_thread(lambda: urllib.request.urlopen(request, timeout=120).read())
        state = WidgetState(id=self.uploader_id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = file_id, name, len(data)
        self.widget_states[self.uploader_id] = state
        message = BackMsg()
        rerun = message.rerun_script
        rerun.page_script_hash = self.page_hash
        rerun.widget_states.widgets.extend(self.widget_states.values())
        rerun.context_info.url = self.page_url
        clock = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        await asyncio.wait_for(self._until_finished(), UPLOAD_TIMEOUT)
        return time.perf_counter() - clock


def big_csv(rows: int, seed: int = SEED) -> bytes:
    """`rows` generated events, about 200 bytes a row; the same seed gives the same bytes."""
    rng = np.random.default_rng(seed)
    days = rng.integers(1, 20, rows)
    lat = rng.uniform(41.0, 55.0, rows)
    lon = rng.uniform(47.0, 87.0, rows)
    deaths = rng.integers(0, 3, rows)
    lines = [
        "event_date,event_type,sub_event_type,actor1,location,latitude,longitude,fatalities,notes"
    ]
    lines += [
        f"2022-01-{d:02d},Protests,Peaceful protest,Protesters (Kazakhstan),Place {i % 977},"
        f"{a:.4f},{o:.4f},{f},generated event {i} for the starvation benchmark " + "x" * 60
        for i, (d, a, o, f) in enumerate(zip(days, lat, lon, deaths, strict=True))
    ]
    return ("\n".join(lines) + "\n").encode()


async def measure(base_url: str, uploads: list[tuple[str, bytes]]) -> dict:
    """B's idle date changes, then for each upload (by a new reader A) B's changes during it."""
    b = UploadingReader(
        ws_url=base_url.replace("http://", "ws://") + "/_stcore/stream", page_url=base_url + "/"
    )
    await b.open()
    await b.change_date(0)  # warm: the first change of a session pays for its caches
    idle = []
    for step in range(IDLE_CHANGES):
        clock = time.perf_counter()
        await b.change_date((step + 1) % len(b.slider_options))
        idle.append(time.perf_counter() - clock)
        await asyncio.sleep(THINK_SECONDS)
    result = {"idle_p50_s": statistics.median(idle), "idle_max_s": max(idle), "uploads": {}}
    for name, data in uploads:
        a = UploadingReader(ws_url=b.ws_url, page_url=b.page_url)
        await a.open()
        upload = asyncio.create_task(a.upload(base_url, name, data))
        during, step = [], 0
        while not upload.done():
            clock = time.perf_counter()
            await b.change_date(step % len(b.slider_options))
            during.append(time.perf_counter() - clock)
            step += 1
            await asyncio.sleep(THINK_SECONDS)
        result["uploads"][name] = {
            "bytes": len(data),
            "upload_run_s": upload.result(),
            "upload_alerts": a.alerts,
            "changes_during": len(during),
            "during_p50_s": statistics.median(during) if during else None,
            "during_max_s": max(during) if during else None,
            "ratio": statistics.median(during) / result["idle_p50_s"] if during else None,
        }
        await a.close()
    await b.close()
    return result


def zip_bomb(unpacked: int) -> bytes:
    """A GDELT event file of `unpacked` bytes (one real row repeated), zipped: a few MB."""
    row = (ROOT / "tests" / "fixtures" / "20220110153000.export.CSV").read_bytes().splitlines()[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("20220110.export.CSV", (row + b"\n") * (unpacked // (len(row) + 1)))
    return buffer.getvalue()


def xlsx_bomb(sheet_bytes: int) -> bytes:
    """The test workbook with its sheet replaced by `sheet_bytes` of plain rows of XML."""
    source = ROOT / "tests" / "fixtures" / "events.xlsx"
    row = b'<row><c t="inlineStr"><is><t>2022-01-05</t></is></c></row>'
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * (sheet_bytes // len(row))
        + b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for member in original.infolist():
            data = sheet if member.filename == "xl/worksheets/sheet1.xml" else original.read(member)
            out.writestr(member.filename, data)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also measure the dashboard at this commit")
    parser.add_argument("--after", default="HEAD", help="the code measured as 'after'")
    parser.add_argument("--rows", type=int, default=99_000)
    parser.add_argument(
        "--bombs", action="store_true", help="also a 599 MB zip bomb and a 400 MB XLSX bomb"
    )
    parser.add_argument("--out", type=Path, default=OUT / "upload_starvation.json")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    uploads = [("big_upload.csv", big_csv(args.rows))]
    if args.bombs:
        uploads += [
            ("gdelt_bomb.zip", zip_bomb(599 * 10**6)),
            ("bomb.xlsx", xlsx_bomb(400 * 10**6)),
        ]
    for name, data in uploads:
        print(f"upload {name}: {len(data) / 1e6:.1f} MB", flush=True)
    os.environ["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] = "false"
    results = {"machine": machine_notes(), "rows": args.rows, "bytes": len(data)}
    for label, commit in (("after", args.after), ("before", args.before)):
        if label == "before" and commit is None:
            continue
        if label == "before":
            uploads = uploads[:1]
        with (
            app_tree(commit) as tree,
            streamlit_server(label, tree / "dashboard.py", OUT, tree) as target,
        ):
            results[label] = asyncio.run(measure(target.base_url, uploads))
            results[label]["commit"] = commit
        print(label, json.dumps(results[label]), flush=True)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
