"""Multi-objective and constrained sweeps through the public API, on memory and SQLite."""
import numpy as np
import pytest

import hypersweep as hs
from hypersweep.exceptions import AlgorithmError, MultiObjectiveError, SpecError, SweepExistsError
from hypersweep.records import TrialState

SPACE = hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})
METRICS = [hs.Metric("error", "minimize"), hs.Metric("speed", "maximize")]


def _result(params):
    x, y = params["x"], params["y"]
    return {"error": x + 0.1 * y, "speed": x - 0.5 * y, "memory_mb": 1000 * y}


def test_tell_takes_a_dict_and_best_trials_is_the_feasible_front(tmp_path):
    sweep = hs.Sweep(SPACE, metric=METRICS, constraints=[{"metric": "memory_mb", "max": 500}],
                     algorithm="random", storage=tmp_path / "s.db", name="mo", seed=3)
    for _ in range(30):
        trial = sweep.ask()
        sweep.tell(trial, _result(trial.params))
    trials = sweep.trials
    assert {t.feasible for t in trials} == {True, False}
    assert all(t.feasible == (t.metrics["memory_mb"] <= 500) for t in trials)
    front = sweep.best_trials
    assert front and all(t.feasible for t in front)
    feasible = [t for t in trials if t.feasible]
    for member in front:  # nothing feasible dominates a front member ...
        assert not any(
            o.metrics["error"] <= member.metrics["error"] and o.metrics["speed"] >= member.metrics["speed"]
            and (o.metrics["error"], o.metrics["speed"]) != (member.metrics["error"], member.metrics["speed"])
            for o in feasible
        )
    for other in feasible:  # ... and every feasible trial off the front is dominated by one
        if other not in front:
            assert any(
                m.metrics["error"] <= other.metrics["error"] and m.metrics["speed"] >= other.metrics["speed"] for m in front
            )
    again = hs.Sweep.load("mo", storage=tmp_path / "s.db")  # the definition and feasibility survive a reload
    assert again.objectives == sweep.objectives and again.algorithm.name == "random"
    assert [t.id for t in again.best_trials] == [t.id for t in front]


def test_best_raises_naming_best_trials_on_a_multi_objective_sweep():
    sweep = hs.Sweep(SPACE, metric=METRICS, algorithm="random", seed=0)
    with pytest.raises(MultiObjectiveError, match="best_trials"):
        sweep.best


def test_a_missing_objective_fails_the_trial_and_a_missing_constraint_metric_is_infeasible():
    sweep = hs.Sweep(SPACE, metric=METRICS, constraints=[hs.Constraint("memory_mb", max=1)], algorithm="random", seed=0)
    failed = sweep.tell(sweep.ask(), {"error": 0.5})
    assert failed.state is TrialState.FAILED and "'speed'" in failed.error
    scalar = sweep.tell(sweep.ask(), 0.5)
    assert scalar.state is TrialState.FAILED
    unreported = sweep.tell(sweep.ask(), {"error": 0.5, "speed": 1.0})
    assert unreported.state is TrialState.COMPLETED and unreported.feasible is False
    assert sweep.best_trials == []


def test_single_metric_with_constraints_never_makes_an_infeasible_trial_best():
    sweep = hs.Sweep(SPACE, metric="loss", constraints=[hs.Constraint("memory_mb", max=100)], algorithm="random", seed=0)
    low = sweep.tell(sweep.ask(), {"loss": 0.0, "memory_mb": 900})
    ok = sweep.tell(sweep.ask(), {"loss": 0.7, "memory_mb": 50})
    assert low.feasible is False and ok.feasible is True
    assert sweep.best.id == ok.id
    assert [t.id for t in sweep.best_trials] == [ok.id]
    (summary,) = sweep.storage.list_sweeps()
    assert summary.best_value == 0.7


def test_default_algorithm_resolves_to_mobo_and_is_stored(tmp_path):
    assert hs.Sweep(SPACE, metric=METRICS, seed=0).algorithm.name == "mobo"
    assert hs.Sweep(SPACE, metric="loss", constraints=[hs.Constraint("m", max=1)], seed=0).algorithm.name == "mobo"
    assert hs.Sweep(SPACE, metric="loss", seed=0).algorithm.name == "bo"
    hs.Sweep(SPACE, metric=METRICS, storage=tmp_path / "d.db", name="d", seed=0)
    assert hs.open_storage(tmp_path / "d.db").get_sweep("d").algorithm == "mobo"


