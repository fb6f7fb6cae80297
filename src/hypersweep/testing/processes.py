"""For tests with real processes: environments for ``python -m hypersweep.cli``, and process checks."""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import hypersweep

SOURCE_ROOT = Path(hypersweep.__file__).resolve().parents[1]


def subprocess_env(*paths: str | Path) -> dict[str, str]:
    """``os.environ`` with ``paths`` first on PYTHONPATH, then the hypersweep this process imported,
    so a child process runs the same code as the test (not another installed copy)."""
    entries = [str(p) for p in paths] + [str(SOURCE_ROOT)]
    inherited = os.environ.get("PYTHONPATH")
    return dict(os.environ, PYTHONPATH=os.pathsep.join(entries + ([inherited] if inherited else [])))


def alive(pid: int) -> bool:
    """True while a process with id ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(predicate: Callable[[], bool], seconds: float) -> bool:
    """Poll ``predicate`` until it holds or ``seconds`` pass; its last answer."""
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)
    return predicate()
