"""Multi-objective tpe: the constraint-aware good group, determinism, and what it finds."""
import numpy as np
import pytest

import hypersweep as hs
from benchmarks.multiobjective.problems import problems
from hypersweep.algorithms.tpe.split import good_indices
from hypersweep.pareto import hypervolume

from tests.multiobjective.toy_problem import run_sweep


def test_good_group_takes_feasible_fronts_first_then_the_least_violation():
    losses = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.5, 0.5], [3.0, 3.0]])
    violation = np.array([5.0, 0.0, 0.0, 1.0, 0.0])
    assert good_indices(losses, violation, 2).tolist() == [1, 2]  # feasible ranks 0 and 1
    assert good_indices(losses, violation, 4).tolist() == [1, 2, 3, 4]  # then violation 1 before 5


def test_a_cut_front_keeps_the_members_adding_most_hypervolume():
    # one front of five; the two that cover most are the ends with the deep knee between them
    losses = np.array([[0.0, 1.0], [0.1, 0.95], [0.2, 0.2], [0.95, 0.1], [1.0, 0.0]])
    chosen = good_indices(losses, np.zeros(5), 1)
    assert chosen.tolist() == [2]  # alone, the knee dominates the largest box
    reference = np.array([1.1, 1.1])
    kept = good_indices(losses, np.zeros(5), 3)
    volume = hypervolume(losses[kept], reference)
    others = [hypervolume(losses[list(c)], reference) for c in [(0, 1, 2), (1, 2, 3), (2, 3, 4), (0, 1, 3)]]
    assert volume >= max(others)


def test_tpe_accepts_several_metrics_and_constraints():
    sweep = run_sweep("tpe", 16, seed=0, constraints=[hs.Constraint("memory_mb", max=500)], options={"n_startup_trials": 5})
    assert sweep.algorithm.name == "tpe" and len(sweep.trials) == 16
    assert sweep.best_trials and all(t.feasible for t in sweep.best_trials)


def test_same_seed_same_suggestions():
    options = {"n_startup_trials": 5}
    first = [t.params for t in run_sweep("tpe", 20, seed=3, options=options).trials]
    again = [t.params for t in run_sweep("tpe", 20, seed=3, options=options).trials]
    other = [t.params for t in run_sweep("tpe", 20, seed=4, options=options).trials]
    assert first == again and first != other


def _zdt1_hypervolume(algorithm, seed, n=60):
    """Hypervolume of the front found on ZDT1 (6 dimensions), reference (1.1, 11) so that
    every method's early fronts count."""
    problem = problems()["zdt1"]()
    sweep = hs.Sweep(problem.space, metric=problem.metrics, algorithm=algorithm, seed=seed)
    for _ in range(n):
        trial = sweep.ask()
        sweep.tell(trial, problem.evaluate(trial.params))
    front = np.array([[t.metrics["f1"], t.metrics["f2"]] for t in sweep.best_trials])
    return hypervolume(front, np.array([1.1, 11.0]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tpe_front_beats_random_search_on_zdt1(seed):
    assert _zdt1_hypervolume("tpe", seed) > _zdt1_hypervolume("random", seed)


def test_constraints_raise_the_feasible_rate_over_random():
    """Feasible only with y <= 0.2 (a fifth of the box): after its startup trials, tpe's good
    group holds the feasible trials, so most of its later suggestions are feasible."""
    limit = [hs.Constraint("memory_mb", max=200)]
    rates = {
        name: np.mean([t.feasible for seed in (0, 1) for t in run_sweep(name, 40, seed, limit, options).trials[10:]])
        for name, options in (("tpe", {"n_startup_trials": 10}), ("random", None))
    }
    assert rates["tpe"] >= rates["random"] + 0.3


def test_a_conditional_space_ranks_each_group_by_non_domination():
    """On a conditional space every group's split uses the same constraint-aware ranking: branch
    ``b`` is both better and the only feasible one, so after startup tpe mostly proposes it."""
    space = hs.Space.from_matrix({"model": {"values": ["a", "b"]}, "x": {"uniform": [0, 1], "when": {"model": "a"}},
                                  "y": {"uniform": [0, 1], "when": {"model": "b"}}})

    def evaluate(p):
        if p["model"] == "a":
            return {"f1": 1 + p["x"], "f2": 2 - p["x"], "memory_mb": 900.0}
        return {"f1": p["y"], "f2": 1 - p["y"], "memory_mb": 100.0}

    sweep = hs.Sweep(space, metric=[hs.Metric("f1"), hs.Metric("f2")], constraints=[hs.Constraint("memory_mb", max=500)],
                     algorithm="tpe", seed=0, options={"n_startup_trials": 6})
    for _ in range(30):
        trial = sweep.ask()
        sweep.tell(trial, evaluate(trial.params))
    later = [t.params["model"] for t in sweep.trials[6:]]
    assert later.count("b") >= 0.75 * len(later)
    assert all(t.params["model"] == "b" for t in sweep.best_trials)
