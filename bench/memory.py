"""Does memory plateau? 20 distinct uploads, then 50 readers, one after another, in one process.

The dashboard runs under Streamlit's AppTest, in one process, as a server would run it: the
caches (st.cache_data) are the process's and shared by every session; each reader is its own
session (an AppTest), dropped when it leaves. Each upload reader uploads a distinct generated CSV
of ROWS events (bench/upload_starvation.big_csv with its own seed), then moves the date; each
later reader opens the bundled story, moves the date and sets a filter. After every reader the
process's resident memory (VmRSS) is read, after a garbage collection. The figure (issue 13): the
RSS after the last reader within 15% of the RSS after the first upload. `--before COMMIT` runs
the same against the dashboard at COMMIT, in a child process of its own, in the same run.

Usage: python bench/memory.py [--before COMMIT] [--uploads 20] [--readers 50] [--rows 20000]
A benchmark, never a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
TIMEOUT = 300


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_rss_mb() -> float:
    """Resident memory of this process's children (the upload worker's forkserver)."""
    pids = []
    for task in Path("/proc/self/task").iterdir():
        pids += (task / "children").read_text().split()
    return sum(rss_mb(pid) for pid in pids if Path(f"/proc/{pid}").exists())


def run_readers(tree: Path, uploads: int, readers: int, rows: int) -> dict:
    """The readers, in this process, against tree/dashboard.py."""
    sys.path.insert(0, str(tree))
    sys.path.insert(0, str(BENCH))
    from streamlit.testing.v1 import AppTest
    from upload_starvation import big_csv

    app = str(tree / "dashboard.py")
    files = [big_csv(rows, seed=1000 + i) for i in range(uploads)]
    trace: list[dict] = []

    def after(kind: str, index: int, started: float) -> None:
        gc.collect()
        trace.append(
            {
                "reader": kind,
                "index": index,
                "rss_mb": round(rss_mb(), 1),
                "children_rss_mb": round(children_rss_mb(), 1),
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
        print(json.dumps(trace[-1]), flush=True)

    for index, data in enumerate(files):
        started = time.perf_counter()
        at = AppTest.from_file(app, default_timeout=TIMEOUT).run()
        at.sidebar.get("file_uploader")[0].set_value((f"upload_{index}.csv", data, "text/csv"))
        at.run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)
        at.select_slider(key="date").set_value(dt.date(2022, 1, 10)).run()
        del at
        after("upload", index, started)
    for index in range(readers):
        started = time.perf_counter()
        at = AppTest.from_file(app, default_timeout=TIMEOUT).run()
        at.select_slider(key="date").set_value(dt.date(2022, 1, 2 + index % 17)).run()
        at.multiselect(key="types").set_value([["Protests"], ["Riots"]][index % 2]).run()
        if at.exception:
            raise RuntimeError(at.exception[0].value)
        del at
        after("reader", index, started)
    first, last = trace[0]["rss_mb"], trace[-1]["rss_mb"]
    return {"trace": trace, "after_first_mb": first, "after_last_mb": last, "ratio": last / first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also measure the dashboard at this commit")
    parser.add_argument("--after", default="HEAD", help="the code measured as 'after'")
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=OUT / "memory.json")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)  # a child's own run
    args = parser.parse_args()
    if args.tree:
        print("RESULT " + json.dumps(run_readers(args.tree, args.uploads, args.readers, args.rows)))
        return
    sys.path.insert(0, str(BENCH))
    from load import app_tree, machine_notes

    OUT.mkdir(exist_ok=True)
    results = {"machine": machine_notes(), "uploads": args.uploads, "readers": args.readers}
    for label, commit in (("after", args.after), ("before", args.before)):
        if commit is None:
            continue
        with app_tree(commit) as tree:
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--tree",
                    str(tree),
                    "--uploads",
                    str(args.uploads),
                    "--readers",
                    str(args.readers),
                    "--rows",
                    str(args.rows),
                ],
                cwd=tree,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
                timeout=3600,
            )
        lines = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
        if not lines:
            raise RuntimeError(f"{label} failed:\n{child.stdout[-3000:]}\n{child.stderr[-3000:]}")
        results[label] = {"commit": commit, **json.loads(lines[0][len("RESULT ") :])}
        summary = {k: v for k, v in results[label].items() if k != "trace"}
        print(label, json.dumps(summary), flush=True)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
