"""The current shape of hypersweep's tables, used by every query.

The Alembic revisions in ``alembic/versions/`` build the database up to this shape step by step
(each with its own frozen DDL); a test checks that a migrated database matches these
definitions. To change the shape, add a revision, then edit this module.

Tables (prefixed ``hs_`` so they can share a database with other applications):

- ``hs_alembic_version``: Alembic's revision of the store (created by Alembic, not defined here).
- ``hs_schema_version``: the version table of the hand-written migrator used before Alembic
  (versions 1-3); revision 0004 adds version 4 so hypersweep releases from before Alembic
  refuse the store untouched instead of trying to migrate it.
- ``hs_sweeps``: one row per sweep; ``next_trial_id`` hands out per-sweep trial ids atomically;
  ``pruner`` is the pruner's JSON definition (NULL: none); ``change_seq`` the last change number;
  ``objectives`` the JSON list of metrics of a multi-objective sweep (NULL: ``metric_name`` alone),
  ``constraints`` the JSON list of its constraints (NULL: none);
  ``note`` the user's note on the sweep (NULL: none; so has each trial).
- ``hs_trials``: one row per trial; ``number`` is the per-sweep id users see; ``changed`` is the
  sweep's change number of the trial's latest change (``get_trials_changed``); ``feasible`` whether
  it met the sweep's constraints (NULL: no constraints); every objective's value is in ``metrics``.
- ``hs_reports``: intermediate values, one per (trial, step).
- ``hs_sweep_attrs``: JSON values per sweep and key (stop flag, the sweep file).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    PostgreSQL stores ``timestamp with time zone``; SQLite stores naive UTC text. Values come
    back aware, in UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored; use a timezone-aware one")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def id_type() -> sa.types.TypeEngine[int]:
    """64-bit surrogate keys; plain INTEGER on SQLite so they alias the rowid."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

schema_version = sa.Table(
    "hs_schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("applied_at", UTCDateTime, nullable=False),
)

sweeps = sa.Table(
    "hs_sweeps",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("space", sa.Text, nullable=False),  # JSON text
    sa.Column("options", sa.Text, nullable=False),  # JSON text
    sa.Column("metric_name", sa.String(255), nullable=False),
    sa.Column("direction", sa.String(16), nullable=False),
    sa.Column("algorithm", sa.String(255), nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("next_trial_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pruner", sa.Text, nullable=True),  # JSON text: Pruner.spec()
    sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"),  # last change number
    sa.Column("objectives", sa.Text, nullable=True),  # JSON text: [{name, optimization, reference?}]
    sa.Column("constraints", sa.Text, nullable=True),  # JSON text: [{metric, min?, max?}]
    sa.Column("note", sa.Text, nullable=True),  # the user's note (NULL: none)
    sa.UniqueConstraint("name"),
    sa.CheckConstraint("direction IN ('minimize', 'maximize')", name="direction"),
)

trials = sa.Table(
    "hs_trials",
    metadata,
    sa.Column("id", id_type(), primary_key=True, autoincrement=True),
    sa.Column("sweep_id", id_type(), sa.ForeignKey("hs_sweeps.id", ondelete="CASCADE"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("params", sa.Text, nullable=False),  # JSON text
    sa.Column("value", sa.Double, nullable=True),
    sa.Column("metrics", sa.Text, nullable=True),  # JSON text
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("started_at", UTCDateTime, nullable=True),
    sa.Column("finished_at", UTCDateTime, nullable=True),
    sa.Column("heartbeat_at", UTCDateTime, nullable=True),
    sa.Column("worker", sa.String(255), nullable=True),
    sa.Column("attempt", sa.Integer, nullable=False, server_default="0"),  # 0, then 1, 2 for retries
    sa.Column("meta", sa.Text, nullable=True),  # JSON the algorithm stores (budget, bracket, parent)
    sa.Column("changed", sa.BigInteger, nullable=False, server_default="0"),  # sweep's change number
    sa.Column("feasible", sa.Boolean(create_constraint=False), nullable=True),  # NULL: no constraints
    sa.Column("note", sa.Text, nullable=True),  # the user's note (NULL: none)
    sa.UniqueConstraint("sweep_id", "number"),
    sa.CheckConstraint("state IN ('waiting', 'running', 'completed', 'pruned', 'failed')", name="state"),
    # claim (oldest waiting), state filters and per-state counts
    sa.Index("ix_hs_trials_sweep_id_state_number", "sweep_id", "state", "number"),
    # the dashboard: changes since a cursor, pages sorted by value or finish time
    sa.Index("ix_hs_trials_sweep_id_changed", "sweep_id", "changed"),
    sa.Index("ix_hs_trials_sweep_id_value", "sweep_id", "value"),
    sa.Index("ix_hs_trials_sweep_id_finished_at", "sweep_id", "finished_at"),
)

reports = sa.Table(
    "hs_reports",
    metadata,
    sa.Column("trial_id", id_type(), sa.ForeignKey("hs_trials.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("step", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("time", UTCDateTime, nullable=False),
)

sweep_attrs = sa.Table(  # small JSON values per sweep (stop flag, the sweep file, ...)
    "hs_sweep_attrs",
    metadata,
    sa.Column("sweep_id", id_type(), sa.ForeignKey("hs_sweeps.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # JSON text
)

TABLES = (schema_version, sweeps, trials, reports, sweep_attrs)
