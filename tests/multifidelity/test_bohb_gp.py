"""bohb_gp: Hyperband brackets with configurations from a GP over (config, budget)."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms.multifidelity.bohb_gp import BOHBGP
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Report, Trial, TrialState

OPTIMUM = (0.2, 0.7)


def toy(params: dict, budget: float) -> float:
    """Low budgets are informative: the same bowl plus a budget-dependent offset."""
    return (params["x"] - OPTIMUM[0]) ** 2 + (params["y"] - OPTIMUM[1]) ** 2 + 0.5 / budget


def space() -> hs.Space:
    return hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})


def crossing(params: dict, budget: float) -> float:
    """Misleading low budgets (max_iter 27): below the top, the ranking is the reverse of the top one."""
    bowl = (params["x"] - OPTIMUM[0]) ** 2 + (params["y"] - OPTIMUM[1]) ** 2
    weight = math.log(budget) / math.log(27)  # 0 at the smallest budget, 1 at the top
    return (2 * weight**3 - 1) * bowl


def drive(algo: BOHBGP, n: int, objective: Callable[[dict, float], float] = toy, curves: bool = False) -> list[Trial]:
    """Run ``n`` trials one at a time (with ``curves``, each reports its value at every step)."""
    done: list[Trial] = []
    for i in range(n):
        (s,) = algo.suggest(1)
        budget = s.meta["budget"]
        reports = tuple(Report(e, objective(s.params, e)) for e in range(1, int(budget) + 1)) if curves else ()
        trial = Trial(id=i, params=s.params, meta=s.meta, state=TrialState.RUNNING)
        done.append(replace(trial, state=TrialState.COMPLETED, value=objective(s.params, budget), reports=reports))
        algo.tell([done[-1]])
    return done


def distance(t: Trial) -> float:
    return float(np.hypot(t.params["x"] - OPTIMUM[0], t.params["y"] - OPTIMUM[1]))


def test_model_proposals_concentrate_near_the_optimum():
    algo = BOHBGP(space(), seed=0, max_iter=9, eta=3, n_iterations=3, random_fraction=0.0, min_points=4,
                brackets="hyperband")
    trials = drive(algo, algo.budget)  # type: ignore[arg-type]
    fresh = [t for t in trials if t.meta["rung"] == 0]
    first, later = fresh[:4], fresh[12:]  # random start vs proposals of the model
    assert np.mean([distance(t) for t in later]) < 0.5 * np.mean([distance(t) for t in first])
    assert min(distance(t) for t in trials if t.meta["budget"] == 9) < 0.05


def test_same_seed_same_run_and_other_seed_differs():
    a = drive(BOHBGP(space(), seed=3, max_iter=9, min_points=4), 16)
    b = drive(BOHBGP(space(), seed=3, max_iter=9, min_points=4), 16)
    c = drive(BOHBGP(space(), seed=4, max_iter=9, min_points=4), 16)
    assert [t.params for t in a] == [t.params for t in b]
    assert [t.params for t in a] != [t.params for t in c]


def test_fresh_instance_told_the_history_asks_the_same():
    live = BOHBGP(space(), seed=1, max_iter=9, min_points=4, random_fraction=0.0)
    history = drive(live, 15)
    pending = [Trial(id=15, params=live.suggest(1)[0].params, meta=live.suggest(1)[0].meta, state=TrialState.RUNNING)]
    fresh = BOHBGP(space(), seed=1, max_iter=9, min_points=4, random_fraction=0.0)
    fresh.tell(list(reversed(history)))
    assert [s.params for s in fresh.suggest(3, pending=pending)] == [s.params for s in live.suggest(3, pending=pending)]


def test_batch_of_model_proposals_is_distinct():
    algo = BOHBGP(space(), seed=2, max_iter=9, n_iterations=2, min_points=4, random_fraction=0.0)
    drive(algo, 22)  # the first iteration: the second starts with model proposals
    batch = algo.suggest(4)
    assert {s.meta["rung"] for s in batch} == {0}
    assert len({(s.params["x"], s.params["y"]) for s in batch}) == 4


@pytest.mark.parametrize("bad", [-0.1, 1.5, "x"])
def test_random_fraction_is_checked(bad):
    with pytest.raises(AlgorithmError, match="bohb_gp.random_fraction"):
        BOHBGP(space(), random_fraction=bad)


def brackets_run(trials: list[Trial]) -> list[int]:
    """The bracket of each position, in running order."""
    order: dict[int, int] = {}
    for t in trials:
        order.setdefault(t.meta["iteration"], t.meta["bracket"])
    return [order[p] for p in sorted(order)]


def test_adaptive_brackets_start_with_full_budget_search():
    trials = drive(BOHBGP(space(), seed=0, max_iter=27, min_points=4), 5)
    assert [t.meta["bracket"] for t in trials] == [0] * 4 + [3]
    assert all(t.meta["budget"] == 27 for t in trials[:4])


def test_adaptive_brackets_leave_misleading_cheap_budgets():
    algo = BOHBGP(space(), seed=0, max_iter=27, min_points=4, n_iterations=None)
    order = brackets_run(drive(algo, 160, crossing, curves=True))
    scores = algo.bracket_scores()
    assert scores is not None and scores[0] > max(scores[s] for s in (1, 2, 3))
    assert order[-6:].count(0) >= 5


def test_adaptive_brackets_keep_informative_cheap_budgets():
    algo = BOHBGP(space(), seed=0, max_iter=27, min_points=4, n_iterations=None)
    order = brackets_run(drive(algo, 160, toy, curves=True))
    assert sum(s > 0 for s in order[1:]) >= 0.5 * len(order[1:])


def test_reported_curves_are_results_at_lower_rungs():
    """Full trainings that report every step already score every bracket's starting budget."""
    algo = BOHBGP(space(), seed=0, max_iter=27, min_points=4)
    drive(algo, 4, toy, curves=True)
    scores = algo.bracket_scores()
    assert scores is not None and set(scores) == {0, 1, 2, 3}
    without = BOHBGP(space(), seed=0, max_iter=27, min_points=4)
    drive(without, 4, toy)
    assert set(without.bracket_scores() or {}) == {0}


