"""bohb: BOHB as published, Hyperband brackets with configurations from good/bad KDEs."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms.multifidelity.bohb import BOHB
from hypersweep.algorithms.multifidelity.hyperband import Hyperband
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Trial, TrialState

Objective = Callable[[dict, float], float]


def space(d: int = 4) -> hs.Space:
    return hs.Space({**{f"x{i}": hs.uniform(0, 1) for i in range(d)}, "k": hs.values(["a", "b", "c"])})


def quality(params: dict) -> float:
    """A bowl with its minimum at x = 0.3 and k = c."""
    xs = [v for name, v in params.items() if name.startswith("x")]
    return sum((x - 0.3) ** 2 for x in xs) + {"a": 0.2, "b": 0.1, "c": 0.0}[params["k"]]


def toy(params: dict, budget: float) -> float:
    """Low budgets rank like the top one: the same bowl plus a budget-dependent offset."""
    return quality(params) + 0.5 / budget


def drive(algo: Hyperband, objective: Objective = toy, n: int | None = None) -> list[Trial]:
    """Run trials one at a time until the schedule ends (or ``n`` trials)."""
    done: list[Trial] = []
    while n is None or len(done) < n:
        batch = algo.suggest(1)
        if not batch:
            break
        s = batch[0]
        trial = Trial(id=len(done), params=s.params, meta=s.meta, state=TrialState.COMPLETED,
                      value=objective(s.params, s.meta["budget"]))
        done.append(trial)
        algo.tell([trial])
    return done


def best_at_top(trials: list[Trial], top: float) -> float:
    return min(quality(t.params) for t in trials if t.meta["budget"] == top)


def test_the_kde_model_beats_random_configurations_at_equal_budget():
    seeds = range(5)
    kde = [best_at_top(drive(BOHB(space(), seed=s, max_iter=9, n_iterations=4)), 9) for s in seeds]
    rand = [best_at_top(drive(Hyperband(space(), seed=s, max_iter=9, n_iterations=4)), 9) for s in seeds]
    assert np.mean(kde) < 0.7 * np.mean(rand)


def test_random_fraction_one_is_hyperband():
    bohb = drive(BOHB(space(), seed=3, max_iter=9, n_iterations=2, random_fraction=1.0))
    hyperband = drive(Hyperband(space(), seed=3, max_iter=9, n_iterations=2))
    assert [t.params for t in bohb] == [t.params for t in hyperband]


def at_budget(budget: float, n: int, first_id: int) -> list[Trial]:
    """``n`` completed trials at ``budget``, as a bohb sweep stores them."""
    rng = np.random.default_rng(first_id)
    out = []
    for i in range(n):
        params = space().sample(rng)
        meta = {"schedule": "bohb", "iteration": 0, "bracket": 0, "rung": 0, "config": first_id + i, "budget": budget}
        out.append(Trial(id=first_id + i, params={**params, "budget": budget}, meta=meta,
                         state=TrialState.COMPLETED, value=toy(params, budget)))
    return out


def test_the_model_is_fitted_on_the_largest_budget_with_enough_points():
    algo = BOHB(space(), seed=0, max_iter=9, min_points_in_model=3)  # both groups need 3: 6 results
    assert algo.model is None
    algo.tell(at_budget(1.0, 9, 0))
    assert algo.model is not None and algo.model.budget == 1.0
    algo.tell(at_budget(3.0, 6, 100) + at_budget(9.0, 5, 200))
    assert algo.model.budget == 3.0  # budget 9 has 5 results: not enough
    algo.tell(at_budget(9.0, 1, 300))
    assert algo.model.budget == 9.0


def test_good_and_bad_groups_follow_top_n_percent_with_n_min_floors():
    algo = BOHB(space(), seed=0, max_iter=9, min_points_in_model=3, top_n_percent=15)
    algo.tell(at_budget(1.0, 40, 0))
    model = algo.model
    assert model is not None
    assert model.good.data.shape[0] == 6 and model.bad.data.shape[0] == 34  # 15% of 40; the rest (85%)
    losses = sorted(toy(t.params, 1.0) for t in at_budget(1.0, 40, 0))
    good = sorted(quality(p) + 0.5 for p in algo.kde_space.decode(model.good.data))
    assert good == pytest.approx(losses[:6])


def test_failed_trials_count_as_bad_results():
    algo = BOHB(space(), seed=0, max_iter=9, min_points_in_model=3)
    trials = at_budget(1.0, 6, 0)
    failed = [Trial(id=t.id, params=t.params, meta=t.meta, state=TrialState.FAILED) for t in trials[:3]]
    algo.tell(failed + trials[3:])
    model = algo.model
    assert model is not None
    kept = {tuple(row) for row in model.good.data}
    assert kept == {tuple(row) for row in algo.kde_space.encode([algo._config_of(t.params) for t in trials[3:]])}


def test_same_seed_same_run_and_a_fresh_instance_told_the_history_asks_the_same():
    live = BOHB(space(), seed=1, max_iter=9, n_iterations=2, min_points_in_model=3)
    history = drive(live, n=25)
    again = drive(BOHB(space(), seed=1, max_iter=9, n_iterations=2, min_points_in_model=3), n=25)
    assert [t.params for t in again] == [t.params for t in history]
    assert live.model is not None
    pending = [Trial(id=25, params=s.params, meta=s.meta, state=TrialState.RUNNING) for s in live.suggest(1)]
    fresh = BOHB(space(), seed=1, max_iter=9, n_iterations=2, min_points_in_model=3)
    fresh.tell(list(reversed(history)))
    assert [(s.params, s.meta) for s in fresh.suggest(3, pending=pending)] == [
        (s.params, s.meta) for s in live.suggest(3, pending=pending)
    ]


def test_a_batch_of_model_configurations_is_distinct_on_a_small_discrete_space():
    small = hs.Space({"a": hs.values([1, 2, 3]), "b": hs.values(["x", "y"]), "c": hs.range(0, 4, 1)})
    algo = BOHB(small, seed=0, max_iter=9, random_fraction=0.0, min_points_in_model=2)
    history = drive(algo, lambda p, b: p["a"] + p["c"] + 1 / b, n=9)  # bracket 2's rung 0: the model exists
    running = [Trial(id=9 + i, params=s.params, meta=s.meta, state=TrialState.RUNNING)
               for i, s in enumerate(algo.suggest(3))]  # bracket 2's rung 1
    batch = algo.suggest(5, pending=running)  # bracket 1's configurations, all from the model
    assert {s.meta["rung"] for s in batch} == {0}
    keys = {(s.params["a"], s.params["b"], s.params["c"]) for s in batch}
    seen = {(t.params["a"], t.params["b"], t.params["c"]) for t in history}
    assert len(keys) == 5 and not keys & seen


@pytest.mark.parametrize("bad, field", [
    ({"top_n_percent": 0}, "top_n_percent"), ({"top_n_percent": 100}, "top_n_percent"),
    ({"num_samples": 2.5}, "num_samples"), ({"random_fraction": 1.5}, "random_fraction"),
    ({"bandwidth_factor": 0}, "bandwidth_factor"), ({"min_bandwidth": math.inf}, "min_bandwidth"),
    ({"min_points_in_model": 0}, "min_points_in_model"),
])
def test_options_are_checked(bad: dict, field: str):
    with pytest.raises(AlgorithmError, match=rf"^bohb\.{field}: "):
        BOHB(space(), **bad)
