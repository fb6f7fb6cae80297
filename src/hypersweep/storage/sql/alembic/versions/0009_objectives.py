"""Multi-objective sweeps and constraints.

``hs_sweeps.objectives`` is the JSON list of a sweep's metrics (``[{name, optimization,
reference?}, ...]``; NULL: the single ``metric_name``/``direction``), ``hs_sweeps.constraints`` the
JSON list of its constraints (``[{metric, min?, max?}, ...]``; NULL: none), and
``hs_trials.feasible`` whether a finished trial met them (NULL: the sweep has none). Every
objective's value stays in ``hs_trials.metrics``; ``hs_trials.value`` is the first one's.
Frozen: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_objectives"
down_revision = "0008_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hs_sweeps", sa.Column("objectives", sa.Text, nullable=True))
    op.add_column("hs_sweeps", sa.Column("constraints", sa.Text, nullable=True))
    op.add_column("hs_trials", sa.Column("feasible", sa.Boolean(create_constraint=False), nullable=True))
