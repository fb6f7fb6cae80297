"""SMAC's acquisition search: random candidates plus local searches from the best points.

All candidates are scored in batches (one forest prediction per batch); local search moves
every start at once to its best one-exchange neighbour while that improves the acquisition.
"""
from __future__ import annotations

from collections.abc import Callable, Container

import numpy as np

from hypersweep.algorithms.forest.encoding import UnitEncoding, row_keys

Score = Callable[[np.ndarray], np.ndarray]


def local_search(
    enc: UnitEncoding,
    score: Score,
    starts: np.ndarray,
    rng: np.random.Generator,
    max_steps: int,
    n_continuous: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Best-improvement hill climbing from every row of ``starts`` ``(k, D)`` at once.

    Returns every row scored (the starts and all neighbours visited), shape ``(m, D)``, and
    their scores ``(m,)``.
    """
    current = starts.copy()
    current_score = score(current)
    rows, scores = [current.copy()], [current_score.copy()]
    active = np.arange(len(current))
    for _ in range(max_steps):
        if active.size == 0:
            break
        neighbours, origin = enc.neighbours(current[active], rng, n_continuous)
        if len(neighbours) == 0:
            break
        s = score(neighbours)
        rows.append(neighbours)
        scores.append(s)
        order = np.lexsort((-s, origin))  # by origin, best score first
        first = order[np.r_[True, origin[order][1:] != origin[order][:-1]]]
        best_origin, best_score = origin[first], s[first]
        base = current_score[active[best_origin]]
        better = best_score > base + 1e-12 * np.maximum(1.0, np.abs(base))
        moved = active[best_origin[better]]
        current[moved] = neighbours[first[better]]
        current_score[moved] = best_score[better]
        active = moved
    return np.concatenate(rows), np.concatenate(scores)


def best_untaken(rows: np.ndarray, scores: np.ndarray, taken: Container[bytes], limit: int = 4096) -> np.ndarray | None:
    """The highest-scoring row whose key is not in ``taken`` (None when every row is taken).

    Ties go to the earlier row (a stable sort), so the choice is deterministic.
    """
    order = np.argsort(-scores, kind="stable")
    checked = 0
    chunk = 16
    while checked < min(len(order), limit):
        idx = order[checked:checked + chunk]
        for i, key in zip(idx, row_keys(rows[idx])):
            if key not in taken:
                return rows[i]
        checked += chunk
        chunk *= 4
    return None
