"""One factory per Polyaxon kind: ``values([32, 64])``, ``loguniform(1e-4, 0.1)``, ...

Numeric factories take their numbers positionally, or one argument in any matrix form:
``range(0, 10, 2) == range([0, 10, 2]) == range("0:10:2") == range({"start": 0, "stop": 10, "step": 2})``.
Invalid arguments raise :class:`~hypersweep.exceptions.SpecError`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from hypersweep.space.categorical import PValues, Values
from hypersweep.space.distributions import (
    LogNormal,
    LogUniform,
    Normal,
    QLogNormal,
    QLogUniform,
    QNormal,
    QUniform,
    Uniform,
)
from hypersweep.space.kinds import build
from hypersweep.space.sequences import GeomSpace, LinSpace, LogSpace, Range

Number = int | float
Arg = Number | str | Sequence[Any] | Mapping[str, Any]
_FORMS = (str, list, tuple, Mapping, np.ndarray)


def _pack(first: Any, *rest: Any) -> Any:
    """One matrix-form argument when only ``first`` is given, else the positional list."""
    if all(r is None for r in rest) and isinstance(first, _FORMS):
        return first
    return [first, *rest]


def values(items: Iterable[Any]) -> Values:
    """``values``: one of ``items``, drawn uniformly (numbers: ordinal; others: categorical).

    >>> values([32, 64]).levels()
    [32, 64]
    """
    return Values(items)


def pvalues(items: Iterable[Sequence[Any]] | Mapping[Any, Number]) -> PValues:
    """``pvalues``: ``[[value, probability], ...]`` (or ``{value: probability}``), summing to 1.

    >>> pvalues([["a", 0.25], ["b", 0.75]]).levels()
    ['a', 'b']
    """
    return PValues(items)


def range(start: Arg, stop: Number | None = None, step: Number | None = None) -> Range:  # noqa: A001
    """``range``: ``start, start+step, ...`` excluding ``stop`` (arange semantics).

    >>> range(0, 10, 3).levels()
    [0, 3, 6, 9]
    """
    return build("range", _pack(start, stop, step))  # type: ignore[return-value]


def linspace(start: Arg, stop: Number | None = None, num: int | None = None) -> LinSpace:
    """``linspace``: ``num`` evenly spaced values from start to stop inclusive.

    >>> linspace("0:1:5").levels()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    return build("linspace", _pack(start, stop, num))  # type: ignore[return-value]


def logspace(start: Arg, stop: Number | None = None, num: int | None = None, base: Number | None = None) -> LogSpace:
    """``logspace``: ``base ** e`` for ``num`` evenly spaced exponents e (bounds are exponents).

    >>> logspace(0, 2, 3).levels()
    [1.0, 10.0, 100.0]
    """
    if base is None:
        return build("logspace", _pack(start, stop, num))  # type: ignore[return-value]
    return build("logspace", [start, stop, num, base])  # type: ignore[return-value]


def geomspace(start: Arg, stop: Number | None = None, num: int | None = None) -> GeomSpace:
    """``geomspace``: ``num`` values in geometric progression (bounds are values).

    >>> geomspace(1, 1000, 4).levels()
    [1.0, 10.0, 100.0, 1000.0]
    """
    return build("geomspace", _pack(start, stop, num))  # type: ignore[return-value]


def uniform(low: Arg, high: Number | None = None) -> Uniform:
    """``uniform``: floats uniform on [low, high]."""
    return build("uniform", _pack(low, high))  # type: ignore[return-value]


def quniform(low: Arg, high: Number | None = None, q: Number | None = None) -> QUniform:
    """``quniform``: ``round(uniform(low, high) / q) * q``, within [low, high]."""
    return build("quniform", _pack(low, high, q))  # type: ignore[return-value]


def loguniform(low: Arg, high: Number | None = None) -> LogUniform:
    """``loguniform``: floats on [low, high] (values, not exponents), uniform in log."""
    return build("loguniform", _pack(low, high))  # type: ignore[return-value]


def qloguniform(low: Arg, high: Number | None = None, q: Number | None = None) -> QLogUniform:
    """``qloguniform``: ``round(loguniform(low, high) / q) * q``, within [low, high]."""
    return build("qloguniform", _pack(low, high, q))  # type: ignore[return-value]


def normal(loc: Arg, scale: Number | None = None) -> Normal:
    """``normal``: normal(loc, scale) floats (truncated at loc +- 8 scale)."""
    return build("normal", _pack(loc, scale))  # type: ignore[return-value]


def qnormal(loc: Arg, scale: Number | None = None, q: Number | None = None) -> QNormal:
    """``qnormal``: ``round(normal(loc, scale) / q) * q``."""
    return build("qnormal", _pack(loc, scale, q))  # type: ignore[return-value]


def lognormal(loc: Arg, scale: Number | None = None) -> LogNormal:
    """``lognormal``: ``exp(normal(loc, scale))``; loc and scale are in log space."""
    return build("lognormal", _pack(loc, scale))  # type: ignore[return-value]


def qlognormal(loc: Arg, scale: Number | None = None, q: Number | None = None) -> QLogNormal:
    """``qlognormal``: ``round(lognormal(loc, scale) / q) * q`` (can be 0)."""
    return build("qlognormal", _pack(loc, scale, q))  # type: ignore[return-value]
