"""Sweeps stored as ``bohb`` (Hyperband with a GP) become ``bohb_gp``.

The name ``bohb`` now means the published BOHB; a stored sweep keeps the algorithm it was made with.

Frozen: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_bohb_gp"
down_revision = "0005_sweep_pruner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sweeps = sa.table("hs_sweeps", sa.column("algorithm", sa.String(255)))
    op.execute(sweeps.update().where(sweeps.c.algorithm == "bohb").values(algorithm="bohb_gp"))
