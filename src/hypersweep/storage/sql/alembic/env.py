"""Alembic environment of hypersweep's SQL store; run only through ``storage/sql/migrations.py``.

hypersweep hands over its connection in ``config.attributes["connection"]``, inside its own
write transaction with the migration lock held, so every revision applies or none does. Nothing
here configures logging: the application's logging stays as it was.
"""
from alembic import context

from hypersweep.storage.sql.migrations import VERSION_TABLE

context.configure(connection=context.config.attributes["connection"], version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
