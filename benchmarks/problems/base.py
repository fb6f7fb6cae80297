"""The benchmark problem contract: a space, an objective, and the numbers regret needs.

A :class:`Problem` is minimized or maximized over a hypersweep :class:`~hypersweep.space.Space`.
Every problem knows its optimum (or best achievable value) and two deterministic reference
values used to normalize regret:

- ``reference_worst``: the worst value of the full table (tabular problems) or of a fixed
  uniform random sample (synthetic problems);
- ``reference_median``: the median of that same table or sample (a robust alternative for
  problems whose worst values are extreme outliers, e.g. diverged training runs).

Normalized regret of a value ``v`` is ``(loss(v) - loss(optimum)) / (loss(ref) - loss(optimum))``
clipped to ``[0, 1]``, where ``loss`` turns a value into something to minimize.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from hypersweep.records import Direction

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hypersweep.space import Space

Reference = Literal["worst", "median"]
REFERENCES: tuple[str, ...] = ("worst", "median")


class Problem(ABC):
    """A benchmark objective over a hypersweep space.

    Subclasses set ``name`` and ``family`` and implement :meth:`build_space`, :meth:`evaluate`,
    :attr:`optimum` and :meth:`reference_values`.
    """

    name: str
    family: str
    direction: Direction = Direction.MINIMIZE

    @cached_property
    def space(self) -> Space:
        """The hypersweep search space (built on first use)."""
        return self.build_space()

    @abstractmethod
    def build_space(self) -> Space:
        """Build the problem's :class:`~hypersweep.space.Space`."""

    @abstractmethod
    def evaluate(self, params: Mapping[str, Any]) -> float:
        """Return the objective value of one params dict."""

    @property
    @abstractmethod
    def optimum(self) -> float:
        """The best value (global optimum, or best entry of a table)."""

    @abstractmethod
    def reference_values(self) -> np.ndarray:
        """The deterministic values the references are taken from, shape ``(n,)``."""

    @cached_property
    def reference_worst(self) -> float:
        """Worst value among :meth:`reference_values` (max for minimize)."""
        values = self.reference_values()
        return float(values.max() if self.direction is Direction.MINIMIZE else values.min())

    @cached_property
    def reference_median(self) -> float:
        """Median of :meth:`reference_values`."""
        return float(np.median(self.reference_values()))

    def reference(self, which: Reference = "worst") -> float:
        """The reference value named ``which`` ('worst' or 'median')."""
        if which == "worst":
            return self.reference_worst
        if which == "median":
            return self.reference_median
        raise ValueError(f"reference: must be one of {', '.join(REFERENCES)}; got {which!r}")

    def regret(self, value: float, *, reference: Reference = "worst") -> float:
        """Normalized regret of ``value`` in ``[0, 1]`` (see the module docstring)."""
        return float(
            normalized_regret(
                value, optimum=self.optimum, reference=self.reference(reference), direction=self.direction
            )
        )

    def info(self) -> dict[str, Any]:
        """JSON-ready metadata stored next to each trace, so reports need not rebuild the problem."""
        return {
            "problem": self.name,
            "family": self.family,
            "direction": self.direction.value,
            "optimum": self.optimum,
            "reference_worst": self.reference_worst,
            "reference_median": self.reference_median,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


def normalized_regret(
    value: float | np.ndarray,
    *,
    optimum: float,
    reference: float,
    direction: Direction | str = Direction.MINIMIZE,
) -> np.ndarray | float:
    """Normalized regret ``(loss(v) - loss(opt)) / (loss(ref) - loss(opt))`` clipped to ``[0, 1]``.

    Works on scalars and arrays (any shape). A degenerate problem with ``reference == optimum``
    has regret 0 at the optimum and 1 elsewhere.

    Example:
        >>> float(normalized_regret(5.0, optimum=0.0, reference=10.0))
        0.5
    """
    sign = Direction.parse(direction).sign()
    loss = sign * np.asarray(value, dtype=float)
    opt = sign * float(optimum)
    span = sign * float(reference) - opt
    if span <= 0:
        out = np.where(loss <= opt, 0.0, 1.0)
    else:
        out = np.clip((loss - opt) / span, 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out
