"""The multi-fidelity benchmark: cost accounting, incumbent rule, utilization, a tiny LCBench run."""
from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from benchmarks.multifidelity import cli, peers, report
from benchmarks.multifidelity.simulate import (
    Ledger,
    MFRun,
    simulate,
    trial_cost,
    utilization,
)
from benchmarks.problems import lcbench
from hypersweep.records import Suggestion, Trial, TrialState
from hypersweep.schedulers.pruners import MedianPruner

LCBENCH = lcbench.unavailable_reason()
INFO = {"optimum": 0.0, "reference_worst": 100.0, "reference_median": 50.0, "full_epoch": 52}


def _trial(tid: int, epochs: int, **meta: Any) -> Trial:
    return Trial(id=tid, params={"x": 0.5, "epochs": epochs}, meta=meta)


def test_trial_cost_counts_only_new_epochs_when_resuming() -> None:
    parent = _trial(0, 6)
    trials = {0: parent}
    assert trial_cost(parent, trials, "epochs", 52) == 6
    assert trial_cost(_trial(1, 18, parent=0, resume=True), trials, "epochs", 52) == 12
    assert trial_cost(_trial(2, 18, parent=0, resume=False), trials, "epochs", 52) == 18
    full = Trial(id=3, params={"x": 0.1})  # a full-fidelity algorithm's params carry no resource
    assert trial_cost(full, trials, "epochs", 52) == 52


def test_incumbent_is_the_best_full_fidelity_result_within_the_budget() -> None:
    ledger = Ledger(full_epoch=52)
    ledger.add(2, 2, 1.0)  # a low-fidelity value never becomes the incumbent, however good
    ledger.add(52, 52, 30.0)
    ledger.add(34, 52, 20.0)  # resumed from 18 epochs: costs 34, reaches full fidelity
    ledger.add(52, 52, 25.0)
    assert ledger.spent == 140 and ledger.n_trials == 4
    assert ledger.full_costs == [54, 88, 140]
    run = MFRun("m", "p", 0, 1, ledger.full_costs, ledger.full_values, ledger.n_trials, ledger.spent, info=INFO)
    assert math.isnan(run.incumbent_at(53)) and run.regret_at(53) == 1.0
    assert run.incumbent_at(54) == 30.0 and run.incumbent_at(100) == 20.0 and run.incumbent_at(1e9) == 20.0
    assert run.regret_at(100) == pytest.approx(0.2)
    assert run.regret_at(100, "median") == pytest.approx(0.4)
    assert MFRun.from_dict(json.loads(json.dumps(run.to_dict()))) == run


def _run(method: str, seed: int, value: float) -> MFRun:
    return MFRun(method, "p", seed, 1, [52.0], [value], 1, 52.0, info=INFO)


def test_paired_table_compares_cell_by_cell() -> None:
    runs = [_run("a", 0, 10.0), _run("b", 0, 20.0), _run("a", 1, 30.0), _run("b", 1, 30.0),
            _run("a", 2, 50.0), _run("b", 2, 40.0), _run("c", 3, 1.0)]
    table = report.paired_table(runs, [1], "a", "b")
    row = table.splitlines()[-1]
    # differences -0.1, 0, +0.1 (regret = value / 100): mean 0, one cell each way
    assert "| +0.0000 |" in row and "| 1 / 1 / 1 |" in row
    low, high = (float(v) for v in row.split("[")[1].split("]")[0].split(","))
    assert -0.1 <= low <= 0 <= high <= 0.1
    with pytest.raises(ValueError, match="no \\(problem, seed\\) cell has both 'a' and 'c'"):
        report.paired_table(runs, [1], "a", "c")


def test_utilization_is_the_busy_fraction_of_worker_time() -> None:
    assert utilization([(0, 4), (0, 4)], workers=2, end=4) == 1.0
    assert utilization([(0, 4), (0, 2)], workers=2, end=4) == 0.75
    assert utilization([(0, 10)], workers=2, end=4) == 0.5  # clipped at the end of the run


class _Rung:
    """A toy synchronous halving: 4 configs at 2 epochs, then the best 2 resumed to 6 (waits between)."""

    def __init__(self) -> None:
        self.told: list[Trial] = []
        self.launched = 0
        self.waiting = False

    def suggest(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Suggestion]:
        self.waiting = False
        if self.launched < 4:
            self.launched += 1
            x = self.launched / 10
            return [Suggestion({"x": x, "epochs": 2}, {"budget": 2.0, "rung": 0})]
        if len(self.told) < 4:
            self.waiting = True
            return []
        if self.launched < 6:
            best = sorted(self.told[:4], key=lambda t: t.value)[self.launched - 4]
            self.launched += 1
            return [Suggestion({"x": best.params["x"], "epochs": 6},
                               {"budget": 6.0, "rung": 1, "parent": best.id, "resume": True})]
        return []

    def tell(self, trials: Sequence[Trial]) -> None:
        self.told.extend(trials)


