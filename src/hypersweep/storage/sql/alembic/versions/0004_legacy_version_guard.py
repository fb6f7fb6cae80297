"""Hand-written schema version 4, so releases from before Alembic refuse this store.

hypersweep releases from before Alembic read the highest version in ``hs_schema_version``; at 4
they refuse the store untouched ("upgrade hypersweep") instead of migrating it.

Frozen: never edit a released revision; add a new one.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0004_legacy_version_guard"
down_revision = "0003_trial_meta"
branch_labels = None
depends_on = None

LEGACY = sa.table(
    "hs_schema_version",
    sa.column("version", sa.Integer),
    sa.column("description", sa.String(255)),
    sa.column("applied_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.execute(
        LEGACY.insert().values(
            version=4,
            description="schema managed by Alembic (table hs_alembic_version)",
            applied_at=datetime.now(timezone.utc),
        )
    )
