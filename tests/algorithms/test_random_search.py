"""Random search: budget, no repeats where the space allows, determinism."""
from __future__ import annotations

import math

import numpy as np
import pytest

from hypersweep.algorithms import available, make_algorithm
from hypersweep.algorithms.history import params_key
from hypersweep.algorithms.random import RandomSearch
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Params, Trial, TrialState
from hypersweep.space import Space


def mixed() -> Space:
    return Space.from_matrix(
        {
            "lr": {"loguniform": [1e-4, 1e-1]},
            "units": {"values": [32, 64, 128]},
            "act": {"values": ["relu", "tanh"]},
            "drop": {"uniform": [0, 0.5]},
        }
    )


def six() -> Space:
    return Space.from_matrix({"a": {"values": [1, 2]}, "b": {"values": ["x", "y", "z"]}})


def running(i: int, params: Params) -> Trial:
    return Trial(id=i, params=params, state=TrialState.RUNNING)


def finished(i: int, params: Params, state: TrialState = TrialState.COMPLETED) -> Trial:
    value = None if state is TrialState.FAILED else float(i)
    return Trial(id=i, params=params, state=state, value=value)


def keys(space: Space, batch: list[Params]) -> list[tuple]:
    return [params_key(p, space.names) for p in batch]


def test_registered_under_both_names() -> None:
    assert "random" in available()
    assert isinstance(make_algorithm("random", mixed()), RandomSearch)
    assert isinstance(make_algorithm("random_search", mixed(), options={"n_experiments": 3}), RandomSearch)


def test_large_batch_is_distinct_and_legal() -> None:
    space = mixed()
    batch = RandomSearch(space, seed=0).ask(200)
    assert len(batch) == 200
    assert len(set(keys(space, batch))) == 200
    for params in batch:
        space.validate(params)


def test_n_experiments_counts_every_trial_seen() -> None:
    space = mixed()
    search = make_algorithm("random_search", space, options={"n_experiments": 5})
    assert search.budget == 5 and search.settings() == {"n_experiments": 5}
    first = search.ask(3)
    search.tell([finished(0, first[0]), finished(1, first[1], TrialState.FAILED)])
    pending = [running(2, first[2])]
    assert len(search.ask(10, pending=pending)) == 2  # 3 seen, 5 allowed
    more = search.ask(2, pending=pending)
    search.tell([finished(3, more[0]), finished(4, more[1])])
    assert search.ask(1, pending=pending) == []


def test_unbounded_without_n_experiments() -> None:
    search = RandomSearch(mixed())
    assert search.budget is None and search.settings() == {}


def test_discrete_space_is_sampled_without_replacement_then_exhausts() -> None:
    space = six()
    search = RandomSearch(space, seed=3)
    assert search.budget == 6
    asked = []
    for i in range(6):
        (params,) = search.ask(1)
        asked.append(params)
        search.tell([finished(i, params)])
    assert sorted(keys(space, asked)) == sorted(keys(space, space.grid()))
    assert search.ask(1) == []
    assert sorted(keys(space, RandomSearch(space, seed=1).ask(10))) == sorted(keys(space, space.grid()))


def test_discrete_budget_is_capped_by_the_grid() -> None:
    assert RandomSearch(six(), n_experiments=4).budget == 4
    assert RandomSearch(six(), n_experiments=40).budget == 6


def test_discrete_points_pending_are_not_repeated() -> None:
    space = six()
    points = space.grid()
    search = RandomSearch(space, seed=0)
    pending = [running(i, p) for i, p in enumerate(points[:4])]
    batch = search.ask(4, pending=pending)
    assert sorted(keys(space, batch)) == sorted(keys(space, points[4:]))
    pending_all = [running(i, p) for i, p in enumerate(points)]
    assert search.ask(1, pending=pending_all) == []


def test_effectively_finite_space_avoids_repeats_then_allows_them() -> None:
    # quniform [0, 1, 0.5] holds three values but is not a discrete kind: never runs dry
    space = Space.from_matrix({"q": {"quniform": [0, 1, 0.5]}})
    search = RandomSearch(space, seed=0)
    batch = search.ask(3)
    assert len(set(keys(space, batch))) == 3
    assert len(search.ask(5)) == 5


def test_same_seed_same_history_same_suggestions() -> None:
    space = mixed()
    a, b = RandomSearch(space, seed=11), RandomSearch(space, seed=11)
    assert a.ask(4) == b.ask(4)
    history = [finished(i, p) for i, p in enumerate(a.ask(3))]
    a.tell(history)
    b.tell(list(reversed(history)))
    pending = [running(3, space.sample(0))]
    assert a.ask(2, pending=pending) == b.ask(2, pending=pending)


def test_other_seed_other_suggestions() -> None:
    space = mixed()
    assert RandomSearch(space, seed=1).ask(3) != RandomSearch(space, seed=2).ask(3)


def test_new_trials_give_new_draws() -> None:
    space = mixed()
    search = RandomSearch(space, seed=0)
    (first,) = search.ask(1)
    (second,) = search.ask(1, pending=[running(0, first)])
    assert params_key(first, space.names) != params_key(second, space.names)
    search.tell([finished(0, first)])
    (third,) = search.ask(1, pending=[running(1, second)])
    assert params_key(third, space.names) not in {params_key(p, space.names) for p in (first, second)}


def test_batch_prefix_is_stable() -> None:
    space = mixed()
    assert RandomSearch(space, seed=5).ask(4)[:1] == RandomSearch(space, seed=5).ask(1)


def test_draws_follow_the_distributions() -> None:
    space = Space.from_matrix(
        {"lr": {"loguniform": [1e-4, 1.0]}, "c": {"pvalues": [["a", 0.8], ["b", 0.2]]}, "u": {"uniform": [0, 1]}}
    )
    batch = RandomSearch(space, seed=0).ask(2000)
    logs = np.log10([p["lr"] for p in batch])
    assert abs(np.median(logs) - (-2.0)) < 0.2  # log-uniform: the median exponent is the middle
    share_a = sum(p["c"] == "a" for p in batch) / len(batch)
    assert abs(share_a - 0.8) < 0.05
    assert abs(np.mean([p["u"] for p in batch]) - 0.5) < 0.05


@pytest.mark.parametrize("bad", [0, -2, 0.5, "10", True, math.nan])
def test_bad_n_experiments_is_refused(bad: object) -> None:
    with pytest.raises(AlgorithmError, match="n_experiments"):
        make_algorithm("random", mixed(), options={"n_experiments": bad})


def test_unknown_option_is_refused() -> None:
    with pytest.raises(AlgorithmError, match="random"):
        make_algorithm("random", mixed(), options={"num_runs": 3})


def test_a_huge_discrete_space_is_not_enumerated() -> None:
    space = Space.from_matrix({f"x{i}": {"values": list(range(10))} for i in range(9)})  # 10^9 points
    search = RandomSearch(space, seed=0)
    assert search.budget == 10**9
    batch = search.ask(100)
    assert len(set(keys(space, batch))) == 100


def test_stale_pending_trials_count_once() -> None:
    space = mixed()
    search = RandomSearch(space, seed=0, n_experiments=3)
    first = search.ask(2)
    search.tell([finished(0, first[0])])
    stale = [running(0, first[0]), running(1, first[1]), running(1, first[1])]
    assert len(search.ask(5, pending=stale)) == 1  # ids 0 and 1 seen: one left of three
