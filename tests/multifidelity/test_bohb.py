"""BOHB: Hyperband brackets with configurations from a GP over (config, budget)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms.multifidelity.bohb import BOHB
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Trial, TrialState

OPTIMUM = (0.2, 0.7)


def toy(params: dict, budget: float) -> float:
    """Low budgets are informative: the same bowl plus a budget-dependent offset."""
    return (params["x"] - OPTIMUM[0]) ** 2 + (params["y"] - OPTIMUM[1]) ** 2 + 0.5 / budget


def space() -> hs.Space:
    return hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})


def drive(algo: BOHB, n: int) -> list[Trial]:
    """Run ``n`` trials one at a time; returns the finished trials."""
    done: list[Trial] = []
    for i in range(n):
        (s,) = algo.suggest(1)
        trial = Trial(id=i, params=s.params, meta=s.meta, state=TrialState.RUNNING)
        done.append(replace(trial, state=TrialState.COMPLETED, value=toy(s.params, s.meta["budget"])))
        algo.tell([done[-1]])
    return done


def distance(t: Trial) -> float:
    return float(np.hypot(t.params["x"] - OPTIMUM[0], t.params["y"] - OPTIMUM[1]))


def test_model_proposals_concentrate_near_the_optimum():
    algo = BOHB(space(), seed=0, max_iter=9, eta=3, n_iterations=3, random_fraction=0.0, min_points=4)
    trials = drive(algo, algo.budget)  # type: ignore[arg-type]
    fresh = [t for t in trials if t.meta["rung"] == 0]
    first, later = fresh[:4], fresh[12:]  # random start vs proposals of the model
    assert np.mean([distance(t) for t in later]) < 0.5 * np.mean([distance(t) for t in first])
    assert min(distance(t) for t in trials if t.meta["budget"] == 9) < 0.05


def test_same_seed_same_run_and_other_seed_differs():
    a = drive(BOHB(space(), seed=3, max_iter=9, min_points=4), 16)
    b = drive(BOHB(space(), seed=3, max_iter=9, min_points=4), 16)
    c = drive(BOHB(space(), seed=4, max_iter=9, min_points=4), 16)
    assert [t.params for t in a] == [t.params for t in b]
    assert [t.params for t in a] != [t.params for t in c]


def test_fresh_instance_told_the_history_asks_the_same():
    live = BOHB(space(), seed=1, max_iter=9, min_points=4, random_fraction=0.0)
    history = drive(live, 15)
    pending = [Trial(id=15, params=live.suggest(1)[0].params, meta=live.suggest(1)[0].meta, state=TrialState.RUNNING)]
    fresh = BOHB(space(), seed=1, max_iter=9, min_points=4, random_fraction=0.0)
    fresh.tell(list(reversed(history)))
    assert [s.params for s in fresh.suggest(3, pending=pending)] == [s.params for s in live.suggest(3, pending=pending)]


def test_batch_of_model_proposals_is_distinct():
    algo = BOHB(space(), seed=2, max_iter=9, n_iterations=2, min_points=4, random_fraction=0.0)
    drive(algo, 22)  # the first iteration: the second starts with model proposals
    batch = algo.suggest(4)
    assert {s.meta["rung"] for s in batch} == {0}
    assert len({(s.params["x"], s.params["y"]) for s in batch}) == 4


@pytest.mark.parametrize("bad", [-0.1, 1.5, "x"])
def test_random_fraction_is_checked(bad):
    with pytest.raises(AlgorithmError, match="bohb.random_fraction"):
        BOHB(space(), random_fraction=bad)
