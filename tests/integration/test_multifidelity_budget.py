"""``algorithm="multifidelity"`` through the real runner, bounded by ``max_resource`` (epochs trained).

Real worker processes and a real SQLite file; the objective checkpoints and resumes its parent.
"""
import textwrap

import pytest

import hypersweep as hs
from hypersweep.algorithms import MULTI_FIDELITY_ALGORITHM
from hypersweep.algorithms.multifidelity.cost import resource_spent
from hypersweep.config import parse_sweep_file
from hypersweep.exceptions import SpecError

OBJECTIVE = textwrap.dedent(
    """
    import json

    def objective(params, trial):
        start = 0
        if trial.parent_run_dir is not None:  # a resumed configuration continues its parent
            start = json.loads((trial.parent_run_dir / "checkpoint.json").read_text())["epochs"]
        loss = None
        for epoch in range(start + 1, params["epochs"] + 1):
            loss = (params["x"] - 0.25) ** 2 + 1.0 / epoch
            trial.report(epoch, loss)
        (trial.run_dir / "checkpoint.json").write_text(json.dumps({"epochs": params["epochs"], "from": start}))
        return loss
    """
)


def test_multifidelity_runs_until_max_resource_and_stores_the_resolved_name(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "mf_objective.py").write_text(OBJECTIVE)
    from mf_objective import objective  # noqa: E402 (written just above)

    monkeypatch.chdir(tmp_path)
    options = {"max_iter": 9, "eta": 3, "resource": {"name": "epochs", "type": "int"}, "resume": True}
    sweep = hs.Sweep(hs.Space({"x": hs.uniform(-1, 1)}), algorithm="multifidelity", options=options,
                     metric="loss", storage=tmp_path / "s.db", name="mf", seed=0)
    summary = sweep.run(objective, max_resource=60, concurrency=2, progress=False)
    assert summary.stop_reason == "exhausted"
    trials = sweep.trials
    spent = resource_spent(trials, "epochs")
    assert 60 <= spent < 60 + 9  # stops once the epochs trained reach the budget (the last trial may pass it)
    resumed = [t for t in trials if "parent" in t.meta]
    assert resumed, "no configuration was resumed"
    # a resumed trial trained only its new epochs, and counts only those
    assert spent < sum(t.params["epochs"] for t in trials)
    reopened = hs.Sweep.load("mf", storage=tmp_path / "s.db")
    assert reopened.spec.algorithm == MULTI_FIDELITY_ALGORITHM == "freeze_thaw"


def test_max_resource_needs_a_budgeted_algorithm(tmp_path):
    sweep = hs.Sweep(hs.Space({"x": hs.uniform(-1, 1)}), algorithm="random", metric="loss", storage=tmp_path / "r.db")
    with pytest.raises(hs.HypersweepError, match="max_resource: algorithm 'random' gives its trials no budget"):
        sweep.run(lambda p: p["x"], max_resource=10, progress=False)
    with pytest.raises(hs.HypersweepError, match="n_trials: give n_trials"):
        sweep.run(lambda p: p["x"], progress=False)
    assert sweep.trials == []


SWEEP = textwrap.dedent(
    """\
    name: mf
    metric: {name: loss, optimization: minimize}
    settings:
      max_resource: 5200
      multifidelity: {max_iter: 52, eta: 3, resource: {name: epochs, type: int}, resume: true}
    matrix:
      x: {uniform: [-1, 1]}
    run:
      cmd: python train.py --x {{ x }} --epochs {{ epochs }}
    """
)


def test_sweep_file_max_resource():
    spec = parse_sweep_file(SWEEP)
    assert (spec.algorithm, spec.max_resource, spec.limit) == ("freeze_thaw", 5200.0, None)
    with pytest.raises(SpecError, match="settings.max_resource: .*'bo' gives its trials no budget"):
        no_budget = SWEEP.replace(" --epochs {{ epochs }}", "")
        parse_sweep_file(no_budget.replace("  multifidelity: {max_iter: 52, eta: 3, resource: {name: epochs, type: int}, resume: true}\n", ""))
    with pytest.raises(SpecError, match="settings.max_resource: must be > 0"):
        parse_sweep_file(SWEEP.replace("5200", "-1"))
