"""Where sweeps live: in memory, or in SQL (SQLite file by default, PostgreSQL by URL)."""
from __future__ import annotations

from pathlib import Path

from hypersweep.exceptions import StoreNotFoundError
from hypersweep.storage.base import Storage


def open_storage(target: "str | Path | Storage | None", *, create: bool = True) -> Storage:
    """Open a store from None (in memory), a file path (SQLite), a SQLAlchemy URL, or a Storage.

    With ``create`` False a SQLite file that does not exist is refused (``StoreNotFoundError``)
    instead of being created: what every read-only caller wants.

    >>> open_storage(None)  # doctest: +ELLIPSIS
    <hypersweep.storage.memory.MemoryStorage ...>
    """
    if isinstance(target, Storage):
        return target
    if target is None:
        from hypersweep.storage.memory import MemoryStorage

        return MemoryStorage()
    from hypersweep.storage.sql import SQLStorage

    text = str(target)
    url = text if "://" in text else f"sqlite:///{Path(text).expanduser().resolve()}"
    if not create:
        _require_file(url)
    return SQLStorage(url)


def _require_file(url: str) -> None:
    """``StoreNotFoundError`` when ``url`` names a SQLite file that does not exist."""
    from hypersweep.storage.sql.engine import is_sqlite_memory, normalize_url

    parsed = normalize_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or is_sqlite_memory(parsed) or database.startswith("file:"):
        return
    if not Path(database).expanduser().exists():
        raise StoreNotFoundError(
            f"storage: no store at {Path(database).expanduser().resolve()}; check the path (a run creates the store)"
        )


__all__ = ["Storage", "open_storage"]
