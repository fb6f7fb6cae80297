"""Shared fixtures: storage backends (memory, a SQLite file, a PostgreSQL schema per test).

PostgreSQL tests need ``HYPERSWEEP_TEST_POSTGRES_URL`` (``.ci/run`` sets it after starting a
server); they are skipped, saying so, only when it is unset.
"""
from __future__ import annotations

import os

import pytest

POSTGRES_ENV = "HYPERSWEEP_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture
def sqlite_url(tmp_path):
    """URL of a fresh SQLite file in this test's tmp_path."""
    return f"sqlite:///{tmp_path / 'hypersweep.db'}"


@pytest.fixture
def postgres_url():
    """URL of an empty PostgreSQL schema of this test's own, dropped afterwards."""
    base = postgres_base_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run sets it after starting PostgreSQL)")
    from hypersweep.testing.postgres import temporary_schema

    with temporary_schema(base) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def storage_url(request):
    """URL of an empty SQL store: a SQLite file, then a PostgreSQL schema."""
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'postgres'}_url")


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_storage(request):
    """An empty open Storage on every backend (closed afterwards)."""
    from hypersweep.storage import open_storage

    if request.param == "memory":
        store = open_storage(None)
    else:
        store = open_storage(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url"))
    yield store
    store.close()


@pytest.fixture
def change_default_algorithm(monkeypatch):
    """Call it with a registered name to act as a later release whose ``DEFAULT_ALGORITHM`` is that
    one: every hypersweep module holding the constant sees the new value."""
    import sys

    def change(name: str) -> None:
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("hypersweep") and hasattr(module, "DEFAULT_ALGORITHM"):
                monkeypatch.setattr(module, "DEFAULT_ALGORITHM", name)

    return change
