"""Storage conformance cases: the trial lifecycle."""
from __future__ import annotations

import threading
from typing import Any

import pytest

from hypersweep.exceptions import StorageError, TrialStateError
from hypersweep.records import TrialState
from hypersweep.exceptions import InvalidRecordError, TrialNotFoundError
from hypersweep.storage.base import Storage
from hypersweep.testing._storage_common import SPACE, C, F, P, R, W, make_spec
from hypersweep.testing._storage_common import is_utc as _is_utc
from hypersweep.testing._storage_common import near_now as _near_now


class TrialCases:
    """Creating, finishing, reporting, re-queueing, claiming and heart-beating trials."""

    # -- creating trials ------------------------------------------------------------------
    def test_trial_ids_count_from_zero_per_sweep(self, storage: Storage, sweep: str) -> None:
        storage.create_sweep(make_spec("other"))
        ids = []
        for i in range(5):
            ids.append(storage.create_trial(sweep, {"i": i}, state=W if i % 2 else R).id)
            if i == 2:
                assert storage.create_trial("other", {"i": i}).id == 0
        assert ids == [0, 1, 2, 3, 4]
        assert storage.create_trial("other", {}).id == 1
        assert [t.id for t in storage.get_trials(sweep)] == [0, 1, 2, 3, 4]
        assert [t.params["i"] for t in storage.get_trials(sweep)] == [0, 1, 2, 3, 4]

    def test_create_running_trial(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 1.5}, worker="host:123")
        assert trial.state is R and trial.id == 0
        assert trial.params == {"x": 1.5}
        assert trial.worker == "host:123"
        assert trial.value is None and dict(trial.metrics) == {} and trial.error is None
        assert trial.reports == () and trial.finished_at is None
        for stamp in (trial.created_at, trial.started_at, trial.heartbeat_at):
            assert _is_utc(stamp) and _near_now(stamp)
        assert storage.get_trial(sweep, 0) == trial

    def test_create_waiting_trial(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 2}, state=W)
        assert trial.state is W
        assert trial.started_at is None and trial.heartbeat_at is None
        assert _is_utc(trial.created_at)
        assert storage.get_trial(sweep, 0) == trial

    @pytest.mark.parametrize("state", [C, P, F, "nonsense"])
    def test_create_trial_in_other_states_is_refused(self, storage: Storage, sweep: str, state: Any) -> None:
        with pytest.raises(TrialStateError):
            storage.create_trial(sweep, {"x": 1}, state=state)
        assert storage.get_trials(sweep) == []
        assert storage.create_trial(sweep, {"x": 1}).id == 0  # the refused call used no id

    def test_params_round_trip_as_json(self, storage: Storage, sweep: str) -> None:
        params = {
            "lr": 0.1,
            "tiny": 1e-300,
            "third": 1 / 3,
            "neg": -2.5e10,
            "int": 64,
            "big": 2**62 + 1,
            "zero": 0,
            "flag": True,
            "off": False,
            "none": None,
            "text": "relu",
            "unicode": "λ→✓ \"quoted\" \\ slash",
            "empty": "",
            "list": [32, 32],
            "nested": {"a": {"b": [1, "two", None, {"c": 3.25}]}, "empty": {}},
            "empty_list": [],
        }
        created = storage.create_trial(sweep, params)
        stored = storage.get_trial(sweep, created.id)
        assert created.params == params
        assert stored.params == params
        assert list(stored.params) == list(params)  # key order kept
        for key in ("lr", "tiny", "third", "neg"):
            assert type(stored.params[key]) is float
        for key in ("int", "big", "zero"):
            assert type(stored.params[key]) is int
        assert stored.params["flag"] is True and stored.params["off"] is False
        assert stored.params["none"] is None

    def test_any_python_string_round_trips_in_params(self, storage: Storage, sweep: str) -> None:
        params = {"nul": "a\x00b", "surrogate": "\ud800", "emoji": "🙂", "key\x00": 1, "\u00e9t\u00e9": "ok"}
        storage.create_trial(sweep, params)
        assert storage.get_trial(sweep, 0).params == params

    def test_error_texts_are_stored_with_odd_characters_escaped(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {})
        done = storage.finish_trial(sweep, trial.id, F, error="bad\x00byte \ud800 λ")
        assert done.error == "bad\\x00byte \\ud800 λ"
        assert storage.get_trial(sweep, trial.id).error == done.error

    @pytest.mark.parametrize("worker", ["w\x00", "\udc80", 5, "w" * 300])
    def test_bad_worker_names_are_refused(self, storage: Storage, sweep: str, worker: Any) -> None:
        with pytest.raises(InvalidRecordError):
            storage.create_trial(sweep, {}, worker=worker)
        storage.create_trial(sweep, {}, state=W)
        with pytest.raises(InvalidRecordError):
            storage.claim_waiting_trial(sweep, worker=worker)
        assert [t.state for t in storage.get_trials(sweep)] == [W]

    def test_params_are_normalized_like_json(self, storage: Storage, sweep: str) -> None:
        np = pytest.importorskip("numpy")
        params = {"units": (64, 64), "f": np.float64(0.5), "i": np.int64(3), "arr": np.arange(3), "b": np.bool_(True)}
        expected = {"units": [64, 64], "f": 0.5, "i": 3, "arr": [0, 1, 2], "b": True}
        assert storage.create_trial(sweep, params).params == expected
        stored = storage.get_trial(sweep, 0).params
        assert stored == expected
        assert type(stored["i"]) is int and type(stored["f"]) is float and stored["b"] is True

    @pytest.mark.parametrize(
        "params",
        [
            {"x": float("nan")},
            {"x": float("inf")},
            {"x": object()},
            {"x": {1: "non-string key"}},
            {"x": [1, {2, 3}]},
            ["not", "a", "dict"],
            None,
        ],
    )
    def test_bad_params_are_refused_before_writing(self, storage: Storage, sweep: str, params: Any) -> None:
        with pytest.raises(InvalidRecordError):
            storage.create_trial(sweep, params)
        assert storage.get_trials(sweep) == []
        assert storage.create_trial(sweep, {"ok": 1}).id == 0

    def test_returned_records_are_snapshots(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"nested": {"a": [1, 2]}})
        trial.params["nested"]["a"].append(3)
        trial.params["new"] = 1
        fetched = storage.get_trial(sweep, 0)
        assert fetched.params == {"nested": {"a": [1, 2]}}
        fetched.params["nested"]["a"].clear()
        assert storage.get_trials(sweep)[0].params == {"nested": {"a": [1, 2]}}
        spec = storage.get_sweep(sweep)
        spec.space["lr"]["loguniform"][0] = 99  # type: ignore[index]
        assert storage.get_sweep(sweep).space == SPACE
        done = storage.finish_trial(sweep, 0, C, value=1.0, metrics={"acc": 0.5})
        done.metrics["acc"] = 0.0  # type: ignore[index]
        assert storage.get_trial(sweep, 0).metrics == {"acc": 0.5}

    # -- finishing ------------------------------------------------------------------------
    def test_finish_completed_stores_value_and_metrics(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 1})
        storage.add_report(sweep, trial.id, 1, 0.7)
        done = storage.finish_trial(sweep, trial.id, C, value=0.25, metrics={"loss": 0.25, "acc": 1})
        assert done.state is C and done.is_finished
        assert done.value == 0.25
        assert dict(done.metrics) == {"loss": 0.25, "acc": 1.0} and type(done.metrics["acc"]) is float
        assert done.error is None
        assert [(r.step, r.value) for r in done.reports] == [(1, 0.7)]
        assert _is_utc(done.finished_at)
        assert done.created_at <= done.started_at <= done.finished_at  # type: ignore[operator]
        assert done.duration is not None and done.duration >= 0
        assert storage.get_trial(sweep, trial.id) == done

    def test_finish_failed_stores_error(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 1})
        error = "Traceback (most recent call last):\n  ...\nValueError: bad λ\n" + "x" * 20000
        done = storage.finish_trial(sweep, trial.id, F, error=error)
        assert done.state is F and done.error == error and done.value is None
        assert storage.get_trial(sweep, trial.id).error == error

    def test_finish_pruned_keeps_reports(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {})
        for step in range(3):
            storage.add_report(sweep, trial.id, step, float(step))
        done = storage.finish_trial(sweep, trial.id, P, value=2.0)
        assert done.state is P and len(done.reports) == 3
        assert storage.get_trial(sweep, trial.id) == done

    @pytest.mark.parametrize("first", [C, P, F])
    @pytest.mark.parametrize("second", [C, P, F])
    def test_finishing_twice_raises_and_changes_nothing(
        self, storage: Storage, sweep: str, first: TrialState, second: TrialState
    ) -> None:
        trial = storage.create_trial(sweep, {})
        done = storage.finish_trial(sweep, trial.id, first, value=1.0, error="first")
        with pytest.raises(TrialStateError, match="already finished|finished trial"):
            storage.finish_trial(sweep, trial.id, second, value=2.0, metrics={"m": 1}, error="second")
        assert storage.get_trial(sweep, trial.id) == done

    def test_finished_trials_never_change(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {})
        done = storage.finish_trial(sweep, trial.id, C, value=1.0)
        for call in (
            lambda: storage.add_report(sweep, trial.id, 5, 1.0),
            lambda: storage.requeue_trial(sweep, trial.id),
            lambda: storage.heartbeat(sweep, trial.id),
        ):
            with pytest.raises(TrialStateError):
                call()
        assert storage.claim_waiting_trial(sweep) is None
        assert storage.get_trial(sweep, trial.id) == done

    @pytest.mark.parametrize("state", [R, W, "done"])
    def test_finish_needs_a_finished_state(self, storage: Storage, sweep: str, state: Any) -> None:
        trial = storage.create_trial(sweep, {})
        with pytest.raises(TrialStateError):
            storage.finish_trial(sweep, trial.id, state, value=1.0)
        assert storage.get_trial(sweep, trial.id) == trial

    def test_a_waiting_trial_can_be_finished(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {}, state=W)
        done = storage.finish_trial(sweep, trial.id, P, error="cancelled before it ran")
        assert done.state is P and done.started_at is None and done.duration is None
        assert storage.claim_waiting_trial(sweep) is None

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"value": float("nan")},
            {"value": float("inf")},
            {"value": "0.5"},
            {"value": True},
            {"value": 1.0, "metrics": {"acc": float("nan")}},
            {"value": 1.0, "metrics": {"acc": "high"}},
            {"value": 1.0, "metrics": {1: 0.5}},
            {"value": 1.0, "metrics": [("acc", 0.5)]},
            {"value": 1.0, "error": 42},
        ],
    )
    def test_bad_results_are_refused_before_writing(self, storage: Storage, sweep: str, kwargs: Any) -> None:
        trial = storage.create_trial(sweep, {})
        storage.add_report(sweep, trial.id, 0, 1.0)
        before = storage.get_trial(sweep, trial.id)
        with pytest.raises(InvalidRecordError):
            storage.finish_trial(sweep, trial.id, C, **kwargs)
        assert storage.get_trial(sweep, trial.id) == before
        storage.finish_trial(sweep, trial.id, C, value=1.0)  # still running, so this works

    def test_missing_trial_raises(self, storage: Storage, sweep: str) -> None:
        storage.create_trial(sweep, {})
        for call in (
            lambda: storage.get_trial(sweep, 1),
            lambda: storage.get_trial(sweep, -1),
            lambda: storage.finish_trial(sweep, 7, C, value=1.0),
            lambda: storage.add_report(sweep, 7, 0, 1.0),
            lambda: storage.requeue_trial(sweep, 7),
            lambda: storage.heartbeat(sweep, 7),
        ):
            with pytest.raises(TrialNotFoundError) as info:
                call()
            assert isinstance(info.value, StorageError) and isinstance(info.value, KeyError)
            assert sweep in str(info.value)

    # -- reports --------------------------------------------------------------------------
    def test_reports_are_ordered_and_same_step_replaces(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {})
        for step, value in [(2, 0.5), (0, 0.9), (1, 0.7), (2, 0.4), (10, 0.1), (0, 0.95)]:
            storage.add_report(sweep, trial.id, step, value)
        reports = storage.get_trial(sweep, trial.id).reports
        assert [(r.step, r.value) for r in reports] == [(0, 0.95), (1, 0.7), (2, 0.4), (10, 0.1)]
        assert all(_is_utc(r.time) and _near_now(r.time) for r in reports)
        assert trial.id == 0 and storage.get_trials(sweep)[0].reports == reports
        assert storage.get_trial(sweep, 0).last_report == reports[-1]

    def test_report_values_are_exact(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {})
        values = [0.1, 1 / 3, -1e-308, 1.7976931348623157e308, 5e-324, 3]
        for step, value in enumerate(values):
            storage.add_report(sweep, trial.id, step, value)
        got = [r.value for r in storage.get_trial(sweep, trial.id).reports]
        assert got == [float(v) for v in values]
        assert all(type(v) is float for v in got)

    def test_reports_only_while_running(self, storage: Storage, sweep: str) -> None:
        waiting = storage.create_trial(sweep, {}, state=W)
        with pytest.raises(TrialStateError, match="running"):
            storage.add_report(sweep, waiting.id, 0, 1.0)
        for state in (C, P, F):
            trial = storage.create_trial(sweep, {})
            storage.finish_trial(sweep, trial.id, state, value=1.0)
            with pytest.raises(TrialStateError):
                storage.add_report(sweep, trial.id, 0, 1.0)
        assert all(t.reports == () for t in storage.get_trials(sweep))

    @pytest.mark.parametrize(
        "step, value",
        [(0, float("nan")), (0, float("-inf")), (0, None), (0, "1.0"), (-1, 1.0), (1.5, 1.0), (True, 1.0), ("3", 1.0)],
    )
    def test_bad_reports_are_refused_before_writing(self, storage: Storage, sweep: str, step: Any, value: Any) -> None:
        trial = storage.create_trial(sweep, {})
        storage.add_report(sweep, trial.id, 0, 0.5)
        with pytest.raises(InvalidRecordError):
            storage.add_report(sweep, trial.id, step, value)
        assert [(r.step, r.value) for r in storage.get_trial(sweep, trial.id).reports] == [(0, 0.5)]

    # -- requeue, claim, heartbeat --------------------------------------------------------
    def test_requeue_drops_reports_and_keeps_params_and_id(self, storage: Storage, sweep: str) -> None:
        params = {"lr": 0.01, "units": [64, 64], "act": None}
        trial = storage.create_trial(sweep, params, worker="w1")
        for step in range(4):
            storage.add_report(sweep, trial.id, step, step / 10)
        back = storage.requeue_trial(sweep, trial.id)
        assert back.state is W and back.id == trial.id and back.params == params
        assert back.reports == () and back.started_at is None and back.heartbeat_at is None
        assert back.worker is None and back.created_at == trial.created_at
        assert storage.get_trial(sweep, trial.id) == back
        assert storage.create_trial(sweep, {}).id == 1  # re-queue does not consume an id

    def test_requeued_trial_is_claimed_again_with_fresh_reports(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 1})
        storage.add_report(sweep, trial.id, 0, 1.0)
        storage.requeue_trial(sweep, trial.id)
        claimed = storage.claim_waiting_trial(sweep, worker="w2")
        assert claimed is not None
        assert claimed.id == trial.id and claimed.params == {"x": 1} and claimed.reports == ()
        assert claimed.worker == "w2" and claimed.state is R
        storage.add_report(sweep, trial.id, 5, 2.0)
        assert [(r.step, r.value) for r in storage.get_trial(sweep, trial.id).reports] == [(5, 2.0)]

    def test_requeue_needs_a_running_trial(self, storage: Storage, sweep: str) -> None:
        waiting = storage.create_trial(sweep, {}, state=W)
        with pytest.raises(TrialStateError):
            storage.requeue_trial(sweep, waiting.id)
        assert storage.get_trial(sweep, waiting.id) == waiting

    def test_claim_takes_the_oldest_waiting_trial(self, storage: Storage, sweep: str) -> None:
        assert storage.claim_waiting_trial(sweep) is None
        storage.create_trial(sweep, {"i": 0})  # running: not claimable
        for i in (1, 2, 3):
            storage.create_trial(sweep, {"i": i}, state=W)
        first = storage.claim_waiting_trial(sweep, worker="w")
        assert first is not None and first.id == 1 and first.params == {"i": 1}
        assert first.state is R and first.worker == "w"
        assert _is_utc(first.started_at) and _is_utc(first.heartbeat_at)
        assert storage.get_trial(sweep, 1) == first
        assert [storage.claim_waiting_trial(sweep).id for _ in range(2)] == [2, 3]  # type: ignore[union-attr]
        assert storage.claim_waiting_trial(sweep) is None
        assert {t.state for t in storage.get_trials(sweep)} == {R}

    def test_claim_under_threads_hands_each_trial_out_once(self, storage: Storage, sweep: str) -> None:
        n_trials, n_threads = 60, 8
        for i in range(n_trials):
            storage.create_trial(sweep, {"i": i}, state=W)
        claimed: list[list[int]] = [[] for _ in range(n_threads)]
        errors: list[BaseException] = []
        barrier = threading.Barrier(n_threads)

        def worker(k: int) -> None:
            try:
                barrier.wait()
                while (trial := storage.claim_waiting_trial(sweep, worker=f"t{k}")) is not None:
                    claimed[k].append(trial.id)
                    storage.finish_trial(sweep, trial.id, C, value=float(k))
            except BaseException as err:  # pragma: no cover - reported below
                errors.append(err)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not errors
        every = sorted(i for ids in claimed for i in ids)
        assert every == list(range(n_trials))
        for k, ids in enumerate(claimed):
            for i in ids:
                assert storage.get_trial(sweep, i).value == float(k)

    def test_heartbeat_refreshes_a_running_trial(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {})
        storage.heartbeat(sweep, trial.id)
        beat = storage.get_trial(sweep, trial.id).heartbeat_at
        assert _is_utc(beat) and beat >= trial.heartbeat_at  # type: ignore[operator]
        waiting = storage.create_trial(sweep, {}, state=W)
        with pytest.raises(TrialStateError):
            storage.heartbeat(sweep, waiting.id)
        assert storage.get_trial(sweep, waiting.id).heartbeat_at is None
