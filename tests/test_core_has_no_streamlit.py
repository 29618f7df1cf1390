"""The core never imports Streamlit: every module of `geo`, walked, not a chosen few."""

import pkgutil
import subprocess
import sys

import geo


def _modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(geo.__path__, prefix="geo.")]


def test_every_geo_module_imports_without_streamlit():
    modules = _modules()
    assert {"geo.pipeline", "geo.io.importers", "geo.render.webmap", "geo.cli.commands"} <= set(
        modules
    )
    code = (
        "import importlib, sys\n"
        f"for name in {[m for m in modules if m != 'geo.__main__']!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'streamlit' not in sys.modules, [m for m in sys.modules if 'streamlit' in m]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_core_api_imports_no_streamlit_or_folium():
    code = (
        "import sys, geo\n"
        "loaded = {'streamlit', 'folium', 'matplotlib'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
