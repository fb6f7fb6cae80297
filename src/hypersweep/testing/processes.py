"""Environments for tests that start hypersweep in a subprocess (``python -m hypersweep.cli``)."""
from __future__ import annotations

import os
from pathlib import Path

import hypersweep

SOURCE_ROOT = Path(hypersweep.__file__).resolve().parents[1]


def subprocess_env(*paths: str | Path) -> dict[str, str]:
    """``os.environ`` with ``paths`` first on PYTHONPATH, then the hypersweep this process imported,
    so a child process runs the same code as the test (not another installed copy)."""
    entries = [str(p) for p in paths] + [str(SOURCE_ROOT)]
    inherited = os.environ.get("PYTHONPATH")
    return dict(os.environ, PYTHONPATH=os.pathsep.join(entries + ([inherited] if inherited else [])))
