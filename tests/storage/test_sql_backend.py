"""SQL-specific behaviour: URLs, locks and retries, atomicity on backend failure, fork, pickle."""
from __future__ import annotations

import multiprocessing
import pickle
import sqlite3
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from sqlalchemy import exc

from hypersweep.exceptions import StorageError
from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage import open_storage
from hypersweep.storage.memory import MemoryStorage
from hypersweep.storage.sql import SQLStorage
from hypersweep.storage.sql.engine import is_retryable, normalize_url


def _spec(name: str = "s") -> SweepSpec:
    return SweepSpec(name, {"x": {"uniform": [0, 1]}}, Metric("loss"))


# -- URLs ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "given, driver",
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg"),
        ("postgres://u:p@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg2://u:p@h/db", "postgresql+psycopg2"),
        ("sqlite:////tmp/x.db", "sqlite"),
    ],
)
def test_urls_pick_the_driver(given, driver):
    assert normalize_url(given).drivername == driver


@pytest.mark.parametrize("bad", ["mysql://u:p@h/db", "not a url://"])
def test_unsupported_urls_are_clear_errors(bad):
    with pytest.raises(StorageError, match="storage URL"):
        normalize_url(bad)


def test_open_storage_picks_the_backend(tmp_path):
    assert isinstance(open_storage(None), MemoryStorage)
    store = MemoryStorage()
    assert open_storage(store) is store
    with open_storage(tmp_path / "a.db") as sql:
        assert isinstance(sql, SQLStorage) and sql.dialect == "sqlite"
    with open_storage(f"sqlite:///{tmp_path / 'b.db'}") as sql:
        assert sql.url.endswith("b.db")


def test_passwords_are_hidden_in_messages_and_repr(tmp_path):
    store = SQLStorage(f"sqlite:///{tmp_path / 'a.db'}")
    assert "a.db" in repr(store)
    url = normalize_url("postgresql://user:secret@127.0.0.1:1/db")
    assert "secret" not in url.render_as_string(hide_password=True)


def test_sqlite_in_memory_url_works_across_threads():
    with SQLStorage("sqlite://") as store:
        store.create_sweep(_spec())
        threads = [threading.Thread(target=lambda: [store.create_trial("s", {}) for _ in range(10)]) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [t.id for t in store.get_trials("s")] == list(range(40))


# -- retries ---------------------------------------------------------------------------------
def _dbapi_error(cls, message, sqlstate=None):
    orig = Exception(message)
    if sqlstate:
        orig.sqlstate = sqlstate  # type: ignore[attr-defined]
    return cls("SELECT 1", {}, orig)


def test_retryable_errors_are_recognised():
    assert is_retryable(_dbapi_error(exc.OperationalError, "database is locked"))
    assert is_retryable(_dbapi_error(exc.OperationalError, "database is busy"))
    assert is_retryable(_dbapi_error(exc.OperationalError, "could not serialize access", "40001"))
    assert is_retryable(_dbapi_error(exc.OperationalError, "deadlock detected", "40P01"))
    assert not is_retryable(_dbapi_error(exc.OperationalError, "disk I/O error"))
    assert not is_retryable(_dbapi_error(exc.IntegrityError, "UNIQUE constraint failed"))
    assert not is_retryable(ValueError("database is locked"))


def _hold_write_lock(path, seconds, started):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    started.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def test_a_briefly_locked_sqlite_file_is_waited_for(sqlite_url, tmp_path):
    with SQLStorage(sqlite_url) as store:
        store.create_sweep(_spec())
        started = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(tmp_path / "hypersweep.db", 1.0, started))
        holder.start()
        started.wait(5)
        began = time.monotonic()
        trial = store.create_trial("s", {"x": 1})
        assert time.monotonic() - began >= 0.5
        holder.join()
        assert trial.id == 0 and store.get_trial("s", 0).params == {"x": 1}


def test_a_persistently_locked_sqlite_file_raises_storage_error(sqlite_url, tmp_path):
    with SQLStorage(sqlite_url, timeout=0.5) as store:
        store.create_sweep(_spec())
        started = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(tmp_path / "hypersweep.db", 3.0, started))
        holder.start()
        started.wait(5)
        with pytest.raises(StorageError, match="busy") as info:
            store.create_trial("s", {"x": 1})
        assert not isinstance(info.value, exc.SQLAlchemyError)
        assert "create_trial" in str(info.value)
        assert store.get_trials("s") == []  # reads still work while a writer holds the lock
        holder.join()
        assert store.create_trial("s", {}).id == 0  # the refused call used no id


# -- atomicity when the backend fails mid-transaction --------------------------------------------
def _install_failing_trigger(store: SQLStorage, table: str, event: str) -> None:
    engine = store._db.engine
    with engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER hs_test_fail BEFORE {event} ON {table} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION hs_test_fail() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER hs_test_fail BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION hs_test_fail()"
            )


