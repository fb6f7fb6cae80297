"""A stored sweep's status as the CLI shows it: running, stopped, finished or idle, and its budget."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypersweep.algorithms import make_algorithm, stored_options
from hypersweep.config.launch import SWEEP_FILE_ATTR
from hypersweep.exceptions import HypersweepError
from hypersweep.records import SweepSpec, TrialState
from hypersweep.runner.control import STOP_ATTR
from hypersweep.space import Space
from hypersweep.storage import Storage

RUNNING, STOPPED, FINISHED, IDLE = "running", "stopped", "finished", "idle"


@dataclass(frozen=True)
class SweepStatus:
    """``state``: running (a trial runs), stopped (a stop was requested), finished (the budget is
    spent) or idle (anything else: interrupted, or waiting for more trials); ``budget``: the total
    trials the sweep may create (None: no budget of its own)."""

    state: str
    budget: int | None


def sweep_status(store: Storage, spec: SweepSpec, counts: Mapping[TrialState, int]) -> SweepStatus:
    """The status of sweep ``spec`` whose trials number ``counts`` per state."""
    attrs = store.get_sweep_attrs(spec.name)
    budget = _budget(spec, attrs)
    if counts.get(TrialState.RUNNING, 0):
        state = RUNNING
    elif budget is not None and sum(counts.values()) >= budget and not counts.get(TrialState.WAITING, 0):
        state = FINISHED
    elif attrs.get(STOP_ATTR):
        state = STOPPED
    else:
        state = IDLE
    return SweepStatus(state, budget)


def _budget(spec: SweepSpec, attrs: Mapping[str, Any]) -> int | None:
    """The algorithm's trial budget capped by the stored sweep file's ``settings.max_trials``."""
    limits = []
    try:
        algorithm = make_algorithm(
            spec.algorithm, Space.from_matrix(spec.space), direction=spec.metric.direction, seed=spec.seed,
            options=stored_options(spec.algorithm, spec.options),
        )
        limits.append(algorithm.budget)
    except HypersweepError:  # e.g. a generative sweep whose checkpoint is gone: budget unknown
        pass
    data = attrs.get(SWEEP_FILE_ATTR)
    if isinstance(data, dict):
        limits.append((data.get("settings") or {}).get("max_trials"))
    known = [n for n in limits if isinstance(n, int)]
    return min(known) if known else None
