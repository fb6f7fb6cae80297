"""``RunPlan``: how one run goes -- its limits, timeouts, recovery policy and trial environment."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hypersweep.exceptions import HypersweepError
from hypersweep.runner.control import Threshold

HEARTBEAT_SECONDS = 15.0
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class RunPlan:
    """What a ``Runner`` does; checked when made (``HypersweepError`` naming the field).

    Attributes:
        n_trials: at most this many trials started by this run (None: until the sweep's budget).
        concurrency: trials running at once.
        max_trials: the sweep's total trial count (shared by every runner; None: no cap).
        max_resource: the sweep's total resource units (epochs of a multi-fidelity algorithm's
            budgets; shared by every runner; None: no cap).
        timeout: seconds after which this run starts no new trial.
        trial_timeout: seconds one trial may run; then its processes are killed and it fails.
        max_retries: retries of a trial whose worker died or lost its heartbeat.
        heartbeat_grace: seconds without a heartbeat after which a running trial counts as lost.
        early_stopping: thresholds; once a completed trial reaches one, no new trial is created.
        env: environment variables set for every trial.
        runs_root: where trial folders live (``runner/run_dirs.py``).
    """

    n_trials: int | None = None
    concurrency: int = 1
    max_trials: int | None = None
    max_resource: float | None = None
    timeout: float | None = None
    trial_timeout: float | None = None
    max_retries: int = 0
    heartbeat_grace: float = 120.0
    early_stopping: tuple[Threshold, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    runs_root: str = "hypersweep-runs"

    def __post_init__(self) -> None:
        if self.n_trials is not None:
            _check_int("n_trials", self.n_trials, minimum=0)
        _check_int("concurrency", self.concurrency, minimum=1)
        if self.max_trials is not None:
            _check_int("max_trials", self.max_trials, minimum=1)
        if self.max_resource is not None and (
            isinstance(self.max_resource, bool) or not isinstance(self.max_resource, (int, float))
            or not math.isfinite(self.max_resource) or self.max_resource <= 0
        ):
            raise HypersweepError(f"max_resource: must be a finite number > 0; got {self.max_resource!r}")
        _check_int("max_retries", self.max_retries, minimum=0)
        for name in ("timeout", "trial_timeout"):
            if getattr(self, name) is not None:
                _check_seconds(name, getattr(self, name))
        _check_seconds("heartbeat_grace", self.heartbeat_grace)
        for key, value in self.env.items():
            if not isinstance(key, str) or not ENV_NAME.match(key) or key.startswith("HYPERSWEEP_"):
                raise HypersweepError(f"env: {key!r} must be a variable name not starting with HYPERSWEEP_")
            if not isinstance(value, str):
                raise HypersweepError(f"env.{key}: must be a string; got {value!r}")
        object.__setattr__(self, "early_stopping", tuple(self.early_stopping))
        object.__setattr__(self, "env", dict(self.env))

    @property
    def heartbeat_seconds(self) -> float:
        """How often running trials' heartbeats are renewed: well within the grace period."""
        return min(HEARTBEAT_SECONDS, self.heartbeat_grace / 4)

    @property
    def slots(self) -> int:
        """Trials the executor runs at once: ``concurrency``, or fewer when ``n_trials`` is smaller."""
        return max(1, min(self.concurrency, self.n_trials if self.n_trials is not None else self.concurrency))


def _check_int(name: str, value: Any, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise HypersweepError(f"{name}: must be an integer >= {minimum}; got {value!r}")


def _check_seconds(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (math.isfinite(value) and value > 0):
        raise HypersweepError(f"{name}: must be a positive number of seconds; got {value!r}")
