"""Sweeps, trials, reports and the hand-written version table (hand-written schema version 1).

Frozen DDL: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # plain INTEGER aliases the rowid on SQLite
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hs_schema_version",
        sa.Column("version", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("applied_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_hs_schema_version"),
    )
    op.create_table(
        "hs_sweeps",
        sa.Column("id", ID, nullable=False, autoincrement=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("space", sa.Text, nullable=False),
        sa.Column("options", sa.Text, nullable=False),
        sa.Column("metric_name", sa.String(255), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("algorithm", sa.String(255), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("next_trial_id", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_hs_sweeps"),
        sa.UniqueConstraint("name", name="uq_hs_sweeps_name"),
        sa.CheckConstraint("direction IN ('minimize', 'maximize')", name="ck_hs_sweeps_direction"),
    )
    op.create_table(
        "hs_trials",
        sa.Column("id", ID, nullable=False, autoincrement=True),
        sa.Column("sweep_id", ID, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("value", sa.Double, nullable=True),
        sa.Column("metrics", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("started_at", TIME, nullable=True),
        sa.Column("finished_at", TIME, nullable=True),
        sa.Column("heartbeat_at", TIME, nullable=True),
        sa.Column("worker", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_hs_trials"),
        sa.UniqueConstraint("sweep_id", "number", name="uq_hs_trials_sweep_id_number"),
        sa.CheckConstraint(
            "state IN ('waiting', 'running', 'completed', 'pruned', 'failed')", name="ck_hs_trials_state"
        ),
        sa.ForeignKeyConstraint(
            ["sweep_id"], ["hs_sweeps.id"], name="fk_hs_trials_sweep_id_hs_sweeps", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_hs_trials_sweep_id_state_number", "hs_trials", ["sweep_id", "state", "number"])
    op.create_table(
        "hs_reports",
        sa.Column("trial_id", ID, nullable=False, autoincrement=False),
        sa.Column("step", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("time", TIME, nullable=False),
        sa.PrimaryKeyConstraint("trial_id", "step", name="pk_hs_reports"),
        sa.ForeignKeyConstraint(
            ["trial_id"], ["hs_trials.id"], name="fk_hs_reports_trial_id_hs_trials", ondelete="CASCADE"
        ),
    )
