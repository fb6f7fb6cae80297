"""Storage conformance cases: sweep attributes, re-queueing orphans, reaping stale trials."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from hypersweep.exceptions import InvalidRecordError, SweepNotFoundError, TrialStateError
from hypersweep.storage._common import utcnow
from hypersweep.storage.base import Storage
from hypersweep.testing._storage_common import C, F, R, W, make_spec


class RecoveryCases:
    """The calls the runner relies on: attributes, orphans after a crash, the heartbeat reaper, create_trial_at."""

    def test_sweep_attrs_round_trip_and_remove(self, storage: Storage, sweep: str) -> None:
        assert storage.get_sweep_attrs(sweep) == {}
        storage.set_sweep_attr(sweep, "stop", {"reason": "user", "at": 1.5})
        storage.set_sweep_attr(sweep, "file", [1, "a", None])
        assert storage.get_sweep_attrs(sweep) == {"stop": {"reason": "user", "at": 1.5}, "file": [1, "a", None]}
        storage.set_sweep_attr(sweep, "stop", None)
        assert storage.get_sweep_attrs(sweep) == {"file": [1, "a", None]}
        with pytest.raises(SweepNotFoundError):
            storage.set_sweep_attr("nope", "stop", True)
        storage.delete_sweep(sweep)
        storage.create_sweep(make_spec(sweep))
        assert storage.get_sweep_attrs(sweep) == {}

    def test_requeue_orphans_touches_only_dead_workers(self, storage: Storage, sweep: str) -> None:
        dead = storage.create_trial(sweep, {"lr": 0.01}, worker="host:1")
        storage.add_report(sweep, dead.id, 0, 1.0)
        alive = storage.create_trial(sweep, {"lr": 0.02}, worker="host:2")
        done = storage.create_trial(sweep, {"lr": 0.03}, worker="host:1")
        storage.finish_trial(sweep, done.id, C, value=1.0)
        assert storage.requeue_orphans(sweep, ["host:1"]) == [dead.id]
        again = storage.get_trial(sweep, dead.id)
        assert (again.state, again.params, again.reports) == (W, {"lr": 0.01}, ())
        assert storage.get_trial(sweep, alive.id).state is R
        assert storage.get_trial(sweep, done.id).state is C
        assert storage.requeue_orphans(sweep, ["host:1"]) == []

    def test_reaper_fails_stale_trials_and_retries_them(self, storage: Storage, sweep: str) -> None:
        stale = storage.create_trial(sweep, {"lr": 0.01})
        fresh = storage.create_trial(sweep, {"lr": 0.02})
        storage.heartbeat(sweep, fresh.id)
        cutoff = storage.get_trial(sweep, fresh.id).heartbeat_at
        out = storage.reap_stale_trials(sweep, stale_before=cutoff, max_retries=1, reason="heartbeat lost")
        assert out == [(stale.id, 2)]
        failed = storage.get_trial(sweep, stale.id)
        assert (failed.state, failed.error) == (F, "heartbeat lost")
        retry = storage.get_trial(sweep, 2)
        assert (retry.state, retry.params) == (W, {"lr": 0.01})
        with pytest.raises(TrialStateError):  # a late result of the reaped run is refused
            storage.finish_trial(sweep, stale.id, C, value=0.5)
        claimed = storage.claim_waiting_trial(sweep)
        assert claimed is not None and claimed.id == 2
        later = utcnow() + timedelta(seconds=5)
        # the retry is attempt 1: failing it again creates no further retry
        out = storage.reap_stale_trials(sweep, stale_before=later, max_retries=1, reason="lost")
        assert sorted(out) == [(fresh.id, 3), (2, None)]

    def test_trial_meta_round_trips_and_follows_retries(self, storage: Storage, sweep: str) -> None:
        meta = {"budget": 9, "bracket": 2, "rung": 1, "parent": 0}
        made = storage.create_trial(sweep, {"lr": 0.01}, meta=meta)
        assert made.meta == meta and storage.get_trial(sweep, made.id).meta == meta
        plain = storage.create_trial_at(sweep, {"lr": 0.02}, trial_id=1)
        assert plain is not None and plain.meta == {} and storage.get_trial(sweep, 1).meta == {}
        at = storage.create_trial_at(sweep, {"lr": 0.03}, trial_id=2, meta={"budget": 1.5})
        assert at is not None and storage.get_trials(sweep, ids=[2])[0].meta == {"budget": 1.5}
        later = utcnow() + timedelta(seconds=5)
        out = dict(storage.reap_stale_trials(sweep, stale_before=later, max_retries=1, reason="lost"))
        assert storage.get_trial(sweep, out[made.id]).meta == meta  # the retry keeps its schedule
        with pytest.raises(InvalidRecordError, match="meta"):
            storage.create_trial(sweep, {"lr": 0.04}, meta={"budget": float("nan")})
        assert len(storage.get_trials(sweep)) == 6  # the refused trial wrote nothing

    def test_two_reapers_never_both_act(self, opener, sweep: str) -> None:
        first = opener()
        for k in range(6):
            first.create_trial(sweep, {"lr": 0.01 * (k + 1)})
        later = utcnow() + timedelta(seconds=5)
        results: list[list[tuple[int, int | None]]] = []

        def reap() -> None:
            results.append(opener().reap_stale_trials(sweep, stale_before=later, max_retries=3, reason="lost"))

        threads = [threading.Thread(target=reap) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        reaped = sorted(pair[0] for result in results for pair in result)
        assert reaped == list(range(6))
        trials = first.get_trials(sweep)
        assert len(trials) == 12
        assert sorted(t.params["lr"] for t in trials if t.state is W) == sorted(t.params["lr"] for t in trials if t.state is F)
