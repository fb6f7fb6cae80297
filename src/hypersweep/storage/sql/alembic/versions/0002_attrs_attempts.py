"""Per-sweep attributes (stop flag, sweep file) and trial attempt numbers (hand-written version 2).

Frozen DDL: never edit a released revision; add a new one.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_attrs_attempts"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hs_sweep_attrs",
        sa.Column("sweep_id", ID, nullable=False, autoincrement=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("sweep_id", "key", name="pk_hs_sweep_attrs"),
        sa.ForeignKeyConstraint(
            ["sweep_id"], ["hs_sweeps.id"], name="fk_hs_sweep_attrs_sweep_id_hs_sweeps", ondelete="CASCADE"
        ),
    )
    op.add_column("hs_trials", sa.Column("attempt", sa.Integer, nullable=False, server_default=sa.text("0")))
