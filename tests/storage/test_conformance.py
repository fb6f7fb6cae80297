"""The storage conformance suite over memory, a SQLite file and PostgreSQL."""
from __future__ import annotations

import pytest

from hypersweep.storage.memory import MemoryStorage
from hypersweep.storage.sql import SQLStorage
from hypersweep.testing.storage_suite import StorageSuite


class TestMemoryStorage(StorageSuite):
    @pytest.fixture
    def storage_factory(self):
        store = MemoryStorage()
        return lambda: store


class TestSQLiteStorage(StorageSuite):
    @pytest.fixture
    def storage_factory(self, sqlite_url):
        return lambda: SQLStorage(sqlite_url)


@pytest.mark.postgres
class TestPostgresStorage(StorageSuite):
    @pytest.fixture
    def storage_factory(self, postgres_url):
        return lambda: SQLStorage(postgres_url)
