"""Conformance suite every Storage backend passes (needs pytest: a test-time dependency).

Subclass :class:`StorageSuite` in a test module and provide a ``storage_factory`` fixture: a
callable that opens the store under test. Calling it again must open *the same* store (a new
handle for SQL backends, the same object for in-memory ones); the suite closes what it opens::

    import pytest
    from hypersweep.storage.memory import MemoryStorage
    from hypersweep.testing.storage_suite import StorageSuite

    class TestMemory(StorageSuite):
        @pytest.fixture
        def storage_factory(self):
            store = MemoryStorage()
            return lambda: store

Each test starts from an empty store. What it checks is every invariant written in
``hypersweep.storage.base``: sweeps (create/get/list/delete and their errors), sequential
per-sweep ids, the state machine, reports (only while running, same step replaces), re-queue,
``claim_waiting_trial`` (also under threads), ``get_trials`` filters, changes since a cursor and
sorted trial pages, counts and best value per
direction, the JSON round trip of params and pruner definitions, several metrics, constraints and
feasibility, UTC timestamps, snapshots, and
that a refused call leaves nothing half-written.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from hypersweep.storage.base import Storage
from hypersweep.testing._storage_change_cases import ChangeCases
from hypersweep.testing._storage_common import SPACE, make_spec
from hypersweep.testing._storage_objective_cases import ObjectiveCases
from hypersweep.testing._storage_recovery_cases import RecoveryCases
from hypersweep.testing._storage_sweep_cases import SweepCases
from hypersweep.testing._storage_trial_cases import TrialCases


class StorageSuite(SweepCases, TrialCases, RecoveryCases, ChangeCases, ObjectiveCases):
    """Base class of the conformance tests; subclasses provide ``storage_factory``."""

    # -- fixtures -------------------------------------------------------------------------
    @pytest.fixture
    def storage_factory(self) -> Callable[[], Storage]:  # pragma: no cover - overridden
        raise NotImplementedError("subclass StorageSuite and define a storage_factory fixture")

    @pytest.fixture
    def opener(self, storage_factory: Callable[[], Storage]) -> Iterator[Callable[[], Storage]]:
        """Open more handles on the store under test; all are closed at the end."""
        opened: list[Storage] = []

        def open_one() -> Storage:
            store = storage_factory()
            opened.append(store)
            return store

        yield open_one
        for store in reversed(opened):
            store.close()

    @pytest.fixture
    def storage(self, opener: Callable[[], Storage]) -> Storage:
        return opener()

    @pytest.fixture
    def sweep(self, storage: Storage) -> str:
        storage.create_sweep(make_spec("sweep"))
        return "sweep"


__all__ = ["SPACE", "StorageSuite", "make_spec"]
