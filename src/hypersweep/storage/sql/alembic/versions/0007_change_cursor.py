"""Change numbers for incremental readers (the dashboard) and indexes for sorted trial pages.

``hs_sweeps.change_seq`` is the last change number a sweep handed out and ``hs_trials.changed``
the number of each trial's latest change. Existing trials get ``number + 1`` (so a reader starting
at cursor 0 sees them all) and each sweep continues from its ``next_trial_id``. Frozen: never edit
a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_change_cursor"
down_revision = "0006_bohb_gp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hs_sweeps", sa.Column("change_seq", sa.BigInteger, nullable=False, server_default=sa.text("0")))
    op.add_column("hs_trials", sa.Column("changed", sa.BigInteger, nullable=False, server_default=sa.text("0")))
    op.execute("UPDATE hs_trials SET changed = number + 1")
    op.execute("UPDATE hs_sweeps SET change_seq = next_trial_id")
    op.create_index("ix_hs_trials_sweep_id_changed", "hs_trials", ["sweep_id", "changed"])
    op.create_index("ix_hs_trials_sweep_id_value", "hs_trials", ["sweep_id", "value"])
    op.create_index("ix_hs_trials_sweep_id_finished_at", "hs_trials", ["sweep_id", "finished_at"])
