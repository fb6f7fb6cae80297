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
    """An objective a sweep optimizes: a name, a direction and, optionally, a reference point.

    ``reference`` (multi-objective sweeps) is the worst value still of interest, as Ax's
    objective thresholds: hypervolume is measured from it, and ``mobo`` aims at the part of the
    front that beats it. None: taken from the observed values.
    """

    name: str = "value"
    direction: Direction = Direction.MINIMIZE
    reference: float | None = None

    def __post_init__(self) -> None:
        from hypersweep.exceptions import SpecError

        object.__setattr__(self, "direction", Direction.parse(self.direction))
        if not isinstance(self.name, str) or not self.name:
            raise SpecError(f"metric.name: must be a non-empty string; got {self.name!r}")
        if self.reference is not None:
            if not is_finite_number(self.reference):
                raise SpecError(f"metric {self.name!r}.reference: must be a finite number or omitted; got {self.reference!r}")
            object.__setattr__(self, "reference", float(self.reference))

    def loss(self, value: float) -> float:
        """``value`` turned into a loss (lower is better)."""
        return self.direction.sign() * value

    def spec(self) -> dict[str, Any]:
        """The sweep-file block: ``{name, optimization[, reference]}``."""
        out: dict[str, Any] = {"name": self.name, "optimization": self.direction.value}
        if self.reference is not None:
            out["reference"] = self.reference
        return out


