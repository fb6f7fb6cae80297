"""Sweeps stored as ``bohb`` (Hyperband with a GP) become ``bohb_gp``.

The name ``bohb`` now means the published BOHB; a stored sweep keeps the algorithm it was made
with. The ``bohb`` block of its stored sweep file (attribute ``sweep_file``) is renamed too, so
``resume`` reads the same algorithm from both. Frozen: never edit a released revision; add a new one.
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0006_bohb_gp"
down_revision = "0005_sweep_pruner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sweeps = sa.table("hs_sweeps", sa.column("id", sa.BigInteger), sa.column("algorithm", sa.String(255)))
    attrs = sa.table("hs_sweep_attrs", sa.column("sweep_id", sa.BigInteger), sa.column("key"), sa.column("value"))
    conn = op.get_bind()
    renamed = sa.select(sweeps.c.id).where(sweeps.c.algorithm == "bohb")
    files = conn.execute(
        sa.select(attrs.c.sweep_id, attrs.c.value).where(attrs.c.key == "sweep_file", attrs.c.sweep_id.in_(renamed))
    ).all()
    for sweep_id, text in files:
        data = json.loads(text)
        settings = data.get("settings")
        if isinstance(settings, dict) and "bohb" in settings:
            data["settings"] = {("bohb_gp" if key == "bohb" else key): value for key, value in settings.items()}
            value = json.dumps(data, allow_nan=False, ensure_ascii=True, separators=(",", ":"))
            conn.execute(
                attrs.update().where(attrs.c.sweep_id == sweep_id, attrs.c.key == "sweep_file").values(value=value)
            )
    conn.execute(sweeps.update().where(sweeps.c.algorithm == "bohb").values(algorithm="bohb_gp"))
