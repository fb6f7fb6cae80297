"""Hyperband through the real runner: budgets in params, parent checkpoints, kill -9 mid-bracket.

Real worker processes, a real SQLite file, the CLI as users run it.
"""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter

import pytest

import hypersweep as hs
from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.processes import subprocess_env

OBJECTIVE = textwrap.dedent(
    """
    import json
    import time

    def objective(params, trial):
        start = 0
        if trial.parent_run_dir is not None:  # a promoted configuration continues its parent
            start = json.loads((trial.parent_run_dir / "checkpoint.json").read_text())["epochs"]
        assert params["epochs"] == trial.budget
        loss = None
        for epoch in range(start + 1, params["epochs"] + 1):
            time.sleep(0.01)
            loss = (params["x"] - 0.25) ** 2 + 1.0 / epoch
            trial.report(epoch, loss)
        (trial.run_dir / "checkpoint.json").write_text(json.dumps({"epochs": params["epochs"]}))
        return {"loss": loss, "started_from": start}
    """
)

SWEEP = textwrap.dedent(
    """\
    name: hb
    metric: {name: loss, optimization: minimize}
    settings:
      concurrency: 3
      seed: 1
      hyperband: {max_iter: 27, eta: 3, resource: {name: epochs, type: int}, resume: true}
    matrix:
      x: {uniform: [-1, 1]}
    run:
      function: hb_objective:objective
    """
)
SLOTS = 69  # one iteration for R = 27, eta = 3: 40 + 17 + 8 + 4 trainings


def cli(workdir, *args):
    env = subprocess_env(workdir)
    return subprocess.Popen(
        [sys.executable, "-m", "hypersweep.cli", *args, "--storage", "sweeps.db", "--no-progress"],
        cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def completed(path):
    if not path.exists():
        return []
    with open_storage(path) as store:
        if not any(s.name == "hb" for s in store.list_sweeps()):
            return []
        return store.get_trials("hb", states=[TrialState.COMPLETED], with_reports=False)


def check_promotions_resumed(trials):
    by_id = {t.id: t for t in trials}
    for t in trials:
        if t.meta["rung"] == 0:
            assert t.metrics["started_from"] == 0
            continue
        parent = by_id[t.meta["parent"]]
        assert t.meta["resume"] is True and parent.params["x"] == t.params["x"]
        assert t.metrics["started_from"] == parent.params["epochs"] == t.meta["parent_budget"]
        assert [r.step for r in t.reports] == list(range(parent.params["epochs"] + 1, t.params["epochs"] + 1))


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_bracket_then_resume(tmp_path):
    (tmp_path / "hb_objective.py").write_text(OBJECTIVE)
    (tmp_path / "sweep.yaml").write_text(SWEEP)
    process = cli(tmp_path, "run", "sweep.yaml")
    deadline = time.monotonic() + 120
    while len(completed(tmp_path / "sweeps.db")) < 20 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the runner and its workers, in the middle of bracket 3
    process.communicate(timeout=60)
    done_at_kill = {t.id: t for t in completed(tmp_path / "sweeps.db")}
    assert 20 <= len(done_at_kill) < 40  # bracket s=3 alone has 40 trainings
    final = cli(tmp_path, "resume", "hb")
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err
    with open_storage(tmp_path / "sweeps.db") as store:
        trials = store.get_trials("hb")
    assert all(t.state is TrialState.COMPLETED for t in trials), [(t.id, t.state, t.error) for t in trials]
    slots = Counter((t.meta["iteration"], t.meta["bracket"], t.meta["rung"], t.meta["config"]) for t in trials)
    assert len(slots) == SLOTS and set(slots.values()) == {1}  # none lost, none run twice
    for trial_id, before in done_at_kill.items():  # what finished before the kill is kept as it was
        assert (trials[trial_id].value, trials[trial_id].finished_at) == (before.value, before.finished_at)
    assert Counter(t.params["epochs"] for t in trials) == {1: 27, 3: 9 + 12, 9: 3 + 4 + 6, 27: 1 + 1 + 2 + 4}
    check_promotions_resumed(trials)


def test_python_objective_gets_budget_run_dir_and_parent_checkpoint(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "hb_objective.py").write_text(OBJECTIVE)
    from hb_objective import objective  # noqa: E402 (written just above)

    monkeypatch.chdir(tmp_path)
    sweep = hs.Sweep(
        hs.Space({"x": hs.uniform(-1, 1)}),
        algorithm="successive_halving",
        options={"max_iter": 9, "eta": 3, "resource": {"name": "epochs", "type": "int"}, "resume": True},
        metric="loss",
        storage=tmp_path / "s.db",
        name="sh",
    )
    summary = sweep.run(objective, n_trials=50, concurrency=2, progress=False)
    assert summary.stop_reason == "exhausted"
    trials = sweep.trials
    assert Counter(t.params["epochs"] for t in trials) == {1: 9, 3: 3, 9: 1}
    check_promotions_resumed(trials)
    assert all((tmp_path / "hypersweep-runs" / "sh" / f"trial-{t.id:05d}" / "checkpoint.json").exists() for t in trials)
    assert json.loads((tmp_path / "hypersweep-runs" / "sh" / f"trial-{trials[-1].id:05d}" / "checkpoint.json").read_text()) == {"epochs": 9}
