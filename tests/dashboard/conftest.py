"""Fixtures of the dashboard tests: a small SQLite store with sweeps, the app, a served dashboard."""
from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")

from hypersweep.api import Sweep  # noqa: E402
from hypersweep.outcome import Failed  # noqa: E402

TOKEN = "test-token-0123456789abcdef"
SPACE = {"lr": {"loguniform": [1e-4, 1e-1]}, "units": {"values": [16, 32, 64]}, "act": {"values": ["relu", "tanh"]}}
SRC = Path(__file__).resolve().parents[2] / "src"


def loss(params: dict) -> float:
    return (math.log10(params["lr"]) + 2.5) ** 2 + 10 / params["units"] + (0.2 if params["act"] == "tanh" else 0)


def fill(path: str, name: str, n: int, algorithm: str = "random") -> None:
    """A sweep with ``n`` trials: reports, one failure, the rest completed."""
    sweep = Sweep(SPACE, algorithm=algorithm, metric="loss", storage=path, name=name, seed=1)
    for i in range(n):
        trial = sweep.ask()
        for step in range(3):
            sweep.report(trial, step, loss(trial.params) * (2 + 1 / (step + 1)))
        sweep.tell(trial, Failed("diverged") if i == 3 else loss(trial.params))


@pytest.fixture(scope="module")
def store_path() -> str:
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "dash.db")
    fill(path, "alpha", 25)
    fill(path, "beta", 12, algorithm="bo")
    yield path
    shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(store_path: str):
    """The dashboard served by `hypersweep dashboard` in its own process: (base URL, store path)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "HYPERSWEEP_DASHBOARD_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hypersweep.cli", "dashboard", "--storage", store_path, "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"dashboard did not start: {proc.communicate()[0]}")
    yield f"http://127.0.0.1:{port}", store_path
    proc.terminate()
    proc.wait(10)


# every trace on the page as [its type, the type Plotly drew it as, whether the bundle registers it]:
# a type missing from the vendored partial bundle is drawn as an invisible "scatter", without an error
TRACES = """
const known = Object.keys(Plotly.PlotSchema.get().traces);
return [...document.querySelectorAll('.js-plotly-plot')].flatMap((el) =>
  el.data.map((t, k) => [t.type || 'scatter', el._fullData[k].type, known.includes(t.type || 'scatter')]));
"""


def drawn_trace_types(driver) -> set[str]:
    """The trace types on the page, after checking the bundled plotly.js draws every one of them."""
    used = driver.execute_script(TRACES)
    assert used, "no Plotly plot on the page"
    assert [u for u in used if u[0] != u[1] or not u[2]] == []
    return {u[0] for u in used}
