"""freeze_thaw: configurations paused and resumed by a learning-curve model (pause, thaw, freeze)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms import make_algorithm
from hypersweep.algorithms.multifidelity.cost import resource_spent
from hypersweep.algorithms.multifidelity.curve_model import fit_level, probability_below
from hypersweep.algorithms.multifidelity.freeze_thaw import FreezeThaw
from hypersweep.records import Report, Trial, TrialState

OPTIMUM = (0.3, 0.6)


def space() -> hs.Space:
    return hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})


def curve_value(params: dict, epoch: float) -> float:
    """A learning curve: falls with epochs towards a floor set by the distance to the optimum."""
    floor = (params["x"] - OPTIMUM[0]) ** 2 + (params["y"] - OPTIMUM[1]) ** 2
    return floor + 0.5 / math.sqrt(epoch)


def drive(algo: FreezeThaw, epochs: float, workers: int = 1) -> list[Trial]:
    """Run trials (``workers`` at a time, finishing in order) until they trained ``epochs`` epochs."""
    trials: list[Trial] = []
    running: list[Trial] = []
    while resource_spent(trials, "epochs") < epochs:
        while len(running) < workers:
            (s,) = algo.suggest(1, pending=running)
            running.append(Trial(id=len(trials) + len(running), params=s.params, meta=s.meta, state=TrialState.RUNNING))
        trial, running = running[0], running[1:]
        budget = trial.params["epochs"]
        start = trial.meta.get("parent_budget", 0) if trial.meta.get("resume") else 0
        reports = tuple(Report(e, curve_value(trial.params, e)) for e in range(int(start) + 1, budget + 1))
        done = replace(trial, state=TrialState.COMPLETED, value=curve_value(trial.params, budget), reports=reports)
        trials.append(done)
        algo.tell([done])
    return trials


def make(**options) -> FreezeThaw:
    base = {"max_iter": 27, "eta": 3, "resource": {"name": "epochs", "type": "int"}, "resume": True}
    return FreezeThaw(space(), seed=3, **{**base, **options})


def test_configurations_climb_the_ladder_and_resume_their_parent():
    algo = make()
    trials = drive(algo, 27 * 12)
    by_id = {t.id: t for t in trials}
    assert {t.params["epochs"] for t in trials} == {3, 9, 27}  # the ladder skips Hyperband's smallest rung
    continued = [t for t in trials if "parent" in t.meta]
    assert continued, "no configuration was ever resumed"
    for t in continued:
        parent = by_id[t.meta["parent"]]
        assert parent.meta["config"] == t.meta["config"]
        assert t.params["epochs"] > parent.params["epochs"] and t.meta["resume"] is True
        assert {k: v for k, v in t.params.items() if k != "epochs"} == {k: v for k, v in parent.params.items() if k != "epochs"}
    # a bootstrap of several cheap configurations comes first
    assert [t.params["epochs"] for t in trials[: algo.n_bootstrap]] == [3] * algo.n_bootstrap


def test_curves_are_frozen_when_the_model_is_sure_they_lose_and_search_improves():
    algo = make()
    trials = drive(algo, 27 * 25)
    configs = {t.meta["config"] for t in trials}
    finals = [t for t in trials if t.params["epochs"] == 27]
    assert len(finals) < 0.5 * len(configs), "most configurations should stop before the top budget"
    best = min(finals, key=lambda t: t.value)
    assert math.hypot(best.params["x"] - OPTIMUM[0], best.params["y"] - OPTIMUM[1]) < 0.1
    assert algo.curves()[best.meta["config"]].values[algo.top] == pytest.approx(best.value)
    # the paused configurations the model still gives a chance are few: the others are frozen
    candidates, frozen = algo._candidates(algo.curves())
    assert len(candidates) < len(frozen)


def test_same_seed_same_suggestions_and_a_rebuilt_instance_continues_alike():
    trials = drive(make(), 27 * 12)
    again = drive(make(), 27 * 12)
    assert [t.params for t in trials] == [t.params for t in again]
    live, rebuilt = make(), make()
    live.tell(trials)
    rebuilt.tell(list(reversed(trials)))
    assert [s.params for s in live.suggest(3)] == [s.params for s in rebuilt.suggest(3)]


def test_workers_get_distinct_configurations_and_running_ones_are_not_continued():
    algo = make()
    trials = drive(algo, 27 * 15, workers=4)
    running = [Trial(id=len(trials) + i, params=s.params, meta=s.meta, state=TrialState.RUNNING)
               for i, s in enumerate(algo.suggest(4))]
    assert len({r.meta["config"] for r in running}) == 4
    more = algo.suggest(4, pending=running)
    assert not {s.meta["config"] for s in more} & {r.meta["config"] for r in running}


def test_without_resume_a_higher_budget_is_a_fresh_trial_costing_its_whole_budget():
    algo = make(resume=False)
    trials = drive(algo, 27 * 10)
    continued = [t for t in trials if "parent" in t.meta]
    assert continued and all(t.meta["resume"] is False for t in continued)
    assert resource_spent(trials, "epochs") == sum(t.params["epochs"] for t in trials)


def test_min_iter_skips_the_cheapest_rungs_and_options_are_checked():
    assert make(min_iter=1).ladder == [1, 3, 9, 27]
    assert make(min_iter=9).ladder == [9, 27]
    with pytest.raises(hs.HypersweepError, match="stop_probability"):
        make(stop_probability=2)


def test_level_model_is_unsure_with_few_or_scattered_curves_and_sure_with_a_clear_trend():
    rng = np.random.default_rng(0)
    assert fit_level([{0: 1.0, 1: 0.5}] * 3, 0, 1) is None  # too few complete curves
    clear = [{0: v, 1: v - 0.2} for v in rng.uniform(0.3, 1.0, 30)]
    model = fit_level(clear, 0, 1)
    mean, std = model.predict({0: 0.9})
    assert mean == pytest.approx(0.7, abs=0.01)
    assert probability_below(mean, std, 0.2) < 1e-6  # a curve at 0.9 cannot end below 0.2
    scattered = [{0: v, 1: float(rng.uniform(0, 1))} for v in rng.uniform(0.3, 1.0, 30)]
    mean, std = fit_level(scattered, 0, 1).predict({0: 0.9})
    assert probability_below(mean, std, 0.2) > 0.05


def test_multifidelity_resolves_to_the_recommended_algorithm():
    algo = make_algorithm("multifidelity", space(), options={"max_iter": 9})
    assert algo.name == "freeze_thaw"
