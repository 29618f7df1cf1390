"""Reading and placing one uploaded file in a separate process, capped in memory and time.

A large or hostile upload must not starve the other readers of a shared server, nor take it down:
its import runs in a child process (forked from a forkserver that has already imported geo, so a
child starts in milliseconds) whose address space is capped with RLIMIT_AS and which is killed at
the time limit. Only one upload is read at a time per server; the others wait their turn. The
child reports what it is doing, and the caller gets the Dataset, or a QantarError it can show.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from geo.errors import EventDataError, LimitError, QantarError
from geo.io.limits import ImportLimits, refuse
from geo.pipeline import Dataset, load_dataset

_log = logging.getLogger(__name__)
_ONE_AT_A_TIME = threading.Lock()
_POLL_SECONDS = 0.5
_CAP_MARGIN = 256 * 1024 * 1024
_context: multiprocessing.context.BaseContext | None = None


def read_upload(
    content: bytes,
    name: str,
    layout: str,
    limits: ImportLimits,
    on_progress: Callable[[str], None] = lambda _: None,
    date_order: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Dataset:
    """The upload as a Dataset placed in `layout` ("auto": the layout its dates call for).

    `date_order` is the person's reading of numeric dates (geo.io.dates.DAY_FIRST/MONTH_FIRST), or
    None to let the file decide. `mapping` (canonical field -> the file's column) corrects the
    guessed columns, field by field (geo.io.importers.read_events).

    `on_progress` is called in this thread with a short line on what is happening, about twice a
    second while the child works. Raises LimitError when the file is refused by `limits` or the
    child runs out of memory or time, EventDataError when it cannot be used.
    """
    limits.check_size(name, len(content))
    started = time.monotonic()
    while not _ONE_AT_A_TIME.acquire(timeout=_POLL_SECONDS):
        on_progress(f"Waiting for another upload to be read… {_since(started)}")
    try:
        return _run_child(content, name, layout, limits, on_progress, date_order, mapping)
    finally:
        _ONE_AT_A_TIME.release()


def _run_child(
    content, name, layout, limits, on_progress, date_order=None, mapping=None
) -> Dataset:
    context = _forkserver()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main,
        args=(sender, content, name, layout, limits, date_order, mapping),
        daemon=True,
    )
    child.start()
    sender.close()
    started, stage = time.monotonic(), f"Reading {name}…"
    try:
        while True:
            if time.monotonic() - started > limits.seconds:
                refuse(name, f"reading this file took longer than {limits.seconds:.0f} s")
            on_progress(f"{stage} {_since(started)}")
            if not receiver.poll(_POLL_SECONDS):
                continue
            try:
                kind, value = receiver.recv()
            except EOFError:  # the child died without a word: killed, or aborted in C
                child.join(5)
                _log.warning("import of %s: the process exited with %s", name, child.exitcode)
                refuse(
                    name,
                    f"the process reading this file stopped (exit code {child.exitcode}), most "
                    f"likely out of the {_gb(limits.memory_bytes)}",
                )
            if kind == "stage":
                stage = value
            elif kind == "dataset":
                return value
            else:
                _raise_from_child(kind, value)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _raise_from_child(kind: str, value) -> None:
    if kind == "data_error":  # EventDataError and LimitError are rebuilt from their problems
        error_type, problems = value
        raise error_type(problems)
    if kind == "error":
        raise value
    raise RuntimeError(f"the import process failed:\n{value}")


def _child_main(
    sender,
    content: bytes,
    name: str,
    layout: str,
    limits: ImportLimits,
    date_order=None,
    mapping=None,
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        dataset = _read_and_place(content, name, layout, limits, sender, date_order, mapping)
        sender.send(("dataset", dataset))
    except Exception as error:
        if not (isinstance(error, MemoryError) or _near_cap(limits.memory_bytes)):
            _send_error(sender, error)
            return
        refused = LimitError.of_file(
            name, f"reading this file needed more than the {_gb(limits.memory_bytes)}"
        )
        sender.send(("data_error", (LimitError, refused.problems)))
    finally:
        sender.close()


def _near_cap(cap: int) -> bool:
    """Whether this process's address space came within _CAP_MARGIN of `cap`: at the cap every
    library fails its own way (MemoryError, an Arrow or thread error, an import that cannot map
    its library), so the peak says what happened."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024 > cap - _CAP_MARGIN
    return False


def _send_error(sender, error: Exception) -> None:
    if isinstance(error, EventDataError):  # rebuilt from its problems (LimitError too)
        sender.send(("data_error", (type(error), error.problems)))
    elif isinstance(error, QantarError):
        sender.send(("error", error))
    else:  # a bug: its traceback goes to the server's log, not to the page
        sender.send(("crash", "".join(traceback.format_exception(error))))


def _read_and_place(
    content, name, layout, limits, sender, date_order=None, mapping=None
) -> Dataset:
    return load_dataset(
        content,
        layout,
        name=name,
        limits=limits,
        date_order=date_order,
        mapping=mapping,
        on_stage=lambda line: sender.send(("stage", line)),
    )


def _forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, started on first use with geo already imported in it."""
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        # pyogrio too: its GDAL library is mapped before any child's memory cap, not under it
        context.set_forkserver_preload(["geo.uploads", "pyogrio"])
        _context = context
    return _context


def _since(started: float) -> str:
    return f"({time.monotonic() - started:.0f} s)"


def _gb(size: int) -> str:
    return f"{size / 1e9:.1f} GB of memory one upload may use"
