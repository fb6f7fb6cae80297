"""Sorted, filtered pages of a sweep's trials in SQL (``Storage.get_trial_page``).

Missing values sort last. For a column that may be NULL the page is read in two parts — the rows
with a value in index order, then those without, by id — rather than ordering by ``col IS NULL``,
which no index serves and which sorts the whole sweep for every page.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hypersweep.records import TrialPage, TrialState
from hypersweep.storage.sql.rows import trial_of
from hypersweep.storage.sql.schema import trials as T


def trial_page(
    conn: Connection, sweep_pk: int, *, states: tuple[TrialState, ...] | None, order_by: str, descending: bool,
    offset: int, limit: int,
) -> TrialPage:
    """Trials of the sweep in ``states`` sorted by ``order_by`` (ties by id, missing last), and the count."""
    column = T.c.number if order_by == "id" else T.c[order_by]
    where: list[Any] = [T.c.sweep_id == sweep_pk] + ([] if states is None else [T.c.state.in_([s.value for s in states])])
    total = int(conn.execute(sa.select(sa.func.count()).where(*where)).scalar_one())
    ordered = column.desc() if descending else column
    if not column.nullable:
        return TrialPage(_rows(conn, where, (ordered, T.c.number), offset, limit), total)
    known = int(conn.execute(sa.select(sa.func.count()).where(*where, column.is_not(None))).scalar_one())
    rows = _rows(conn, [*where, column.is_not(None)], (ordered, T.c.number), offset, limit) if offset < known else ()
    if len(rows) < limit and offset + len(rows) >= known:
        rows += _rows(conn, [*where, column.is_(None)], (T.c.number,), max(0, offset - known), limit - len(rows))
    return TrialPage(rows, total)


def _rows(conn: Connection, where: list[Any], order: tuple[Any, ...], offset: int, limit: int) -> tuple[Any, ...]:
    found = conn.execute(sa.select(T).where(*where).order_by(*order).offset(offset).limit(limit)).all()
    return tuple(trial_of(row) for row in found)
