"""Where sweeps live: in memory, or in SQL (SQLite file by default, PostgreSQL by URL)."""
from __future__ import annotations

from pathlib import Path

from hypersweep.storage.base import Storage


def open_storage(target: "str | Path | Storage | None") -> Storage:
    """Open a store from None (in memory), a file path (SQLite), a SQLAlchemy URL, or a Storage.

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
    return SQLStorage(url)


__all__ = ["Storage", "open_storage"]
