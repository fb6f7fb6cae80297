"""Schema migrations with Alembic: fresh stores, old hand-written stores upgraded in place with their
data, newer stores refused untouched, all-or-nothing upgrades, concurrent first opens, logging."""
from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from hypersweep.exceptions import SchemaVersionError, StorageError
from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage import open_storage
from hypersweep.storage.sql import SQLStorage, migrations, schema
from hypersweep.storage.sql.migrations import LEGACY_REVISIONS, SchemaState, head, read_state
from hypersweep.testing.postgres import temporary_schema

from .legacy_stores import FILE, build_legacy_store, engine_for

HEAD = head()


def _state(url: str) -> SchemaState:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return read_state(conn)
    finally:
        engine.dispose()


def _legacy_versions(url: str) -> list[int]:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return [row[0] for row in conn.execute(sa.text("SELECT version FROM hs_schema_version ORDER BY version"))]
    finally:
        engine.dispose()


def _spec(name: str = "s") -> SweepSpec:
    return SweepSpec(name, {"x": {"uniform": [0, 1]}}, Metric("loss"))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _contents(url: str, tmp_path: Path) -> object:
    """Everything a store holds: the file's bytes (SQLite), or every table's rows (PostgreSQL)."""
    if url.startswith("sqlite"):
        return _snapshot(tmp_path)
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            names = sorted(sa.inspect(conn).get_table_names())
            columns = {name: [c["name"] for c in sa.inspect(conn).get_columns(name)] for name in names}
            rows = {name: sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {name}"))), key=repr) for name in names}
            return names, columns, rows
    finally:
        engine.dispose()


def _schema_of(url: str) -> dict[str, object]:
    """Tables as the database describes them: columns, keys, constraints, indexes."""
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            out: dict[str, object] = {}
            for table in sorted(inspector.get_table_names()):
                if table == migrations.VERSION_TABLE:
                    continue
                out[table] = (
                    [(c["name"], str(c["type"]), c["nullable"], str(c["default"]).strip("'"))
                     for c in inspector.get_columns(table)],
                    inspector.get_pk_constraint(table),
                    sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
                    sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"], f["options"].get("ondelete"))
                           for f in inspector.get_foreign_keys(table)),
                    sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(table)),
                    sorted((c["name"], " ".join(c["sqltext"].split())) for c in inspector.get_check_constraints(table)),
                )
            return out
    finally:
        engine.dispose()


# -- revisions -------------------------------------------------------------------------------
def test_revisions_form_one_line_that_starts_with_the_hand_written_versions():
    chain = [script.revision for script in reversed(list(migrations._scripts().walk_revisions()))]
    assert chain[0] == "0001_initial" and chain[-1] == HEAD
    assert [chain.index(LEGACY_REVISIONS[v]) for v in (1, 2, 3)] == [0, 1, 2]
    assert set(chain) == migrations.known_revisions()


def test_revisions_ship_inside_the_package_and_do_not_import_the_current_schema():
    scripts = Path(migrations.__file__).with_name("alembic")
    assert (scripts / "env.py").is_file()
    for revision in (scripts / "versions").glob("*.py"):
        text = revision.read_text()
        assert "hypersweep" not in text.split('"""')[-1], revision.name  # frozen DDL only
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert "storage/sql/alembic/versions/*.py" in pyproject


# -- fresh stores ------------------------------------------------------------------------------
def test_a_fresh_store_is_at_the_newest_revision(storage_url):
    SQLStorage(storage_url).close()
    assert _state(storage_url) == SchemaState((HEAD,), 4)
    assert _legacy_versions(storage_url) == [4]  # releases before Alembic refuse it


def test_migrated_schema_matches_the_schema_module(storage_url):
    SQLStorage(storage_url).close()
    engine = engine_for(storage_url)
    try:
        with engine.connect() as conn:
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
        engine.dispose()


def test_reopening_a_current_store_changes_nothing(sqlite_url, tmp_path):
    with SQLStorage(sqlite_url) as store:
        store.create_sweep(_spec())
    before = _snapshot(tmp_path)
    with SQLStorage(sqlite_url) as store:
        assert store.get_sweep("s").name == "s"
    assert _snapshot(tmp_path) == before


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
    assert _state(f"sqlite:///{path}").revisions == (HEAD,)


