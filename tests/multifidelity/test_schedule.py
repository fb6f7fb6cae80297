"""Hyperband's schedule against the JMLR paper's Table 1 (R = 81, eta = 3), run through a Sweep."""
from __future__ import annotations

from collections import Counter

import pytest

import hypersweep as hs
from hypersweep.algorithms.multifidelity.schedule import bracket, hyperband_brackets, keep, max_bracket
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import TrialState


def test_table_1_brackets_and_rungs():
    brackets = hyperband_brackets(81, 3)
    assert [b.s for b in brackets] == [4, 3, 2, 1, 0]
    assert [(b.rungs[0].n, b.rungs[0].budget) for b in brackets] == [(81, 1), (34, 3), (15, 9), (8, 27), (5, 81)]
    # the often-copied slide's 27 (not 34) and 6 (not 8) do not follow from Algorithm 1
    assert [[r.n for r in b.rungs] for b in brackets] == [[81, 27, 9, 3, 1], [34, 11, 3, 1], [15, 5, 1], [8, 2], [5]]
    assert sum(b.n_trials for b in brackets) == 206


def test_schedule_edge_cases():
    assert max_bracket(243, 3) == 5 and max_bracket(242.9, 3) == 4 and max_bracket(1, 3) == 0
    assert [r.budget for r in bracket(3, 52, 3).rungs] == pytest.approx([52 / 27, 52 / 9, 52 / 3, 52])
    assert keep(5, 3) == 1 and keep(2, 3) == 0 and keep(9, 3) == 3


def _run_sequentially(sweep: hs.Sweep, objective) -> list:
    order = []
    while (trial := sweep.ask()) is not None:
        order.append(trial)
        sweep.tell(trial, objective(trial.params))
    return order


def test_one_hyperband_iteration_trains_exactly_table_1():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="hyperband", options={"max_iter": 81, "eta": 3, "resource": {"name": "epochs", "type": "int"}})
    trials = _run_sequentially(sweep, lambda p: (p["x"] - 0.3) ** 2 + 1.0 / p["epochs"])
    assert sweep.algorithm.waiting is False
    assert len(trials) == 206
    per_budget = Counter(t.params["epochs"] for t in trials)
    assert per_budget == {1: 81, 3: 61, 9: 35, 27: 19, 81: 10}
    assert all(t.meta["budget"] == t.params["epochs"] for t in trials)
    # brackets run in Algorithm 1's order with one worker, and start 81/34/15/8/5 configurations
    firsts = [t.meta["bracket"] for t in trials]
    assert firsts == sorted(firsts, reverse=True)
    starts = Counter(t.meta["bracket"] for t in trials if t.meta["rung"] == 0)
    assert [starts[s] for s in (4, 3, 2, 1, 0)] == [81, 34, 15, 8, 5]


def test_promotions_are_the_best_of_each_rung():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="hyperband", options={"max_iter": 27, "eta": 3}, seed=3)
    trials = _run_sequentially(sweep, lambda p: abs(p["x"] - 0.5))
    by_id = {t.id: t for t in sweep.trials}
    for s in {t.meta["bracket"] for t in trials}:
        rungs = sorted({t.meta["rung"] for t in trials if t.meta["bracket"] == s})
        for i in rungs[1:]:
            promoted = [t for t in trials if t.meta["bracket"] == s and t.meta["rung"] == i]
            below = sorted(
                (by_id[t.id].value, t.meta["config"]) for t in trials if t.meta["bracket"] == s and t.meta["rung"] == i - 1
            )
            assert sorted(t.meta["config"] for t in promoted) == sorted(c for _, c in below[: len(promoted)])
            for t in promoted:
                parent = by_id[t.meta["parent"]]
                assert parent.meta["rung"] == i - 1 and parent.params["x"] == t.params["x"]
                assert t.meta["parent_budget"] == parent.meta["budget"] and t.meta["resume"] is False


def test_failed_trials_are_never_promoted_and_a_full_rung_waits():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="successive_halving", options={"max_iter": 9, "eta": 3})
    first = [sweep.ask() for _ in range(9)]  # rung 0 of the only bracket: 9 configurations at budget 1
    assert [t.meta["rung"] for t in first] == [0] * 9
    assert sweep.ask() is None and sweep.waiting  # all 9 running: nothing until they finish
    for t in first[:8]:
        sweep.tell(t, t.params["x"])
    best = min(first, key=lambda t: t.params["x"])
    sweep.tell(first[8], hs.Failed("diverged"))  # would it have been best? it never counts
    promoted = [sweep.ask() for _ in range(3)]
    expected = sorted((t.params["x"], t.id) for t in first[:8])[:3]
    assert sorted(t.meta["parent"] for t in promoted) == sorted(i for _, i in expected)
    assert first[8].id not in {t.meta["parent"] for t in promoted} and best in first
    assert {t.params["budget"] for t in promoted} == {3.0}