def _toy(params: Mapping[str, Any], epochs: int) -> float:
    return params["x"] + (52 - epochs) / 52


def test_simulate_books_resumed_costs_and_idle_workers() -> None:
    ledger, util, elapsed, _ = simulate(_Rung(), _toy, budget=1000, workers=4, full_epoch=6)
    assert ledger.n_trials == 6
    assert ledger.spent == 4 * 2 + 2 * 4  # promotions continue from epoch 2
    assert ledger.full_values == pytest.approx([_toy({"x": 0.1}, 6), _toy({"x": 0.2}, 6)])
    assert elapsed == 6 and util == pytest.approx(16 / 24)  # 2 workers idle during the second rung
    ledger, util, elapsed, _ = simulate(_Rung(), _toy, budget=1000, workers=1, full_epoch=6)
    assert ledger.spent == 16 and util == 1.0 and elapsed == 16


def test_simulate_reports_the_epochs_each_trial_trained() -> None:
    algo = _Rung()

    def curve(params: Mapping[str, Any], epochs: int) -> np.ndarray:
        return np.array([_toy(params, e) for e in range(1, epochs + 1)])

    simulate(algo, _toy, budget=1000, workers=1, full_epoch=6, curve=curve)
    fresh, resumed = algo.told[0], algo.told[4]
    assert [r.step for r in fresh.reports] == [1, 2]
    assert [r.step for r in resumed.reports] == [3, 4, 5, 6]  # continues its parent's training
    assert resumed.reports[-1].value == pytest.approx(resumed.value)
    assert [r.value for r in fresh.reports] == pytest.approx([_toy(fresh.params, 1), _toy(fresh.params, 2)])


class _Full:
    """A full-fidelity toy: configurations x = 0.1, 0.2, ... trained to 6 epochs, never waits."""

    waiting = False

    def __init__(self) -> None:
        self.told: list[Trial] = []

    def suggest(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Suggestion]:
        x = (len(self.told) + len(pending) + 1) / 10
        return [Suggestion({"x": x}, {})]

    def tell(self, trials: Sequence[Trial]) -> None:
        self.told.extend(trials)


def test_simulate_prunes_with_the_reported_curves() -> None:
    def curve(params: Mapping[str, Any], epochs: int) -> np.ndarray:
        return np.array([_toy(params, e) for e in range(1, epochs + 1)])

    algo = _Full()
    pruner = MedianPruner(n_startup_trials=2, n_warmup_steps=3)
    ledger, *_ = simulate(algo, _toy, budget=30, workers=1, full_epoch=6, curve=curve, pruner=pruner)
    states = [t.state for t in algo.told]
    # x rises with each trial, so from the third on every trial is worse than the median: stopped at epoch 3
    assert states[:2] == [TrialState.COMPLETED] * 2 and set(states[2:]) == {TrialState.PRUNED}
    assert [len(t.reports) for t in algo.told[2:]] == [3] * len(algo.told[2:])
    assert algo.told[2].value == pytest.approx(_toy({"x": 0.3}, 3))
    assert ledger.spent == 6 + 6 + 3 * (len(algo.told) - 2)
    assert len(ledger.full_values) == 2  # pruned trials never become the incumbent


def test_pruned_methods_name_their_algorithm_and_rule() -> None:
    assert cli.algorithm_name("bo+median") == "bo" and cli.algorithm_name("asha-scratch") == "asha"
    pruner = cli.method_pruner("bo+median")
    assert isinstance(pruner, MedianPruner) and pruner.n_warmup_steps == cli.PRUNER_WARMUP
    assert cli.method_pruner("bo") is None and not cli.is_multi_fidelity("bo+median")
    with pytest.raises(ValueError, match="unknown pruner 'nope'"):
        cli.method_pruner("bo+nope")


def test_simulate_stops_once_the_budget_is_spent() -> None:
    ledger, *_ = simulate(_Rung(), _toy, budget=5, workers=1, full_epoch=6)
    assert ledger.spent == 6 and ledger.n_trials == 3


