"""Throw-away PostgreSQL schemas for tests: each test gets an empty store of its own.

>>> with temporary_schema("postgresql://user:pass@127.0.0.1:5432/db") as url:  # doctest: +SKIP
...     store = SQLStorage(url)   # tables land in a fresh schema, dropped on exit
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from hypersweep.storage.sql.engine import normalize_url


def url_with_search_path(base_url: str, schema: str) -> str:
    """``base_url`` whose connections use ``schema`` first (libpq ``options=-csearch_path=...``)."""
    url = normalize_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@contextmanager
def temporary_schema(base_url: str, *, prefix: str = "hs_test") -> Iterator[str]:
    """Create an empty schema, yield a URL that uses it, then drop it with everything inside."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(normalize_url(base_url), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        try:
            yield url_with_search_path(base_url, schema)
        finally:
            with engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        engine.dispose()
