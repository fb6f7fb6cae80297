"""The encoded trial history, kept incrementally, and its split into good and bad groups.

Ranking (lower loss is better; ``loss = direction.sign() * value``):

* completed trials with a finite value rank by their loss;
* pruned trials rank by their last report (else their value) among the completed ones: a
  trial stopped early was usually stopped for a poor intermediate value;
* failed trials, and pruned or completed ones without a finite value, have no loss: they never
  enter the good group and always join the bad one (TPE learns to avoid regions that crash),
  and they do not count towards ``n_startup_trials`` or the split size.

With several metrics or constraints (``objectives`` given), a completed trial that reported
every objective is valid, with its loss vector and total constraint violation; every other trial
(failed, pruned, missing an objective) joins the bad group only. The split is then
:func:`~hypersweep.algorithms.tpe.split.good_indices` (non-domination rank under constraints).

Rows are kept in trial-id order whatever order they were told in, so a rebuilt instance sees
bit-identical arrays.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np

from hypersweep.algorithms.tpe.layout import Layout, Points
from hypersweep.algorithms.tpe.split import best_rows, valid_rows
from hypersweep.exceptions import ParamsError
from hypersweep.records import Direction, Objectives, Trial, TrialState

logger = logging.getLogger(__name__)


def trial_loss(trial: Trial, direction: Direction) -> float:
    """The loss used for ranking, or NaN when the trial has none (failed, no value)."""
    value: float | None = None
    if trial.state is TrialState.COMPLETED:
        value = trial.value
    elif trial.state is TrialState.PRUNED:
        last = trial.last_report
        value = last.value if last is not None else trial.value
    if value is None:
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.nan
    return direction.sign() * number if math.isfinite(number) else math.nan


def objective_row(trial: Trial, objectives: Objectives) -> list[float]:
    """A trial's losses under ``objectives`` followed by its total constraint violation; all NaN
    unless it completed and reported every objective (its ``value`` stands for the first one)."""
    nan = [math.nan] * (len(objectives.metrics) + 1)
    if trial.state is not TrialState.COMPLETED:
        return nan
    metrics = dict(trial.metrics)
    first = objectives.metrics[0].name
    if first not in metrics and trial.value is not None:
        metrics[first] = trial.value
    losses = objectives.losses(metrics)
    return nan if losses is None else [*losses, objectives.violation(metrics)]


class Observations:
    """Finished trials as :class:`Points` plus losses, sorted by trial id, grown in place.

    ``objectives`` (several metrics or constraints) switches the ranking to constraint-aware
    non-domination; without it a trial's loss is :func:`trial_loss` in ``direction``.
    """

    def __init__(self, layout: Layout, direction: Direction, objectives: Objectives | None = None) -> None:
        self.layout = layout
        self.direction = direction
        self.objectives = objectives
        self._n = 0
        self._ids = np.empty(0, dtype=np.int64)
        self._unit = np.empty((0, layout.n_columns))
        width = 1 if objectives is None else len(objectives.metrics) + 1
        self._loss = np.empty((0, width))  # one loss, or the losses and the violation
        self._active = np.empty((0, len(layout.space.names)), dtype=bool)  # which parameters each trial holds
        self._points: Points | None = None  # encoding of the first _n_encoded rows
        self._n_encoded = 0

    def add(self, trials: Sequence[Trial]) -> None:
        """Encode and keep ``trials`` (finished, each told once)."""
        space = self.layout.space
        try:
            unit = space.to_unit_many([t.params for t in trials])
            kept = list(trials)
        except ParamsError:  # a trial outside the space (e.g. an edited sweep): skip it alone
            kept, rows = [], []
            for trial in trials:
                try:
                    rows.append(space.to_unit(trial.params))
                    kept.append(trial)
                except ParamsError as exc:
                    logger.warning("tpe: ignoring trial %s: %s", trial.id, exc)
            unit = np.array(rows).reshape(-1, space.n_columns)
        if not kept:
            return
        k = len(kept)
        if self._n + k > self._ids.size:
            cap = max(64, 2 * (self._n + k))
            self._ids = _grow(self._ids, cap)
            self._unit = _grow(self._unit, cap)
            self._loss = _grow(self._loss, cap)
            self._active = _grow(self._active, cap)
        ids = np.array([t.id for t in kept], dtype=np.int64)
        lo, hi = self._n, self._n + k
        self._ids[lo:hi] = ids
        self._unit[lo:hi] = unit
        if self.objectives is None:
            self._loss[lo:hi, 0] = [trial_loss(t, self.direction) for t in kept]
        else:
            self._loss[lo:hi] = [objective_row(t, self.objectives) for t in kept]
        self._active[lo:hi] = space.active_mask([t.params for t in kept])
        self._n = hi
        order = np.argsort(self._ids[:hi], kind="stable")
        if np.any(order != np.arange(hi)):  # told out of id order: re-sort, re-encode
            self._ids[:hi] = self._ids[order]
            self._unit[:hi] = self._unit[order]
            self._loss[:hi] = self._loss[order]
            self._active[:hi] = self._active[order]
            if order[: self._n_encoded].tolist() != list(range(self._n_encoded)):
                self._points, self._n_encoded = None, 0

    def __len__(self) -> int:
        return self._n

    def arrays(self) -> tuple[Points, np.ndarray]:
        """(points, losses) in trial-id order; losses are (n,), or (n, k + 1) with ``objectives``
        (the k losses, then the violation)."""
        if self._n_encoded < self._n or self._points is None:
            new = self.layout.encode(self._unit[self._n_encoded : self._n])
            self._points = new if self._points is None else Points.concat([self._points, new])
            self._n_encoded = self._n
        return self._points, self._losses()

    def rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(unit rows, losses as in :meth:`arrays`, active masks) in trial-id order."""
        return self._unit[: self._n], self._losses(), self._active[: self._n]

    def _losses(self) -> np.ndarray:
        loss = self._loss[: self._n]
        return loss[:, 0] if self.objectives is None else loss

    def split(self, n_good: int) -> tuple[Points, Points]:
        """(good, bad): the ``n_good`` best valid observations and the rest. One loss: the lowest
        (ties: lower id first); with ``objectives``: :func:`~hypersweep.algorithms.tpe.split.good_indices`."""
        points, loss = self.arrays()
        good = np.sort(best_rows(loss, valid_rows(loss, np.arange(len(loss))), n_good))
        mask = np.ones(len(loss), dtype=bool)
        mask[good] = False
        return points.take(good), points.take(np.flatnonzero(mask))

    @property
    def n_valid(self) -> int:
        """Observations with a loss (the ones that count for startup and gamma)."""
        return int(np.count_nonzero(~np.isnan(self._loss[: self._n, 0])))


def _grow(arr: np.ndarray, cap: int) -> np.ndarray:
    out = np.empty((cap, *arr.shape[1:]), dtype=arr.dtype)
    out[: arr.shape[0]] = arr
    return out


__all__ = ["Observations", "objective_row", "trial_loss"]
