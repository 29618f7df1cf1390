"""Load benchmark: readers of a shared link, spoken to in Streamlit's own WebSocket protocol.

Each simulated reader does what a browser tab does on the wire, without drawing anything: it
opens `/_stcore/stream` (through nginx it first GETs the page, as a browser would, and keeps the
routing cookie), sends a `BackMsg.rerun_script` with the URL's query string, and reads
`ForwardMsg`s until the run's `script_finished` (the first view). A date change is another
`rerun_script` carrying the date slider's new widget state: the slider is found in the deltas
(a select slider labelled "Date"; its id, its formatted options and the fragment it lives in),
and the new value is the option's formatted label, as Streamlit's frontend sends it. Cacheable
messages the reader has received are listed in `cached_message_hashes`, as the frontend does,
so the server sends references instead of repeating them. Messages are sent uncompressed
(no permessage-deflate), so "bytes" are the protobuf payloads: an upper bound of what a browser
receives.

Server CPU is read from the kernel's per-process CPU clock of every server process this script
started (`clock_gettime` on the process clock: nanoseconds, threads that have exited included).
With one reader, the CPU of a step is the clock's advance during it; with many, the scenario's
total is divided by its steps.

The same run measures a trivial Streamlit app (bench/trivial_app.py, same date control) as the
yardstick, the dashboard in one process, and, with nginx installed, the dashboard on two
replicas behind nginx (scripts/replicas.sh). The yardstick is also measured step for step beside
the dashboard ("in turn": a date change on one, then on the other, `PAIRED_ROUNDS` times), since
this shared VM's speed drifts by tens of per cent within minutes and the two one-reader runs
are minutes apart. `--before COMMIT` also measures the dashboard as it
was at COMMIT (exported with `git archive` to a temporary folder), so before and after come from
the same run. Everything binds to 127.0.0.1, every wait has a timeout, every scenario has a
deadline, and the script stops every process it started, by PID.

Usage: python bench/load.py [--quick] [--before COMMIT] [--out bench/out/load.json]
A benchmark, never a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
REPLICAS_SCRIPT = ROOT / "scripts" / "replicas.sh"
DATE_LABEL = "Date"
STEP_TIMEOUT = 30.0
"""A first view or a date change that takes longer than this counts as an error."""
THINK_SECONDS = (0.5, 1.5)
"""A reader looks at the page for this long (uniform) between date changes."""
PAIRED_ROUNDS = 200
"""Date changes on each app in the in-turn comparison (about 20 s)."""
SERVER_FLAGS = [
    "--server.headless",
    "true",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
]


# ---- the protocol client ----------------------------------------------------------------------
class StepError(Exception):
    """A step that timed out, or whose run raised an exception in the script."""


@dataclass
class Reader:
    """One browser tab on the wire."""

    ws_url: str
    page_url: str
    cookie: str | None = None
    received_bytes: int = 0
    widget_states: dict[str, BackMsg] = field(default_factory=dict)
    cached_hashes: set[str] = field(default_factory=set)
    page_hash: str = ""
    session_id: str = ""
    slider_id: str | None = None
    slider_options: list[str] = field(default_factory=list)
    slider_fragment: str = ""
    _ws: object = None

    async def open(self, query: str = "") -> None:
        """Connect and run the page: the first view."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self._ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],
            compression=None,
            max_size=None,
            additional_headers=headers,
            open_timeout=STEP_TIMEOUT,
        )
        await self._rerun(query=query, fragment="")

    async def change_date(self, index: int) -> None:
        """Move the date slider to option `index`, as the frontend does."""
        if self.slider_id is None:
            raise StepError("no date slider in the page")
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.slider_id)
        state.string_array_value.data.append(self.slider_options[index])
        self.widget_states[self.slider_id] = state
        await self._rerun(query="", fragment=self.slider_fragment)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def _rerun(self, *, query: str, fragment: str) -> None:
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = query
        rerun.page_script_hash = self.page_hash
        rerun.fragment_id = fragment
        rerun.widget_states.widgets.extend(self.widget_states.values())
        rerun.cached_message_hashes.extend(sorted(self.cached_hashes))
        rerun.context_info.timezone = "UTC"
        rerun.context_info.locale = "en-GB"
        rerun.context_info.url = self.page_url
        await self._ws.send(message.SerializeToString())
        await asyncio.wait_for(self._until_finished(), STEP_TIMEOUT)

    async def _until_finished(self) -> None:
        started = False
        while True:
            raw = await self._ws.recv()
            self.received_bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached_hashes.add(msg.hash)
            if kind == "new_session":
                started = True
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "delta":
                self._read_delta(msg)
            elif kind == "script_finished" and started:
                return

    def _read_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise StepError(
                f"the script raised {element.exception.type}: {element.exception.message}"
            )
        if kind == "slider" and element.slider.label == DATE_LABEL:
            self.slider_id = element.slider.id
            self.slider_options = list(element.slider.options)
            self.slider_fragment = delta.fragment_id


