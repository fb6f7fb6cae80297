"""SQLStorage: the Storage contract on SQLite or PostgreSQL with SQLAlchemy Core.

Each public call is one transaction (see ``engine.Database.run``). Concurrency rules:

- per-sweep trial ids come from ``hs_sweeps.next_trial_id``, read and bumped while the sweep
  row is locked (``FOR NO KEY UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite);
- a trial transition locks the trial row first, checks its state, then writes;
- every trial change but a heartbeat takes the sweep's next ``change_seq`` (bumped in the sweep
  row, whose lock orders concurrent changes, so change numbers commit in order) into the trial's
  ``changed``; ``get_trials_changed`` reads by that column;
- ``claim_waiting_trial`` takes the oldest waiting row ``FOR NO KEY UPDATE SKIP LOCKED`` on
  PostgreSQL, so concurrent claimers get different trials.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection, Row

from hypersweep.exceptions import SweepExistsError, SweepNotFoundError, TrialNotFoundError, TrialStateError
from hypersweep.records import Params, Report, SweepSpec, SweepSummary, Trial, TrialChanges, TrialPage, TrialState, TrialValues
from hypersweep.storage import _common as c
from hypersweep.storage.base import Storage
from hypersweep.storage.sql import migrations
from hypersweep.storage.sql.engine import Database
from hypersweep.storage.sql.notes import get_note, set_note, trial_notes
from hypersweep.storage.sql.pages import trial_page
from hypersweep.storage.sql.recovery import next_change, reap_stale_trials, requeue_orphans
from hypersweep.storage.sql.rows import objectives_text, reports_of, spec_of, trial_of
from hypersweep.storage.sql.schema import reports as R
from hypersweep.storage.sql.schema import sweep_attrs as A
from hypersweep.storage.sql.schema import UTCDateTime
from hypersweep.storage.sql.schema import sweeps as S
from hypersweep.storage.sql.schema import trials as T

logger = logging.getLogger(__name__)

_WAITING = TrialState.WAITING.value
_RUNNING = TrialState.RUNNING.value


class SQLStorage(Storage):
    """Sweeps in a SQLite file or a PostgreSQL database, safe across threads and processes.

    Args:
        url: ``sqlite:///path/to/file.db`` or ``postgresql://user:pass@host:port/db``
            (plain ``postgresql://`` uses the psycopg 3 driver).
        timeout: seconds a call keeps retrying while other writers hold the database busy
            before it raises ``StorageError``.
        pool_size, max_overflow: connection pool size per process.
        engine_options: extra keyword arguments for ``sqlalchemy.create_engine``.

    Raises:
        SchemaVersionError: the store was written by a newer hypersweep (nothing is written).
        StorageError: the store cannot be opened.

    >>> import tempfile, os
    >>> from hypersweep.records import Metric, SweepSpec
    >>> path = os.path.join(tempfile.mkdtemp(), "sweeps.db")
    >>> with SQLStorage(f"sqlite:///{path}") as store:
    ...     _ = store.create_sweep(SweepSpec("demo", {"x": {"uniform": [0, 1]}}, Metric("loss")))
    ...     store.create_trial("demo", {"x": 0.25}).id
    0
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 60.0,
        pool_size: int = 5,
        max_overflow: int = 10,
        engine_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._options = dict(
            timeout=timeout,
            pool_size=pool_size,
            max_overflow=max_overflow,
            engine_options=dict(engine_options) if engine_options else None,
        )
        self._db = Database(url, **self._options)  # type: ignore[arg-type]
        try:
            self._open()
        except BaseException:
            self._db.dispose()
            raise

    # -- lifecycle ------------------------------------------------------------------------
    def _open(self) -> None:
        db = self._db
        state = db.run(migrations.read_state, write=False, what="reading the schema version")
        if migrations.is_current(state, where=db.display):  # refuses a newer store before any write
            return
        if db.dialect_name == "sqlite" and db.url.database not in (None, "", ":memory:"):
            mode = db.raw_execute("PRAGMA journal_mode=WAL", what="enabling the WAL journal")
            if not mode or str(mode[0][0]).lower() != "wal":
                logger.warning("%s: could not enable the WAL journal (got %r)", db.display, mode)
        started = db.run(
            lambda conn: migrations.upgrade(conn, where=db.display), write=True, what="migrating the schema"
        )
        if started is not None:
            logger.info("%s: schema migrated from %s to revision %s", db.display, started.describe(), migrations.head())

    @property
    def url(self) -> str:
        """The store's URL with any password hidden."""
        return self._db.display

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.dialect_name

    def close(self) -> None:
        self._db.dispose()

    def __repr__(self) -> str:
        return f"SQLStorage({self._db.display!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"url": self._db.url.render_as_string(hide_password=False), "options": self._options}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["url"], **state["options"])  # type: ignore[misc]

    # -- helpers --------------------------------------------------------------------------
    def _insert(self, table: sa.Table) -> Any:
        module = pg_dialect if self._db.dialect_name == "postgresql" else sqlite_dialect
        return module.insert(table)

    def _sweep_missing(self, sweep: str) -> SweepNotFoundError:
        return SweepNotFoundError(f"sweep {sweep!r}: not found in {self._db.display}")

    def _raise_missing(self, conn: Connection, sweep: str, number: int) -> None:
        if conn.execute(sa.select(S.c.id).where(S.c.name == sweep)).first() is None:
            raise self._sweep_missing(sweep)
        raise TrialNotFoundError(f"sweep {sweep!r}: no trial with id {number}")

    def _lock_trial(self, conn: Connection, sweep: str, number: int, *, share: bool = False) -> Row[Any]:
        stmt = (
            sa.select(T)
            .join(S, S.c.id == T.c.sweep_id)
            .where(S.c.name == sweep, T.c.number == number)
            .with_for_update(of=T, read=share, key_share=not share)
        )
        row = conn.execute(stmt).first()
        if row is None:
            self._raise_missing(conn, sweep, number)
        return row  # type: ignore[return-value]

    def _state_error(self, sweep: str, row: Any, rule: str) -> TrialStateError:
        return TrialStateError(f"sweep {sweep!r} trial {row.number}: {rule}; it is {row.state}")

    # -- sweeps ---------------------------------------------------------------------------
    def _create_sweep(self, spec: SweepSpec) -> SweepSpec:
        objectives, constraints = objectives_text(spec)
        values = {
            "name": spec.name,
            "space": c.dumps(spec.space),
            "options": c.dumps(spec.options),
            "metric_name": spec.metric.name,
            "direction": spec.metric.direction.value,
            "algorithm": spec.algorithm,
            "seed": spec.seed,
            "created_at": spec.created_at,
            "next_trial_id": 0,
            "pruner": None if spec.pruner is None else c.dumps(spec.pruner),
            "objectives": objectives,
            "constraints": constraints,
        }

        def op(conn: Connection) -> SweepSpec:
            stmt = self._insert(S).values(**values).on_conflict_do_nothing(index_elements=[S.c.name])
            if self._db.dialect_name == "postgresql":
                inserted = conn.execute(stmt.returning(S.c.id)).first() is not None
            else:  # SQLite before 3.35 has no RETURNING; BEGIN IMMEDIATE makes rowcount exact
                inserted = conn.execute(stmt).rowcount == 1
            if not inserted:
                raise SweepExistsError(f"sweep {spec.name!r}: already exists in {self._db.display}; load it or pick another name")
            return replace(
                spec, space=c.loads(values["space"]), options=c.loads(values["options"]), pruner=c.loads(values["pruner"])
            )

        return self._db.run(op, write=True, what=f"create_sweep({spec.name!r})")

    def _get_sweep(self, name: str) -> SweepSpec:
        def op(conn: Connection) -> SweepSpec:
            row = conn.execute(sa.select(S).where(S.c.name == name)).first()
            if row is None:
                raise self._sweep_missing(name)
            return spec_of(row)

        return self._db.run(op, write=False, what=f"get_sweep({name!r})")

    def _list_sweeps(self) -> list[SweepSummary]:
        feasible_value = sa.case((T.c.feasible == sa.false(), sa.null()), else_=T.c.value)  # infeasible: never best

        def op(conn: Connection) -> list[SweepSummary]:
            rows = conn.execute(sa.select(S).order_by(S.c.created_at, S.c.id)).all()
            stats = conn.execute(
                sa.select(
                    T.c.sweep_id, T.c.state, sa.func.count(), sa.func.min(feasible_value), sa.func.max(feasible_value),
                    sa.type_coerce(
                        sa.func.max(sa.func.coalesce(T.c.finished_at, T.c.started_at, T.c.created_at)), UTCDateTime()
                    ),
                )
                .group_by(T.c.sweep_id, T.c.state)
            ).all()
            counts: dict[int, dict[TrialState, int]] = defaultdict(lambda: {s: 0 for s in TrialState})
            extremes: dict[int, tuple[float | None, float | None]] = {}
            updated: dict[int, datetime] = {}
            for sweep_id, state, count, low, high, latest in stats:
                counts[sweep_id][TrialState(state)] = int(count)
                if latest is not None and (sweep_id not in updated or latest > updated[sweep_id]):
                    updated[sweep_id] = latest
                if state == TrialState.COMPLETED.value:
                    extremes[sweep_id] = (low, high)
            out = []
            for row in rows:
                spec = spec_of(row)
                low, high = extremes.get(row.id, (None, None))
                best = c.best_of((v for v in (low, high) if v is not None), spec.metric.direction)
                out.append(
                    SweepSummary(
                        name=spec.name,
                        algorithm=spec.algorithm,
                        metric=spec.metric,
                        counts=dict(counts[row.id]),
                        best_value=best,
                        created_at=spec.created_at,
                        updated_at=updated.get(row.id),
                    )
                )
            return out

        return self._db.run(op, write=False, what="list_sweeps()")

    def _delete_sweep(self, name: str) -> None:
        def op(conn: Connection) -> None:
            sweep_id = conn.execute(sa.select(S.c.id).where(S.c.name == name).with_for_update()).scalar()
            if sweep_id is None:
                raise self._sweep_missing(name)
            trial_ids = sa.select(T.c.id).where(T.c.sweep_id == sweep_id)
            conn.execute(sa.delete(R).where(R.c.trial_id.in_(trial_ids)))
            conn.execute(sa.delete(A).where(A.c.sweep_id == sweep_id))
            conn.execute(sa.delete(T).where(T.c.sweep_id == sweep_id))
            conn.execute(sa.delete(S).where(S.c.id == sweep_id))

        self._db.run(op, write=True, what=f"delete_sweep({name!r})")

    # -- trials ---------------------------------------------------------------------------
    def _create_trial(
        self, sweep: str, params: Params, *, state: TrialState, worker: str | None, meta: dict[str, Any]
    ) -> Trial:
        trial = self._insert_trial(sweep, params, state=state, worker=worker, meta=meta, expected=None)
        assert trial is not None  # only an expected id can refuse
        return trial

    def _create_trial_at(
        self, sweep: str, params: Params, *, trial_id: int, state: TrialState, worker: str | None, meta: dict[str, Any]
    ) -> Trial | None:
        return self._insert_trial(sweep, params, state=state, worker=worker, meta=meta, expected=trial_id)

    def _insert_trial(
        self,
        sweep: str,
        params: Params,
        *,
        state: TrialState,
        worker: str | None,
        meta: dict[str, Any],
        expected: int | None,
    ) -> Trial | None:
        """Read and bump the sweep's next id with its row locked, then insert (unless ``expected`` differs)."""
        params_text = c.dumps(params)
        meta_text = c.dumps(meta) if meta else None
        running = state is TrialState.RUNNING

        def op(conn: Connection) -> Trial | None:
            row = conn.execute(
                sa.select(S.c.id, S.c.next_trial_id).where(S.c.name == sweep).with_for_update(key_share=True)
            ).first()
            if row is None:
                raise self._sweep_missing(sweep)
            number = row.next_trial_id
            if expected is not None and number != expected:
                return None
            conn.execute(sa.update(S).where(S.c.id == row.id).values(next_trial_id=number + 1))
            now = c.utcnow()
            conn.execute(
                sa.insert(T).values(
                    changed=next_change(conn, row.id),
                    sweep_id=row.id,
                    number=number,
                    state=state.value,
                    params=params_text,
                    created_at=now,
                    started_at=now if running else None,
                    heartbeat_at=now if running else None,
                    worker=worker,
                    meta=meta_text,
                )
            )
            return Trial(
                id=number,
                params=c.loads(params_text),
                state=state,
                created_at=now,
                started_at=now if running else None,
                heartbeat_at=now if running else None,
                worker=worker,
                meta=c.loads(meta_text) if meta_text else {},
            )

        return self._db.run(op, write=True, what=f"create_trial({sweep!r})")

    def _claim_waiting_trial(self, sweep: str, *, worker: str | None) -> Trial | None:
        def op(conn: Connection) -> Trial | None:
            row = conn.execute(
                sa.select(T)
                .join(S, S.c.id == T.c.sweep_id)
                .where(S.c.name == sweep, T.c.state == _WAITING)
                .order_by(T.c.number)
                .limit(1)
                .with_for_update(of=T, skip_locked=True, key_share=True)
            ).first()
            if row is None:
                if conn.execute(sa.select(S.c.id).where(S.c.name == sweep)).first() is None:
                    raise self._sweep_missing(sweep)
                return None
            now = c.utcnow()
            conn.execute(
                sa.update(T)
                .where(T.c.id == row.id)
                .values(
                    state=_RUNNING, started_at=now, heartbeat_at=now, worker=worker,
                    changed=next_change(conn, row.sweep_id),
                )
            )
            return trial_of(row, state=TrialState.RUNNING, started_at=now, heartbeat_at=now, worker=worker)

        return self._db.run(op, write=True, what=f"claim_waiting_trial({sweep!r})")

    def _requeue_trial(self, sweep: str, number: int) -> Trial:
        def op(conn: Connection) -> Trial:
            row = self._lock_trial(conn, sweep, number)
            if row.state != _RUNNING:
                raise self._state_error(sweep, row, "only a running trial can be re-queued")
            conn.execute(
                sa.update(T)
                .where(T.c.id == row.id)
                .values(
                    state=_WAITING, started_at=None, heartbeat_at=None, worker=None,
                    changed=next_change(conn, row.sweep_id),
                )
            )
            conn.execute(sa.delete(R).where(R.c.trial_id == row.id))
            return trial_of(row, state=TrialState.WAITING, started_at=None, heartbeat_at=None, worker=None)

        return self._db.run(op, write=True, what=f"requeue_trial({sweep!r}, {number})")

    def _add_report(self, sweep: str, number: int, step: int, value: float) -> None:
        def op(conn: Connection) -> None:
            row = self._lock_trial(conn, sweep, number, share=True)
            if row.state != _RUNNING:
                raise self._state_error(sweep, row, "reports are accepted only while running")
            stmt = self._insert(R).values(trial_id=row.id, step=step, value=value, time=c.utcnow())
            stmt = stmt.on_conflict_do_update(
                index_elements=[R.c.trial_id, R.c.step],
                set_={"value": stmt.excluded.value, "time": stmt.excluded.time},
            )
            conn.execute(stmt)
            conn.execute(sa.update(T).where(T.c.id == row.id).values(changed=next_change(conn, row.sweep_id)))

        self._db.run(op, write=True, what=f"add_report({sweep!r}, {number}, step={step})")

    def _heartbeat(self, sweep: str, number: int) -> None:
        def op(conn: Connection) -> None:
            sweep_id = sa.select(S.c.id).where(S.c.name == sweep).scalar_subquery()
            result = conn.execute(
                sa.update(T)
                .where(T.c.sweep_id == sweep_id, T.c.number == number, T.c.state == _RUNNING)
                .values(heartbeat_at=c.utcnow())
            )
            if result.rowcount == 1:
                return
            row = conn.execute(
                sa.select(T.c.number, T.c.state).where(T.c.sweep_id == sweep_id, T.c.number == number)
            ).first()
            if row is None:
                self._raise_missing(conn, sweep, number)
            raise self._state_error(sweep, row, "heartbeat needs a running trial")

        self._db.run(op, write=True, what=f"heartbeat({sweep!r}, {number})")

    def _finish_trial(
        self, sweep: str, number: int, state: TrialState, *, value: float | None,
        metrics: dict[str, float], error: str | None, feasible: bool | None = None,
    ) -> Trial:
        metrics_text = c.dumps(metrics)

        def op(conn: Connection) -> Trial:
            row = self._lock_trial(conn, sweep, number)
            if TrialState(row.state).is_finished:
                raise self._state_error(sweep, row, "a finished trial cannot change (finish_trial called twice?)")
            now = c.utcnow()
            conn.execute(
                sa.update(T)
                .where(T.c.id == row.id)
                .values(
                    state=state.value, value=value, metrics=metrics_text, error=error, finished_at=now, feasible=feasible,
                    changed=next_change(conn, row.sweep_id),
                )
            )
            return trial_of(
                row,
                reports_of(conn, row.id),
                state=state,
                value=value,
                metrics=c.loads(metrics_text),
                error=error,
                finished_at=now,
                feasible=feasible,
            )

        return self._db.run(op, write=True, what=f"finish_trial({sweep!r}, {number})")

    def _get_trial(self, sweep: str, number: int) -> Trial:
        def op(conn: Connection) -> Trial:
            row = conn.execute(
                sa.select(T).join(S, S.c.id == T.c.sweep_id).where(S.c.name == sweep, T.c.number == number)
            ).first()
            if row is None:
                self._raise_missing(conn, sweep, number)
            return trial_of(row, reports_of(conn, row.id))  # type: ignore[union-attr]

        return self._db.run(op, write=False, what=f"get_trial({sweep!r}, {number})")

    def _get_trials(
        self, sweep: str, *, states: tuple[TrialState, ...] | None, with_reports: bool, ids: tuple[int, ...] | None
    ) -> list[Trial]:
        state_filter = [] if states is None else [T.c.state.in_([s.value for s in states])]
        if ids is not None:
            state_filter.append(T.c.number.in_(ids))

        def op(conn: Connection) -> list[Trial]:
            # Query 1: the sweep (to tell "missing" from "empty") and its trials.
            joined = S.outerjoin(T, sa.and_(T.c.sweep_id == S.c.id, *state_filter))
            rows = conn.execute(
                sa.select(S.c.id.label("hs_sweep_pk"), *T.c)
                .select_from(joined)
                .where(S.c.name == sweep)
                .order_by(T.c.number)
            ).all()
            if not rows:
                raise self._sweep_missing(sweep)
            rows = [row for row in rows if row.number is not None]
            if not rows or not with_reports:
                return [trial_of(row) for row in rows]
            # Query 2: every report of those trials, in one pass.
            by_trial: dict[int, list[Report]] = defaultdict(list)
            for trial_pk, step, value, time in conn.execute(
                sa.select(R.c.trial_id, R.c.step, R.c.value, R.c.time)
                .join(T, T.c.id == R.c.trial_id)
                .where(T.c.sweep_id == rows[0].hs_sweep_pk, *state_filter)
                .order_by(R.c.trial_id, R.c.step)
            ):
                by_trial[trial_pk].append(Report(step, value, time))
            return [trial_of(row, tuple(by_trial.get(row.id, ()))) for row in rows]

        return self._db.run(op, write=False, what=f"get_trials({sweep!r})")

    def _get_trials_changed(self, sweep: str, *, after: int, limit: int, with_reports: bool) -> TrialChanges:
        def op(conn: Connection) -> TrialChanges:
            pk = self._sweep_pk(conn, sweep)
            rows = conn.execute(
                sa.select(T).where(T.c.sweep_id == pk, T.c.changed > after).order_by(T.c.changed).limit(limit + 1)
            ).all()
            more, rows = len(rows) > limit, rows[:limit]
            by_trial = self._reports_by_trial(conn, [row.id for row in rows]) if with_reports else {}
            trials = tuple(trial_of(row, tuple(by_trial.get(row.id, ()))) for row in rows)
            return TrialChanges(trials, int(rows[-1].changed) if rows else after, more=more)

        return self._db.run(op, write=False, what=f"get_trials_changed({sweep!r}, after={after})")

    @staticmethod
    def _reports_by_trial(conn: Connection, trial_pks: list[int]) -> dict[int, list[Report]]:
        by_trial: dict[int, list[Report]] = defaultdict(list)
        for start in range(0, len(trial_pks), 500):  # bounded IN lists
            chunk = trial_pks[start:start + 500]
            for trial_pk, step, value, time in conn.execute(
                sa.select(R.c.trial_id, R.c.step, R.c.value, R.c.time)
                .where(R.c.trial_id.in_(chunk))
                .order_by(R.c.trial_id, R.c.step)
            ):
                by_trial[trial_pk].append(Report(step, value, time))
        return by_trial

    def _get_trial_page(
        self, sweep: str, *, states: tuple[TrialState, ...] | None, order_by: str, descending: bool,
        offset: int, limit: int,
    ) -> TrialPage:
        def op(conn: Connection) -> TrialPage:
            return trial_page(conn, self._sweep_pk(conn, sweep), states=states, order_by=order_by,
                              descending=descending, offset=offset, limit=limit)

        return self._db.run(op, write=False, what=f"get_trial_page({sweep!r})")

    def _get_trial_values(self, sweep: str) -> TrialValues:
        def op(conn: Connection) -> TrialValues:
            found = conn.execute(sa.select(S.c.id, S.c.change_seq).where(S.c.name == sweep)).first()
            if found is None:
                raise self._sweep_missing(sweep)
            # the cursor is read first: a change committed meanwhile is read again, never missed
            rows = conn.execute(
                sa.select(T.c.number, T.c.state, T.c.value).where(T.c.sweep_id == found.id).order_by(T.c.number)
            ).all()
            states = {s.value: s for s in TrialState}
            return TrialValues(tuple(r[0] for r in rows), tuple(states[r[1]] for r in rows),
                               tuple(r[2] for r in rows), int(found.change_seq))

        return self._db.run(op, write=False, what=f"get_trial_values({sweep!r})")

    def _set_note(self, sweep: str, trial: int | None, text: str) -> None:
        self._db.run(lambda conn: set_note(conn, self._sweep_pk(conn, sweep), trial, text), write=True,
                     what=f"set_note({sweep!r}, trial={trial})")

    def _get_note(self, sweep: str, trial: int | None) -> str:
        return self._db.run(lambda conn: get_note(conn, self._sweep_pk(conn, sweep), trial), write=False,
                            what=f"get_note({sweep!r}, trial={trial})")

    def _get_trial_notes(self, sweep: str) -> dict[int, str]:
        return self._db.run(lambda conn: trial_notes(conn, self._sweep_pk(conn, sweep)), write=False,
                            what=f"get_trial_notes({sweep!r})")

    # -- attributes and recovery -----------------------------------------------------------
    def _sweep_pk(self, conn: Connection, sweep: str, *, lock: bool = False) -> int:
        stmt = sa.select(S.c.id).where(S.c.name == sweep)
        if lock:
            stmt = stmt.with_for_update(key_share=True)
        pk = conn.execute(stmt).scalar()
        if pk is None:
            raise self._sweep_missing(sweep)
        return int(pk)

    def _set_sweep_attr(self, sweep: str, key: str, text: str | None) -> None:
        def op(conn: Connection) -> None:
            pk = self._sweep_pk(conn, sweep)
            if text is None:
                conn.execute(sa.delete(A).where(A.c.sweep_id == pk, A.c.key == key))
                return
            stmt = self._insert(A).values(sweep_id=pk, key=key, value=text)
            conn.execute(stmt.on_conflict_do_update(index_elements=[A.c.sweep_id, A.c.key], set_={"value": text}))

        self._db.run(op, write=True, what=f"set_sweep_attr({sweep!r}, {key!r})")

    def _get_sweep_attrs(self, sweep: str) -> dict[str, str]:
        def op(conn: Connection) -> dict[str, str]:
            pk = self._sweep_pk(conn, sweep)
            return {row.key: row.value for row in conn.execute(sa.select(A.c.key, A.c.value).where(A.c.sweep_id == pk))}

        return self._db.run(op, write=False, what=f"get_sweep_attrs({sweep!r})")

    def _requeue_orphans(self, sweep: str, dead: tuple[str, ...]) -> list[int]:
        def op(conn: Connection) -> list[int]:
            return requeue_orphans(conn, self._sweep_pk(conn, sweep), dead)

        return self._db.run(op, write=True, what=f"requeue_orphans({sweep!r})")

    def _reap_stale_trials(
        self, sweep: str, *, stale_before: datetime, max_retries: int, reason: str | None
    ) -> list[tuple[int, int | None]]:
        def op(conn: Connection) -> list[tuple[int, int | None]]:
            return reap_stale_trials(
                conn, self._sweep_pk(conn, sweep), stale_before=stale_before, max_retries=max_retries, reason=reason
            )

        return self._db.run(op, write=True, what=f"reap_stale_trials({sweep!r})")
