"""Meta-training tasks from the user's own finished sweeps (no torch import).

Each sweep becomes one task: its completed trials encoded on the space's unit hypercube
(``Space.to_unit_many``) with responses turned so that larger is better. All sweeps must share
one search space (the same stored space definition), since a checkpoint is trained for one
encoding; a sweep with fewer than 3 completed trials or a constant metric teaches nothing and is
refused by name.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np

from hypersweep.exceptions import SpecError
from hypersweep.records import Direction, SweepSpec, Trial, TrialState
from hypersweep.space import Space

#: a task: unit points ``(n, d)`` and responses ``(n,)`` to maximize
Task = tuple[np.ndarray, np.ndarray]
MIN_TRIALS = 3


class SweepStore(Protocol):
    """What this module reads from a store (``hypersweep.storage.Storage`` has it)."""

    def get_sweep(self, name: str) -> SweepSpec: ...

    def get_trials(self, sweep: str, *, states: Iterable[TrialState] | None = None,
                   with_reports: bool = True) -> list[Trial]: ...


def _canonical(space: Any) -> str:
    return json.dumps(space, sort_keys=True, default=str)


def tasks_from_sweeps(storage: SweepStore, names: Sequence[str]) -> tuple[Space, dict[str, Task]]:
    """The shared space and ``{sweep name: (X, y)}`` of the named sweeps in ``storage``.

    Raises:
        SpecError: no names, a missing sweep, sweeps on different spaces, or a sweep with fewer
            than 3 completed trials (or a constant metric); the message names the sweep.
    """
    if not names:
        raise SpecError("--from-sweeps: name at least one finished sweep")
    specs = [storage.get_sweep(name) for name in dict.fromkeys(names)]
    first = specs[0]
    for spec in specs[1:]:
        if _canonical(spec.space) != _canonical(first.space):
            raise SpecError(
                f"--from-sweeps: sweep {spec.name!r} searches a different space from {first.name!r}; "
                "meta-train only on sweeps that share one search space"
            )
    space = Space.from_matrix(first.space)
    tasks: dict[str, Task] = {}
    for spec in specs:
        done = [t for t in storage.get_trials(spec.name, states=[TrialState.COMPLETED], with_reports=False)
                if t.value is not None and math.isfinite(float(t.value))]
        y = np.array([float(t.value) for t in done], dtype=np.float32)  # type: ignore[arg-type]
        if len(done) < MIN_TRIALS or np.ptp(y) == 0:
            raise SpecError(
                f"--from-sweeps: sweep {spec.name!r} has {len(done)} completed trials with "
                f"{'a constant' if len(done) >= MIN_TRIALS else 'too few'} values; "
                f"each sweep needs >= {MIN_TRIALS} completed trials with varying {spec.metric.name}"
            )
        X = space.to_unit_many([t.params for t in done]).astype(np.float32)
        tasks[spec.name] = (X, y if spec.metric.direction is Direction.MAXIMIZE else -y)
    return space, tasks


__all__ = ["MIN_TRIALS", "SweepStore", "Task", "tasks_from_sweeps"]
