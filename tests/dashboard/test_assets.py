"""The vendored plotly.js bundle: the recorded version, its licence, and that the wheel ships it."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hypersweep.dashboard.assets import PLOTLY, PLOTLY_VERSION, plotly_js, static_file
from hypersweep.dashboard.report import render
from hypersweep.storage import open_storage

VENDOR = plotly_js().parent
ROOT = Path(__file__).resolve().parents[2]


def test_the_bundle_is_the_recorded_version_with_its_licence():
    head = plotly_js().read_text(encoding="utf-8")[:300]
    assert re.search(rf"plotly\.js \(hypersweep: scatter, bar, histogram2dcontour - minified\) v{re.escape(PLOTLY_VERSION)}\n", head)
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert f"plotly.js {PLOTLY_VERSION}" in readme
    assert hashlib.sha256(plotly_js().read_bytes()).hexdigest() in readme
    assert "MIT License" in (VENDOR / "plotly.js-LICENSE").read_text(encoding="utf-8")
    assert static_file(PLOTLY) == plotly_js() and static_file("plotly.min.js") is None


def test_the_build_recipe_pins_the_bundled_version():
    recipe = json.loads((ROOT / "tools" / "plotly-bundle" / "package.json").read_text(encoding="utf-8"))
    assert recipe["devDependencies"]["plotly.js"] == PLOTLY_VERSION
    lock = json.loads((ROOT / "tools" / "plotly-bundle" / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/plotly.js"]["version"] == PLOTLY_VERSION
    # built for ES2020: object spreads stay native (ES2016 would route each through helper functions)
    assert "getOwnPropertyDescriptors" not in plotly_js().read_text(encoding="utf-8")


def test_the_report_inlines_the_vendored_bundle(store_path):
    html = render(open_storage(store_path), "alpha")
    assert f"plotly.js (hypersweep: scatter, bar, histogram2dcontour - minified) v{PLOTLY_VERSION}" in html


@pytest.mark.slow
def test_the_wheel_ships_the_bundle_and_its_licence(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(tree)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("hypersweep-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for vendored in (PLOTLY, "plotly.js-LICENSE", "README.md"):
        assert f"hypersweep/dashboard/static/vendor/{vendored}" in names
