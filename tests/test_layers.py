"""geo's imports point one way: every import, module-level or inside a function, goes to a layer
below the importer's (or to its own package), and no modules import each other in a circle.

The layers, lowest first: the shared vocabulary (errors, paths, the canonical event schema); the
bundled reference tables (geo.record); the formats people bring (geo.io); what is computed on
them (geo.analysis); the recipe that composes a dataset (geo.pipeline); what is drawn (geo.render)
and what is written (geo.export); the upload worker; the command line; the package's own API.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[1] / "geo"
LAYERS = (
    ("geo.errors", "geo.paths", "geo.checks"),
    ("geo.schema",),
    ("geo.record",),
    ("geo.io",),
    ("geo.analysis",),
    ("geo.pipeline",),
    ("geo.render",),
    ("geo.export",),
    ("geo.uploads",),
    ("geo.cli",),
    ("geo", "geo.__main__"),
)


def module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(GEO.rglob("*.py")):
        parts = path.relative_to(GEO.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The geo modules `name` imports anywhere in its file (a package's `__init__` included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                stem = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*stem, base] if base else stem)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def layer_of(name: str) -> int:
    for rank, members in enumerate(LAYERS):
        if name in members:
            return rank
    for rank, members in enumerate(LAYERS):
        if any(name.startswith(member + ".") for member in members if member != "geo"):
            return rank
    raise AssertionError(f"{name} is in no layer of tests/test_layers.py: add it")


def import_graph() -> dict[str, set[str]]:
    names = module_names()
    return {name: imports_of(name, path, set(names)) for name, path in names.items()}


def test_every_import_points_down_or_within_its_package():
    wrong = []
    for importer, imported in sorted(import_graph().items()):
        for target in sorted(imported):
            if target == "geo" and importer != "geo.__main__":
                wrong.append(f"{importer} imports the package geo (import the module itself)")
            elif layer_of(target) > layer_of(importer):
                wrong.append(f"{importer} -> {target}")
    assert wrong == []


def test_no_modules_import_each_other_in_a_circle():
    graph = {name: targets - {"geo"} for name, targets in import_graph().items()}
    cycles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            node, trail = stack.pop()
            for target in graph[node]:
                if target == start:
                    cycles.append(" -> ".join((*trail, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*trail, target)))
    assert cycles == []


@pytest.mark.parametrize("heavy", ["altair", "streamlit", "folium", "vl_convert", "matplotlib"])
def test_import_geo_loads_no_drawing_library(heavy):
    """`import geo` (what the CLI and a script pay) loads no chart, map or UI library: the charts
    are imported when a chart is drawn."""
    code = f"import sys, geo; sys.exit(1 if {heavy!r} in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=GEO.parent).returncode == 0


def test_the_layers_name_every_package():
    layered = {member for members in LAYERS for member in members}
    top = {".".join(name.split(".")[:2]) for name in module_names()}
    assert top - layered == set()
