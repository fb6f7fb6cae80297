"""Several `hypersweep worker` processes share one sweep without duplicates (SQLite, PostgreSQL)."""
import subprocess
import sys
import textwrap

import pytest

from hypersweep.config import parse_sweep_file
from hypersweep.config.launch import open_sweep
from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.processes import subprocess_env

WORKERS = 3
GRID = 24

SWEEP = textwrap.dedent(
    f"""\
    name: shared
    metric: {{name: loss, optimization: minimize}}
    settings:
      grid_search: {{n_experiments: {GRID}}}
    matrix:
      a: {{values: [1, 2, 3, 4, 5, 6]}}
      b: {{values: [0.1, 0.2, 0.3, 0.4]}}
    run:
      function: shared_objective:objective
    """
)


@pytest.mark.slow
def test_workers_share_a_sweep_without_duplicates(storage_url, tmp_path):
    (tmp_path / "shared_objective.py").write_text(
        "import time\n\ndef objective(params):\n    time.sleep(0.2)\n    return params['a'] * params['b']\n"
    )
    with open_storage(storage_url) as store:
        open_sweep(parse_sweep_file(SWEEP), store)  # what `run sweep.yaml` stores, without running
    env = subprocess_env(tmp_path)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "hypersweep.cli", "worker", "shared", "--storage", storage_url],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(WORKERS)
    ]
    outputs = [p.communicate(timeout=240) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
    with open_storage(storage_url) as store:
        trials = store.get_trials("shared")
    assert [t.id for t in trials] == list(range(GRID))
    assert all(t.state is TrialState.COMPLETED for t in trials)
    assert len({(t.params["a"], t.params["b"]) for t in trials}) == GRID  # every grid point once
    assert len({t.worker for t in trials}) >= 2  # the work was really shared