def test_adaptive_fresh_instance_told_the_history_asks_the_same():
    live = BOHBGP(space(), seed=5, max_iter=27, min_points=4, n_iterations=None)
    history = drive(live, 60, crossing, curves=True)
    fresh = BOHBGP(space(), seed=5, max_iter=27, min_points=4, n_iterations=None)
    fresh.tell(list(reversed(history)))
    assert [s.params for s in fresh.suggest(3)] == [s.params for s in live.suggest(3)]
    assert [s.meta for s in fresh.suggest(3)] == [s.meta for s in live.suggest(3)]


def test_bracket_rule_is_checked():
    with pytest.raises(AlgorithmError, match="bohb_gp.brackets: must be one of adaptive, hyperband"):
        BOHBGP(space(), brackets="random")


def test_trials_stored_under_the_old_name_rebuild_the_same_state():
    """Sweeps run while this algorithm was registered as ``bohb`` tagged their trials ``schedule: bohb``."""
    live = BOHBGP(space(), seed=2, max_iter=9, min_points=4)
    history = drive(live, 14)
    legacy = [replace(t, meta={**t.meta, "schedule": "bohb"}) for t in history]
    rebuilt = BOHBGP(space(), seed=2, max_iter=9, min_points=4)
    rebuilt.tell(legacy)
    assert [(s.params, s.meta) for s in rebuilt.suggest(3)] == [(s.params, s.meta) for s in live.suggest(3)]
    assert {s.meta["schedule"] for s in live.suggest(3)} == {"bohb_gp"}