@dataclass(frozen=True)
class Constraint:
    """A limit on a reported metric: ``Constraint("memory_mb", max=512)``; a trial outside it is infeasible."""

    metric: str
    min: float | None = None
    max: float | None = None

    def __post_init__(self) -> None:
        from hypersweep.exceptions import SpecError

        if not isinstance(self.metric, str) or not self.metric:
            raise SpecError(f"constraints.metric: must be a metric name; got {self.metric!r}")
        for side in ("min", "max"):
            bound = getattr(self, side)
            if bound is not None and not is_finite_number(bound):
                raise SpecError(f"constraint {self.metric!r}.{side}: must be a finite number; got {bound!r}")
            if bound is not None:
                object.__setattr__(self, side, float(bound))
        if self.min is None and self.max is None:
            raise SpecError(f"constraint {self.metric!r}: give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise SpecError(f"constraint {self.metric!r}: min {self.min:g} is above max {self.max:g}")

    def violation(self, metrics: Mapping[str, float]) -> float:
        """How far the reported value is outside the limits (0: satisfied; inf: not reported)."""
        value = metrics.get(self.metric)
        if not is_finite_number(value):
            return math.inf
        over = 0.0 if self.max is None else max(0.0, value - self.max)  # type: ignore[operator]
        under = 0.0 if self.min is None else max(0.0, self.min - value)  # type: ignore[operator]
        return over + under

    def spec(self) -> dict[str, Any]:
        """The sweep-file block: ``{metric, min?, max?}``."""
        out: dict[str, Any] = {"metric": self.metric}
        for side in ("min", "max"):
            if getattr(self, side) is not None:
                out[side] = getattr(self, side)
        return out

    def __str__(self) -> str:
        parts = [f"{self.min:g} <=" if self.min is not None else "", self.metric,
                 f"<= {self.max:g}" if self.max is not None else ""]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Objectives:
    """What a sweep optimizes: its metrics (one or several) and its constraints."""

    metrics: tuple[Metric, ...] = (Metric(),)
    constraints: tuple[Constraint, ...] = ()

    def __post_init__(self) -> None:
        from hypersweep.exceptions import SpecError

        object.__setattr__(self, "metrics", tuple(self.metrics))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        if not self.metrics:
            raise SpecError("metric: give at least one metric")
        names = [m.name for m in self.metrics]
        if len(set(names)) != len(names):
            raise SpecError(f"metric: each metric once; got {names}")
        for constraint in self.constraints:
            if constraint.metric in names:
                raise SpecError(
                    f"constraints: {constraint.metric!r} is an objective; constrain another reported metric"
                )

    @classmethod
    def from_input(cls, metric: Any, constraints: Any = ()) -> "Objectives":
        """From what ``hs.Sweep`` accepts: a ``Metric``, a metric name (minimized) or a non-empty list
        of them (an item may be ``{"name", "optimization", "reference"}``), and a list of
        ``Constraint`` or ``{"metric", "min", "max"}``; ``SpecError`` naming the field otherwise."""
        from hypersweep.exceptions import SpecError

        items = list(metric) if isinstance(metric, (list, tuple)) else [metric]
        metrics = []
        for item in items:
            if isinstance(item, Mapping):
                if set(item) - {"name", "optimization", "reference"} or "name" not in item:
                    raise SpecError(f"metric: a metric is {{name, optimization, reference}}; got {dict(item)!r}")
                item = Metric(item["name"], item.get("optimization", "minimize"), item.get("reference"))
            if isinstance(item, str):
                item = Metric(item)
            if not isinstance(item, Metric):
                raise SpecError(f"metric: must be a metric name, hs.Metric(name, direction) or a list of them; got {item!r}")
            metrics.append(item)
        if not isinstance(constraints, (list, tuple)):
            raise SpecError(f"constraints: must be a list of hs.Constraint(metric, min=, max=); got {constraints!r}")
        limits = []
        for item in constraints:
            if isinstance(item, Mapping):
                if set(item) - {"metric", "min", "max"} or "metric" not in item:
                    raise SpecError(f"constraints: a constraint is {{metric, min, max}}; got {dict(item)!r}")
                item = Constraint(item["metric"], item.get("min"), item.get("max"))
            if not isinstance(item, Constraint):
                raise SpecError(f"constraints: must be hs.Constraint(metric, min=, max=) or a dict; got {item!r}")
            limits.append(item)
        return cls(tuple(metrics), tuple(limits))

    @property
    def is_multi(self) -> bool:
        """True with several metrics."""
        return len(self.metrics) > 1

    def losses(self, metrics: Mapping[str, float]) -> list[float] | None:
        """The objectives as losses (lower is better), or None when one is missing."""
        out = []
        for metric in self.metrics:
            value = metrics.get(metric.name)
            if not is_finite_number(value):
                return None
            out.append(metric.loss(value))  # type: ignore[arg-type]
        return out

    def violation(self, metrics: Mapping[str, float]) -> float:
        """Total constraint violation (0: feasible)."""
        return sum(c.violation(metrics) for c in self.constraints)

    def feasible(self, metrics: Mapping[str, float]) -> bool | None:
        """True/False under the constraints; None for a sweep without constraints."""
        return None if not self.constraints else self.violation(metrics) == 0.0

    def reference_losses(self) -> list[float | None]:
        """Each metric's reference point as a loss (None where not given)."""
        return [None if m.reference is None else m.loss(m.reference) for m in self.metrics]


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
    feasible: bool | None = None  # under the sweep's constraints; None without constraints

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
    (e.g. ``{"median": {"n_startup_trials": 5, ...}}``) or None for no pruning. ``metrics`` lists
    every objective (the first is ``metric``, whose value is ``Trial.value``); empty means
    ``(metric,)``. ``constraints`` are the limits a feasible trial respects.
    """

    name: str
    space: Mapping[str, Any]
    metric: Metric
    algorithm: str = "random"
    options: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    created_at: datetime | None = None
    pruner: Mapping[str, Any] | None = None
    metrics: tuple[Metric, ...] = ()
    constraints: tuple[Constraint, ...] = ()

    def __post_init__(self) -> None:
        metrics = tuple(self.metrics) or (self.metric,)
        if metrics[0] != self.metric:
            from hypersweep.exceptions import SpecError

            raise SpecError(f"metric: the first of metrics must be the sweep's metric {self.metric.name!r}")
        object.__setattr__(self, "metrics", metrics)
        object.__setattr__(self, "constraints", tuple(self.constraints))

    @property
    def objectives(self) -> Objectives:
        return Objectives(self.metrics, self.constraints)

    @property
    def param_names(self) -> list[str]:
        """The parameter names of the stored matrix: its mapping entries (the list of forbidden
        combinations is not a parameter)."""
        return [k for k, v in self.space.items() if isinstance(v, Mapping)]


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
