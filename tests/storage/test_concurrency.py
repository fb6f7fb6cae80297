"""Many processes on one store: unique sequential ids, nothing lost, no lock error surfaces.

Each test prints its wall time (``pytest -s`` shows it); the SQLite ask/tell test should fit
comfortably in CI (target < 90 s on 2 cores).
"""
from __future__ import annotations

import collections

import pytest

from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage.sql import SQLStorage
from hypersweep.testing.storage_workers import ask_tell_worker, claim_worker, run_workers

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

N_PROCESSES = 8
N_TRIALS = 200
N_REPORTS = 10


def _spec(name: str) -> SweepSpec:
    return SweepSpec(name, {"x": {"uniform": [0, 1]}}, Metric("loss", "minimize"))


def _check_ask_tell(url: str, label: str) -> None:
    with SQLStorage(url) as store:
        store.create_sweep(_spec("race"))
    results, seconds = run_workers(
        ask_tell_worker, [(url, "race", k, N_TRIALS, N_REPORTS) for k in range(N_PROCESSES)]
    )
    print(f"\n[{label}] {N_PROCESSES} processes x {N_TRIALS} trials x {N_REPORTS} reports: {seconds:.1f}s")
    errors = [e for r in results for e in r["errors"]]
    assert not errors, errors[0]
    total = N_PROCESSES * N_TRIALS
    returned = sorted(i for r in results for i in r["ids"])
    assert returned == list(range(total))

    with SQLStorage(url) as store:
        trials = store.get_trials("race")
        assert [t.id for t in trials] == list(range(total))
        assert all(t.state is TrialState.COMPLETED for t in trials)
        assert store.get_trials("race", states=[TrialState.COMPLETED], with_reports=False).__len__() == total
        # every (worker, i) created exactly one trial, with its own params and reports
        keys = collections.Counter((t.params["worker"], t.params["i"]) for t in trials)
        assert len(keys) == total and set(keys.values()) == {1}
        assert sum(len(t.reports) for t in trials) == total * N_REPORTS
        for t in trials:
            assert [r.step for r in t.reports] == list(range(N_REPORTS))
            assert [r.value for r in t.reports] == [step + t.params["i"] / 1000 for step in range(N_REPORTS)]
            assert t.value == float(t.params["i"]) and t.metrics == {"w": float(t.params["worker"])}
        (summary,) = store.list_sweeps()
        assert summary.counts[TrialState.COMPLETED] == total and summary.best_value == 0.0
        assert store.create_trial("race", {}).id == total


def _check_claims(url: str, label: str, n_waiting: int = 200) -> None:
    with SQLStorage(url) as store:
        store.create_sweep(_spec("claims"))
        for i in range(n_waiting):
            store.create_trial("claims", {"i": i}, state=TrialState.WAITING)
    results, seconds = run_workers(claim_worker, [(url, "claims", k) for k in range(N_PROCESSES)])
    print(f"\n[{label}] {N_PROCESSES} processes claiming {n_waiting} waiting trials: {seconds:.1f}s")
    errors = [e for r in results for e in r["errors"]]
    assert not errors, errors[0]
    claimed = [i for r in results for i in r["ids"]]
    assert sorted(claimed) == list(range(n_waiting))  # each exactly once
    with SQLStorage(url) as store:
        trials = store.get_trials("claims")
        assert all(t.state is TrialState.COMPLETED for t in trials)
        by_worker = {r["worker"]: set(r["ids"]) for r in results}
        for t in trials:
            assert t.id in by_worker[int(t.value)]  # finished by the process that claimed it
            assert t.worker == f"w{int(t.value)}" and len(t.reports) == 1


def test_sqlite_processes_ask_and_tell(sqlite_url):
    _check_ask_tell(sqlite_url, "sqlite")


def test_sqlite_processes_claim_each_waiting_trial_once(sqlite_url):
    _check_claims(sqlite_url, "sqlite")


@pytest.mark.postgres
def test_postgres_processes_ask_and_tell(postgres_url):
    _check_ask_tell(postgres_url, "postgresql")


@pytest.mark.postgres
def test_postgres_processes_claim_each_waiting_trial_once(postgres_url):
    _check_claims(postgres_url, "postgresql")
