"""Helpers shared by the storage conformance cases (see ``storage_suite``)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from hypersweep.records import Metric, SweepSpec, TrialState

W, R, C, P, F = (
    TrialState.WAITING,
    TrialState.RUNNING,
    TrialState.COMPLETED,
    TrialState.PRUNED,
    TrialState.FAILED,
)

SPACE = {
    "lr": {"loguniform": [1e-4, 0.1]},
    "units": {"values": [32, 64, [32, 32]]},
    "act": {"values": ["relu", "tanh", None]},
}


def make_spec(name: str = "sweep", direction: str = "minimize", **changes: Any) -> SweepSpec:
    """A small valid spec for tests."""
    data: dict[str, Any] = dict(
        name=name,
        space=SPACE,
        metric=Metric("loss", direction),
        algorithm="random",
        options={"n_experiments": 10, "nested": {"a": [1, 2.5, None]}},
        seed=7,
    )
    data.update(changes)
    return SweepSpec(**data)


def is_utc(value: datetime | None) -> bool:
    return value is not None and value.tzinfo is not None and value.utcoffset() == timedelta(0)


def near_now(value: datetime | None) -> bool:
    now = datetime.now(timezone.utc)
    return value is not None and now - timedelta(minutes=5) <= value <= now + timedelta(seconds=5)
