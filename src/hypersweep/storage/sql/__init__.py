"""SQL storage (SQLAlchemy Core): a SQLite file by default, PostgreSQL by URL.

Modules: ``schema`` (tables), ``migrations`` (versioned steps), ``engine`` (engines, transactions,
retries), ``storage`` (the ``SQLStorage`` class).
"""
from __future__ import annotations

from hypersweep.storage.sql.migrations import CURRENT_VERSION
from hypersweep.storage.sql.storage import SQLStorage

__all__ = ["CURRENT_VERSION", "SQLStorage"]
