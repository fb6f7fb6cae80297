"""Notes on sweeps and trials in SQL (columns ``note`` of ``hs_sweeps`` and ``hs_trials``)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from hypersweep.exceptions import TrialNotFoundError
from hypersweep.storage.sql.schema import sweeps as S
from hypersweep.storage.sql.schema import trials as T


def set_note(conn: Connection, sweep_pk: int, trial: int | None, text: str) -> None:
    """Store the note (NULL for ""); a missing trial raises ``TrialNotFoundError``."""
    value = text or None
    if trial is None:
        conn.execute(sa.update(S).where(S.c.id == sweep_pk).values(note=value))
        return
    done = conn.execute(sa.update(T).where(T.c.sweep_id == sweep_pk, T.c.number == trial).values(note=value))
    if done.rowcount != 1:
        raise TrialNotFoundError(f"trial {trial}: not found in this sweep")


def get_note(conn: Connection, sweep_pk: int, trial: int | None) -> str:
    """The note, "" when there is none; a missing trial raises ``TrialNotFoundError``."""
    if trial is None:
        return conn.execute(sa.select(S.c.note).where(S.c.id == sweep_pk)).scalar() or ""
    row = conn.execute(sa.select(T.c.note).where(T.c.sweep_id == sweep_pk, T.c.number == trial)).first()
    if row is None:
        raise TrialNotFoundError(f"trial {trial}: not found in this sweep")
    return row.note or ""


def trial_notes(conn: Connection, sweep_pk: int) -> dict[int, str]:
    """The notes of the sweep's trials that have one, by trial number."""
    rows = conn.execute(sa.select(T.c.number, T.c.note).where(T.c.sweep_id == sweep_pk, T.c.note.is_not(None)).order_by(T.c.number))
    return {int(number): note for number, note in rows}