def test_algorithm_options() -> None:
    assert cli.algorithm_options("bo", 52) == {}
    if "hyperband" in cli.select_methods(["hyperband"])[0]:
        options = cli.algorithm_options("hyperband-scratch", 52)
        assert options["resume"] is False and options["max_iter"] == 52 and options["n_iterations"] is None
    ok, skipped = cli.select_methods(["random", "no-such-method"])
    assert ok == ["random"] and "no-such-method" in skipped[0]


def test_both_bohbs_run_as_multi_fidelity_methods() -> None:
    assert cli.select_methods(["bohb", "bohb_gp"]) == (["bohb", "bohb_gp"], [])
    for method in ("bohb", "bohb_gp", "bohb-scratch"):
        options = cli.algorithm_options(method, 52)
        assert options["max_iter"] == 52 and options["n_iterations"] is None


@pytest.mark.skipif(LCBENCH is not None, reason=f"LCBench unavailable: {LCBENCH}")
def test_lcbench_fidelity() -> None:
    problem = lcbench.LCBenchProblem("3945")
    params = problem.space.sample(0)
    curve = problem.curve(params)
    assert curve.shape == (52,)
    assert curve[-1] == pytest.approx(problem.evaluate(params)) == pytest.approx(problem.evaluate_at(params, 52))
    assert curve[5] == pytest.approx(problem.evaluate_at(params, 6))
    with pytest.raises(ValueError, match="epoch"):
        problem.evaluate_at(params, 53)


@pytest.mark.skipif(LCBENCH is not None, reason=f"LCBench unavailable: {LCBENCH}")
def test_end_to_end_on_one_lcbench_task(tmp_path: Any, capsys: Any) -> None:
    methods = ["random", "asha", "optuna-hb"]
    code = cli.main(["--tasks", "3945", "--seeds", "1", "--budgets", "1", "3", "--methods", *methods,
                     "--workers", "1", "4", "--jobs", "1", "--out", str(tmp_path)])
    assert code == 0
    runs = report.load_runs(tmp_path)
    labels = {r.label for r in runs}
    expected = {"random"}
    if "asha" in cli.select_methods(["asha"])[0]:
        expected |= {"asha", "asha x4"}
    if not peers.missing("optuna-hb"):
        expected.add("optuna-hb")
    assert labels == expected
    for run in runs:
        assert 3 * 52 <= run.epochs < 4 * 52 + 52 and 0 <= run.regret_at(3 * 52) <= 1
        assert run.full_costs == sorted(run.full_costs)
    assert (tmp_path / "regret_vs_budget.png").stat().st_size > 0
    assert "regret@3" in capsys.readouterr().out


@pytest.mark.skipif(LCBENCH is not None, reason=f"LCBench unavailable: {LCBENCH}")
@pytest.mark.parametrize("name", ["dehb", "smac-hb", "optuna-sh"])
def test_peer_spends_its_budget(name: str) -> None:
    if peers.missing(name):
        message = f"{name}: {', '.join(peers.missing(name))} not installed (benchmarks/requirements-*.txt say how)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    ledger, _ = peers.run_peer(name, lcbench.LCBenchProblem("3945"), 0, 2 * 52, 52)
    assert 2 * 52 <= ledger.spent < 3 * 52 and ledger.n_trials >= 2


@pytest.mark.skipif(LCBENCH is not None, reason=f"LCBench unavailable: {LCBENCH}")
def test_resume_runs_only_the_missing_jobs(tmp_path: Any, capsys: Any) -> None:
    base = ["--tasks", "3945", "--budgets", "1", "--methods", "random", "--workers", "1", "--jobs", "1",
            "--no-plots", "--out", str(tmp_path)]
    assert cli.main([*base, "--seeds", "1"]) == 0
    first = report.load_runs(tmp_path)
    assert [(r.method, r.seed) for r in first] == [("random", 0)]
    capsys.readouterr()
    assert cli.main([*base, "--seeds", "2", "--resume"]) == 0
    assert "keeps 1 runs, runs 1" in capsys.readouterr().err
    again = report.load_runs(tmp_path)
    assert sorted(r.seed for r in again) == [0, 1]
    kept = next(r for r in again if r.seed == 0)
    assert kept.to_dict() == first[0].to_dict()  # not rerun: the stored run, wall time and all
    assert cli.main([*base, "--seeds", "2"]) == 0  # without --resume the folder starts afresh
    assert "keeps" not in capsys.readouterr().err


def test_dev_tasks_are_apart_from_the_confirmation_tasks() -> None:
    assert not set(cli.DEV_TASKS) & set(cli.DEFAULT_TASKS)
    if LCBENCH is None:
        assert cli.resolve_tasks(["dev"]) == list(cli.DEV_TASKS)
