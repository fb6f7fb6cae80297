"""Engines, transactions and retries for the SQL backends.

- SQLite (a file): WAL journal, ``synchronous=NORMAL``, foreign keys, a busy timeout, and
  ``BEGIN IMMEDIATE`` for every write transaction (reads use a plain deferred ``BEGIN``), so a
  transaction never has to upgrade a read lock to a write lock and two writers cannot deadlock.
- PostgreSQL: ``postgresql://`` URLs use the psycopg (v3) driver; writes run in READ COMMITTED
  with explicit row locks, multi-statement reads in REPEATABLE READ (one snapshot).
- Every transaction is retried with jittered exponential backoff while the backend says "try
  again" (SQLite busy/locked, PostgreSQL serialization failure or deadlock), up to ``timeout``
  seconds; after that, and for every other backend failure, a ``StorageError`` is raised.
- Engines are created lazily per process: a forked child never reuses its parent's connections.
"""
from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine

from hypersweep.exceptions import HypersweepError, StorageError
from hypersweep.storage.urls import mask_password

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: SQLSTATEs after which PostgreSQL asks the client to run the transaction again.
PG_RETRY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock not available
SQLITE_RETRY_MESSAGES = ("database is locked", "database is busy", "database table is locked")

_READONLY_OPTION = "hypersweep_readonly"


def normalize_url(target: str | URL) -> URL:
    """Parse a URL; ``postgresql://``/``postgres://`` get the psycopg (v3) driver.

    Raises:
        StorageError: the URL cannot be parsed or names a backend other than SQLite/PostgreSQL.
    """
    text = target if isinstance(target, str) else target.render_as_string(hide_password=False)
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]
    try:
        url = sa.make_url(text)
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StorageError(f"storage URL: cannot parse {mask_password(text)!r}; use a file path, sqlite:///PATH or postgresql://USER:PASS@HOST/DB") from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise StorageError(
            f"storage URL: backend {backend!r} is not supported; use a file path, sqlite:///PATH or postgresql://..."
        )
    return url


def is_sqlite_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def is_retryable(error: BaseException) -> bool:
    """True when the backend rolled the transaction back and asks for another try."""
    if isinstance(error, exc.DBAPIError):  # wrapped by SQLAlchemy
        orig: BaseException = error.orig  # type: ignore[assignment]
        operational = isinstance(error, exc.OperationalError)
    else:  # raised by the driver itself (raw connections)
        orig = error
        operational = type(error).__name__ == "OperationalError"
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in PG_RETRY_SQLSTATES:
        return True
    if operational:
        message = str(orig).lower()
        return any(text in message for text in SQLITE_RETRY_MESSAGES)
    return False


