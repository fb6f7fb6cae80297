"""Pruning rules for any algorithm: median, percentile, threshold and patience.

A pruner answers one question when a trial reports a value at a step: stop it now?
Values are compared in the sweep's direction (lower is better when minimizing).

``pruner.spec()`` describes a pruner as JSON (``{"median": {"n_startup_trials": 5, ...}}``, the
form of ``settings.pruner`` in a sweep file); ``pruner_from_spec`` rebuilds it. A sweep stores
its pruner's spec, so a loaded or resumed sweep prunes the same way.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from hypersweep.exceptions import SpecError
from hypersweep.options import OptionSet, integer, number
from hypersweep.records import Direction
from hypersweep.schedulers.curves import Curves

_WARMUP = integer("n_warmup_steps", 0, minimum=0)


class Pruner(ABC):
    """Decides from a trial's reports (and other trials' curves) whether to stop it.

    Args:
        n_warmup_steps: never stop a trial before it reports a step >= this.

    Subclasses declare their options (the keys of their ``settings.pruner`` block) as
    ``OPTIONS``; their constructors check what they are given with it.
    """

    name: ClassVar[str]
    OPTIONS: ClassVar[OptionSet]

    def __init__(self, *, n_warmup_steps: int = 0) -> None:
        self.n_warmup_steps = n_warmup_steps

    def _checked(self, **given: Any) -> dict[str, Any]:
        """``given`` checked by ``OPTIONS`` (SpecError naming ``pruner.<name>.<field>``); a value
        a subclass fixes instead of taking it as an option (the median's percentile) is kept."""
        declared = self.OPTIONS.names
        return {**given, **self.OPTIONS.parse({k: v for k, v in given.items() if k in declared})}

    def spec(self) -> dict[str, dict[str, Any]]:
        """This pruner as JSON, ``{name: options}`` with every option (defaults too)."""
        return {self.name: self.options()}

    def options(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this pruner (its declared options)."""
        return {name: getattr(self, name) for name in self.OPTIONS.names}

    def should_stop(self, trial_id: int, step: int, value: float, curves: Curves, direction: Direction) -> bool:
        """True when the trial that just reported ``value`` at ``step`` should stop."""
        if math.isnan(value):
            return True
        if step < self.n_warmup_steps:
            return False
        return self._decide(trial_id, step, value, curves, direction)

    @abstractmethod
    def _decide(self, trial_id: int, step: int, value: float, curves: Curves, direction: Direction) -> bool:
        """The rule itself, past the warm-up."""


class PercentilePruner(Pruner):
    """Stop a trial whose value at a step is worse than the given percentile of the values
    finished trials reported at that step (e.g. percentile 25: keep only the best quarter).

    Args:
        percentile: in (0, 100); the share of finished trials a trial must be at least as good as.
        n_startup_trials: decide only once this many trials have finished.
        n_min_trials: and only when at least this many of them reported at that step.
    """

    name: ClassVar[str] = "percentile"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "pruner.percentile",
        number("percentile", 50.0, minimum=0.0, maximum=100.0, open_low=True, open_high=True),
        integer("n_startup_trials", 5, minimum=0),
        _WARMUP,
        integer("n_min_trials", 1, minimum=0),
        error=SpecError,
    )

    def __init__(
        self,
        percentile: float = 50.0,
        *,
        n_startup_trials: int = 5,
        n_warmup_steps: int = 0,
        n_min_trials: int = 1,
    ) -> None:
        o = self._checked(percentile=percentile, n_startup_trials=n_startup_trials,
                          n_warmup_steps=n_warmup_steps, n_min_trials=n_min_trials)
        super().__init__(n_warmup_steps=o["n_warmup_steps"])
        self.percentile = o["percentile"]
        self.n_startup_trials = o["n_startup_trials"]
        self.n_min_trials = max(1, o["n_min_trials"])


    def _decide(self, trial_id: int, step: int, value: float, curves: Curves, direction: Direction) -> bool:
        if curves.n_finished() < self.n_startup_trials:
            return False
        others = curves.finished_at(step, exclude=trial_id)
        if others.size < self.n_min_trials:
            return False
        losses = others * direction.sign()
        cutoff = float(np.percentile(losses, self.percentile))
        return value * direction.sign() > cutoff


class MedianPruner(PercentilePruner):
    """The median stopping rule: stop a trial worse than the median of finished trials at that step."""

    name: ClassVar[str] = "median"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "pruner.median",
        *(o for o in PercentilePruner.OPTIONS.options if o.name != "percentile"),
        error=SpecError,
    )

    def __init__(self, *, n_startup_trials: int = 5, n_warmup_steps: int = 0, n_min_trials: int = 1) -> None:
        super().__init__(
            50.0, n_startup_trials=n_startup_trials, n_warmup_steps=n_warmup_steps, n_min_trials=n_min_trials
        )



class ThresholdPruner(Pruner):
    """Stop a trial whose value leaves [lower, upper] (either bound optional)."""

    name: ClassVar[str] = "threshold"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "pruner.threshold",
        number("lower", None, optional=True),
        number("upper", None, optional=True),
        _WARMUP,
        error=SpecError,
    )

    def __init__(self, *, lower: float | None = None, upper: float | None = None, n_warmup_steps: int = 0) -> None:
        o = self._checked(lower=lower, upper=upper, n_warmup_steps=n_warmup_steps)
        super().__init__(n_warmup_steps=o["n_warmup_steps"])
        lower, upper = o["lower"], o["upper"]
        if lower is None and upper is None:
            raise SpecError("pruner.threshold: give lower, upper or both")
        if lower is not None and upper is not None and not lower < upper:
            raise SpecError(f"pruner.threshold: needs lower < upper; got lower={lower}, upper={upper}")
        self.lower, self.upper = lower, upper


    def _decide(self, trial_id: int, step: int, value: float, curves: Curves, direction: Direction) -> bool:
        return (self.lower is not None and value < self.lower) or (self.upper is not None and value > self.upper)


class PatiencePruner(Pruner):
    """Stop a trial whose best value has not improved by ``min_delta`` in the last ``patience`` steps."""

    name: ClassVar[str] = "patience"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "pruner.patience",
        integer("patience", 5, minimum=1),
        number("min_delta", 0.0, minimum=0.0),
        _WARMUP,
        error=SpecError,
    )

    def __init__(self, patience: int = 5, *, min_delta: float = 0.0, n_warmup_steps: int = 0) -> None:
        o = self._checked(patience=patience, min_delta=min_delta, n_warmup_steps=n_warmup_steps)
        super().__init__(n_warmup_steps=o["n_warmup_steps"])
        self.patience = o["patience"]
        self.min_delta = o["min_delta"]


    def _decide(self, trial_id: int, step: int, value: float, curves: Curves, direction: Direction) -> bool:
        curve = curves.curve(trial_id)
        steps = sorted(s for s in curve if s <= step)
        if len(steps) <= self.patience:
            return False
        losses = [curve[s] * direction.sign() for s in steps]
        before = min(losses[: -self.patience])
        recent = min(losses[-self.patience :])
        return recent > before - self.min_delta


PRUNERS: dict[str, type[Pruner]] = {
    cls.name: cls for cls in (MedianPruner, PercentilePruner, ThresholdPruner, PatiencePruner)
}
"""Every pruner by the name of its ``settings.pruner`` block (sweep files and stored sweeps)."""


def pruner_from_spec(spec: Mapping[str, Any]) -> Pruner:
    """Rebuild a pruner from ``Pruner.spec()``, e.g. ``{"median": {"n_startup_trials": 5}}``.

    Raises:
        SpecError: not exactly one known pruner, an unknown option, or an invalid value.
    """
    if not isinstance(spec, Mapping) or len(spec) != 1:
        raise SpecError(
            f"pruner: must name exactly one pruner, e.g. {{'median': {{'n_startup_trials': 5}}}}; got {spec!r}"
        )
    ((name, options),) = spec.items()
    if name not in PRUNERS:
        raise SpecError(f"pruner: unknown pruner {name!r}; choose from {', '.join(PRUNERS)}")
    options = {} if options is None else options
    if not isinstance(options, Mapping):
        raise SpecError(f"pruner.{name}: options must be a mapping of option -> value; got {options!r}")
    allowed = PRUNERS[name].OPTIONS.names
    for option in options:
        if option not in allowed:
            raise SpecError(f"pruner.{name}.{option}: unknown option of the {name} pruner; allowed: {', '.join(allowed)}")
    return PRUNERS[name](**options)