def test_parallel_workers_start_the_next_bracket_instead_of_idling():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="hyperband", options={"max_iter": 9, "eta": 3})
    started = [sweep.ask() for _ in range(11)]  # bracket 2 has 9 configurations, then bracket 1 starts
    assert [t.meta["bracket"] for t in started] == [2] * 9 + [1] * 2


def test_bad_options_name_the_field():
    space = hs.Space({"epochs": hs.uniform(0, 1)})
    with pytest.raises(AlgorithmError, match=r"hyperband\.eta: must be a finite number > 1"):
        hs.Sweep(space, algorithm="hyperband", options={"eta": 1})
    with pytest.raises(AlgorithmError, match=r"hyperband\.max_iter"):
        hs.Sweep(space, algorithm="hyperband", options={"max_iter": 0})
    with pytest.raises(AlgorithmError, match=r"resource\.name: 'epochs' is also a matrix parameter"):
        hs.Sweep(space, algorithm="hyperband", options={"resource": {"name": "epochs", "type": "int"}})
    with pytest.raises(AlgorithmError, match=r"resource\.type: must be 'int' or 'float'"):
        hs.Sweep(space, algorithm="asha", options={"resource": {"name": "steps", "type": "long"}})
    with pytest.raises(AlgorithmError, match=r"successive_halving\.bracket: must be an integer in \[0, 4\]"):
        hs.Sweep(space, algorithm="successive_halving", options={"bracket": 7})
    with pytest.raises(AlgorithmError, match=r"asha\.min_iter: must be at most max_iter"):
        hs.Sweep(space, algorithm="asha", options={"max_iter": 9, "min_iter": 10})


def test_states_other_than_completed_count_as_done():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="successive_halving", options={"max_iter": 3, "eta": 3})
    rung0 = [sweep.ask() for _ in range(sweep.algorithm.brackets[0].rungs[0].n)]
    for t in rung0:
        sweep.tell(t, hs.Failed("boom"))
    assert sweep.ask() is None and not sweep.waiting  # nothing completed: nothing to promote, done
    assert {t.state for t in sweep.trials} == {TrialState.FAILED}


def test_the_best_trial_of_a_multi_fidelity_sweep_is_at_the_largest_budget():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="successive_halving", options={"max_iter": 9, "eta": 3})
    # lower budgets look better here (loss grows with budget): the answer still comes from budget 9
    trials = _run_sequentially(sweep, lambda p: p["x"] + p["budget"])
    assert sweep.best.params["budget"] == 9 and sweep.best.value == min(t.params["x"] + 9 for t in trials if t.params["budget"] == 9)


def test_a_copied_multi_fidelity_sweep_keeps_its_schedule_and_continues():
    from hypersweep.api import copy_sweep

    space = hs.Space({"x": hs.uniform(0, 1)})
    options = {"max_iter": 9, "eta": 3, "n_iterations": 2}
    sweep = hs.Sweep(space, algorithm="hyperband", options=options, name="src")
    first = [sweep.ask() for _ in range(9)]
    sweep.ask()  # a pending trial of bracket 1: not copied
    for t in first:
        sweep.tell(t, t.params["x"])
    promoted = [sweep.ask() for _ in range(3)]
    for t in promoted:
        sweep.tell(t, t.params["x"] + 1)
    copy = copy_sweep("src", "dst", storage=sweep.storage)
    copied = {t.meta["config"]: t for t in copy.trials if t.meta["rung"] == 1}
    by_id = {t.id: t for t in copy.trials}
    for t in copied.values():  # parents point at the parents' copies
        assert by_id[t.meta["parent"]].meta["rung"] == 0 and by_id[t.meta["parent"]].params["x"] == t.params["x"]
    nxt = copy.ask()  # bracket 2 continues at rung 2 with the best promoted configuration
    assert (nxt.meta["bracket"], nxt.meta["rung"]) == (2, 2)
    assert by_id[nxt.meta["parent"]].params["x"] == min(t.params["x"] for t in promoted)
