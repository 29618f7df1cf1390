import subprocess
import sys


def test_geo_imports_without_streamlit():
    code = "import sys, geo, geo.mapview, geo.player; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