# ---- servers ----------------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    base_url: str
    pids: list[int]
    via_proxy: bool = False
    replica_ports: tuple[int, ...] = ()

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/_stcore/stream"

    def cpu_seconds(self) -> float:
        return sum(process_cpu_seconds(pid) for pid in self.pids)

    def new_reader(self) -> Reader:
        cookie = None
        if self.via_proxy:  # the page GET gives the routing cookie, as in a browser
            with urllib.request.urlopen(self.base_url + "/", timeout=STEP_TIMEOUT) as response:
                response.read()
                cookies = response.headers.get_all("Set-Cookie") or []
            cookie = "; ".join(c.split(";", 1)[0] for c in cookies) or None
        return Reader(ws_url=self.ws_url, page_url=self.base_url + "/", cookie=cookie)


def process_cpu_seconds(pid: int) -> float:
    """CPU time of process `pid`, all its threads (including exited ones), in seconds."""
    return time.clock_gettime((~pid << 3) | 2)  # the kernel's CPUCLOCK_SCHED process clock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(base_url: str, deadline_seconds: float = 90) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} did not become healthy")


@contextmanager
def streamlit_server(
    name: str, script: Path, log_dir: Path, tree: Path = ROOT, env: dict | None = None
) -> Iterator[Target]:
    """`streamlit run script` from `tree`, so every app reads that tree's .streamlit/config.toml
    (the yardstick runs under the same configuration as the dashboard)."""
    port = free_port()
    log = (log_dir / f"{name}.log").open("w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(script.resolve())),
            *("--server.port", str(port), "--server.address", "127.0.0.1", *SERVER_FLAGS),
        ],
        cwd=tree,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_health(base_url)
        yield Target(name=name, base_url=base_url, pids=[process.pid])
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def replicas(count: int, tree: Path, log_dir: Path) -> Iterator[Target]:
    """`count` dashboard processes behind nginx, started (and stopped) by scripts/replicas.sh."""
    run_dir = log_dir / f"replicas-{count}"
    port = free_port()
    env = {
        **os.environ,
        "QANTAR_RUN_DIR": str(run_dir),
        "QANTAR_APP_DIR": str(tree),
        "PYTHON": sys.executable,
    }
    subprocess.run(
        [str(REPLICAS_SCRIPT), "start", str(count), str(port)], env=env, check=True, timeout=120
    )
    try:
        pids = [int(p) for p in (run_dir / "app.pids").read_text().split()]
        ports = tuple(
            int(line.split("127.0.0.1:")[1].split()[0])
            for line in (run_dir / "nginx.conf").read_text().splitlines()
            if line.strip().startswith("server 127.0.0.1:")
        )
        yield Target(
            name=f"dashboard, {count} replicas behind nginx",
            base_url=f"http://127.0.0.1:{port}",
            pids=pids,
            via_proxy=True,
            replica_ports=ports,
        )
    finally:
        subprocess.run([str(REPLICAS_SCRIPT), "stop"], env=env, check=False, timeout=60)


