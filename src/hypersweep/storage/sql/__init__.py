"""SQL storage (SQLAlchemy Core): a SQLite file by default, PostgreSQL by URL.

Modules: ``schema`` (tables), ``migrations`` (Alembic revisions in ``alembic/``, run on open),
``engine`` (engines, transactions, retries), ``storage`` (the ``SQLStorage`` class).
"""
from __future__ import annotations

from hypersweep.storage.sql.storage import SQLStorage

__all__ = ["SQLStorage"]
