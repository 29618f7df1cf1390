"""Markdown tables from bench/load.py's and bench/page_open.py's JSON (for BENCHMARKS.md).

Usage: python bench/load_report.py [bench/out/load.json] [bench/out/page_open.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def seconds(value) -> str:
    return "–" if value is None else (f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s")


def kilobytes(value) -> str:
    return "–" if value is None else f"{value / 1000:,.0f} KB"


def load_tables(report: dict) -> list[str]:
    machine = report["machine"]
    lines = [
        f"Machine: {machine['start']['cpus']} CPUs ({machine['start']['cpu_model']}), Python "
        f"{machine['start']['python']}, Streamlit {machine['start']['streamlit']}, websockets "
        f"{machine['start']['websockets']}. Load average (1, 5, 15 min) at the start "
        f"{', '.join(f'{x:.2f}' for x in machine['start']['load_average'])}, at the end "
        f"{', '.join(f'{x:.2f}' for x in machine['end']['load_average'])}.",
        "",
        "| target | scenario | errors | first view p50 / p95 | date change p50 / p95 | "
        "server CPU: first view p50 | server CPU: date change p50 | CPU per step (all) | "
        "bytes: first view / change | bytes per reader |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["results"]:
        lines.append(
            f"| {r['target']} | {r['scenario']} | {r['errors']} of {r['readers']} | "
            f"{seconds(r['first_view_p50_s'])} / {seconds(r['first_view_p95_s'])} | "
            f"{seconds(r['change_p50_s'])} / {seconds(r['change_p95_s'])} | "
            f"{seconds(r['first_view_cpu_p50_s'])} | {seconds(r['change_cpu_p50_s'])} | "
            f"{seconds(r['server_cpu_per_step_s'])} | "
            f"{kilobytes(r['first_view_bytes_p50'])} / {kilobytes(r['change_bytes_p50'])} | "
            f"{kilobytes(r['bytes_per_reader'])} |"
        )
    return lines


def page_tables(report: dict) -> list[str]:
    lines = [
        "| page | loads | page open → map drawn p50 (max) | bytes p50 (HTTP + WebSocket) | "
        "server CPU per page open p50 |",
        "|---|---|---|---|---|",
    ]
    for name, r in report.items():
        cpu = r.get("server_cpu_ms_p50")
        lines.append(
            f"| {name} | {r['loads']} | {r['map_ms_p50'] / 1000:.2f} s "
            f"({r['map_ms_max'] / 1000:.2f} s) | {kilobytes(r['bytes_p50'])} "
            f"({kilobytes(r['http_bytes_p50'])} + "
            f"{kilobytes(r['websocket_bytes_p50'])}) | "
            f"{'–' if cpu is None else seconds(cpu / 1000)} |"
        )
    return lines


def main() -> None:
    load = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT / "load.json"
    page = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT / "page_open.json"
    if load.exists():
        print("\n".join(load_tables(json.loads(load.read_text()))))
        print()
    if page.exists():
        print("\n".join(page_tables(json.loads(page.read_text()))))


if __name__ == "__main__":
    main()