@contextmanager
def app_tree(commit: str | None) -> Iterator[Path]:
    """The working tree, or the tree at `commit` exported to a temporary folder (for before
    figures, or to measure committed code while the working tree has others' edits)."""
    if commit is None:
        yield ROOT
        return
    with tempfile.TemporaryDirectory(prefix="qantar-at-") as folder:
        archive = subprocess.run(
            ["git", "archive", commit], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


# ---- scenarios --------------------------------------------------------------------------------
@dataclass
class Result:
    target: str
    scenario: str
    readers: int
    errors: int = 0
    first_view_s: list[float] = field(default_factory=list)
    change_s: list[float] = field(default_factory=list)
    first_view_cpu_s: list[float] = field(default_factory=list)
    change_cpu_s: list[float] = field(default_factory=list)
    first_view_bytes: list[int] = field(default_factory=list)
    change_bytes: list[int] = field(default_factory=list)
    server_cpu_s: float = 0.0
    wall_s: float = 0.0
    error_notes: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        def pct(values: list[float], q: float) -> float | None:
            if not values:
                return None
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

        steps = len(self.first_view_s) + len(self.change_s)
        return {
            "target": self.target,
            "scenario": self.scenario,
            "readers": self.readers,
            "errors": self.errors,
            "first_view_p50_s": pct(self.first_view_s, 0.5),
            "first_view_p95_s": pct(self.first_view_s, 0.95),
            "change_p50_s": pct(self.change_s, 0.5),
            "change_p95_s": pct(self.change_s, 0.95),
            "first_view_cpu_p50_s": pct(self.first_view_cpu_s, 0.5),
            "change_cpu_p50_s": pct(self.change_cpu_s, 0.5),
            "change_cpu_mean_s": statistics.fmean(self.change_cpu_s) if self.change_cpu_s else None,
            "first_view_bytes_p50": pct(self.first_view_bytes, 0.5),
            "change_bytes_p50": pct(self.change_bytes, 0.5),
            "bytes_per_reader": (
                (sum(self.first_view_bytes) + sum(self.change_bytes)) / self.readers
                if self.readers
                else None
            ),
            "server_cpu_per_step_s": self.server_cpu_s / steps if steps else None,
            "server_cpu_s": self.server_cpu_s,
            "wall_s": self.wall_s,
            "steps_done": steps,
            "error_notes": self.error_notes[:5],
        }


async def warm_up(target: Target) -> None:
    """A warm server: an earlier reader has opened the page and visited every day, so what is
    cached per dataset or per day is cached."""
    reader = target.new_reader()
    await reader.open()
    for index in range(len(reader.slider_options)):
        await reader.change_date(index)
    await reader.close()


async def timed_change(target: Target, reader: Reader, result: Result, step: int) -> None:
    """One reader's date change to day `step` (cycling), with its time, CPU and bytes."""
    before = reader.received_bytes
    cpu, clock = target.cpu_seconds(), time.perf_counter()
    await reader.change_date(step % len(reader.slider_options))
    result.change_s.append(time.perf_counter() - clock)
    result.change_cpu_s.append(target.cpu_seconds() - cpu)
    result.change_bytes.append(reader.received_bytes - before)


async def solo(target: Target, sessions: int, changes: int) -> Result:
    """One reader at a time: first views (after a warm-up one), then date changes, each timed
    and with the server CPU it cost."""
    result = Result(target.name, "one reader", 1)
    await warm_up(target)
    started = time.monotonic()
    cpu_start = target.cpu_seconds()
    reader = None
    for _ in range(sessions):
        reader = target.new_reader()
        cpu, clock = target.cpu_seconds(), time.perf_counter()
        await reader.open()
        result.first_view_s.append(time.perf_counter() - clock)
        result.first_view_cpu_s.append(target.cpu_seconds() - cpu)
        result.first_view_bytes.append(reader.received_bytes)
        if _ < sessions - 1:
            await reader.close()
    for step in range(changes):
        await timed_change(target, reader, result, step)
    await reader.close()
    result.server_cpu_s = target.cpu_seconds() - cpu_start
    result.wall_s = time.monotonic() - started
    return result


async def in_turn(targets: list[Target], rounds: int) -> list[Result]:
    """One warm reader per target, changing the date on each target in turn, `rounds` times:
    the targets are measured under the same machine conditions, moment for moment."""
    results, readers = [], []
    for target in targets:
        await warm_up(target)
        reader = target.new_reader()
        await reader.open()
        readers.append(reader)
        results.append(Result(target.name, f"one reader, in turn ({rounds} date changes each)", 1))
    started = time.monotonic()
    cpu_start = [target.cpu_seconds() for target in targets]
    for step in range(rounds):
        for target, reader, result in zip(targets, readers, results, strict=True):
            await timed_change(target, reader, result, step)
    for target, reader, result, cpu in zip(targets, readers, results, cpu_start, strict=True):
        await reader.close()
        result.server_cpu_s = target.cpu_seconds() - cpu
        result.wall_s = time.monotonic() - started
    return results


async def crowd(
    target: Target, readers: int, arrivals_per_s: float | None, changes: int, deadline_s: float
) -> Result:
    """`readers` readers, all at once or arriving at a rate; each opens the page, then changes
    the date `changes` times with a pause between. Timeouts and script errors are counted."""
    label = (
        f"{readers} readers, {changes} date changes each"
        if arrivals_per_s is None
        else f"spike: {readers} readers at {arrivals_per_s:g}/s"
    )
    result = Result(target.name, label, readers)
    rng = random.Random(readers)
    cpu_start, started = target.cpu_seconds(), time.monotonic()

    async def one(index: int) -> None:
        if arrivals_per_s:
            await asyncio.sleep(index / arrivals_per_s)
        reader = None
        try:
            reader = await asyncio.to_thread(target.new_reader)
            clock = time.perf_counter()
            await reader.open()
            result.first_view_s.append(time.perf_counter() - clock)
            result.first_view_bytes.append(reader.received_bytes)
            for _ in range(changes):
                await asyncio.sleep(rng.uniform(*THINK_SECONDS))
                before, clock = reader.received_bytes, time.perf_counter()
                await reader.change_date(rng.randrange(len(reader.slider_options)))
                result.change_s.append(time.perf_counter() - clock)
                result.change_bytes.append(reader.received_bytes - before)
        except Exception as error:  # a timeout, a script error, a refused connection: counted
            result.errors += 1
            result.error_notes.append(f"reader {index}: {type(error).__name__}: {error}")
        finally:
            if reader is not None:
                with contextlib.suppress(Exception):  # closing a broken socket
                    await asyncio.wait_for(reader.close(), 5)

    tasks = [asyncio.create_task(one(i)) for i in range(readers)]
    _, pending = await asyncio.wait(tasks, timeout=deadline_s)
    for task in pending:
        task.cancel()
        result.errors += 1
        result.error_notes.append("a reader was still running at the scenario's deadline")
    await asyncio.gather(*pending, return_exceptions=True)
    result.server_cpu_s = target.cpu_seconds() - cpu_start
    result.wall_s = time.monotonic() - started
    return result


# ---- the run ----------------------------------------------------------------------------------
def machine_notes() -> dict:
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "streamlit": metadata.version("streamlit"),
        "websockets": metadata.version("websockets"),
        "load_average": os.getloadavg(),
    }