def test_migration_from_a_missing_file(tmp_path):
    path = tmp_path / "new.db"
    with open_storage(str(path)) as store:
        assert store.list_sweeps() == []
    assert path.exists()


# -- stores written before Alembic -------------------------------------------------------------
@pytest.mark.parametrize("version", [1, 2, 3])
def test_a_hand_written_store_upgrades_in_place_with_its_data(storage_url, version):
    build_legacy_store(storage_url, version)
    with SQLStorage(storage_url) as store:
        spec = store.get_sweep("old")
        assert (spec.algorithm, spec.options, spec.seed, spec.metric) == ("tpe", {"n_startup": 3}, 3, Metric("loss"))
        assert spec.pruner == (FILE["settings"]["pruner"] if version >= 2 else None)  # from its sweep file
        assert spec.created_at == datetime(2026, 1, 1, tzinfo=timezone.utc)
        done, running = store.get_trials("old")
        assert (done.state, done.params, done.value, dict(done.metrics)) == (TrialState.COMPLETED, {"x": 0.5}, 1.25, {"acc": 0.75})
        assert [(r.step, r.value) for r in done.reports] == [(0, 2.0), (1, 1.5)]
        assert done.meta == ({"budget": 3} if version >= 3 else {})
        assert (running.state, running.worker) == (TrialState.RUNNING, "host:2")
        assert store.get_sweep_attrs("old") == ({"sweep_file": FILE} if version >= 2 else {})
        # the upgraded store works like a new one
        assert store.create_trial("old", {"x": 0.1}, meta={"budget": 9}).id == 2
        assert store.requeue_orphans("old", ["host:2"]) == [1]
        store.create_sweep(SweepSpec("new", {}, Metric("loss"), pruner={"median": {"n_startup_trials": 2}}))
        assert store.get_sweep("new").pruner == {"median": {"n_startup_trials": 2}}
    assert _state(storage_url) == SchemaState((HEAD,), 4)
    assert _legacy_versions(storage_url) == [*range(1, version + 1), 4]


@pytest.fixture
def fresh_url(storage_url, tmp_path):
    """A second empty store on the backend of ``storage_url``."""
    if storage_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        with temporary_schema(os.environ["HYPERSWEEP_TEST_POSTGRES_URL"]) as url:
            yield url


@pytest.mark.parametrize("version", [1, 3])
def test_an_upgraded_store_has_the_schema_of_a_fresh_one(storage_url, fresh_url, version):
    build_legacy_store(storage_url, version)
    SQLStorage(storage_url).close()
    SQLStorage(fresh_url).close()
    assert _schema_of(storage_url) == _schema_of(fresh_url)


def test_bohb_sweeps_of_an_old_store_become_bohb_gp(storage_url):
    build_legacy_store(storage_url, 3)
    with SQLStorage(storage_url) as store:
        assert store.get_sweep("gp").algorithm == "bohb_gp"
        assert {s.name: s.algorithm for s in store.list_sweeps()} == {"old": "tpe", "gp": "bohb_gp"}
        # its stored sweep file names the same algorithm, in the same place
        assert store.get_sweep_attrs("gp")["sweep_file"] == {"name": "gp", "settings": {"bohb_gp": {"max_iter": 9}, "seed": 0}}
        assert list(store.get_sweep_attrs("gp")["sweep_file"]["settings"]) == ["bohb_gp", "seed"]
        assert store.get_sweep_attrs("old")["sweep_file"] == FILE


def test_the_bohb_rename_applies_once_to_sweeps_stored_before_it(storage_url):
    with SQLStorage(storage_url) as store:
        store.create_sweep(SweepSpec("new", {}, Metric("loss"), algorithm="bohb"))  # the published BOHB
    with SQLStorage(storage_url) as store:
        assert store.get_sweep("new").algorithm == "bohb"


