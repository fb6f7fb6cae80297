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


def run_workers(storage_url, workdir, sweep_yaml: str, objective: str) -> list:
    """Store the sweep file, run WORKERS `hypersweep worker` processes to the end; the trials."""
    (workdir / f"{parse_sweep_file(sweep_yaml).name}_objective.py").write_text(objective)
    with open_storage(storage_url) as store:
        name = open_sweep(parse_sweep_file(sweep_yaml), store).name  # what `run sweep.yaml` stores, without running
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "hypersweep.cli", "worker", name, "--storage", storage_url],
            cwd=workdir, env=subprocess_env(workdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(WORKERS)
    ]
    for process in processes:
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
    with open_storage(storage_url) as store:
        return store.get_trials(name)


@pytest.mark.slow
def test_workers_share_a_sweep_without_duplicates(storage_url, tmp_path):
    objective = "import time\n\ndef objective(params):\n    time.sleep(0.2)\n    return params['a'] * params['b']\n"
    trials = run_workers(storage_url, tmp_path, SWEEP, objective)
    assert [t.id for t in trials] == list(range(GRID))
    assert all(t.state is TrialState.COMPLETED for t in trials)
    assert len({(t.params["a"], t.params["b"]) for t in trials}) == GRID  # every grid point once
    assert len({t.worker for t in trials}) >= 2  # the work was really shared


CAPPED = textwrap.dedent(
    """\
    name: capped
    metric: {name: loss, optimization: minimize}
    settings:
      max_trials: 14
      random_search: {n_experiments: 100}
    matrix:
      a: {uniform: [0, 1]}
    run:
      function: capped_objective:objective
    """
)


@pytest.mark.slow
def test_max_trials_is_a_total_shared_by_workers(storage_url, tmp_path):
    objective = "import time\n\ndef objective(params):\n    time.sleep(0.1)\n    return params['a']\n"
    trials = run_workers(storage_url, tmp_path, CAPPED, objective)
    assert len(trials) == 14 and all(t.state is TrialState.COMPLETED for t in trials)
