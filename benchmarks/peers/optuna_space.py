"""Map a hypersweep :class:`~hypersweep.space.Space` to Optuna distributions, and back.

The mapping reads the space's matrix (``space.to_matrix()``), kind by kind:

=====================  ==========================================================================
kind                   Optuna distribution (``decode`` turns the sample back into a hypersweep value)
=====================  ==========================================================================
uniform [lo, hi]       FloatDistribution(lo, hi)
loguniform [lo, hi]    FloatDistribution(lo, hi, log=True)
quniform [lo, hi, q]   IntDistribution over k with k*q in [lo, hi]  -> k * q
qloguniform            FloatDistribution(lo, hi, log=True)          -> snapped to the nearest k * q
normal [mu, s]         FloatDistribution(mu - 4s, mu + 4s)  (truncated at 4 sigma; q*: snapped)
lognormal [mu, s]      FloatDistribution(e^(mu-4s), e^(mu+4s), log=True)  (q*: snapped)
values, range,         numeric, ``ordinal=True`` (default): IntDistribution over the index of the
linspace, logspace,    ascending values (Optuna sees the order); otherwise, and for strings /
geomspace              mixed values: CategoricalDistribution
pvalues                CategoricalDistribution over the values (Optuna ignores the weights)
=====================  ==========================================================================

Values of the discrete kinds come from the space itself (a one-parameter ``Space.grid()``),
so their exact semantics stay the space's. ``decode`` ends with ``space.validate``.
Optuna is imported lazily.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from optuna.distributions import BaseDistribution

    from hypersweep.space import Space

SIGMAS = 4.0
_DISCRETE = ("values", "range", "linspace", "logspace", "geomspace")


def _numbers(arg: Any) -> list[float]:
    """A kind's arguments as floats: a list, or Polyaxon's 'a:b:c' string."""
    if isinstance(arg, str):
        return [float(x) for x in arg.split(":")]
    if isinstance(arg, Mapping):  # e.g. {"low": ..., "high": ...}
        return [float(v) for v in arg.values()]
    return [float(x) for x in arg]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _integral(*xs: float) -> bool:
    return all(float(x).is_integer() for x in xs)


def _snap(x: float, q: float, k_lo: int, k_hi: int, as_int: bool) -> float | int:
    k = min(max(round(x / q), k_lo), k_hi)
    return int(k * q) if as_int else float(round(k * q, 12))


@dataclass(frozen=True)
class _Param:
    distribution: BaseDistribution
    decode: Callable[[Any], Any]


class OptunaSpace:
    """Optuna distributions for a hypersweep space, plus the way back.

    Example:
        >>> mapping = OptunaSpace(space)                          # doctest: +SKIP
        >>> trial = study.ask(mapping.distributions)              # doctest: +SKIP
        >>> params = mapping.decode(trial.params)                 # doctest: +SKIP
    """

    def __init__(self, space: Space, *, ordinal: bool = True) -> None:
        self.space = space
        self.ordinal = ordinal
        matrix = space.to_matrix()
        self._params: dict[str, _Param] = {name: self._map(name, matrix[name]) for name in space.names}

    @property
    def distributions(self) -> dict[str, BaseDistribution]:
        """``{name: optuna distribution}`` in the space's order."""
        return {name: p.distribution for name, p in self._params.items()}

    def decode(self, optuna_params: Mapping[str, Any]) -> dict[str, Any]:
        """Optuna's sampled params -> a validated hypersweep params dict."""
        params = {name: p.decode(optuna_params[name]) for name, p in self._params.items()}
        return self.space.validate(params)

    # -- one parameter ----------------------------------------------------------------------
    def _map(self, name: str, spec: Mapping[str, Any]) -> _Param:
        from optuna.distributions import (
            CategoricalDistribution,
            FloatDistribution,
            IntDistribution,
        )

        if not isinstance(spec, Mapping) or len(spec) != 1:
            raise ValueError(f"{name}: expected a one-kind matrix entry like {{'uniform': [0, 1]}}; got {spec!r}")
        (kind, arg), = spec.items()
        kind = str(kind).lower()
        if kind in _DISCRETE:
            return self._choices(name, self._enumerate(name, spec))
        if kind == "pvalues":
            choices = [pair[0] for pair in arg]
            return _Param(CategoricalDistribution(choices), lambda v: v)
        nums = _numbers(arg)
        if kind == "uniform":
            return _Param(FloatDistribution(nums[0], nums[1]), float)
        if kind == "loguniform":
            return _Param(FloatDistribution(nums[0], nums[1], log=True), float)
        if kind == "quniform":
            lo, hi, q = nums
            k_lo, k_hi = math.ceil(lo / q - 1e-9), math.floor(hi / q + 1e-9)
            as_int = _integral(q, lo)
            return _Param(IntDistribution(k_lo, k_hi), lambda k: int(k * q) if as_int else float(round(k * q, 12)))
        if kind in ("qloguniform", "normal", "qnormal", "lognormal", "qlognormal"):
            return self._snapped(kind, nums, FloatDistribution)
        raise ValueError(f"{name}: kind {kind!r} has no Optuna mapping")

    def _snapped(self, kind: str, nums: Sequence[float], float_dist: Any) -> _Param:
        q: float | None
        if kind == "qloguniform":
            lo, hi, q = nums
            log = True
        elif kind in ("normal", "qnormal"):
            mu, s = nums[0], nums[1]
            lo, hi, log = mu - SIGMAS * s, mu + SIGMAS * s, False
            q = nums[2] if kind == "qnormal" else None
        else:  # lognormal, qlognormal
            mu, s = nums[0], nums[1]
            lo, hi, log = math.exp(mu - SIGMAS * s), math.exp(mu + SIGMAS * s), True
            q = nums[2] if kind == "qlognormal" else None
        dist = float_dist(lo, hi, log=log)
        if q is None:
            return _Param(dist, float)
        k_lo = max(math.ceil(lo / q - 1e-9), 1 if log else -(10**18))
        k_hi = max(math.floor(hi / q + 1e-9), k_lo)
        as_int = _integral(q)
        return _Param(dist, lambda x: _snap(float(x), q, k_lo, k_hi, as_int))

    def _enumerate(self, name: str, spec: Mapping[str, Any]) -> list[Any]:
        """The values of one discrete parameter, as the space defines them."""
        from hypersweep.space import Space

        return [row[name] for row in Space.from_matrix({name: dict(spec)}).grid()]

    def _choices(self, name: str, choices: list[Any]) -> _Param:
        from optuna.distributions import CategoricalDistribution, IntDistribution

        if self.ordinal and choices and all(_is_number(c) for c in choices):
            ordered = sorted(choices)
            return _Param(IntDistribution(0, len(ordered) - 1), lambda i: ordered[int(i)])
        return _Param(CategoricalDistribution(choices), lambda v: v)
