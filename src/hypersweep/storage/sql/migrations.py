"""Schema migrations: the Alembic revisions in ``alembic/versions``, run when a store is opened.

A store is in one of these states (``read_state``, which only reads):

- new (no hypersweep tables): every revision runs;
- hand-written version 1, 2 or 3 (table ``hs_schema_version``, written by hypersweep before it
  used Alembic): stamped with the matching revision, then upgraded;
- an Alembic revision (table ``hs_alembic_version``): upgraded when behind the newest revision.

A store at a hand-written version above 3 without an Alembic revision, or at a revision this
code does not know, was written by a newer hypersweep: ``SchemaVersionError``, raised before
anything is written.

``upgrade`` runs inside the caller's write transaction, so every revision applies or none does.
Concurrent openers queue on a transaction-level advisory lock (PostgreSQL) or on the write lock
``BEGIN IMMEDIATE`` takes (SQLite); whoever comes second finds the store current.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hypersweep.exceptions import SchemaVersionError

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

VERSION_TABLE = "hs_alembic_version"
LEGACY_TABLE = "hs_schema_version"
#: Hand-written schema versions (before Alembic) and the revision that builds the same schema.
LEGACY_REVISIONS = {1: "0001_initial", 2: "0002_attrs_attempts", 3: "0003_trial_meta"}
SCRIPTS = Path(__file__).with_name("alembic")
_PG_MIGRATION_LOCK = 0x6879_7073_7765_6570 & 0x7FFF_FFFF_FFFF_FFFF  # "hypsweep", a bigint key


@dataclass(frozen=True)
class SchemaState:
    """What a store records about its schema: Alembic revisions and the hand-written version."""

    revisions: tuple[str, ...] = ()
    legacy: int | None = None

    def describe(self) -> str:
        if self.revisions:
            return f"revision {', '.join(self.revisions)}"
        if self.legacy:
            return f"hand-written version {self.legacy}"
        return "an empty store"


@functools.lru_cache(maxsize=1)
def _scripts() -> "ScriptDirectory":
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(SCRIPTS))


@functools.lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision this code has."""
    return frozenset(script.revision for script in _scripts().walk_revisions())


def head() -> str:
    """The newest revision: the schema this code writes."""
    return _scripts().get_current_head()  # type: ignore[return-value]


def read_state(conn: Connection) -> SchemaState:
    """The store's schema state. Read-only."""
    inspector = sa.inspect(conn)
    revisions: tuple[str, ...] = ()
    if inspector.has_table(VERSION_TABLE):
        rows = conn.execute(sa.select(sa.column("version_num")).select_from(sa.table(VERSION_TABLE)))
        revisions = tuple(sorted(str(row[0]) for row in rows))
    legacy = None
    if inspector.has_table(LEGACY_TABLE):
        version = conn.execute(sa.select(sa.func.max(sa.column("version"))).select_from(sa.table(LEGACY_TABLE))).scalar()
        legacy = int(version) if version is not None else 0
    return SchemaState(revisions, legacy)


def is_current(state: SchemaState, *, where: str) -> bool:
    """True when the store is at the newest revision.

    Raises:
        SchemaVersionError: a newer hypersweep wrote the store.
    """
    if state.revisions:
        unknown = [revision for revision in state.revisions if revision not in known_revisions()]
        if unknown:
            raise SchemaVersionError(
                f"{where}: store is at schema revision {unknown[0]!r}, which this hypersweep does not know "
                f"(its newest is {head()!r}); upgrade hypersweep to open it (the store was left untouched)"
            )
        return state.revisions == (head(),)
    newest = max(LEGACY_REVISIONS)
    if state.legacy is not None and state.legacy > newest:
        raise SchemaVersionError(
            f"{where}: store has hand-written schema version {state.legacy}, this hypersweep understands up to "
            f"{newest}; upgrade hypersweep to open it (the store was left untouched)"
        )
    return False


def upgrade(conn: Connection, *, where: str) -> SchemaState | None:
    """Bring the store to the newest revision inside the caller's write transaction.

    Returns the state it started from, or None when another process got there first.
    """
    from alembic import command
    from alembic.config import Config

    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
    state = read_state(conn)
    if is_current(state, where=where):
        return None
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = conn
    if not state.revisions and state.legacy:
        command.stamp(config, LEGACY_REVISIONS[state.legacy])
    command.upgrade(config, "head")
    return state