def _drop_failing_trigger(store: SQLStorage, table: str) -> None:
    with store._db.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER hs_test_fail")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER hs_test_fail ON {table}")
            conn.exec_driver_sql("DROP FUNCTION hs_test_fail()")


def test_failure_after_the_id_counter_moved_rolls_back(storage_url):
    with SQLStorage(storage_url) as store:
        store.create_sweep(_spec())
        _install_failing_trigger(store, "hs_trials", "INSERT")
        with pytest.raises(StorageError, match="injected failure"):
            store.create_trial("s", {"x": 1})
        _drop_failing_trigger(store, "hs_trials")
        assert store.get_trials("s") == []
        assert store.create_trial("s", {"x": 2}).id == 0  # the counter bump was rolled back


def test_failure_while_dropping_reports_leaves_the_trial_running(storage_url):
    with SQLStorage(storage_url) as store:
        store.create_sweep(_spec())
        trial = store.create_trial("s", {"x": 1})
        for step in range(3):
            store.add_report("s", trial.id, step, float(step))
        before = store.get_trial("s", trial.id)
        _install_failing_trigger(store, "hs_reports", "DELETE")
        with pytest.raises(StorageError, match="injected failure"):
            store.requeue_trial("s", trial.id)
        with pytest.raises(StorageError, match="injected failure"):
            store.delete_sweep("s")
        assert store.get_trial("s", trial.id) == before
        _drop_failing_trigger(store, "hs_reports")
        assert store.requeue_trial("s", trial.id).state is TrialState.WAITING


# -- reads are efficient -------------------------------------------------------------------
def test_get_trials_with_reports_takes_two_queries(storage_url):
    with SQLStorage(storage_url) as store:
        store.create_sweep(_spec())
        for i in range(30):
            trial = store.create_trial("s", {"i": i})
            for step in range(3):
                store.add_report("s", trial.id, step, 1.0)
        statements: list[str] = []

        def count(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append(statement)

        sa.event.listen(store._db.engine, "before_cursor_execute", count)
        trials = store.get_trials("s")
        sa.event.remove(store._db.engine, "before_cursor_execute", count)
        assert len(trials) == 30 and all(len(t.reports) == 3 for t in trials)
        assert len(statements) == 2, statements


@pytest.mark.postgres
def test_postgres_session_time_zone_does_not_leak(postgres_url):
    url = postgres_url.replace("search_path%3D", "timezone%3DAsia/Tokyo%20-csearch_path%3D")
    with SQLStorage(url) as store:
        with store._db.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW timezone").scalar() == "Asia/Tokyo"
        store.create_sweep(_spec())
        trial = store.create_trial("s", {})
        stored = store.get_trial("s", trial.id)
        assert stored.created_at == trial.created_at
        assert stored.created_at.utcoffset().total_seconds() == 0


# -- processes -------------------------------------------------------------------------------
def _use_in_child(store: SQLStorage, out) -> None:
    try:
        trial = store.create_trial("s", {"from": "child"})
        store.add_report("s", trial.id, 0, 1.0)
        store.finish_trial("s", trial.id, TrialState.COMPLETED, value=1.0)
        out.put(trial.id)
    except BaseException as err:  # pragma: no cover - reported by the parent
        out.put(repr(err))


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_a_forked_child_gets_its_own_connections(storage_url):
    with SQLStorage(storage_url) as store:
        store.create_sweep(_spec())
        store.create_trial("s", {"from": "parent"})  # the pool now holds a connection
        ctx = multiprocessing.get_context("fork")
        out = ctx.Queue()
        children = [ctx.Process(target=_use_in_child, args=(store, out)) for _ in range(3)]
        for child in children:
            child.start()
        got = sorted(out.get(timeout=60) for _ in children)
        for child in children:
            child.join(30)
            assert child.exitcode == 0
        assert got == [1, 2, 3]
        assert store.create_trial("s", {"from": "parent"}).id == 4  # the parent's pool still works
        assert len(store.get_trials("s", states=[TrialState.COMPLETED])) == 3


def test_storage_pickles_as_its_url(storage_url):
    with SQLStorage(storage_url) as store:
        store.create_sweep(_spec())
        copy = pickle.loads(pickle.dumps(store))
        try:
            assert copy.create_trial("s", {}).id == 0
            assert store.get_trial("s", 0).id == 0
        finally:
            copy.close()


def test_a_closed_storage_says_so(sqlite_url):
    store = SQLStorage(sqlite_url)
    store.close()
    store.close()  # twice is fine
    with pytest.raises(StorageError, match="closed"):
        store.list_sweeps()


def test_raw_driver_errors_are_classified_too():
    assert is_retryable(sqlite3.OperationalError("database is locked"))
    assert not is_retryable(sqlite3.OperationalError("no such table: x"))
    assert not is_retryable(sqlite3.IntegrityError("database is locked"))
