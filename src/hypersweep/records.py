"""Frozen records shared by algorithms, storage, runner and faces."""
from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

Params = dict[str, Any]
COPIED_FROM = "copied_from"  # meta key of a trial copied from another sweep

#: A sweep name is one safe folder name (its trials' files live in ``hypersweep-runs/NAME/``).
SWEEP_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$")
SWEEP_NAME_RULE = "letters, digits, '_', '.' and '-', starting with a letter or digit, at most 128 characters"


def check_sweep_name(name: Any, *, field: str = "name") -> str:
    """``name`` when it follows the sweep-name rule; ``SpecError`` naming ``field`` otherwise."""
    if not isinstance(name, str) or not SWEEP_NAME_RE.match(name):
        from hypersweep.exceptions import SpecError

        raise SpecError(f"{field}: a sweep name must be {SWEEP_NAME_RULE}; got {name!r}")
    return name


class TrialState(str, enum.Enum):
    """Lifecycle: WAITING -> RUNNING -> COMPLETED | PRUNED | FAILED."""

    WAITING = "waiting"
    RUNNING = "running"
    COMPLETED = "completed"
    PRUNED = "pruned"
    FAILED = "failed"

    @property
    def is_finished(self) -> bool:
        return self in (TrialState.COMPLETED, TrialState.PRUNED, TrialState.FAILED)


class Direction(str, enum.Enum):
    MINIMIZE = "minimize"
    MAXIMIZE = "maximize"

    @classmethod
    def parse(cls, value: "Direction | str") -> "Direction":
        """Accept a Direction or 'minimize'/'maximize' (also 'min'/'max'), case-insensitive."""
        if isinstance(value, Direction):
            return value
        text = str(value).strip().lower()
        aliases = {"min": "minimize", "max": "maximize"}
        text = aliases.get(text, text)
        try:
            return cls(text)
        except ValueError:
            from hypersweep.exceptions import SpecError

            raise SpecError(
                f"metric.optimization: must be 'minimize' or 'maximize'; got {value!r}"
            ) from None

    def better(self, a: float, b: float) -> bool:
        """True when value a is strictly better than b."""
        return a < b if self is Direction.MINIMIZE else a > b

    def sign(self) -> float:
        """Multiply a value by this to turn it into a loss (lower is better)."""
        return 1.0 if self is Direction.MINIMIZE else -1.0


@dataclass(frozen=True)
class Metric:
    """The objective a sweep optimizes: a name and a direction."""

    name: str = "value"
    direction: Direction = Direction.MINIMIZE

    def __post_init__(self) -> None:
        object.__setattr__(self, "direction", Direction.parse(self.direction))
        if not isinstance(self.name, str) or not self.name:
            from hypersweep.exceptions import SpecError

            raise SpecError(f"metric.name: must be a non-empty string; got {self.name!r}")


@dataclass(frozen=True)
class Report:
    """An intermediate value a running trial reported at a step."""

    step: int
    value: float
    time: datetime | None = None


@dataclass(frozen=True)
class Trial:
    """One evaluation of one configuration, as stored.

    ``id`` is unique within its sweep and counts from 0 in creation order.
    ``value`` is the sweep metric's final value (None until completed).
    ``meta`` is what the algorithm stored with it (e.g. a multi-fidelity budget and parent).
    """

    id: int
    params: Params
    state: TrialState = TrialState.RUNNING
    value: float | None = None
    metrics: Mapping[str, float] = field(default_factory=dict)
    error: str | None = None
    reports: tuple[Report, ...] = ()
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    worker: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_finished(self) -> bool:
        return self.state.is_finished

    @property
    def duration(self) -> float | None:
        """Seconds from start to finish, when both are known."""
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def last_report(self) -> Report | None:
        return self.reports[-1] if self.reports else None

    @property
    def budget(self) -> float:
        """The multi-fidelity budget it ran with; full (infinite) for a trial without one."""
        budget = self.meta.get("budget")
        return float(budget) if isinstance(budget, (int, float)) else math.inf

    @property
    def copied_from(self) -> Mapping[str, Any] | None:
        """``{"sweep", "trial", "duration"}`` of the trial this one is a copy of (``copy``), else None."""
        source = self.meta.get(COPIED_FROM)
        return source if isinstance(source, Mapping) else None

    @property
    def run_seconds(self) -> float | None:
        """How long it ran: a copy's original duration, else ``duration``."""
        source = self.copied_from
        return source.get("duration") if source is not None else self.duration


@dataclass(frozen=True)
class Resource:
    """Polyaxon's ``resource: {name, type}``: where a multi-fidelity budget goes in the params."""

    name: str = "resource"
    type: str = "int"

    def __post_init__(self) -> None:
        from hypersweep.exceptions import SpecError

        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise SpecError(f"resource.name: must be an identifier such as 'epochs'; got {self.name!r}")
        if self.type not in ("int", "float"):
            raise SpecError(f"resource.type: must be 'int' or 'float'; got {self.type!r}")

    def cast(self, budget: float) -> int | float:
        """The budget as the params value: rounded up to an integer (at least 1) for ``int``."""
        return max(1, math.ceil(budget - 1e-9)) if self.type == "int" else float(budget)


@dataclass(frozen=True)
class Suggestion:
    """What an algorithm proposes: params, plus JSON ``meta`` stored with the trial.

    Multi-fidelity algorithms put their schedule there (``budget``, ``bracket``, ``rung``,
    ``parent``: the trial this one continues), so their state can be rebuilt from stored trials.
    """

    params: Params
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SweepSpec:
    """What defines a sweep; stored once when the sweep is created.

    ``space`` is the matrix dict (``Space.to_matrix()``) so any process can rebuild it;
    ``algorithm`` is a registered name (never an alias); ``pruner`` is ``Pruner.spec()``
    (e.g. ``{"median": {"n_startup_trials": 5, ...}}``) or None for no pruning.
    """

    name: str
    space: Mapping[str, Any]
    metric: Metric
    algorithm: str = "random"
    options: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    created_at: datetime | None = None
    pruner: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class SweepSummary:
    """One line of `hypersweep ls`."""

    name: str
    algorithm: str
    metric: Metric
    counts: Mapping[TrialState, int]
    best_value: float | None
    created_at: datetime | None = None
    updated_at: datetime | None = None  # latest creation, start or finish of any trial

    @property
    def n_trials(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class TrialChanges:
    """Trials changed after a cursor (``Storage.get_trials_changed``), oldest change first.

    Pass ``cursor`` back to get what changed next; ``more`` says the page limit cut the list.
    """

    trials: tuple[Trial, ...]
    cursor: int
    more: bool = False


@dataclass(frozen=True)
class TrialValues:
    """Every trial's id, state and value (columns, by id) and the sweep's change cursor when read
    (``Storage.get_trial_values``): what plots of a whole sweep need, without its records."""

    ids: tuple[int, ...]
    states: tuple[TrialState, ...]
    values: tuple[float | None, ...]
    cursor: int


@dataclass(frozen=True)
class TrialPage:
    """One page of a sweep's trials sorted and filtered by the store, and how many match in all."""

    trials: tuple[Trial, ...]
    total: int


def is_finite_number(value: Any) -> bool:
    """True for int/float values that are neither NaN nor infinite."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
