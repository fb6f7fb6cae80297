"""Distribution kinds: uniform, loguniform, normal, lognormal and their quantized q-forms.

Continuous kinds return floats in ``[lo, hi]`` (for the normal family: loc +- 8 scale, in
log space for lognormal). Quantized kinds return ``k * q`` for whole ``k`` (ints when ``q``
is an int, else the float nearest the exact decimal product, so ``q = 0.1`` gives 0.3,
never 0.30000000000000004); quniform/qloguniform values stay within [low, high].
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from hypersweep.space._common import (
    DECIMAL,
    MIN_POSITIVE,
    fail,
    fmt,
    params_error,
    plain_number,
    to_decimal,
    ulp,
)
from hypersweep.space.dimension import Column, Dimension
from hypersweep.space.warps import SIGMAS, LinearWarp, LogNormalWarp, LogWarp, NormalWarp, Warp

#: Most quanta from zero a quantized kind may span (keeps k * q exact in round trips).
MAX_QUANTA = 1e12


class _Numeric(Dimension):
    """A numeric kind positioned in [0, 1] by a warp."""

    warp: Warp

    def encode(self, values: Sequence[Any]) -> np.ndarray:
        return self.warp.to_unit(np.asarray(values, dtype=float)).reshape(-1, 1)

    def _range_text(self) -> str:
        spec = f"{self.kind} {fmt(self.spec())}"
        if isinstance(self.warp, NormalWarp):
            return f"[{fmt(self.warp.lo)}, {fmt(self.warp.hi)}] ({spec}, truncated at loc +- 8*scale)"
        return f"[{fmt(self.warp.lo)}, {fmt(self.warp.hi)}] ({spec})"


# -- continuous -------------------------------------------------------------------------------
class _Continuous(_Numeric):
    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        return self.warp.sample(rng, size).tolist()

    def decode(self, x: np.ndarray) -> list[Any]:
        return self.warp.from_unit(x[:, 0]).tolist()

    def validate(self, value: Any, name: str) -> Any:
        v = plain_number(value)
        if v is None or not math.isfinite(v) or not self.warp.lo <= v <= self.warp.hi:
            raise params_error(name, value, self.allowed())
        return float(v)

    def columns(self, name: str, start: int) -> list[Column]:
        return [Column(name, start, "continuous", log=self.warp.log, dimension=self.kind)]

    def allowed(self) -> str:
        return f"a float in {self._range_text()}"


class Uniform(_Continuous):
    """``uniform`` [low, high]: floats uniformly distributed on [low, high].

    Example:
        >>> Uniform(0, 1).validate(0.5, "x")
        0.5
    """

    kind = "uniform"

    def __init__(self, low: int | float, high: int | float, *, where: str | None = None) -> None:
        _check_order(self.kind, low, high, where)
        self.low, self.high = low, high
        self.warp = LinearWarp(low, high)

    def spec(self) -> list[Any]:
        return [self.low, self.high]


class LogUniform(_Continuous):
    """``loguniform`` [low, high]: floats on [low, high] (bounds are VALUES) whose log is uniform.

    Example:
        >>> LogUniform(1e-4, 1e-1).validate(0.01, "lr")
        0.01
    """

    kind = "loguniform"

    def __init__(self, low: int | float, high: int | float, *, where: str | None = None) -> None:
        _check_log_bounds(self.kind, low, high, where)
        self.low, self.high = low, high
        self.warp = LogWarp(low, high)

    def spec(self) -> list[Any]:
        return [self.low, self.high]


class Normal(_Continuous):
    """``normal`` [loc, scale]: normal floats with mean loc and standard deviation scale."""

    kind = "normal"

    def __init__(self, loc: int | float, scale: int | float, *, where: str | None = None) -> None:
        _check_scale(self.kind, loc, scale, where)
        self.loc, self.scale = loc, scale
        self.warp = NormalWarp(loc, scale)

    def spec(self) -> list[Any]:
        return [self.loc, self.scale]


class LogNormal(_Continuous):
    """``lognormal`` [loc, scale]: ``exp(x)`` for x ~ normal(loc, scale); always positive."""

    kind = "lognormal"

    def __init__(self, loc: int | float, scale: int | float, *, where: str | None = None) -> None:
        _check_scale(self.kind, loc, scale, where)
        _check_lognormal(self.kind, loc, scale, where)
        self.loc, self.scale = loc, scale
        self.warp = LogNormalWarp(loc, scale)

    def spec(self) -> list[Any]:
        return [self.loc, self.scale]


# -- quantized --------------------------------------------------------------------------------
class _Quantized(_Numeric):
    """``round(x / q) * q`` for x drawn from the underlying warp, k limited to [kmin, kmax]."""

    q: int | float
    kmin: int
    kmax: int

    def _setup_q(self, q: int | float, where: str | None) -> None:
        if q <= 0:
            fail(where, self.kind, f"needs q > 0; got q={fmt(q)}")
        if q < MIN_POSITIVE:
            fail(where, self.kind, f"needs q >= 1e-300; got q={fmt(q)}")
        self.q = q
        self.as_int = isinstance(q, int)
        self._dq: Decimal = to_decimal(q)
        quanta = max(abs(self.warp.lo), abs(self.warp.hi)) / float(q)
        if not quanta <= MAX_QUANTA:
            self._too_fine(where, max(abs(self.warp.lo), abs(self.warp.hi)) / MAX_QUANTA)

    def _too_fine(self, where: str | None, q_min: float) -> None:
        fail(
            where,
            self.kind,
            f"needs a coarser q so values stay exact multiples of q (q >= {q_min:.3g} here); "
            f"got q={fmt(self.q)} with {self._spec_text()}",
        )

    def _spec_text(self) -> str:
        names = ("low", "high") if isinstance(self.warp, (LinearWarp, LogWarp)) else ("loc", "scale")
        a, b = self.spec()[:2]
        return f"{names[0]}={fmt(a)}, {names[1]}={fmt(b)}"

    def grid(self, k: int) -> int | float:
        """The value ``k * q`` (an int for int q, else the float nearest the exact decimal)."""
        k = int(k)
        if self.as_int:
            return k * int(self.q)
        return float(DECIMAL.multiply(self._dq, k))

    def _snap(self, raw: np.ndarray) -> list[Any]:
        ks = np.clip(np.rint(np.asarray(raw, dtype=float) / float(self.q)), self.kmin, self.kmax)
        return [self.grid(int(k)) for k in ks]

    @property
    def n_levels(self) -> int:
        return self.kmax - self.kmin + 1

    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        return self._snap(self.warp.sample(rng, size))

    def decode(self, x: np.ndarray) -> list[Any]:
        return self._snap(self.warp.from_unit(x[:, 0]))

    def validate(self, value: Any, name: str) -> Any:
        v = plain_number(value)
        if v is not None and math.isfinite(v):
            ratio = v / float(self.q)
            if abs(ratio) <= 4 * MAX_QUANTA:
                k = int(round(ratio))
                if self.kmin <= k <= self.kmax:
                    g = self.grid(k)
                    if isinstance(v, int) and self.as_int:
                        if v == g:
                            return g
                    elif abs(v - g) <= max(1e-9 * float(self.q), 4 * ulp(g)):
                        return g
        raise params_error(name, value, self.allowed())

    def columns(self, name: str, start: int) -> list[Column]:
        return [Column(name, start, "integer", n_levels=self.n_levels, log=self.warp.log, dimension=self.kind)]

    def allowed(self) -> str:
        kind = "an int" if self.as_int else "a number"
        return f"{kind} k*{fmt(self.q)} for whole k in {self._range_text()}"

    def _bounded_ks(self, where: str | None) -> None:
        """kmin/kmax for kinds whose values must stay within [low, high]."""
        lo, hi, q = self.warp.lo, self.warp.hi, float(self.q)
        kmin = math.ceil(lo / q)
        while self.grid(kmin - 1) >= lo:
            kmin -= 1
        while self.grid(kmin) < lo:
            kmin += 1
        kmax = math.floor(hi / q)
        while self.grid(kmax + 1) <= hi:
            kmax += 1
        while self.grid(kmax) > hi:
            kmax -= 1
        if kmin > kmax:
            fail(
                where,
                self.kind,
                f"needs at least one multiple of q within [low, high]; got {self._spec_text()}, "
                f"q={fmt(self.q)}; use a smaller q",
            )
        self.kmin, self.kmax = kmin, kmax

    def _truncated_ks(self) -> None:
        """kmin/kmax for the normal family: what rounding the truncated range can give."""
        q = float(self.q)
        self.kmin = int(np.rint(self.warp.lo / q))
        self.kmax = int(np.rint(self.warp.hi / q))


class QUniform(_Quantized):
    """``quniform`` [low, high, q]: ``round(uniform(low, high) / q) * q``, kept within [low, high].

    Example:
        >>> QUniform(0, 1, 0.25).sample(np.random.default_rng(0), 3)
        [0.75, 0.25, 0.0]
    """

    kind = "quniform"

    def __init__(self, low: int | float, high: int | float, q: int | float, *, where: str | None = None) -> None:
        _check_order(self.kind, low, high, where)
        self.low, self.high = low, high
        self.warp = LinearWarp(low, high)
        self._setup_q(q, where)
        self._bounded_ks(where)

    def spec(self) -> list[Any]:
        return [self.low, self.high, self.q]


class QLogUniform(_Quantized):
    """``qloguniform`` [low, high, q]: ``round(loguniform(low, high) / q) * q`` within [low, high]."""

    kind = "qloguniform"

    def __init__(self, low: int | float, high: int | float, q: int | float, *, where: str | None = None) -> None:
        _check_log_bounds(self.kind, low, high, where)
        self.low, self.high = low, high
        self.warp = LogWarp(low, high)
        self._setup_q(q, where)
        self._bounded_ks(where)
        if self.kmax * (math.log(high / low) + 1) > 100 * MAX_QUANTA:
            self._too_fine(where, high * (math.log(high / low) + 1) / (100 * MAX_QUANTA))

    def spec(self) -> list[Any]:
        return [self.low, self.high, self.q]


class QNormal(_Quantized):
    """``qnormal`` [loc, scale, q]: ``round(normal(loc, scale) / q) * q``."""

    kind = "qnormal"

    def __init__(self, loc: int | float, scale: int | float, q: int | float, *, where: str | None = None) -> None:
        _check_scale(self.kind, loc, scale, where)
        self.loc, self.scale = loc, scale
        self.warp = NormalWarp(loc, scale)
        self._setup_q(q, where)
        if scale / q > 1e8:
            self._too_fine(where, scale / 1e8)
        self._truncated_ks()

    def spec(self) -> list[Any]:
        return [self.loc, self.scale, self.q]


class QLogNormal(_Quantized):
    """``qlognormal`` [loc, scale, q]: ``round(lognormal(loc, scale) / q) * q`` (may be 0)."""

    kind = "qlognormal"

    def __init__(self, loc: int | float, scale: int | float, q: int | float, *, where: str | None = None) -> None:
        _check_scale(self.kind, loc, scale, where)
        _check_lognormal(self.kind, loc, scale, where)
        self.loc, self.scale = loc, scale
        self.warp = LogNormalWarp(loc, scale)
        self._setup_q(q, where)
        if self.warp.hi / q * (scale + 0.01) > 1e8:
            self._too_fine(where, self.warp.hi * (scale + 0.01) / 1e8)
        self._truncated_ks()

    def spec(self) -> list[Any]:
        return [self.loc, self.scale, self.q]


# -- shared checks ----------------------------------------------------------------------------
def _check_order(kind: str, low: float, high: float, where: str | None) -> None:
    if not low < high:
        fail(where, kind, f"needs low < high; got low={fmt(low)}, high={fmt(high)}")


def _check_log_bounds(kind: str, low: float, high: float, where: str | None) -> None:
    if not 0 < low < high:
        fail(
            where,
            kind,
            f"needs 0 < low < high; got low={fmt(low)}, high={fmt(high)} (the bounds are values, e.g. [1e-4, 0.1])",
        )
    if low < MIN_POSITIVE:
        fail(where, kind, f"needs low >= 1e-300; got low={fmt(low)}, high={fmt(high)}")
    if not math.log(low) < math.log(high):
        fail(where, kind, f"needs low and high further apart; got low={fmt(low)}, high={fmt(high)}")


def _check_scale(kind: str, loc: float, scale: float, where: str | None) -> None:
    if not scale > 0:
        fail(where, kind, f"needs scale > 0; got loc={fmt(loc)}, scale={fmt(scale)}")
    if scale < MIN_POSITIVE:
        fail(where, kind, f"needs scale >= 1e-300; got loc={fmt(loc)}, scale={fmt(scale)}")


def _check_lognormal(kind: str, loc: float, scale: float, where: str | None) -> None:
    if abs(loc) + SIGMAS * scale > 700:
        fail(
            where,
            kind,
            f"needs |loc| + 8*scale <= 700 so exp(loc +- 8*scale) stays a finite float "
            f"(loc and scale are in log space); got loc={fmt(loc)}, scale={fmt(scale)}",
        )
