"""Sweep.run(callbacks=...) after every finished trial, and sweep.enqueue(params) to try first."""
import logging
import os

import pytest

import hypersweep as hs

SPACE = hs.Space({"x": hs.values([1, 2, 3, 4]), "k": hs.uniform(0.0, 1.0)})


def by_x(params, trial):
    if params["x"] == 2:
        raise RuntimeError("x=2 breaks")
    if params["x"] == 3:
        trial.report(0, 100.0)  # the threshold pruner stops it
        return 100.0
    return float(params["x"])


def test_callbacks_see_every_finished_trial_in_the_driver():
    sweep = hs.Sweep({"x": hs.values([1, 2, 3, 4])}, algorithm="grid", metric="loss",
                     pruner=hs.ThresholdPruner(upper=50.0))
    seen = []

    def record(got_sweep, trial):
        assert got_sweep is sweep
        seen.append((trial.params["x"], trial.state, os.getpid()))

    sweep.run(by_x, n_trials=4, concurrency=2, progress=False, callbacks=[record])
    assert sorted(x for x, _, _ in seen) == [1, 2, 3, 4]
    states = {x: state for x, state, _ in seen}
    assert states == {1: hs.TrialState.COMPLETED, 2: hs.TrialState.FAILED, 3: hs.TrialState.PRUNED,
                      4: hs.TrialState.COMPLETED}
    assert {pid for _, _, pid in seen} == {os.getpid()}


def test_a_failing_callback_is_logged_and_loses_no_trial(caplog):
    sweep = hs.Sweep(SPACE, algorithm="random", metric="loss", seed=0)

    def broken(sweep, trial):
        raise ValueError("my logging backend is down")

    with caplog.at_level(logging.ERROR, logger="hypersweep.runner"):
        summary = sweep.run(lambda p: p["k"], n_trials=3, progress=False, callbacks=[broken])
    assert summary.finished == {hs.TrialState.COMPLETED: 3}
    assert all(t.state is hs.TrialState.COMPLETED for t in sweep.trials)
    assert sum("my logging backend is down" in r.exc_text for r in caplog.records if r.exc_text) == 3


def test_callbacks_must_be_callable():
    with pytest.raises(hs.HypersweepError, match="^callbacks: "):
        hs.Sweep(SPACE, metric="loss").run(lambda p: 1.0, n_trials=1, progress=False, callbacks=["print"])


def test_enqueued_params_run_first_then_suggestions():
    sweep = hs.Sweep(SPACE, algorithm="random", metric="loss", seed=0)
    queued = sweep.enqueue({"x": 4.0, "k": 0.25})
    assert queued.state is hs.TrialState.WAITING and queued.params == {"x": 4, "k": 0.25}
    sweep.run(lambda p: p["x"] + p["k"], n_trials=3, progress=False)
    trials = sweep.trials
    assert (trials[0].params, trials[0].value) == ({"x": 4, "k": 0.25}, 4.25)
    assert len(trials) == 3 and all(t.state is hs.TrialState.COMPLETED for t in trials)


@pytest.mark.parametrize(
    "params, message",
    [({"x": 5, "k": 0.5}, "^params.x: got 5"), ({"x": 1}, "^params: missing 'k'"), ({"x": 1, "k": 0.5, "y": 1}, "^params: unknown")],
)
def test_enqueue_checks_params_against_the_space(params, message):
    sweep = hs.Sweep(SPACE, metric="loss")
    with pytest.raises(hs.ParamsError, match=message):
        sweep.enqueue(params)
    assert sweep.trials == []


def test_enqueue_in_a_multi_fidelity_sweep_needs_the_budget():
    sweep = hs.Sweep(SPACE, algorithm="hyperband", metric="loss",
                     options={"max_iter": 9, "eta": 3, "resource": {"name": "epochs", "type": "int"}})
    with pytest.raises(hs.ParamsError, match="^params: missing 'epochs'"):
        sweep.enqueue({"x": 1, "k": 0.5})
    assert sweep.enqueue({"x": 1, "k": 0.5, "epochs": 9}).params == {"x": 1, "k": 0.5, "epochs": 9}