def _install_sqlite_hooks(engine: Engine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get(_READONLY_OPTION, False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


class Database:
    """One store's engine (per process), its transactions and its retry policy."""

    def __init__(
        self,
        url: str | URL,
        *,
        timeout: float = 60.0,
        pool_size: int = 5,
        max_overflow: int = 10,
        engine_options: dict[str, Any] | None = None,
    ) -> None:
        self.url = normalize_url(url)
        self.dialect_name = self.url.get_backend_name()
        self.display = self.url.render_as_string(hide_password=True)
        if not timeout > 0:
            raise StorageError(f"storage timeout: must be > 0 seconds; got {timeout!r}")
        self.timeout = float(timeout)
        self.pool_size = int(pool_size)
        self.max_overflow = int(max_overflow)
        self.engine_options = dict(engine_options or {})
        self._memory = is_sqlite_memory(self.url)
        # An in-memory SQLite database lives in one connection: serialize its users.
        self._serial = threading.RLock() if self._memory else None
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._pid = os.getpid()
        self._closed = False
        if self.dialect_name == "sqlite" and not self._memory:
            self._check_sqlite_path()

    # -- engine ---------------------------------------------------------------------------
    def _check_sqlite_path(self) -> None:
        database = self.url.database or ""
        if database.startswith("file:"):
            return
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise StorageError(
                f"{self.display}: folder {str(parent)!r} does not exist; create it or choose another path"
            )

    def _create_engine(self) -> Engine:
        options: dict[str, Any] = {}
        if self.dialect_name == "sqlite":
            busy_ms = int(min(self.timeout, 5.0) * 1000)
            if self._memory:
                options.update(poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False})
            else:
                options.update(
                    pool_size=self.pool_size,
                    max_overflow=self.max_overflow,
                    pool_timeout=self.timeout,
                    connect_args={"timeout": busy_ms / 1000.0, "check_same_thread": False},
                )
        else:
            options.update(
                pool_size=self.pool_size,
                max_overflow=self.max_overflow,
                pool_timeout=self.timeout,
                pool_pre_ping=True,
                pool_recycle=1800,
                connect_args={"connect_timeout": max(1, int(min(self.timeout, 30))), "application_name": "hypersweep"},
            )
        options.update(self.engine_options)
        try:
            engine = sa.create_engine(self.url, **options)
        except (exc.ArgumentError, ImportError) as err:
            raise StorageError(f"{self.display}: cannot create a database engine: {err}") from err
        if self.dialect_name == "sqlite":
            _install_sqlite_hooks(engine, busy_timeout_ms=int(min(self.timeout, 5.0) * 1000))
        logger.debug("%s: engine created in process %d", self.display, os.getpid())
        return engine

    @property
    def engine(self) -> Engine:
        """This process's engine, created on first use (and again in a forked child)."""
        if self._closed:
            raise StorageError(f"{self.display}: storage is closed; open it again")
        pid = os.getpid()
        if pid != self._pid:
            # A forked child: never touch the parent's connections, just forget them.
            self._lock = threading.Lock()
            if self._serial is not None:
                self._serial = threading.RLock()
            stale, self._engine, self._pid = self._engine, None, pid
            if stale is not None:
                stale.dispose(close=False)
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._create_engine()
                engine = self._engine
        return engine

    def dispose(self) -> None:
        """Close this process's connections; the object cannot be used afterwards."""
        if self._closed:
            return
        self._closed = True
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose(close=os.getpid() == self._pid)

    # -- transactions ---------------------------------------------------------------------
    def run(self, fn: Callable[[Connection], T], *, write: bool, what: str) -> T:
        """Run ``fn(conn)`` in one transaction, retrying while the backend asks for it.

        Errors raised on purpose by ``fn`` (hypersweep errors) roll back and pass through
        unchanged; backend failures become ``StorageError``.
        """
        deadline = time.monotonic() + self.timeout
        attempt = 0
        while True:
            try:
                return self._once(fn, write=write)
            except HypersweepError:
                raise
            except exc.DBAPIError as err:
                attempt += 1
                if not is_retryable(err):
                    raise StorageError(f"{self.display}: {what} failed: {_describe(err)}") from err
                delay = min(0.5, 0.002 * 2 ** min(attempt, 10)) * random.uniform(0.5, 1.5)
                if time.monotonic() + delay > deadline:
                    raise StorageError(
                        f"{self.display}: {what} gave up after {attempt} tries in {self.timeout:g}s: "
                        f"other connections kept the database busy ({_describe(err)}); "
                        "retry later or open the storage with a larger timeout"
                    ) from err
                logger.debug("%s: %s retry %d in %.3fs: %s", self.display, what, attempt, delay, _describe(err))
                time.sleep(delay)
            except exc.SQLAlchemyError as err:
                raise StorageError(f"{self.display}: {what} failed: {_describe(err)}") from err

    def _once(self, fn: Callable[[Connection], T], *, write: bool) -> T:
        serial = self._serial
        if serial is not None:
            serial.acquire()
        try:
            with self.engine.connect() as conn:
                if not write:
                    if self.dialect_name == "sqlite":
                        conn = conn.execution_options(**{_READONLY_OPTION: True})
                    else:
                        conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    return fn(conn)
        finally:
            if serial is not None:
                serial.release()

    def raw_execute(self, sql: str, *, what: str) -> Any:
        """Run one statement outside any transaction (e.g. ``PRAGMA journal_mode``), with retries."""
        deadline = time.monotonic() + self.timeout
        attempt = 0
        while True:
            try:
                raw = self.engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    cursor.execute(sql)
                    rows = cursor.fetchall()
                    cursor.close()
                    return rows
                finally:
                    raw.close()
            except HypersweepError:
                raise
            except Exception as err:  # the driver's own exceptions here, or SQLAlchemy's on connect
                attempt += 1
                if is_retryable(err) and time.monotonic() < deadline:
                    time.sleep(min(0.5, 0.002 * 2 ** min(attempt, 10)) * random.uniform(0.5, 1.5))
                    continue
                raise StorageError(f"{self.display}: {what} failed: {_describe(err)}") from err


def _describe(error: BaseException) -> str:
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error).strip()
    return " ".join(text.split()) or type(error).__name__
