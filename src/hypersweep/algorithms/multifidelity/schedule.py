"""Hyperband's bracket schedule (Li et al., JMLR 2018, Algorithm 1), as exact integer arithmetic.

With R the maximum budget and eta the reduction factor: s_max = floor(log_eta(R)),
B = (s_max + 1) R; bracket s starts n = ceil(B/R * eta^s / (s + 1)) configurations at
r = R eta^-s, and rung i holds n_i = floor(n eta^-i) configurations at r_i = r eta^i, keeping the
best floor(n_i / eta) for the next rung.

>>> [b.rungs[0].n for b in hyperband_brackets(81, 3)]
[81, 34, 15, 8, 5]
>>> sum(rung.n for b in hyperband_brackets(81, 3) for rung in b.rungs)
206
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Rung:
    """Rung ``index`` of a bracket: ``n`` configurations trained with ``budget`` each."""

    index: int
    n: int
    budget: float


@dataclass(frozen=True)
class Bracket:
    """Bracket ``s``: successive halving from budget R eta^-s, rung by rung up to R."""

    s: int
    rungs: tuple[Rung, ...]

    @property
    def n_trials(self) -> int:
        """Trainings the bracket runs when every one completes."""
        return sum(rung.n for rung in self.rungs)


def max_bracket(max_iter: float, eta: float) -> int:
    """s_max = floor(log_eta(R)), computed without floating-point surprises (log_3(243) is 5)."""
    s = 0
    while eta ** (s + 1) <= max_iter * (1 + 1e-12):
        s += 1
    return s


def bracket(s: int, max_iter: float, eta: float, s_max: int | None = None) -> Bracket:
    """Bracket ``s`` of Hyperband with maximum budget ``max_iter`` (R) and factor ``eta``."""
    top = max_bracket(max_iter, eta) if s_max is None else s_max
    n = _ceil((top + 1) * eta**s / (s + 1))
    r = max_iter * eta ** (-s)
    rungs = []
    for i in range(s + 1):
        n_i = _floor(n * eta ** (-i))
        if n_i < 1:
            break
        rungs.append(Rung(i, n_i, r * eta**i))
    return Bracket(s, tuple(rungs))


def hyperband_brackets(max_iter: float, eta: float) -> list[Bracket]:
    """One Hyperband iteration: brackets s = s_max, ..., 0 in the order they run."""
    top = max_bracket(max_iter, eta)
    return [bracket(s, max_iter, eta, top) for s in range(top, -1, -1)]


def keep(n: int, eta: float) -> int:
    """How many of ``n`` evaluated configurations a rung promotes: floor(n / eta)."""
    return _floor(n / eta)


def _floor(x: float) -> int:
    return math.floor(x + 1e-9)


def _ceil(x: float) -> int:
    return math.ceil(x - 1e-9)
