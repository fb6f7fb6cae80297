"""kill -9 of the runner at random moments, then `resume`: nothing lost, changed or duplicated.

Real processes on a real SQLite file. Each round starts a runner (``run`` first, ``resume``
after), kills it with SIGKILL at a random moment, and checks the store; a last ``resume``
runs the sweep to its budget.
"""
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hypersweep.exceptions import SweepNotFoundError
from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.processes import subprocess_env

BUDGET = 80  # large enough that the sweep cannot finish before the last kill, on a fast machine too
KILLS = 10
MAX_ROUNDS = 30

OBJECTIVE = textwrap.dedent(
    """
    import time

    def objective(params, trial):
        for step in range(3):
            time.sleep(params["pause"] / 3)
            trial.report(step, params["x"] * (3 - step))
        return params["x"] ** 2 + params["pause"]
    """
)

SWEEP = textwrap.dedent(
    f"""\
    name: crashy
    metric: {{name: loss, optimization: minimize}}
    settings:
      concurrency: 3
      seed: 3
      random_search: {{n_experiments: {BUDGET}}}
    matrix:
      x: {{uniform: [-1, 1]}}
      pause: {{values: [0.5, 1.0, 1.5, 2.0]}}
    run:
      function: crash_objective:objective
    """
)


def cli(workdir, *args):
    env = subprocess_env(workdir)
    return subprocess.Popen(
        [sys.executable, "-m", "hypersweep.cli", *args, "--storage", "sweeps.db", "--no-progress"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def snapshot(store):
    try:
        return {t.id: t for t in store.get_trials("crashy")}
    except SweepNotFoundError:  # killed before it created the sweep
        return None


def wait_for_sweep(path, process, limit=60.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists():
            with open_storage(path) as store:
                if any(s.name == "crashy" for s in store.list_sweeps()):
                    return
        time.sleep(0.05)


@pytest.mark.slow
def test_kill_9_at_random_moments_then_resume(tmp_path):
    (tmp_path / "crash_objective.py").write_text(OBJECTIVE)
    (tmp_path / "sweep.yaml").write_text(SWEEP)
    rng = random.Random(20261123)
    finished_before: dict[int, tuple] = {}
    kills = 0
    created = False
    for _ in range(MAX_ROUNDS):
        if kills >= KILLS:
            break
        args = ("resume", "crashy") if created else ("run", "sweep.yaml")
        process = cli(tmp_path, *args)
        if not created:  # first let it create the sweep, then kill at a random moment
            wait_for_sweep(tmp_path / "sweeps.db", process)
            time.sleep(rng.uniform(0.0, 1.5))
        else:  # startup included: some kills land before the first trial, most while trials run
            time.sleep(rng.uniform(0.8, 3.5))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.communicate(timeout=60)
        store = open_storage(tmp_path / "sweeps.db")
        trials = snapshot(store)
        store.close()
        if trials is None:
            continue
        created = True
        assert sorted(trials) == list(range(len(trials)))  # ids unique and dense
        assert len(trials) <= BUDGET
        for trial_id, before in finished_before.items():  # finished trials never change
            t = trials[trial_id]
            assert (t.state, t.value, t.params, t.finished_at, tuple(t.reports)) == before
        for trial in trials.values():
            if trial.is_finished:
                assert trial.state is TrialState.COMPLETED, trial.error
                finished_before[trial.id] = (trial.state, trial.value, trial.params, trial.finished_at, tuple(trial.reports))
    assert kills >= KILLS
    final = cli(tmp_path, "resume", "crashy")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    store = open_storage(tmp_path / "sweeps.db")
    trials = snapshot(store)
    assert sorted(trials) == list(range(BUDGET))
    assert all(t.state is TrialState.COMPLETED for t in trials.values()), [t.error for t in trials.values()]
    for trial in trials.values():
        assert trial.value == pytest.approx(trial.params["x"] ** 2 + trial.params["pause"])
        assert [r.step for r in trial.reports] == [0, 1, 2]  # a re-queued run starts its reports afresh
    for trial_id, before in finished_before.items():
        t = trials[trial_id]
        assert (t.state, t.value, t.params, t.finished_at, tuple(t.reports)) == before
