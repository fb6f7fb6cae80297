"""Storage conformance cases: sweeps, reading, threads and handles."""
from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from hypersweep.exceptions import SweepExistsError, SweepNotFoundError, TrialStateError
from hypersweep.records import Direction, Metric, Trial, TrialState
from hypersweep.exceptions import InvalidRecordError
from hypersweep.storage.base import Storage
from hypersweep.testing._storage_common import SPACE, C, F, P, R, W, make_spec
from hypersweep.testing._storage_common import is_utc as _is_utc
from hypersweep.testing._storage_common import near_now as _near_now


class SweepCases:
    """Sweep-level calls, ``get_trials``, and concurrent use of one store."""

    # -- sweeps ---------------------------------------------------------------------------
    def test_create_and_get_sweep_round_trip(self, storage: Storage) -> None:
        created = storage.create_sweep(make_spec("a", "maximize"))
        got = storage.get_sweep("a")
        assert got == created
        assert got.name == "a"
        assert got.space == SPACE
        assert got.metric == Metric("loss", Direction.MAXIMIZE)
        assert got.algorithm == "random"
        assert got.options == {"n_experiments": 10, "nested": {"a": [1, 2.5, None]}}
        assert got.seed == 7
        assert _is_utc(got.created_at) and _near_now(got.created_at)

    def test_pruner_definition_round_trips_as_json(self, storage: Storage) -> None:
        pruner = {"median": {"n_startup_trials": 2, "n_warmup_steps": 0, "n_min_trials": 1}}
        created = storage.create_sweep(make_spec("a", pruner=pruner))
        assert created.pruner == pruner and storage.get_sweep("a").pruner == pruner
        storage.get_sweep("a").pruner["median"]["n_startup_trials"] = 99  # type: ignore[index]
        assert storage.get_sweep("a").pruner == pruner  # a snapshot
        assert storage.create_sweep(make_spec("b", pruner={"threshold": {"upper": (1, 2)}})).pruner == {
            "threshold": {"upper": [1, 2]}
        }
        assert storage.create_sweep(make_spec("c")).pruner is None and storage.get_sweep("c").pruner is None

    def test_create_sweep_keeps_given_created_at_in_utc(self, storage: Storage) -> None:
        when = datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=2)))
        created = storage.create_sweep(make_spec("a", created_at=when))
        assert created.created_at == when and _is_utc(created.created_at)
        assert storage.get_sweep("a").created_at == when

    def test_create_sweep_twice_raises_and_keeps_the_first(self, storage: Storage) -> None:
        first = storage.create_sweep(make_spec("a"))
        with pytest.raises(SweepExistsError, match="'a'"):
            storage.create_sweep(make_spec("a", "maximize", algorithm="grid"))
        assert storage.get_sweep("a") == first
        assert [s.name for s in storage.list_sweeps()] == ["a"]

    def test_get_missing_sweep_raises(self, storage: Storage) -> None:
        with pytest.raises(SweepNotFoundError, match="nope"):
            storage.get_sweep("nope")
        with pytest.raises(KeyError):
            storage.get_sweep("nope")

    def test_sweep_level_calls_on_a_missing_sweep_raise(self, storage: Storage) -> None:
        for call in (
            lambda: storage.create_trial("nope", {"x": 1}),
            lambda: storage.claim_waiting_trial("nope"),
            lambda: storage.get_trials("nope"),
            lambda: storage.get_trial("nope", 0),
            lambda: storage.add_report("nope", 0, 0, 1.0),
            lambda: storage.finish_trial("nope", 0, C, value=1.0),
            lambda: storage.requeue_trial("nope", 0),
            lambda: storage.heartbeat("nope", 0),
            lambda: storage.delete_sweep("nope"),
        ):
            with pytest.raises(SweepNotFoundError):
                call()
        assert storage.list_sweeps() == []

    def test_invalid_specs_are_refused_before_writing(self, storage: Storage) -> None:
        bad = [
            make_spec(""),
            make_spec("x" * 300),
            make_spec("a", space={"x": object()}),
            make_spec("a", space={"x": {"uniform": [0, float("nan")]}}),
            make_spec("a", options={1: "non-string key"}),
            make_spec("a", seed=1.5),
            make_spec("a", created_at=datetime(2024, 1, 1)),  # naive
            make_spec("a\x00b"),
            make_spec("a", metric=Metric("lo\x00ss")),
            make_spec("a", pruner=["median"]),
            make_spec("a", pruner={"median": {"n_warmup_steps": float("nan")}}),
        ]
        for spec in bad:
            with pytest.raises(InvalidRecordError):
                storage.create_sweep(spec)
        assert storage.list_sweeps() == []
        storage.create_sweep(make_spec("a"))  # the name is still free

    def test_delete_sweep_removes_trials_and_reports(self, storage: Storage, sweep: str) -> None:
        storage.create_sweep(make_spec("other"))
        trial = storage.create_trial(sweep, {"x": 1})
        storage.add_report(sweep, trial.id, 0, 1.0)
        other = storage.create_trial("other", {"y": 2})
        storage.add_report("other", other.id, 3, 4.0)
        storage.delete_sweep(sweep)
        with pytest.raises(SweepNotFoundError):
            storage.get_sweep(sweep)
        with pytest.raises(SweepNotFoundError):
            storage.get_trials(sweep)
        assert [s.name for s in storage.list_sweeps()] == ["other"]
        assert storage.get_trial("other", 0).reports[0].value == 4.0
        # the name can be used again, and ids start again from 0
        storage.create_sweep(make_spec(sweep))
        assert storage.get_trials(sweep) == []
        assert storage.create_trial(sweep, {"x": 2}).id == 0

    def test_delete_missing_sweep_raises(self, storage: Storage) -> None:
        with pytest.raises(SweepNotFoundError):
            storage.delete_sweep("nope")

    def test_list_sweeps_oldest_first_with_counts_for_every_state(self, storage: Storage) -> None:
        for name in ("b", "a", "c"):
            storage.create_sweep(make_spec(name))
        assert [s.name for s in storage.list_sweeps()] == ["b", "a", "c"]
        storage.create_trial("a", {"i": 0}, state=W)
        storage.create_trial("a", {"i": 1}, state=W)
        storage.create_trial("a", {"i": 2})
        storage.finish_trial("a", storage.create_trial("a", {"i": 3}).id, C, value=1.0)
        storage.finish_trial("a", storage.create_trial("a", {"i": 4}).id, P, value=0.5)
        storage.finish_trial("a", storage.create_trial("a", {"i": 5}).id, F, error="boom")
        summaries = {s.name: s for s in storage.list_sweeps()}
        assert dict(summaries["a"].counts) == {W: 2, R: 1, C: 1, P: 1, F: 1}
        assert summaries["a"].n_trials == 6
        assert dict(summaries["b"].counts) == {state: 0 for state in TrialState}
        assert summaries["b"].best_value is None
        a = summaries["a"]
        assert a.algorithm == "random" and a.metric == Metric("loss", "minimize")
        assert _is_utc(a.created_at)

    @pytest.mark.parametrize("direction, expected", [("minimize", -2.5), ("maximize", 7.0)])
    def test_list_sweeps_best_value_honours_direction(
        self, storage: Storage, direction: str, expected: float
    ) -> None:
        storage.create_sweep(make_spec("s", direction))
        for value in (3.0, -2.5, 7.0, 0.0):
            storage.finish_trial("s", storage.create_trial("s", {"v": value}).id, C, value=value)
        # values of pruned/failed trials and completed trials without a value never count
        storage.finish_trial("s", storage.create_trial("s", {}).id, P, value=-100.0)
        storage.finish_trial("s", storage.create_trial("s", {}).id, F, value=100.0)
        storage.finish_trial("s", storage.create_trial("s", {}).id, C)
        (summary,) = storage.list_sweeps()
        assert summary.best_value == expected

    def test_best_value_is_none_without_completed_trials(self, storage: Storage, sweep: str) -> None:
        storage.finish_trial(sweep, storage.create_trial(sweep, {}).id, P, value=1.0)
        storage.create_trial(sweep, {})
        (summary,) = storage.list_sweeps()
        assert summary.best_value is None

    # -- reading --------------------------------------------------------------------------
    def test_get_trials_filters_by_state(self, storage: Storage, sweep: str) -> None:
        states = [W, R, C, P, F, C, W, R]
        for i, state in enumerate(states):
            trial = storage.create_trial(sweep, {"i": i}, state=W if state is W else R)
            storage.add_report(sweep, trial.id, 0, float(i)) if state is not W else None
            if state.is_finished:
                storage.finish_trial(sweep, trial.id, state, value=float(i))
        every = storage.get_trials(sweep)
        assert [t.id for t in every] == list(range(len(states)))
        assert [t.state for t in every] == states
        assert [t.id for t in storage.get_trials(sweep, states=[C])] == [2, 5]
        assert [t.id for t in storage.get_trials(sweep, states=[W, F])] == [0, 4, 6]
        assert [t.id for t in storage.get_trials(sweep, states={R})] == [1, 7]
        assert [t.id for t in storage.get_trials(sweep, states=(s for s in [P]))] == [3]
        assert [t.id for t in storage.get_trials(sweep, states=["completed", "pruned"])] == [2, 3, 5]
        assert storage.get_trials(sweep, states=[]) == []
        for trial in storage.get_trials(sweep, states=[C, R]):
            assert [(r.step, r.value) for r in trial.reports] == [(0, float(trial.id))]
            assert trial == storage.get_trial(sweep, trial.id)

    def test_get_trials_filters_by_ids(self, storage: Storage, sweep: str) -> None:
        for i in range(6):
            trial = storage.create_trial(sweep, {"i": i})
            storage.add_report(sweep, trial.id, 0, float(i))
            if i % 2:
                storage.finish_trial(sweep, trial.id, C, value=float(i))
        picked = storage.get_trials(sweep, ids=[4, 1, 99, 1, -1])
        assert [t.id for t in picked] == [1, 4]
        assert [t.params["i"] for t in picked] == [1, 4]
        assert [(r.step, r.value) for r in picked[1].reports] == [(0, 4.0)]
        assert [t.id for t in storage.get_trials(sweep, ids=range(6), states=[C])] == [1, 3, 5]
        assert storage.get_trials(sweep, ids=[]) == []

    def test_get_trials_without_reports(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 1})
        storage.add_report(sweep, trial.id, 0, 1.0)
        (light,) = storage.get_trials(sweep, with_reports=False)
        assert light.reports == () and light.params == {"x": 1} and light.state is R
        assert storage.get_trials(sweep)[0].reports != ()

    def test_empty_sweep_has_no_trials(self, storage: Storage, sweep: str) -> None:
        assert storage.get_trials(sweep) == []
        assert storage.get_trials(sweep, states=[C]) == []

    def test_many_trials_with_reports(self, storage: Storage, sweep: str) -> None:
        for i in range(40):
            trial = storage.create_trial(sweep, {"i": i})
            for step in range(i % 4):
                storage.add_report(sweep, trial.id, step, i + step / 10)
            if i % 3:
                storage.finish_trial(sweep, trial.id, C, value=float(i))
        trials = storage.get_trials(sweep)
        assert len(trials) == 40
        for trial in trials:
            assert [(r.step, r.value) for r in trial.reports] == [
                (step, trial.id + step / 10) for step in range(trial.id % 4)
            ]
        completed = storage.get_trials(sweep, states=[C])
        assert [t.id for t in completed] == [i for i in range(40) if i % 3]

    # -- threads and handles --------------------------------------------------------------
    def test_threads_creating_trials_get_unique_sequential_ids(self, storage: Storage, sweep: str) -> None:
        n_threads, per_thread = 8, 15
        ids: list[list[int]] = [[] for _ in range(n_threads)]
        errors: list[BaseException] = []
        barrier = threading.Barrier(n_threads)

        def worker(k: int) -> None:
            try:
                barrier.wait()
                for j in range(per_thread):
                    trial = storage.create_trial(sweep, {"k": k, "j": j})
                    storage.add_report(sweep, trial.id, 0, float(k))
                    storage.finish_trial(sweep, trial.id, C, value=float(j))
                    ids[k].append(trial.id)
            except BaseException as err:  # pragma: no cover - reported below
                errors.append(err)

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not errors
        assert sorted(i for chunk in ids for i in chunk) == list(range(n_threads * per_thread))
        trials = storage.get_trials(sweep)
        assert len(trials) == n_threads * per_thread
        for trial in trials:
            assert trial.state is C and trial.reports[0].value == float(trial.params["k"])

    def test_a_second_handle_sees_the_same_store(self, opener: Callable[[], Storage], storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": [1, 2]})
        storage.add_report(sweep, trial.id, 3, 0.5)
        other = opener()
        assert other.get_sweep(sweep) == storage.get_sweep(sweep)
        assert other.get_trial(sweep, trial.id) == storage.get_trial(sweep, trial.id)
        done = other.finish_trial(sweep, trial.id, C, value=0.5)
        with pytest.raises(TrialStateError):
            storage.finish_trial(sweep, trial.id, F, error="late")
        assert storage.get_trial(sweep, trial.id) == done
        assert other.create_trial(sweep, {}).id == 1
        assert storage.create_trial(sweep, {}).id == 2

    def test_records_are_plain_frozen_values(self, storage: Storage, sweep: str) -> None:
        trial = storage.create_trial(sweep, {"x": 1})
        assert isinstance(trial, Trial)
        with pytest.raises(AttributeError):
            trial.state = C  # type: ignore[misc]
        assert not math.isnan(storage.finish_trial(sweep, trial.id, C, value=0.0).value)  # type: ignore[arg-type]
