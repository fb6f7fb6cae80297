"""Rows of the SQL schema as hypersweep records."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from hypersweep.records import Constraint, Metric, Report, SweepSpec, Trial, TrialState
from hypersweep.storage import _common as c
from hypersweep.storage.sql.schema import reports as R


def reports_of(conn: Connection, trial_pk: int) -> tuple[Report, ...]:
    """One trial's reports, by step."""
    rows = conn.execute(
        sa.select(R.c.step, R.c.value, R.c.time).where(R.c.trial_id == trial_pk).order_by(R.c.step)
    )
    return tuple(Report(row.step, row.value, row.time) for row in rows)


def objectives_text(spec: SweepSpec) -> tuple[str | None, str | None]:
    """The ``objectives`` and ``constraints`` columns of a sweep (NULL when it has the plain one metric / none)."""
    plain = len(spec.metrics) == 1 and spec.metric.reference is None
    objectives = None if plain else c.dumps([m.spec() for m in spec.metrics])
    constraints = c.dumps([k.spec() for k in spec.constraints]) if spec.constraints else None
    return objectives, constraints


def spec_of(row: Row[Any]) -> SweepSpec:
    """A sweeps row as a SweepSpec."""
    metrics = tuple(
        Metric(m["name"], m["optimization"], m.get("reference")) for m in c.loads(row.objectives) or ()
    )
    return SweepSpec(
        name=row.name,
        space=c.loads(row.space),
        metric=metrics[0] if metrics else Metric(row.metric_name, row.direction),
        metrics=metrics,
        constraints=tuple(Constraint(**k) for k in c.loads(row.constraints) or ()),
        algorithm=row.algorithm,
        options=c.loads(row.options),
        seed=row.seed,
        created_at=row.created_at,
        pruner=c.loads(row.pruner),
    )


def trial_of(row: Any, reports: tuple[Report, ...] = (), **changes: Any) -> Trial:
    """A trials row (plus its reports) as a Trial; ``changes`` override fields."""
    data = {
        "id": row.number,
        "params": c.loads(row.params),
        "state": TrialState(row.state),
        "value": row.value,
        "metrics": c.loads(row.metrics) or {},
        "error": row.error,
        "reports": reports,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "heartbeat_at": row.heartbeat_at,
        "worker": row.worker,
        "meta": c.loads(row.meta) if row.meta else {},
        "feasible": row.feasible,
    }
    data.update(changes)
    return Trial(**data)
