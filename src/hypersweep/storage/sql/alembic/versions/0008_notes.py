"""Notes: free text a user keeps on a sweep and on each trial (the dashboard edits them).

Frozen: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_notes"
down_revision = "0007_change_cursor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hs_sweeps", sa.Column("note", sa.Text, nullable=True))
    op.add_column("hs_trials", sa.Column("note", sa.Text, nullable=True))