def test_a_failing_revision_leaves_the_old_store_as_it_was(storage_url, tmp_path):
    build_legacy_store(storage_url, 3)
    engine = engine_for(storage_url)
    with engine.begin() as conn:  # the bohb revision (the last) fails on its UPDATE
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER hs_test_fail BEFORE UPDATE ON hs_sweeps BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION hs_test_fail() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$"
            )
            conn.exec_driver_sql("CREATE TRIGGER hs_test_fail BEFORE UPDATE ON hs_sweeps FOR EACH ROW EXECUTE FUNCTION hs_test_fail()")
    engine.dispose()
    with pytest.raises(StorageError, match="migrating the schema failed: .*injected failure"):
        SQLStorage(storage_url)
    assert _state(storage_url) == SchemaState((), 3)
    engine = engine_for(storage_url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert migrations.VERSION_TABLE not in inspector.get_table_names()
            assert "pruner" not in {c["name"] for c in inspector.get_columns("hs_sweeps")}
            assert conn.execute(sa.text("SELECT algorithm FROM hs_sweeps WHERE name = 'gp'")).scalar() == "bohb"
    finally:
        engine.dispose()


# -- newer stores ----------------------------------------------------------------------------
def _set_hand_written_version(url: str, version: int) -> None:
    build_legacy_store(url, 3)
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO hs_schema_version VALUES (:v, 'from the future', :t)"),
            {"v": version, "t": datetime(2099, 1, 1, tzinfo=timezone.utc)},
        )
    engine.dispose()


def _set_unknown_revision(url: str, revision: str) -> None:
    SQLStorage(url).close()
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE {migrations.VERSION_TABLE} SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_a_store_with_a_newer_hand_written_version_is_refused_untouched(storage_url, tmp_path):
    _set_hand_written_version(storage_url, 7)
    before = _contents(storage_url, tmp_path)
    with pytest.raises(SchemaVersionError, match=r"hand-written schema version 7, this hypersweep understands up to 3") as info:
        SQLStorage(storage_url)
    assert "\n" not in str(info.value) and "left untouched" in str(info.value)
    assert _contents(storage_url, tmp_path) == before


def test_a_store_at_an_unknown_revision_is_refused_untouched(storage_url, tmp_path):
    _set_unknown_revision(storage_url, "0099_from_the_future")
    before = _contents(storage_url, tmp_path)
    with pytest.raises(SchemaVersionError, match=rf"revision '0099_from_the_future', which this hypersweep does not know \(its newest is '{HEAD}'\)"):
        SQLStorage(storage_url)
    with pytest.raises(SchemaVersionError):
        open_storage(storage_url)
    assert _contents(storage_url, tmp_path) == before


@pytest.mark.postgres
def test_messages_never_show_the_password(postgres_url):
    _set_unknown_revision(postgres_url, "0099_from_the_future")
    with pytest.raises(SchemaVersionError) as info:
        SQLStorage(postgres_url)
    password = sa.make_url(postgres_url).password
    assert password and f":{password}@" not in str(info.value) and ":***@" in str(info.value)


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


# -- several openers at once -------------------------------------------------------------------
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
    assert _state(storage_url) == SchemaState((HEAD,), 4)


def _open_in_process(url: str, barrier, out) -> None:
    try:
        barrier.wait(60)
        with SQLStorage(url) as store:
            out.put(sorted(s.name for s in store.list_sweeps()))
    except BaseException as err:  # pragma: no cover - reported by the parent
        out.put(repr(err))


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
@pytest.mark.parametrize("old", [False, True], ids=["fresh", "hand-written-v2"])
def test_processes_opening_one_store_at_once_migrate_it_once(storage_url, old):
    if old:
        build_legacy_store(storage_url, 2)
    ctx = multiprocessing.get_context("fork")
    n = 4
    barrier, out = ctx.Barrier(n), ctx.Queue()
    processes = [ctx.Process(target=_open_in_process, args=(storage_url, barrier, out)) for _ in range(n)]
    for process in processes:
        process.start()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
    assert results == [["gp", "old"] if old else []] * n
    assert _state(storage_url) == SchemaState((HEAD,), 4)
    assert _legacy_versions(storage_url) == ([1, 2, 4] if old else [4])


# -- logging -----------------------------------------------------------------------------------
def test_migrating_leaves_the_applications_logging_alone(sqlite_url):
    root = logging.getLogger()
    app = logging.getLogger("my.application")
    handler = logging.NullHandler()
    root.addHandler(handler)
    before = (list(root.handlers), root.level, app.disabled, app.level, logging.getLogger("alembic").level)
    try:
        SQLStorage(sqlite_url).close()
        assert (list(root.handlers), root.level, app.disabled, app.level, logging.getLogger("alembic").level) == before
    finally:
        root.removeHandler(handler)


# -- files and folders -------------------------------------------------------------------------
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
