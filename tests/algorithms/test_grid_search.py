"""Grid search: order, skipping taken points, the n_experiments cap, and its errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

from hypersweep.algorithms import available, make_algorithm
from hypersweep.algorithms.grid import GridSearch
from hypersweep.algorithms.history import params_key, seen_trials
from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.records import Params, Trial, TrialState
from hypersweep.space import Space


def space12() -> Space:
    return Space.from_matrix(
        {"a": {"values": [1, 2, 3]}, "b": {"values": ["x", "y"]}, "c": {"range": [0, 4, 2]}}
    )


def running(i: int, params: Params) -> Trial:
    return Trial(id=i, params=params, state=TrialState.RUNNING)


def finished(i: int, params: Params, state: TrialState = TrialState.COMPLETED) -> Trial:
    value = None if state is TrialState.FAILED else float(i)
    return Trial(id=i, params=params, state=state, value=value)


def test_registered_under_both_names() -> None:
    assert "grid" in available()
    assert isinstance(make_algorithm("grid", space12()), GridSearch)
    assert isinstance(make_algorithm("grid_search", space12()), GridSearch)


def test_enumerates_the_grid_in_order_then_stops() -> None:
    space = space12()
    grid = GridSearch(space)
    assert grid.budget == grid.grid_size == 12
    asked = []
    for i in range(12):
        (params,) = grid.ask(1)
        asked.append(params)
        grid.tell([finished(i, params)])
    assert asked == space.grid()
    assert grid.ask(1) == []
    assert grid.ask(5) == []


def test_batch_is_a_prefix_of_the_grid() -> None:
    space = space12()
    assert GridSearch(space).ask(5) == space.grid()[:5]
    assert GridSearch(space).ask(100) == space.grid()


def test_pending_and_finished_points_are_skipped() -> None:
    space = space12()
    points = space.grid()
    grid = GridSearch(space)
    grid.tell([finished(0, points[1], TrialState.FAILED)])  # a failed point is not retried
    pending = [running(1, points[0]), running(2, points[3])]
    assert grid.ask(3, pending=pending) == [points[2], points[4], points[5]]


def test_duplicates_in_the_history_use_up_one_point() -> None:
    space = space12()
    points = space.grid()
    grid = GridSearch(space)
    # two trials with the same params take one grid point, not two
    grid.tell([finished(0, points[0]), finished(1, points[0])])
    assert grid.ask(2) == [points[1], points[2]]
    # a trial both finished and (stale) pending is one trial
    pending = [running(1, points[0]), running(2, points[1])]
    assert grid.ask(1, pending=pending) == [points[2]]


def test_points_outside_the_grid_are_ignored() -> None:
    space = space12()
    grid = GridSearch(space)
    grid.tell([finished(0, {"a": 99, "b": "x", "c": 0}), finished(1, {"a": 1})])
    assert grid.ask(2) == space.grid()[:2]


def test_history_survives_a_json_round_trip() -> None:
    space = space12()
    points = space.grid()
    stored = [json.loads(json.dumps(p)) for p in points[:4]]
    grid = GridSearch(space)
    grid.tell([finished(i, p) for i, p in enumerate(stored)])
    assert grid.ask(1) == [points[4]]


def test_params_key_identity_rules() -> None:
    assert params_key({"a": [32, 32]}) == params_key({"a": (32, 32)})
    assert params_key({"a": 2}) == params_key({"a": 2.0})
    assert params_key({"a": np.int64(3)}) == params_key({"a": 3})
    assert params_key({"a": True}) != params_key({"a": 1})
    assert params_key({"a": 1, "b": 2}) == params_key({"b": 2, "a": 1})
    assert params_key({"a": 1, "z": 5}, ["a"]) == params_key({"a": 1}, ["a"])
    assert params_key({}, ["a"]) != params_key({"a": None}, ["a"])


def test_seen_trials_counts_each_id_once() -> None:
    done = finished(0, {"a": 1})
    stale = running(0, {"a": 1})
    assert [t.state for t in seen_trials([done], [stale, running(1, {"a": 2})])] == [
        TrialState.COMPLETED, TrialState.RUNNING,
    ]


@pytest.mark.parametrize(("cap", "budget"), [(5, 5), (12, 12), (100, 12), (0.5, 6), (0.01, 1), (3.0, 3)])
def test_n_experiments_caps_the_grid(cap: float, budget: int) -> None:
    space = space12()
    grid = make_algorithm("grid_search", space, options={"n_experiments": cap})
    assert grid.budget == budget
    asked = grid.ask(100)
    assert asked == space.grid()[:budget]
    grid.tell([finished(i, p) for i, p in enumerate(asked)])
    assert grid.ask(1) == []


@pytest.mark.parametrize("bad", [0, -1, "3", True, 1.5, float("nan"), float("inf"), [3]])
def test_bad_n_experiments_is_refused(bad: object) -> None:
    with pytest.raises(AlgorithmError, match="n_experiments"):
        make_algorithm("grid", space12(), options={"n_experiments": bad})


def test_unknown_option_is_refused() -> None:
    with pytest.raises(AlgorithmError, match="grid"):
        make_algorithm("grid", space12(), options={"n_experiment": 3})


def test_continuous_space_names_the_dimension_and_the_fix() -> None:
    space = Space.from_matrix({"units": {"values": [32, 64]}, "lr": {"loguniform": [1e-4, 1e-1]}})
    with pytest.raises(SpecError) as info:
        GridSearch(space)
    message = str(info.value)
    assert "lr" in message and "random" in message and "discrete" in message
    assert "\n" not in message
    with pytest.raises(SpecError, match="lr"):
        make_algorithm("grid_search", space)


def test_seed_and_direction_change_nothing() -> None:
    space = space12()
    a = GridSearch(space, seed=0, direction="minimize").ask(6)
    b = GridSearch(space, seed=123, direction="maximize").ask(6)
    assert a == b


def test_settings_rebuild_the_same_search() -> None:
    space = space12()
    grid = GridSearch(space, n_experiments=4)
    assert grid.settings() == {"n_experiments": 4}
    assert GridSearch(space).settings() == {}
    rebuilt = make_algorithm("grid", space, options=grid.settings())
    assert rebuilt.budget == 4 and rebuilt.ask(10) == grid.ask(10)


def test_rebuilt_instance_continues_and_ends() -> None:
    space = space12()
    points = space.grid()
    history = [finished(i, p) for i, p in enumerate(points[:7])]
    live = GridSearch(space)
    for trial in history:
        live.tell([trial])
    fresh = GridSearch(space)
    fresh.tell(list(reversed(history)))
    assert fresh.ask(3) == live.ask(3) == points[7:10]
    everything = [finished(i, p) for i, p in enumerate(points)]
    fresh.tell(everything)
    assert fresh.ask(1) == []


def test_everything_pending_returns_nothing_for_now() -> None:
    space = space12()
    points = space.grid()
    grid = GridSearch(space)
    grid.tell([finished(i, p) for i, p in enumerate(points[:10])])
    pending = [running(10, points[10]), running(11, points[11])]
    assert grid.ask(2, pending=pending) == []
    assert grid.ask(2, pending=pending[:1]) == [points[11]]


@pytest.mark.parametrize("bad", [-1, 1.5, "2", None, True])
def test_bad_n_is_refused(bad: object) -> None:
    with pytest.raises(AlgorithmError, match="ask"):
        GridSearch(space12()).ask(bad)  # type: ignore[arg-type]


def test_suggestions_are_copies() -> None:
    space = space12()
    grid = GridSearch(space)
    (first,) = grid.ask(1)
    first["a"] = "changed"
    assert grid.ask(1) == space.grid()[:1]


def _reference(space: Space, finished_trials: list[Trial], pending: list[Trial], n: int) -> list[Params]:
    """The definition, computed naively: each trial takes the first free grid point equal to
    it; the free points follow in grid order, a batch holding no point twice."""
    names = space.names
    taken: dict[tuple, int] = {}
    for trial in seen_trials(finished_trials, pending):
        key = params_key(trial.params, names)
        taken[key] = taken.get(key, 0) + 1
    out: list[Params] = []
    for params in space.grid():
        key = params_key(params, names)
        if taken.get(key, 0) > 0:
            taken[key] -= 1
        elif len(out) < n and key not in {params_key(p, names) for p in out}:
            out.append(params)
    return out


class RepeatingGrid(Space):
    """A space whose grid lists every point twice (real spaces refuse duplicate levels),
    to pin down the multiset rule: each trial takes one occurrence of its point."""

    @property
    def grid_size(self) -> int:
        return 2 * super().grid_size  # type: ignore[operator]

    def iter_grid(self):  # type: ignore[no-untyped-def]
        for params in super().iter_grid():
            yield params
            yield dict(params)

    def grid(self) -> list[Params]:
        return list(self.iter_grid())


@pytest.mark.parametrize("repeating", [False, True])
def test_matches_the_naive_definition_on_random_histories(repeating: bool) -> None:
    space = RepeatingGrid(space12()) if repeating else space12()
    points = space.grid()
    rng = np.random.default_rng(0)
    for _ in range(60):
        grid = GridSearch(space)
        done: list[Trial] = []
        next_id = 0
        for _step in range(int(rng.integers(1, 8))):
            # finished trials in any order, with duplicates and off-grid params mixed in
            batch = []
            for _k in range(int(rng.integers(1, 4))):
                roll = rng.random()
                params = {"a": 7, "b": "x", "c": 0} if roll < 0.1 else points[int(rng.integers(len(points)))]
                batch.append(finished(next_id, params))
                next_id += 1
            grid.tell(batch)
            done.extend(batch)
            pending = [running(next_id + j, points[int(rng.integers(len(points)))]) for j in range(2)]
            pending.append(running(done[0].id, done[0].params))  # stale: already finished
            n = int(rng.integers(1, 5))
            assert grid.ask(n, pending=pending) == _reference(space, done, pending, n)


def test_a_huge_grid_is_enumerated_lazily() -> None:
    space = Space.from_matrix({f"x{i}": {"values": list(range(10))} for i in range(9)})  # 10^9 points
    grid = GridSearch(space, n_experiments=3)
    assert grid.grid_size == 10**9 and grid.budget == 3
    assert grid.ask(10) == [{**{f"x{i}": 0 for i in range(8)}, "x8": k} for k in range(3)]
    assert GridSearch(space).ask(2)[1]["x8"] == 1
