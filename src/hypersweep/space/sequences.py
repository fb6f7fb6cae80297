"""Generated discrete kinds: ``range``, ``linspace``, ``logspace``, ``geomspace``.

Levels are computed on demand from their index (nothing is materialised), so a
``range`` of a billion integers costs nothing until it is enumerated. All four are
ordinal: one unit column, levels ordered by value, level of rank r at (r + 0.5) / n.
Float levels are free of float noise (``range 0:1:0.1`` gives exactly 0.3, not
0.30000000000000004): range/linspace use exact decimal arithmetic, the log kinds round
to 15 significant digits.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from hypersweep.space._common import (
    DECIMAL,
    MAX_ABS,
    MAX_LEVELS,
    MIN_POSITIVE,
    clean15,
    fail,
    fmt,
    params_error,
    plain_number,
    to_decimal,
    ulp,
)
from hypersweep.space.dimension import Column, Dimension, ordinal_decode, ordinal_encode

_log = logging.getLogger(__name__)
_CACHE_LIMIT = 4096
#: Adjacent float levels must differ by at least this fraction of their magnitude.
MIN_RELATIVE_GAP = 1e-12


class _Sequence(Dimension):
    """An ordinal dimension whose level ``i`` is ``value_at(i)`` for ``i`` in ``0..n-1``."""

    is_discrete = True
    n: int
    ascending: bool = True
    is_int: bool = False

    def _finish(self) -> None:
        self._cache = [self._compute(i) for i in range(self.n)] if self.n <= _CACHE_LIMIT else None

    def _compute(self, i: int) -> int | float:
        raise NotImplementedError

    def _approx_index(self, v: float) -> float | None:
        """Real-valued index estimate of value ``v`` (None if ``v`` cannot be a level)."""
        raise NotImplementedError

    def value_at(self, i: int) -> int | float:
        """The ``i``-th level in generation order."""
        return self._cache[i] if self._cache is not None else self._compute(int(i))

    def level_at(self, i: int) -> Any:
        return self.value_at(i)

    @property
    def n_levels(self) -> int:
        return self.n

    def levels(self) -> list[Any]:
        return [self.value_at(i) for i in range(self.n)]

    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        return [self.value_at(int(i)) for i in rng.integers(0, self.n, size=size)]

    def index_of(self, value: Any) -> int | None:
        """Index of the level equal to ``value`` (float noise tolerated), or None."""
        v = plain_number(value)
        if v is None or not math.isfinite(v):
            return None
        if self.is_int and isinstance(v, float):
            if not v.is_integer():
                return None
            v = int(v)
        estimate = self._approx_index(float(v)) if not self.is_int else self._int_index(v)
        if estimate is None or not math.isfinite(estimate):
            return None
        centre = int(round(min(max(estimate, -1.0), self.n + 1.0)))
        best, best_err = None, math.inf
        for i in (centre - 1, centre, centre + 1):
            if 0 <= i < self.n:
                err = abs(self.value_at(i) - v)
                if err < best_err:
                    best, best_err = i, err
        if best is None:
            return None
        if best_err == 0:
            return best
        if self.is_int:
            return None
        level = self.value_at(best)
        gaps = [abs(level - self.value_at(j)) for j in (best - 1, best + 1) if 0 <= j < self.n]
        gap = min(gaps) if gaps else abs(level) or 1.0
        return best if best_err <= max(1e-6 * gap, 4 * ulp(level)) else None

    def _int_index(self, v: int) -> float | None:
        raise NotImplementedError

    def validate(self, value: Any, name: str) -> Any:
        i = self.index_of(value)
        if i is None:
            raise params_error(name, value, self.allowed())
        return self.value_at(i)

    def _rank(self, i: int) -> int:
        return i if self.ascending else self.n - 1 - i

    def encode(self, values: Sequence[Any]) -> np.ndarray:
        ranks = []
        for v in values:
            i = self.index_of(v)
            if i is None:  # pragma: no cover - callers validate first
                raise ValueError(f"{v!r} is not a level of {self!r}")
            ranks.append(self._rank(i))
        return ordinal_encode(ranks, self.n)

    def decode(self, x: np.ndarray) -> list[Any]:
        return [self.value_at(self._rank(int(r))) for r in ordinal_decode(x[:, 0], self.n)]

    def columns(self, name: str, start: int) -> list[Column]:
        log = self.kind in ("logspace", "geomspace")
        return [Column(name, start, "ordinal", n_levels=self.n, log=log, dimension=self.kind)]

    def allowed(self) -> str:
        first = ", ".join(fmt(self.value_at(i)) for i in range(min(self.n, 4)))
        more = f", ..., {fmt(self.value_at(self.n - 1))}" if self.n > 4 else ""
        return f"one of the {self.n} levels [{first}{more}] ({self.kind} {fmt(self.spec())})"

    def _check_gap(self, where: str | None, gap: float, magnitude: float, what: str) -> None:
        if not self.is_int and gap < MIN_RELATIVE_GAP * magnitude:
            fail(where, self.kind, f"needs levels that differ as floats ({what} too small); use fewer levels")


class Range(_Sequence):
    """``range`` [start, stop, step]: ``start, start + step, ...`` with ``stop`` excluded.

    Python/numpy ``arange`` semantics, computed exactly (``range(0, 1, 0.1)`` has 10 levels).
    Levels are ints when start, stop and step are all ints, floats otherwise.

    Example:
        >>> Range(0, 10, 3).levels()
        [0, 3, 6, 9]
    """

    kind = "range"

    def __init__(self, start: int | float, stop: int | float, step: int | float, *, where: str | None = None) -> None:
        self.start, self.stop, self.step = start, stop, step
        self.is_int = all(isinstance(x, int) for x in (start, stop, step))
        got = f"got start={fmt(start)}, stop={fmt(stop)}, step={fmt(step)}"
        if step == 0:
            fail(where, self.kind, f"needs step != 0; {got}")
        d_start, d_step = to_decimal(start), to_decimal(step)
        count = DECIMAL.divide(DECIMAL.subtract(to_decimal(stop), d_start), d_step)
        n = int(count.to_integral_value(rounding="ROUND_CEILING"))
        if n < 1:
            direction = "start < stop for a positive step" if step > 0 else "start > stop for a negative step"
            fail(where, self.kind, f"is empty: needs {direction} (stop is excluded); {got}")
        if n > MAX_LEVELS:
            fail(where, self.kind, f"needs at most 2**50 levels; {got} gives {n}; use a larger step")
        self.n = n
        self.ascending = step > 0
        self._d_start, self._d_step = d_start, d_step
        self._check_gap(where, abs(step), max(abs(start), abs(stop)), "step")
        self._finish()

    def _compute(self, i: int) -> int | float:
        if self.is_int:
            return self.start + i * self.step
        return float(DECIMAL.add(self._d_start, DECIMAL.multiply(self._d_step, i)))

    def _approx_index(self, v: float) -> float | None:
        return (v - self.start) / self.step

    def _int_index(self, v: int) -> float | None:
        offset = v - self.start
        return offset // self.step if offset % self.step == 0 else None

    def spec(self) -> list[Any]:
        return [self.start, self.stop, self.step]


class LinSpace(_Sequence):
    """``linspace`` [start, stop, num]: ``num`` evenly spaced floats, both ends included.

    numpy ``linspace`` semantics (``num=1`` gives ``[start]``), computed exactly.

    Example:
        >>> LinSpace(0, 1, 5).levels()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """

    kind = "linspace"

    def __init__(self, start: int | float, stop: int | float, num: int, *, where: str | None = None) -> None:
        self.start, self.stop, self.n = start, stop, num
        if num > 1 and start == stop:
            fail(where, self.kind, f"needs start != stop when num > 1; got start={fmt(start)}, stop={fmt(stop)}")
        self.ascending = stop >= start
        self._d_start, self._d_stop = to_decimal(start), to_decimal(stop)
        if num > 1:
            self._check_gap(where, abs(stop - start) / (num - 1), max(abs(start), abs(stop)), "spacing")
        self._finish()

    def _compute(self, i: int) -> float:
        if i == 0:
            return float(self.start)
        if i == self.n - 1:
            return float(self.stop)
        span = DECIMAL.subtract(self._d_stop, self._d_start)
        return float(DECIMAL.add(self._d_start, DECIMAL.divide(DECIMAL.multiply(span, i), self.n - 1)))

    def _approx_index(self, v: float) -> float | None:
        if self.n == 1:
            return 0.0
        return (v - self.start) / (self.stop - self.start) * (self.n - 1)

    def spec(self) -> list[Any]:
        return [self.start, self.stop, self.n]


class LogSpace(_Sequence):
    """``logspace`` [start, stop, num(, base=10)]: ``base ** e`` for ``num`` evenly spaced
    EXPONENTS ``e`` from start to stop (numpy/Polyaxon semantics: the bounds are exponents).

    Example:
        >>> LogSpace(0, 2, 3).levels()
        [1.0, 10.0, 100.0]
    """

    kind = "logspace"

    def __init__(
        self, start: int | float, stop: int | float, num: int, base: int | float = 10, *, where: str | None = None
    ) -> None:
        self.start, self.stop, self.n, self.base = start, stop, num, base
        kind = self.kind
        if base <= 0 or base == 1:
            fail(where, kind, f"needs base > 0 and base != 1; got base={fmt(base)}")
        if num > 1 and start == stop:
            fail(where, kind, f"needs start != stop when num > 1; got start={fmt(start)}, stop={fmt(stop)}")
        self._d_start, self._d_stop = to_decimal(start), to_decimal(stop)
        self._ln_base = math.log(base)
        for e in (start, stop):
            log_value = e * self._ln_base
            if not math.log(MIN_POSITIVE) <= log_value <= math.log(MAX_ABS):
                fail(
                    where,
                    kind,
                    f"needs base**start and base**stop within [1e-300, 1e300] (start and stop are "
                    f"exponents: logspace 0:2:3 is 1, 10, 100); got start={fmt(start)}, stop={fmt(stop)}, "
                    f"base={fmt(base)}",
                )
        self.ascending = (stop - start) * self._ln_base >= 0
        if num > 1:
            step = abs(stop - start) / (num - 1) * abs(self._ln_base)
            self._check_gap(where, step, 1.0, "exponent spacing")
        self._finish()
        if 0 < start <= 1 and 0 < stop <= 1:  # looks like values, not exponents
            _log.warning(
                "%s: logspace bounds are exponents, so %s:%s:%s gives %.3g..%.3g; for values from %s to %s "
                "use geomspace: %s:%s:%s", where or kind, fmt(start), fmt(stop), num, base**start, base**stop,
                fmt(start), fmt(stop), fmt(start), fmt(stop), num,
            )

    def _exponent(self, i: int) -> float:
        if i == 0 or self.n == 1:
            return float(self.start)
        if i == self.n - 1:
            return float(self.stop)
        span = DECIMAL.subtract(self._d_stop, self._d_start)
        return float(DECIMAL.add(self._d_start, DECIMAL.divide(DECIMAL.multiply(span, i), self.n - 1)))

    def _compute(self, i: int) -> float:
        return clean15(float(self.base) ** self._exponent(i))

    def _approx_index(self, v: float) -> float | None:
        if v <= 0:
            return None
        if self.n == 1:
            return 0.0
        return (math.log(v) / self._ln_base - self.start) / (self.stop - self.start) * (self.n - 1)

    def spec(self) -> list[Any]:
        return [self.start, self.stop, self.n] + ([] if self.base == 10 else [self.base])


class GeomSpace(_Sequence):
    """``geomspace`` [start, stop, num]: ``num`` VALUES from start to stop in geometric
    progression, both ends included (numpy semantics: the bounds are values).

    Example:
        >>> GeomSpace(1, 1000, 4).levels()
        [1.0, 10.0, 100.0, 1000.0]
    """

    kind = "geomspace"

    def __init__(self, start: int | float, stop: int | float, num: int, *, where: str | None = None) -> None:
        self.start, self.stop, self.n = start, stop, num
        kind = self.kind
        got = f"got start={fmt(start)}, stop={fmt(stop)}"
        if start == 0 or stop == 0 or (start > 0) != (stop > 0):
            fail(where, kind, f"needs start and stop non-zero with the same sign; {got}")
        if min(abs(start), abs(stop)) < MIN_POSITIVE:
            fail(where, kind, f"needs |start| and |stop| >= 1e-300; {got}")
        if num > 1 and start == stop:
            fail(where, kind, f"needs start != stop when num > 1; {got}")
        self.sign = 1.0 if start > 0 else -1.0
        self._l0, self._l1 = math.log10(abs(start)), math.log10(abs(stop))
        self.ascending = self.sign * (self._l1 - self._l0) >= 0
        if num > 1:
            step = abs(self._l1 - self._l0) / (num - 1) * math.log(10)
            self._check_gap(where, step, 1.0, "ratio between levels")
        self._finish()

    def _compute(self, i: int) -> float:
        if i == 0:
            return float(self.start)
        if i == self.n - 1:
            return float(self.stop)
        exponent = self._l0 + (self._l1 - self._l0) * i / (self.n - 1)
        return self.sign * clean15(10.0**exponent)

    def _approx_index(self, v: float) -> float | None:
        if v == 0 or (v > 0) != (self.sign > 0):
            return None
        if self.n == 1:
            return 0.0
        return (math.log10(abs(v)) - self._l0) / (self._l1 - self._l0) * (self.n - 1)

    def spec(self) -> list[Any]:
        return [self.start, self.stop, self.n]
