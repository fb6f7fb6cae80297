"""Versioned schema migrations, applied in order in one transaction when a store is opened.

Each step is frozen once released: it builds its own table definitions instead of using
``schema.py`` (which always shows the *current* shape), so old stores upgrade the same way
forever. To change the schema, append a ``Migration`` with the next version number.

A store whose version is newer than ``CURRENT_VERSION`` was written by a newer hypersweep and
is refused with ``SchemaVersionError`` before anything is written.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hypersweep.exceptions import SchemaVersionError, StorageError
from hypersweep.storage._common import utcnow
from hypersweep.storage.sql import schema

logger = logging.getLogger(__name__)

VERSION_TABLE = "hs_schema_version"
_PG_MIGRATION_LOCK = 0x6879_7073_7765_6570 & 0x7FFF_FFFF_FFFF_FFFF  # "hypsweep", a bigint key


@dataclass(frozen=True)
class Migration:
    """One schema step: bring a store from ``version - 1`` to ``version``."""

    version: int
    description: str
    upgrade: Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    """Version 1: schema version table, sweeps, trials, reports (frozen DDL)."""
    md = sa.MetaData(naming_convention=schema.NAMING_CONVENTION)
    dt = schema.UTCDateTime
    sa.Table(
        "hs_schema_version",
        md,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("applied_at", dt, nullable=False),
    )
    sa.Table(
        "hs_sweeps",
        md,
        sa.Column("id", schema.id_type(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("space", sa.Text, nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("metric_name", sa.String(255), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("algorithm", sa.String(255), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("next_trial_id", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("name"),
        sa.CheckConstraint("direction IN ('minimize', 'maximize')", name="direction"),
    )
    sa.Table(
        "hs_trials",
        md,
        sa.Column("id", schema.id_type(), primary_key=True, autoincrement=True),
        sa.Column("sweep_id", schema.id_type(), sa.ForeignKey("hs_sweeps.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("value", sa.Double, nullable=True),
        sa.Column("metrics", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", dt, nullable=False),
        sa.Column("started_at", dt, nullable=True),
        sa.Column("finished_at", dt, nullable=True),
        sa.Column("heartbeat_at", dt, nullable=True),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.UniqueConstraint("sweep_id", "number"),
        sa.CheckConstraint(
            "state IN ('waiting', 'running', 'completed', 'pruned', 'failed')", name="state"
        ),
        sa.Index("ix_hs_trials_sweep_id_state_number", "sweep_id", "state", "number"),
    )
    sa.Table(
        "hs_reports",
        md,
        sa.Column("trial_id", schema.id_type(), sa.ForeignKey("hs_trials.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("step", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("time", dt, nullable=False),
    )
    md.create_all(conn)


def _v2_attrs_and_attempts(conn: Connection) -> None:
    """Version 2: per-sweep attributes (stop flag, sweep file) and trial attempt numbers (frozen DDL)."""
    md = sa.MetaData(naming_convention=schema.NAMING_CONVENTION)
    sa.Table("hs_sweeps", md, sa.Column("id", schema.id_type(), primary_key=True))
    sa.Table(
        "hs_sweep_attrs",
        md,
        sa.Column("sweep_id", schema.id_type(), sa.ForeignKey("hs_sweeps.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    md.create_all(conn, tables=[md.tables["hs_sweep_attrs"]])
    conn.execute(sa.text("ALTER TABLE hs_trials ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0"))


def _v3_trial_meta(conn: Connection) -> None:
    """Version 3: a JSON ``meta`` column per trial (multi-fidelity budget, bracket, parent) (frozen DDL)."""
    conn.execute(sa.text("ALTER TABLE hs_trials ADD COLUMN meta TEXT"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: sweeps, trials, reports", _v1_initial),
    Migration(2, "sweep attributes (stop flag, sweep file) and trial attempts (retries)", _v2_attrs_and_attempts),
    Migration(3, "trial meta (multi-fidelity budget, bracket, rung, parent)", _v3_trial_meta),
)
CURRENT_VERSION = MIGRATIONS[-1].version


def check_migrations(migrations: Sequence[Migration]) -> None:
    """Versions must be 1, 2, 3, ... in order (a programming error otherwise)."""
    for expected, step in enumerate(migrations, start=1):
        if step.version != expected:
            raise StorageError(
                f"migrations: versions must count 1, 2, 3, ... in order; got {step.version} at position {expected}"
            )


def read_version(conn: Connection) -> int | None:
    """The store's schema version; None for a store hypersweep never wrote. Read-only."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    table = schema.schema_version
    version = conn.execute(sa.select(sa.func.max(table.c.version))).scalar()
    return int(version) if version is not None else 0


def refuse_newer(version: int | None, *, where: str, current: int = CURRENT_VERSION) -> None:
    if version is not None and version > current:
        raise SchemaVersionError(
            f"{where}: store has schema version {version}, this hypersweep understands up to {current}; "
            "upgrade hypersweep to open it (the store was left untouched)"
        )


def migrate(
    conn: Connection, *, where: str, migrations: Sequence[Migration] = MIGRATIONS
) -> list[int]:
    """Apply the pending steps inside the caller's (write) transaction; return the versions applied.

    On PostgreSQL a transaction-level advisory lock serializes concurrent openers; on SQLite the
    caller's ``BEGIN IMMEDIATE`` already does.
    """
    check_migrations(migrations)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK)))
    version = read_version(conn)
    refuse_newer(version, where=where, current=migrations[-1].version if migrations else 0)
    applied = []
    for step in migrations:
        if version is not None and step.version <= version:
            continue
        logger.info("%s: applying schema migration %d (%s)", where, step.version, step.description)
        step.upgrade(conn)
        conn.execute(
            sa.insert(schema.schema_version).values(
                version=step.version, description=step.description, applied_at=utcnow()
            )
        )
        applied.append(step.version)
    return applied
