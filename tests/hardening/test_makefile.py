"""Issue 21, case 22: `make demo` installs only what the demo needs; `make test` the dev extra."""
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def planned(target: str, tmp_path: Path) -> str:
    """The commands `make -n TARGET` would run in a checkout without a venv."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "benchmarks").mkdir()
    for requirements in (ROOT / "benchmarks").glob("requirements-*.txt"):
        shutil.copy(requirements, tmp_path / "benchmarks")
    return subprocess.run(["make", "-n", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), target],
                          capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_demo_installs_only_the_demo_extra(tmp_path):
    demo = planned("demo", tmp_path)
    assert re.findall(r'pip install -q -e "\.\[(\w+)\]"', demo) == ["demo"]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert [re.split(r"[<>=\[]", d)[0] for d in extras["demo"]] == ["scikit-learn"]
    imported = set(re.findall(r"^\s*(?:from|import) (\w+)", (ROOT / "examples" / "demo_mlp_digits.py").read_text(), re.M))
    assert imported <= {"__future__", "os", "sys", "warnings", "hypersweep", "sklearn", "pathlib", "time"}, imported


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_still_installs_the_dev_extra(tmp_path):
    plan = planned("test", tmp_path)
    assert re.findall(r'pip install -q -e "\.\[(\w+)\]"', plan) == ["dev"]
    assert "-r benchmarks/requirements-peers.txt" in plan
