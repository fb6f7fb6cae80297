"""Rows of the SQL schema as hypersweep records."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from hypersweep.records import Metric, Report, SweepSpec, Trial, TrialState
from hypersweep.storage import _common as c
from hypersweep.storage.sql.schema import reports as R


def reports_of(conn: Connection, trial_pk: int) -> tuple[Report, ...]:
    """One trial's reports, by step."""
    rows = conn.execute(
        sa.select(R.c.step, R.c.value, R.c.time).where(R.c.trial_id == trial_pk).order_by(R.c.step)
    )
    return tuple(Report(row.step, row.value, row.time) for row in rows)


def spec_of(row: Row[Any]) -> SweepSpec:
    """A sweeps row as a SweepSpec."""
    return SweepSpec(
        name=row.name,
        space=c.loads(row.space),
        metric=Metric(row.metric_name, row.direction),
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
    }
    data.update(changes)
    return Trial(**data)
