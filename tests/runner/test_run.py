"""Sweep.run with real worker processes, on memory and SQLite stores."""
import math
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import hypersweep as hs

SPACE = hs.Space({"x": hs.uniform(-2.0, 2.0), "k": hs.values([1, 2, 3])})


def quadratic(params):
    return (params["x"] - 0.5) ** 2 + params["k"]


def reporting(params, trial):
    for step in range(5):
        trial.report(step, params["x"] * step)
    return params["x"]


def flaky(params):
    if params["k"] == 2:
        raise RuntimeError("k=2 is broken")
    if params["k"] == 3:
        return math.nan
    return params["x"]


def dies(params):
    if params["k"] == 1:
        os._exit(7)
    return params["x"]


def pruned(params):
    raise hs.TrialPruned("not promising")


def slow(params):
    time.sleep(0.3)
    return params["x"]


def _sweep(**kwargs):
    return hs.Sweep(SPACE, algorithm="random", metric="loss", seed=1, **kwargs)


def test_runs_n_trials_in_parallel_workers():
    sweep = _sweep()
    summary = sweep.run(quadratic, n_trials=8, concurrency=2, progress=False)
    assert summary.started == 8 and summary.finished == {hs.TrialState.COMPLETED: 8}
    assert [t.id for t in sweep.trials] == list(range(8))
    for trial in sweep.trials:
        assert trial.value == pytest.approx(quadratic(trial.params))
    assert sweep.best.value == min(t.value for t in sweep.trials)
    assert summary.stop_reason == "n_trials"


def test_reports_reach_the_store():
    sweep = _sweep()
    sweep.run(reporting, n_trials=3, concurrency=2, progress=False)
    for trial in sweep.trials:
        assert [r.step for r in trial.reports] == [0, 1, 2, 3, 4]
        assert trial.reports[-1].value == pytest.approx(trial.params["x"] * 4)


def test_exceptions_and_nan_fail_the_trial_and_the_sweep_goes_on():
    sweep = _sweep()
    sweep.run(flaky, n_trials=12, concurrency=2, progress=False)
    trials = sweep.trials
    assert len(trials) == 12
    for trial in trials:
        if trial.params["k"] == 1:
            assert trial.state is hs.TrialState.COMPLETED
        elif trial.params["k"] == 2:
            assert trial.state is hs.TrialState.FAILED
            assert "Traceback" in trial.error and "k=2 is broken" in trial.error
        else:
            assert trial.state is hs.TrialState.FAILED and "nan" in trial.error


def test_a_dying_worker_fails_its_trial_and_is_replaced():
    sweep = _sweep()
    summary = sweep.run(dies, n_trials=9, concurrency=2, progress=False)
    assert summary.started == 9
    for trial in sweep.trials:
        if trial.params["k"] == 1:
            assert trial.state is hs.TrialState.FAILED and "exit code 7" in trial.error
        else:
            assert trial.state is hs.TrialState.COMPLETED


def test_pruned_objective():
    sweep = _sweep()
    sweep.run(pruned, n_trials=2, progress=False)
    assert {t.state for t in sweep.trials} == {hs.TrialState.PRUNED}


def test_timeout_stops_starting_trials():
    sweep = _sweep()
    summary = sweep.run(slow, n_trials=100, concurrency=2, timeout=0.5, progress=False)
    assert summary.stop_reason == "timeout"
    assert 2 <= summary.started < 10
    assert all(t.is_finished for t in sweep.trials)


def test_grid_exhaustion_ends_the_run():
    sweep = hs.Sweep(hs.Space({"k": hs.values([1, 2, 3])}), algorithm="grid", metric="loss")
    summary = sweep.run(lambda p: p["k"], n_trials=10, concurrency=2, progress=False)
    assert summary.stop_reason == "exhausted" and summary.started == 3
    assert sorted(t.params["k"] for t in sweep.trials) == [1, 2, 3]


@pytest.mark.parametrize(
    "bad, field",
    [(dict(n_trials=-1), "n_trials"), (dict(n_trials=2, concurrency=0), "concurrency"), (dict(n_trials=2, timeout=0), "timeout"),
     (dict(n_trials=2, trial_timeout=-1.0), "trial_timeout"), (dict(n_trials=2, max_retries=-1), "max_retries"),
     (dict(n_trials=2, heartbeat_grace=0), "heartbeat_grace")],
)
def test_bad_run_arguments_are_named(bad, field):
    with pytest.raises(hs.HypersweepError, match=f"^{field}: "):
        _sweep().run(quadratic, progress=False, **bad)


CTRL_C_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import hypersweep as hs

    def objective(params):
        time.sleep(params["x"])
        return params["x"]

    sweep = hs.Sweep(hs.Space({"x": hs.uniform(0.2, 0.4)}), metric="loss", storage=sys.argv[1], name="s")
    print("ready", flush=True)
    summary = sweep.run(objective, n_trials=int(sys.argv[2]), concurrency=2, progress=False)
    print(summary.stop_reason, summary.requeued, flush=True)
    """
)


@pytest.mark.slow
def test_ctrl_c_requeues_running_trials_and_the_next_run_continues(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(CTRL_C_SCRIPT)
    db = str(tmp_path / "s.db")
    process = subprocess.Popen(
        [sys.executable, str(script), db, "40"], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stdout.readline().strip() == "ready"
    time.sleep(2.0)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole group
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0, out
    reason, requeued = out.split()
    assert reason == "interrupted" and int(requeued) in (1, 2)  # a worker may have been between trials

    store = hs.open_storage(db)
    trials = store.get_trials("s")
    waiting = [t for t in trials if t.state is hs.TrialState.WAITING]
    assert len(waiting) == int(requeued) and not [t for t in trials if t.state is hs.TrialState.RUNNING]
    done_before = {t.id: t for t in trials if t.is_finished}
    assert done_before and all(t.state is hs.TrialState.COMPLETED for t in done_before.values())

    subprocess.run([sys.executable, str(script), db, "3"], check=True, capture_output=True, timeout=60)
    after = {t.id: t for t in hs.open_storage(db).get_trials("s")}
    for trial in waiting:  # re-queued trials ran first, with the same params, under the same ids
        assert after[trial.id].state is hs.TrialState.COMPLETED
        assert after[trial.id].params == trial.params
    for trial_id, trial in done_before.items():  # nothing finished was touched
        assert after[trial_id].value == trial.value and after[trial_id].finished_at == trial.finished_at
    assert len(after) == len(trials) + 3 - int(requeued)  # 3 trials ran: the re-queued ones, then new ones
    assert len({tuple(sorted(t.params.items())) for t in after.values()}) == len(after)
