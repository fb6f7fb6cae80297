"""Schema versioning: the version table, migrations in order, refusing newer stores untouched."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from hypersweep.exceptions import SchemaVersionError, StorageError
from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage import open_storage
from hypersweep.storage.sql import CURRENT_VERSION, SQLStorage, schema
from hypersweep.storage.sql.engine import Database
from hypersweep.storage.sql.migrations import MIGRATIONS, Migration, check_migrations, migrate, read_version


def _engine(url: str) -> sa.Engine:
    return Database(url).engine


def _versions(url: str) -> list[int]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return [row[0] for row in conn.execute(sa.text("SELECT version FROM hs_schema_version ORDER BY version"))]
    finally:
        db.dispose()


def _spec(name: str = "s") -> SweepSpec:
    return SweepSpec(name, {"x": {"uniform": [0, 1]}}, Metric("loss"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_migrations_count_one_two_three():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert CURRENT_VERSION == MIGRATIONS[-1].version
    with pytest.raises(StorageError, match="versions must count"):
        check_migrations([Migration(1, "a", lambda c: None), Migration(3, "b", lambda c: None)])


def test_fresh_store_has_the_version_table_and_tables(storage_url):
    SQLStorage(storage_url).close()
    db = Database(storage_url)
    try:
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert {"hs_schema_version", "hs_sweeps", "hs_trials", "hs_reports"} <= tables
            rows = conn.execute(sa.select(schema.schema_version)).all()
            assert [r.version for r in rows] == [m.version for m in MIGRATIONS]
            assert all(r.applied_at.utcoffset().total_seconds() == 0 for r in rows)
            assert read_version(conn) == CURRENT_VERSION
    finally:
        db.dispose()


def test_migrated_schema_matches_the_schema_module(storage_url):
    SQLStorage(storage_url).close()
    db = Database(storage_url)
    try:
        with db.engine.connect() as conn:
            inspector = sa.inspect(conn)
            for table in schema.TABLES:
                columns = {c["name"]: c for c in inspector.get_columns(table.name)}
                assert set(columns) == set(table.c.keys()), table.name
                for column in table.c:
                    assert columns[column.name]["nullable"] == column.nullable, (table.name, column.name)
                pk = inspector.get_pk_constraint(table.name)["constrained_columns"]
                assert pk == [c.name for c in table.primary_key.columns], table.name
                indexes = {i["name"] for i in inspector.get_indexes(table.name)}
                assert {i.name for i in table.indexes} <= indexes, table.name
                uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table.name)}
                expected = {
                    tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, sa.UniqueConstraint)
                }
                assert expected <= uniques, table.name
    finally:
        db.dispose()


def test_reopening_a_current_store_changes_nothing(sqlite_url, tmp_path):
    with SQLStorage(sqlite_url) as store:
        store.create_sweep(_spec())
    before = _snapshot(tmp_path)
    with SQLStorage(sqlite_url) as store:
        assert store.get_sweep("s").name == "s"
    assert _snapshot(tmp_path) == before
    assert _versions(sqlite_url) == [m.version for m in MIGRATIONS]


def test_sqlite_store_uses_wal(sqlite_url, tmp_path):
    SQLStorage(sqlite_url).close()
    with sqlite3.connect(tmp_path / "hypersweep.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migration_from_an_empty_file(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with open_storage(path) as store:
        store.create_sweep(_spec())
        assert store.create_trial("s", {"x": 0.5}).id == 0
    assert _versions(f"sqlite:///{path}") == [m.version for m in MIGRATIONS]


def test_migration_from_a_missing_file(tmp_path):
    path = tmp_path / "new.db"
    with open_storage(str(path)) as store:
        assert store.list_sweeps() == []
    assert path.exists()


def test_a_newer_sqlite_store_is_refused_byte_for_byte_unchanged(sqlite_url, tmp_path):
    with SQLStorage(sqlite_url) as store:
        store.create_sweep(_spec())
        store.create_trial("s", {"x": 1})
    with sqlite3.connect(tmp_path / "hypersweep.db") as conn:
        conn.execute(
            "INSERT INTO hs_schema_version VALUES (?, 'from the future', '2099-01-01 00:00:00.000000')",
            (CURRENT_VERSION + 1,),
        )
    conn.close()
    before = _snapshot(tmp_path)
    assert list(before) == ["hypersweep.db"]
    with pytest.raises(SchemaVersionError, match=rf"version {CURRENT_VERSION + 1}.*up to {CURRENT_VERSION}"):
        SQLStorage(sqlite_url)
    with pytest.raises(SchemaVersionError):
        open_storage(tmp_path / "hypersweep.db")
    assert _snapshot(tmp_path) == before


def test_a_newer_rollback_journal_store_is_not_switched_to_wal(tmp_path):
    # A store in rollback-journal mode: enabling WAL would rewrite its header, so the version
    # must be checked first.
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE hs_schema_version (version INTEGER PRIMARY KEY, description TEXT, applied_at TEXT)")
        conn.execute("INSERT INTO hs_schema_version VALUES (99, 'future', '2099-01-01 00:00:00')")
    conn.close()
    before = _snapshot(tmp_path)
    with pytest.raises(SchemaVersionError, match="99"):
        SQLStorage(f"sqlite:///{path}")
    assert _snapshot(tmp_path) == before


@pytest.mark.postgres
def test_a_newer_postgres_store_is_refused_without_writing(postgres_url):
    with SQLStorage(postgres_url) as store:
        store.create_sweep(_spec())
    engine = _engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema.schema_version).values(version=CURRENT_VERSION + 1, description="future", applied_at=sa.func.now()))

    def state():
        with engine.connect() as conn:
            return (
                conn.execute(sa.text("SELECT version, description, applied_at FROM hs_schema_version ORDER BY version")).all(),
                conn.execute(sa.text("SELECT name, next_trial_id FROM hs_sweeps")).all(),
                sorted(sa.inspect(conn).get_table_names()),
            )

    before = state()
    with pytest.raises(SchemaVersionError, match=str(CURRENT_VERSION + 1)):
        SQLStorage(postgres_url)
    assert state() == before
    engine.dispose()


def test_steps_apply_in_order_from_an_older_version(storage_url):
    calls: list[int] = []

    def step(n: int) -> Migration:
        def upgrade(conn: sa.Connection) -> None:
            calls.append(n)
            conn.execute(sa.text(f"CREATE TABLE hs_test_step_{n} (id INTEGER PRIMARY KEY)"))

        return Migration(n, f"step {n}", upgrade)

    db = Database(storage_url)
    try:
        # version 1 of this fake history creates the version table too
        first = Migration(1, "base", lambda conn: (calls.append(1), schema.schema_version.create(conn)))
        assert db.run(lambda c: migrate(c, where="t", migrations=[first]), write=True, what="m") == [1]
        assert db.run(read_version, write=False, what="v") == 1
        later = [first, step(2), step(3)]
        assert db.run(lambda c: migrate(c, where="t", migrations=later), write=True, what="m") == [2, 3]
        assert db.run(lambda c: migrate(c, where="t", migrations=later), write=True, what="m") == []
        assert calls == [1, 2, 3]
        assert db.run(read_version, write=False, what="v") == 3
        with pytest.raises(SchemaVersionError):
            db.run(lambda c: migrate(c, where="t", migrations=[first]), write=True, what="m")
    finally:
        db.dispose()


def test_a_version_2_store_upgrades_to_trial_meta_keeping_its_trials(storage_url):
    db = Database(storage_url)
    try:
        db.run(lambda c: migrate(c, where="t", migrations=MIGRATIONS[:2]), write=True, what="m")
    finally:
        db.dispose()
    # a v2 store written before trial meta existed
    engine = _engine(storage_url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO hs_sweeps (name, space, options, metric_name, direction, algorithm, seed, created_at,"
                " next_trial_id) VALUES ('old', '{}', '{}', 'loss', 'minimize', 'random', 0, :t, 1)"
            ),
            {"t": "2026-01-01 00:00:00.000000"},
        )
        pk = conn.execute(sa.text("SELECT id FROM hs_sweeps WHERE name = 'old'")).scalar_one()
        conn.execute(
            sa.text(
                "INSERT INTO hs_trials (sweep_id, number, state, params, value, metrics, created_at, attempt)"
                " VALUES (:pk, 0, 'completed', '{\"x\": 0.5}', 1.25, '{}', :t, 0)"
            ),
            {"pk": pk, "t": "2026-01-01 00:00:00.000000"},
        )
    engine.dispose()
    with SQLStorage(storage_url) as store:
        old = store.get_trial("old", 0)
        assert (old.params, old.value, old.meta) == ({"x": 0.5}, 1.25, {})
        assert store.create_trial("old", {"x": 0.1}, meta={"budget": 3}).meta == {"budget": 3}
        assert store.get_trial("old", 1).meta == {"budget": 3}
    assert _versions(storage_url) == [m.version for m in MIGRATIONS]


def test_a_failing_step_rolls_the_whole_migration_back(storage_url):
    def boom(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE hs_test_half (id INTEGER PRIMARY KEY)"))
        raise StorageError("step 2 failed on purpose")

    steps = [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "boom", boom)]
    db = Database(storage_url)
    try:
        with pytest.raises(StorageError, match="on purpose"):
            db.run(lambda c: migrate(c, where="t", migrations=steps), write=True, what="m")
        assert db.run(read_version, write=False, what="v") is None
        with db.engine.connect() as conn:
            assert not set(sa.inspect(conn).get_table_names()) & {"hs_test_half", "hs_sweeps"}
    finally:
        db.dispose()


def test_concurrent_first_opens_migrate_once(storage_url):
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def open_one() -> None:
        try:
            barrier.wait()
            with SQLStorage(storage_url) as store:
                store.list_sweeps()
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert _versions(storage_url) == [m.version for m in MIGRATIONS]


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    before = _snapshot(tmp_path)
    with pytest.raises(StorageError, match="not a database"):
        open_storage(path)
    assert _snapshot(tmp_path) == before


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        open_storage(tmp_path / "no" / "such" / "dir" / "x.db")
    assert not (tmp_path / "no").exists()


def test_datetimes_are_stored_as_utc_on_sqlite(sqlite_url, tmp_path):
    with SQLStorage(sqlite_url) as store:
        store.create_sweep(_spec())
        trial = store.create_trial("s", {})
        store.finish_trial("s", trial.id, TrialState.COMPLETED, value=1.0)
        stored = store.get_trial("s", trial.id)
    with sqlite3.connect(tmp_path / "hypersweep.db") as conn:
        text = conn.execute("SELECT created_at FROM hs_trials").fetchone()[0]
    conn.close()
    assert text == stored.created_at.replace(tzinfo=None).isoformat(sep=" ")
