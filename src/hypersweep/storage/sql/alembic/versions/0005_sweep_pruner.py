"""The pruner's JSON definition per sweep (``Pruner.spec()``; NULL: no pruner).

A sweep started from a sweep file gets the ``settings.pruner`` block of the file stored with it
(attribute ``sweep_file``), so ``resume`` keeps pruning as it did. Frozen: never edit a released
revision; add a new one.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0005_sweep_pruner"
down_revision = "0004_legacy_version_guard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hs_sweeps", sa.Column("pruner", sa.Text, nullable=True))
    sweeps = sa.table("hs_sweeps", sa.column("id", sa.BigInteger), sa.column("pruner", sa.Text))
    attrs = sa.table("hs_sweep_attrs", sa.column("sweep_id", sa.BigInteger), sa.column("key"), sa.column("value"))
    conn = op.get_bind()
    files = conn.execute(sa.select(attrs.c.sweep_id, attrs.c.value).where(attrs.c.key == "sweep_file")).all()
    for sweep_id, text in files:
        settings = json.loads(text).get("settings")
        pruner = settings.get("pruner") if isinstance(settings, dict) else None
        if isinstance(pruner, dict):
            value = json.dumps(pruner, allow_nan=False, ensure_ascii=True, separators=(",", ":"))
            conn.execute(sweeps.update().where(sweeps.c.id == sweep_id).values(pruner=value))