@pytest.mark.parametrize("algorithm", ["bo", "hyperband", "asha", "bohb"])
def test_single_metric_algorithms_refuse_several_metrics_in_one_line(algorithm):
    with pytest.raises(AlgorithmError) as info:
        hs.Sweep(SPACE, metric=METRICS, algorithm=algorithm, seed=0)
    message = str(info.value)
    assert "\n" not in message and algorithm in message
    assert message.endswith("choose one of grid, mobo, nsga2, random, tpe")


def test_pruners_refuse_several_metrics():
    with pytest.raises(SpecError, match="pruner"):
        hs.Sweep(SPACE, metric=METRICS, algorithm="random", pruner=hs.MedianPruner())


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"metric": []}, "metric"),
        ({"metric": ["a", "a"]}, "metric"),
        ({"metric": [{"name": "a", "optimisation": "min"}]}, "metric"),
        ({"metric": [{"name": "a", "reference": float("nan")}]}, "reference"),
        ({"constraints": [{"metric": "m"}]}, "constraint"),
        ({"constraints": [{"metric": "m", "min": 2, "max": 1}]}, "constraint"),
        ({"constraints": [{"metric": "value", "max": 1}]}, "constraints"),
        ({"constraints": {"metric": "m", "max": 1}}, "constraints"),
    ],
)
def test_bad_definitions_are_refused_in_one_line(kwargs, field):
    with pytest.raises(SpecError) as info:
        hs.Sweep(SPACE, algorithm="random", **kwargs)
    assert field in str(info.value) and "\n" not in str(info.value)


def test_continuing_with_other_metrics_or_constraints_is_refused(tmp_path):
    store = tmp_path / "c.db"
    hs.Sweep(SPACE, metric=METRICS, algorithm="random", storage=store, name="c", seed=1)
    with pytest.raises(SweepExistsError, match="metric"):
        hs.Sweep(SPACE, metric=METRICS[:1], algorithm="random", storage=store, name="c", seed=1)
    with pytest.raises(SweepExistsError, match="constraints"):
        hs.Sweep(SPACE, metric=METRICS, constraints=[hs.Constraint("m", max=1)], algorithm="random", storage=store,
                 name="c", seed=1)


def test_copy_keeps_metrics_constraints_and_feasibility(tmp_path):
    store = tmp_path / "k.db"
    sweep = hs.Sweep(SPACE, metric=METRICS, constraints=[hs.Constraint("memory_mb", max=500)], algorithm="random",
                     storage=store, name="src", seed=2)
    for _ in range(6):
        trial = sweep.ask()
        sweep.tell(trial, _result(trial.params))
    copy = hs.api.copy_sweep("src", "dst", storage=store)
    assert copy.objectives == sweep.objectives
    assert [t.feasible for t in copy.trials] == [t.feasible for t in sweep.trials]
    assert [t.params for t in copy.best_trials] == [t.params for t in sweep.best_trials]


def test_group_early_stopping_reads_any_metric():
    from hypersweep.config.sweep_file import EarlyStop
    from hypersweep.records import Direction

    rule = EarlyStop("speed", 0.9, Direction.MAXIMIZE)
    assert rule.reached({"error": 0.3, "speed": 0.95}) and not rule.reached({"error": 0.0, "speed": 0.5})


def test_hypervolume_history_never_decreases():
    from hypersweep.best import front_reference, hypervolume_history

    sweep = hs.Sweep(SPACE, metric=METRICS, algorithm="random", seed=5)
    for _ in range(20):
        trial = sweep.ask()
        sweep.tell(trial, _result(trial.params))
    reference = front_reference(sweep.trials, sweep.objectives)
    history = [v for _, v in hypervolume_history(sweep.trials, sweep.objectives, reference)]
    assert len(history) == 20 and history[-1] > 0 and np.all(np.diff(history) >= 0)
