"""A JSON ``meta`` column per trial: multi-fidelity budget, bracket, rung, parent (hand-written version 3).

Frozen DDL: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_trial_meta"
down_revision = "0002_attrs_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hs_trials", sa.Column("meta", sa.Text, nullable=True))
