"""ASHA: promotions without waiting for a rung to fill, the top rung at max_iter."""
from __future__ import annotations

from collections import Counter

import hypersweep as hs
from hypersweep.algorithms.multifidelity.asha import rung_budgets


def test_rung_budgets_end_exactly_at_max_iter():
    assert rung_budgets(1, 81, 3) == [1, 3, 9, 27, 81]
    assert rung_budgets(1, 52, 3) == [1, 3, 9, 27, 52]
    assert rung_budgets(2, 2, 3) == [2]


def test_promotes_the_best_of_the_top_third_while_others_still_run():
    space = hs.Space({"x": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="asha", options={"max_iter": 9, "min_iter": 1, "eta": 3})
    running = [sweep.ask() for _ in range(5)]
    assert {t.meta["rung"] for t in running} == {0}
    for t in running[:3]:  # 3 completed at rung 0, 2 still running: the best third (1) moves up now
        sweep.tell(t, t.params["x"])
    promoted = sweep.ask()
    best = min(running[:3], key=lambda t: t.params["x"])
    assert (promoted.meta["rung"], promoted.meta["parent"], promoted.params["budget"]) == (1, best.id, 3.0)
    assert promoted.params["x"] == best.params["x"]
    assert sweep.ask().meta["rung"] == 0  # nothing else promotable: a new configuration, no waiting
    assert not sweep.waiting


def test_a_long_sequential_run_fills_rungs_geometrically():
    space = hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})
    sweep = hs.Sweep(space, algorithm="asha", options={"max_iter": 27, "min_iter": 1, "eta": 3, "n_experiments": 120}, seed=1)
    while (trial := sweep.ask()) is not None:
        sweep.tell(trial, (trial.params["x"] - 0.2) ** 2 + (trial.params["y"] - 0.7) ** 2 + 1 / trial.params["budget"])
    per_rung = Counter(t.meta["rung"] for t in sweep.trials)
    assert sum(per_rung.values()) == 120
    assert per_rung[0] > per_rung[1] > per_rung[2] > per_rung[3] >= 1
    top = [t for t in sweep.trials if t.meta["rung"] == 3]
    assert all(t.params["budget"] == 27 for t in top)
    # the configurations that reached the top are among the best at rung 0
    rung0 = sorted((t.value, t.meta["config"]) for t in sweep.trials if t.meta["rung"] == 0)
    best_third = {c for _, c in rung0[: len(rung0) // 3 + 1]}
    assert {t.meta["config"] for t in top} <= best_third
