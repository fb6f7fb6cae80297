"""The pruner's JSON definition per sweep (``Pruner.spec()``; NULL: no pruner).

Frozen DDL: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_sweep_pruner"
down_revision = "0004_legacy_version_guard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hs_sweeps", sa.Column("pruner", sa.Text, nullable=True))
