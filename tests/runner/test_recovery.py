"""Heartbeats and the reaper in a real run: lost trials fail and retry, late results are refused."""
import socket
import time

from hypersweep.api import Sweep
from hypersweep.records import TrialState
from hypersweep.runner.control import dead_local_workers, recover_orphans, request_stop
from hypersweep.storage import open_storage

SPACE = {"x": {"values": [1, 2, 3, 4]}}


def test_a_run_reaps_a_lost_trial_and_retries_it_with_the_same_params(tmp_path):
    store = open_storage(tmp_path / "s.db")
    sweep = Sweep(SPACE, algorithm="grid", metric="loss", storage=store, name="s")
    lost = store.create_trial("s", {"x": 3}, worker="elsewhere:1")  # its worker died on another host
    time.sleep(0.3)
    summary = sweep.run(lambda p: float(p["x"]), n_trials=4, progress=False, heartbeat_grace=0.2, max_retries=1)
    trials = store.get_trials("s")
    assert trials[lost.id].state is TrialState.FAILED and "heartbeat lost" in trials[lost.id].error
    retries = [t for t in trials if t.params == {"x": 3} and t.id != lost.id]
    assert len(retries) == 1 and retries[0].state is TrialState.COMPLETED and retries[0].value == 3.0
    assert summary.reaped == ((lost.id, retries[0].id),)
    # the lost run and its retry both count towards the grid's budget of 4 trials
    assert summary.finished[TrialState.COMPLETED] == 3 and len(trials) == 4


def test_a_late_result_is_rejected(tmp_path):
    path = tmp_path / "s.db"
    sweep = Sweep(SPACE, algorithm="grid", metric="loss", storage=path, name="s")

    def objective(params):
        if params["x"] == 1:  # another reaper declares this very trial lost while it runs
            with open_storage(path) as other:
                other.reap_stale_trials("s", stale_before=_future(), max_retries=1, reason="heartbeat lost")
        return float(params["x"])

    sweep.run(objective, n_trials=1, progress=False)
    first = sweep.storage.get_trial("s", 0)
    assert first.state is TrialState.FAILED and first.value is None  # the late 1.0 was refused
    retry = sweep.storage.get_trial("s", 1)
    assert (retry.state, retry.params) == (TrialState.WAITING, {"x": 1})


def test_orphans_of_dead_local_runners_are_requeued(tmp_path):
    store = open_storage(tmp_path / "s.db")
    Sweep(SPACE, algorithm="grid", metric="loss", storage=store, name="s")
    host = socket.gethostname()
    dead = store.create_trial("s", {"x": 1}, worker=f"{host}:999999999")
    alive = store.create_trial("s", {"x": 2}, worker=f"{host}:1")  # pid 1 exists
    remote = store.create_trial("s", {"x": 3}, worker="elsewhere:5")
    assert dead_local_workers([f"{host}:999999999", f"{host}:1", "elsewhere:5", None]) == [f"{host}:999999999"]
    assert recover_orphans(store, "s") == [dead.id]
    assert [store.get_trial("s", t.id).state for t in (dead, alive, remote)] == [
        TrialState.WAITING, TrialState.RUNNING, TrialState.RUNNING,
    ]


def test_a_stop_request_during_a_run_starts_nothing_new(tmp_path):
    store = open_storage(tmp_path / "s.db")
    sweep = Sweep(SPACE, algorithm="grid", metric="loss", storage=store, name="s")
    def stop_after_the_first(sweep, trial):
        request_stop(store, "s", "maintenance")

    summary = sweep.run(lambda p: 1.0, n_trials=4, progress=False, callbacks=[stop_after_the_first])
    assert summary.started == 1 and summary.stop_reason == "stop requested (maintenance)"


def _future():
    from datetime import datetime, timedelta, timezone

    return datetime.now(timezone.utc) + timedelta(seconds=5)