async def run_target(target: Target, plan: dict, results: list[Result]) -> None:
    print(f"== {target.name}", flush=True)
    if plan.get("solo"):
        sessions, changes = plan["solo"]
        results.append(await solo(target, sessions, changes))
        print(json.dumps(results[-1].summary()), flush=True)
    for readers, rate, changes in plan.get("crowds", []):
        results.append(await crowd(target, readers, rate, changes, plan["deadline"]))
        print(json.dumps(results[-1].summary()), flush=True)
        await asyncio.sleep(3)  # let the last sessions close before the next scenario


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer readers, for a smoke run")
    parser.add_argument(
        "--before", metavar="COMMIT", help="also measure dashboard.py as it was at COMMIT"
    )
    parser.add_argument(
        "--at",
        metavar="COMMIT",
        help="measure the dashboard as committed at COMMIT instead of the working tree",
    )
    parser.add_argument("--no-replicas", action="store_true", help="skip the nginx scenarios")
    parser.add_argument("--out", type=Path, default=OUT / "load.json")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    log_dir = Path(tempfile.mkdtemp(prefix="qantar-load-"))
    solo_plan = (4, 5) if args.quick else (6, 20)
    sizes = (1, 10) if args.quick else (1, 10, 25, 50)
    crowds = [(n, None, 5) for n in sizes]
    spike = [(30 if args.quick else 100, 10.0, 2)]
    notes = {"start": machine_notes()}
    results: list[Result] = []

    async def everything() -> None:
        with streamlit_server("trivial app", BENCH / "trivial_app.py", log_dir) as trivial:
            plan = {"solo": solo_plan, "crowds": crowds[-1:], "deadline": 90}
            await run_target(trivial, plan, results)
            await the_dashboards(trivial)

    async def the_dashboards(trivial: Target) -> None:
        """Everything else, with the yardstick still up (idle) for the in-turn comparison."""
        defaults = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "true"}  # Streamlit's own default
        name = "trivial app, Streamlit's default postScriptGC"
        with streamlit_server(name, BENCH / "trivial_app.py", log_dir, env=defaults) as gc_on:
            await run_target(gc_on, {"solo": solo_plan, "deadline": 90}, results)
        if args.before:
            with app_tree(args.before) as tree:
                name = f"dashboard before ({args.before}), one process"
                with streamlit_server(name, tree / "dashboard.py", log_dir, tree) as old:
                    plan = {"solo": solo_plan, "crowds": crowds[:3] + spike, "deadline": 90}
                    await run_target(old, plan, results)
        with app_tree(args.at) as tree:
            label = f" ({args.at})" if args.at else ""
            name = f"dashboard{label}, one process"
            with streamlit_server(name, tree / "dashboard.py", log_dir, tree) as one:
                plan = {"solo": solo_plan, "crowds": crowds + spike, "deadline": 120}
                await run_target(one, plan, results)
                rounds = 20 if args.quick else PAIRED_ROUNDS
                for result in await in_turn([one, trivial], rounds):
                    results.append(result)
                    print(json.dumps(result.summary()), flush=True)
            if not args.no_replicas and shutil.which("nginx"):
                with replicas(2, tree, log_dir) as two:
                    for port in two.replica_ports:  # each replica warm, as in solo()
                        await warm_up(Target("replica", f"http://127.0.0.1:{port}", []))
                    await run_target(two, {"crowds": crowds[-1:] + spike, "deadline": 120}, results)

    asyncio.run(everything())
    notes["end"] = machine_notes()
    notes["logs"] = str(log_dir)
    args.out.write_text(
        json.dumps({"machine": notes, "results": [r.summary() for r in results]}, indent=1)
    )
    print(f"written {args.out}; server logs in {log_dir}")


if __name__ == "__main__":
    main()
