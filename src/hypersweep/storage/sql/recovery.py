"""Trials whose runner died, and the change counter every trial write takes.

Each function runs inside the caller's write transaction (``SQLStorage`` wraps them), on the
primary key of a sweep the caller has resolved.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hypersweep.records import TrialState
from hypersweep.storage import _common as c
from hypersweep.storage.sql.schema import reports as R
from hypersweep.storage.sql.schema import sweeps as S
from hypersweep.storage.sql.schema import trials as T

_WAITING = TrialState.WAITING.value
_RUNNING = TrialState.RUNNING.value


def next_change(conn: Connection, sweep_pk: int) -> int:
    """Bump the sweep's change number (locking its row until commit) and return it."""
    conn.execute(sa.update(S).where(S.c.id == sweep_pk).values(change_seq=S.c.change_seq + 1))
    return int(conn.execute(sa.select(S.c.change_seq).where(S.c.id == sweep_pk)).scalar_one())


def requeue_orphans(conn: Connection, sweep_pk: int, dead: tuple[str, ...]) -> list[int]:
    """Move the RUNNING trials held by the ``dead`` workers back to WAITING; their trial ids."""
    if not dead:
        return []
    rows = conn.execute(
        sa.select(T.c.id, T.c.number)
        .where(T.c.sweep_id == sweep_pk, T.c.state == _RUNNING, T.c.worker.in_(dead))
        .order_by(T.c.number)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        conn.execute(
            sa.update(T)
            .where(T.c.id == row.id, T.c.state == _RUNNING)
            .values(
                state=_WAITING, started_at=None, heartbeat_at=None, worker=None,
                changed=next_change(conn, sweep_pk),
            )
        )
        conn.execute(sa.delete(R).where(R.c.trial_id == row.id))
    return [row.number for row in rows]


def reap_stale_trials(
    conn: Connection, sweep_pk: int, *, stale_before: datetime, max_retries: int, reason: str | None
) -> list[tuple[int, int | None]]:
    """Fail the RUNNING trials whose heartbeat is older than ``stale_before``, each with a WAITING
    retry (same params and meta, attempt + 1) while attempts remain: ``(failed id, retry id)``."""
    beat = sa.func.coalesce(T.c.heartbeat_at, T.c.started_at, T.c.created_at)
    rows = conn.execute(
        sa.select(T.c.id, T.c.number, T.c.params, T.c.attempt, T.c.meta)
        .where(T.c.sweep_id == sweep_pk, T.c.state == _RUNNING, beat < stale_before)
        .order_by(T.c.number)
        .with_for_update(skip_locked=True)
    ).all()
    out: list[tuple[int, int | None]] = []
    now = c.utcnow()
    for row in rows:
        done = conn.execute(
            sa.update(T)
            .where(T.c.id == row.id, T.c.state == _RUNNING)
            .values(
                state=TrialState.FAILED.value, error=reason, finished_at=now, metrics=c.dumps({}),
                changed=next_change(conn, sweep_pk),
            )
        )
        if done.rowcount != 1:
            continue
        retry = None
        if row.attempt < max_retries:
            number = conn.execute(
                sa.select(S.c.next_trial_id).where(S.c.id == sweep_pk).with_for_update(key_share=True)
            ).scalar_one()
            conn.execute(sa.update(S).where(S.c.id == sweep_pk).values(next_trial_id=number + 1))
            conn.execute(
                sa.insert(T).values(
                    sweep_id=sweep_pk, number=number, state=_WAITING, params=row.params,
                    created_at=now, attempt=row.attempt + 1, meta=row.meta,
                    changed=next_change(conn, sweep_pk),
                )
            )
            retry = int(number)
        out.append((int(row.number), retry))
    return out
