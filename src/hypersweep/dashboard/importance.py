"""Parameter importance with PED-ANOVA (Watanabe, Bansal and Hutter, IJCAI 2023).

The importance of a parameter is the Pearson divergence between its distribution in the top
``gamma`` quantile of the completed trials and in all of them: a parameter whose good trials
look like any trial does not matter. Numeric parameters are rank-transformed first (so a log
scale needs no special case) and their densities are smoothed histograms; categorical ones use
frequencies. Scores are normalised to sum to 1.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

METHOD = "PED-ANOVA (Watanabe et al., IJCAI 2023), top 10% vs all completed trials"
GAMMA = 0.1
_BINS = 32


def importances(rows: Sequence[Sequence[Any]], values: Sequence[float], names: Sequence[str], *, minimize: bool) -> dict[str, float]:
    """Importance per name from ``rows`` (params in ``names`` order) of completed trials."""
    n = len(values)
    if n < 10:
        return {}
    order = np.argsort(np.asarray(values, dtype=float), kind="stable")
    if not minimize:
        order = order[::-1]
    top = np.zeros(n, dtype=bool)
    top[order[: max(2, int(round(GAMMA * n)))]] = True
    scores = {name: _divergence([row[j] for row in rows], top) for j, name in enumerate(names)}
    total = sum(scores.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in scores.items()}


def _divergence(column: list[Any], top: np.ndarray) -> float:
    """Pearson divergence of the top trials' distribution of ``column`` from all trials'.

    ``None`` marks a trial where the parameter was inactive (conditional): a level of its own.
    """
    held = np.array([v is not None for v in column], dtype=bool)
    numbers = [v for v in column if v is not None]
    if numbers and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        ranks = np.argsort(np.argsort(np.asarray(numbers, dtype=float), kind="stable"), kind="stable")
        bins = np.full(len(column), _BINS)  # inactive trials: one more bin, not smoothed into the others
        bins[held] = (ranks * _BINS // len(numbers)).astype(int)

        def histogram(b: np.ndarray) -> np.ndarray:
            return np.append(_smooth(np.bincount(b[b < _BINS], minlength=_BINS)), np.count_nonzero(b == _BINS))

        p_all, p_top = histogram(bins), histogram(bins[top])
    else:
        keys = [repr(v) for v in column]
        index = {k: i for i, k in enumerate(sorted(set(keys)))}
        codes = np.array([index[k] for k in keys])
        p_all = np.bincount(codes, minlength=len(index)).astype(float)
        p_top = np.bincount(codes[top], minlength=len(index)).astype(float)
    p_all, p_top = p_all / p_all.sum(), p_top / p_top.sum()
    mask = p_all > 0
    return float(np.sum((p_top[mask] / p_all[mask] - 1.0) ** 2 * p_all[mask]))


def _smooth(counts: np.ndarray) -> np.ndarray:
    """A histogram smoothed with a small Gaussian kernel (a KDE on the rank scale)."""
    kernel = np.exp(-0.5 * (np.arange(-3, 4) / 1.5) ** 2)
    return np.convolve(counts.astype(float) + 1e-9, kernel / kernel.sum(), mode="same")
