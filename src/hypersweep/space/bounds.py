"""One numeric parameter held between values of others (``min:``/``max:``): its span, the legal
values within ``[lo, hi]``, a draw from its own distribution restricted there, and the nearest
legal value inside (used to project a model's suggestion).

Every numeric kind with one column qualifies: numeric ``values`` and the sequences (sorted
levels), the continuous distributions (a warp to [0, 1]) and their quantized forms (multiples
of ``q``). Draws are exact restrictions of the prior, never rejection loops.
"""
from __future__ import annotations

import bisect
import math
from typing import Any

import numpy as np

from hypersweep.space._common import is_number
from hypersweep.space.dimension import Dimension


#: most levels a discrete parameter held by (or holding) a bound may have (its levels are listed)
MAX_BOUNDED_LEVELS = 100_000


def is_numeric(dim: Dimension) -> bool:
    """True when every value of ``dim`` is a number on one ordered column (a discrete one with
    at most ``MAX_BOUNDED_LEVELS`` levels)."""
    if dim.width != 1:
        return False
    if dim.is_discrete:
        return (dim.n_levels or 0) <= MAX_BOUNDED_LEVELS and all(is_number(v) for v in dim.levels())
    return hasattr(dim, "warp")


def _sorted_levels(dim: Dimension) -> list[Any]:
    cache = getattr(dim, "_hs_sorted_levels", None)
    if cache is None:
        cache = sorted(dim.levels())
        object.__setattr__(dim, "_hs_sorted_levels", cache)
    return cache


def span(dim: Dimension) -> tuple[float, float]:
    """The smallest and largest legal value of a numeric dimension."""
    if dim.is_discrete:
        levels = _sorted_levels(dim)
        return float(levels[0]), float(levels[-1])
    if hasattr(dim, "grid"):
        return float(dim.grid(dim.kmin)), float(dim.grid(dim.kmax))  # type: ignore[attr-defined]
    return float(dim.warp.lo), float(dim.warp.hi)  # type: ignore[attr-defined]


def _quantized_ks(dim: Any, lo: float, hi: float) -> tuple[int, int]:
    q = float(dim.q)
    k_lo = max(dim.kmin, math.ceil(lo / q) - 1)
    while k_lo <= dim.kmax and dim.grid(k_lo) < lo:
        k_lo += 1
    k_hi = min(dim.kmax, math.floor(hi / q) + 1)
    while k_hi >= dim.kmin and dim.grid(k_hi) > hi:
        k_hi -= 1
    return k_lo, k_hi


def has_value_within(dim: Dimension, lo: float, hi: float) -> bool:
    """True when some legal value of ``dim`` lies in ``[lo, hi]``."""
    if dim.is_discrete:
        levels = _sorted_levels(dim)
        i = bisect.bisect_left(levels, lo)
        return i < len(levels) and levels[i] <= hi
    if hasattr(dim, "grid"):
        k_lo, k_hi = _quantized_ks(dim, lo, hi)
        return k_lo <= k_hi
    a, b = span(dim)
    return max(a, lo) <= min(b, hi)


def clamp(dim: Dimension, value: Any, lo: float, hi: float) -> Any:
    """The legal value nearest ``value`` within ``[lo, hi]`` (``value`` itself when inside)."""
    if lo <= value <= hi:
        return value
    if dim.is_discrete:
        levels = _sorted_levels(dim)
        if value < lo:
            return levels[min(bisect.bisect_left(levels, lo), len(levels) - 1)]
        return levels[max(bisect.bisect_right(levels, hi) - 1, 0)]
    if hasattr(dim, "grid"):
        k_lo, k_hi = _quantized_ks(dim, lo, hi)
        return dim.grid(k_lo if value < lo else k_hi)  # type: ignore[attr-defined]
    a, b = span(dim)
    return float(min(max(value, lo, a), hi, b))


def draw_within(dim: Dimension, rng: np.random.Generator, lo: float, hi: float) -> Any:
    """One draw of ``dim``'s distribution restricted to ``[lo, hi]`` (inverse transform)."""
    if dim.is_discrete:
        levels = _sorted_levels(dim)
        i, j = bisect.bisect_left(levels, lo), bisect.bisect_right(levels, hi)
        return levels[i + int(rng.integers(max(j - i, 1)))]
    warp = dim.warp  # type: ignore[attr-defined]
    a, b = span(dim)
    u_lo, u_hi = (float(u) for u in warp.to_unit(np.array([max(lo, a), min(hi, b)], dtype=float)))
    value = dim.decode(np.array([[rng.uniform(min(u_lo, u_hi), max(u_lo, u_hi))]]))[0]
    return clamp(dim, value, lo, hi)


__all__ = ["clamp", "draw_within", "has_value_within", "is_numeric", "span"]
