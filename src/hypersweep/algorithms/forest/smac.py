"""SMAC-style Bayesian optimization with a random-forest surrogate (``smac``)."""
from __future__ import annotations

import importlib.util
import logging
import math
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.forest.acquisition import (
    expected_improvement,
    log_expected_improvement,
)
from hypersweep.algorithms.forest.data import TrainingSet
from hypersweep.algorithms.forest.encoding import UnitEncoding, row_keys
from hypersweep.algorithms.forest.model import (
    ForestModel,
    ForestSettings,
    bootstrap_weights,
)
from hypersweep.algorithms.forest.options import OPTIONS
from hypersweep.algorithms.forest.search import best_untaken, local_search
from hypersweep.algorithms.history import params_key
from hypersweep.exceptions import AlgorithmError
from hypersweep.options import OptionSet
from hypersweep.records import Direction, Params, Trial, TrialState
from hypersweep.space import Space

logger = logging.getLogger(__name__)

#: random draws tried before accepting a repeat of a finished point
_ATTEMPTS = 32
#: up to this many completed trials the trees are regrown for every new one (default schedule)
_REFIT_EVERY_TRIAL = 100
#: ids given to the points chosen earlier in the same batch (for their bootstrap weights)
_BATCH_ID_BASE = 1 << 40


@register
class SMAC(Algorithm):
    """Random-forest Bayesian optimization in the style of SMAC (Hutter et al. 2011).

    * Initial design: the first ``n_initial_trials`` trials are scrambled Sobol points (or
      random ones) in the unit encoding.
    * Surrogate: a random forest (:mod:`~hypersweep.algorithms.forest.model`) on completed
      trials; mean and variance across trees. Failed and pruned trials are never proposed
      again but do not train the model.
    * Acquisition: EI (or SMAC's log EI on a log model), maximized by scoring
      ``n_random_candidates`` uniform points and running ``n_local_starts`` local searches
      (Gaussian steps for continuous parameters, one level up/down for ordered discrete
      ones, the other levels for categoricals) from the best trials and the best random
      points. With probability ``random_fraction`` (default 0) a suggestion is a random point.
    * Pending trials (and earlier points of the same batch) enter the forest with a
      constant-liar value (``liar``, default the best completed value), so ``ask(4)`` spreads out; suggestions never repeat a pending or
      finished point while an unseen one can be found. On a discrete space every grid point
      is proposed at most once and ``budget`` is the grid size.
    * Refit cost: trees are regrown on the first trials by id every ``refit_interval``
      completed trials; by default for every trial up to 100, then at 110, 121, 133, ...
      (10% apart: about every 100 trials at 1,000). Between regrowths the leaf values are
      recomputed from all trials and the pending lies, which is cheap; candidates are scored
      in batches (the cost per ask + tell is measured in docs/benchmarks.md).
    * Determinism: draws come from ``self.rng(n_seen)`` and tree seeds from the seed and the
      size of the training set, so a fresh instance told the history continues identically.

    Args:
        space: any search space.
        **options: the ``smac:`` block, see :mod:`hypersweep.algorithms.forest.options`.

    Example:
        >>> import hypersweep.space as sp
        >>> space = sp.Space({"lr": sp.loguniform(1e-4, 1e-1), "act": sp.values(["relu", "tanh"])})
        >>> smac = SMAC(space, seed=0, n_initial_trials=5)
        >>> len(smac.ask(3))
        3
    """

    name: ClassVar[str] = "smac"
    OPTIONS: ClassVar[OptionSet] = OPTIONS

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, **options)
        o = self.options
        if o["acquisition_function"] == "log_ei" and not o["log_y"]:
            raise AlgorithmError(
                "smac.acquisition_function: log_ei needs a log model; got log_y=false; set log_y: true or use ei"
            )
        if importlib.util.find_spec("sklearn") is None:
            raise AlgorithmError(
                "smac: needs scikit-learn for its random forest; got none installed; "
                "pip install 'hypersweep[forest]' (scikit-learn)"
            )
        self._settings = ForestSettings(
            n_trees=o["n_trees"], max_features=o["max_features"], min_samples_split=o["min_samples_split"],
            min_samples_leaf=o["min_samples_leaf"], max_depth=o["max_depth"], bootstrap=o["bootstrap"],
        )
        self._enc = UnitEncoding(space)
        self._keys: dict[int, bytes] = {}  # every finished trial
        self._weights: dict[int, np.ndarray] = {}
        self._data = TrainingSet(self._enc.width, self._weights_for)  # completed trials with a finite value
        self._model: ForestModel | None = None
        self._model_key: tuple[int, ...] = ()
        self._design: np.ndarray | None = None
        self._grid_rows: np.ndarray | None = None

    @property
    def budget(self) -> int | None:
        """The grid size on a fully discrete space (each point once), else None."""
        return self._within_grid(None)

    # -- tell -----------------------------------------------------------------------------------
    def _on_tell(self, new: list[Trial]) -> None:
        rows = self._enc.encode([t.params for t in new])
        sign = self.direction.sign()
        for trial, row, key in zip(new, rows, row_keys(rows)):
            self._keys[trial.id] = key
            if trial.state is TrialState.COMPLETED and trial.value is not None and math.isfinite(trial.value):
                self._data.add(trial.id, row, sign * float(trial.value))

    # -- ask ------------------------------------------------------------------------------------
    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """Up to ``n`` suggestions, distinct from each other, from waiting and (if possible) finished trials."""
        rng = self.rng(n_seen)
        names = self.space.names
        lie_rows = list(self._enc.encode([t.params for t in waiting])) if waiting else []
        lie_ids = [t.id for t in waiting]
        hard = {params_key(t.params, names) for t in waiting}
        taken = set(self._keys.values()) | set(row_keys(np.asarray(lie_rows))) if lie_rows else set(self._keys.values())
        out: list[Params] = []
        for j in range(n):
            row = self._next_row(n_seen + j, rng, lie_rows, lie_ids, taken)
            params = self._accept(row, hard)
            if params is None:
                params = self._fallback(rng, taken, hard)
            if params is None:
                break
            row = self._enc.encode([params])[0]
            out.append(params)
            hard.add(params_key(params, names))
            taken.update(row_keys(row[None, :]))
            lie_rows.append(row)
            lie_ids.append(_BATCH_ID_BASE + n_seen + j)
        return out

    def _accept(self, row: np.ndarray | None, hard: set) -> Params | None:
        if row is None:
            return None
        params = self._enc.decode(row)
        return None if params_key(params, self.space.names) in hard else params

    def _next_row(self, index: int, rng: np.random.Generator, lie_rows: list[np.ndarray],
                  lie_ids: list[int], taken: set[bytes]) -> np.ndarray | None:
        o = self.options
        if index < o["n_initial_trials"]:
            design = self._design_rows()
            candidates = design[index:]
            return best_untaken(candidates, -np.arange(len(candidates), dtype=float), taken)
        explore = rng.random() < o["random_fraction"]
        if len(self._data) < 2 or explore:
            return best_untaken(self._enc.uniform(rng, _ATTEMPTS), np.zeros(_ATTEMPTS), taken)
        return self._model_row(rng, lie_rows, lie_ids, taken)

    def _design_rows(self) -> np.ndarray:
        if self._design is None:
            rng = self.rng(2**31 - 1)
            n = self.options["n_initial_trials"]
            sobol = self.options["initial_design"] == "sobol"
            self._design = self._enc.sobol(rng, n) if sobol else self._enc.uniform(rng, n)
        return self._design

    # -- the model ------------------------------------------------------------------------------
    def _weights_for(self, ids: Sequence[int]) -> np.ndarray:
        """Bootstrap weights of shape ``(n_trees, len(ids))`` (cached per trial id)."""
        o = self.options
        missing = [i for i in dict.fromkeys(ids) if i not in self._weights]
        if missing:
            fresh = bootstrap_weights(self.seed, np.asarray(missing), o["n_trees"], o["bootstrap"])
            for j, i in enumerate(missing):
                self._weights[i] = fresh[:, j]
        out = np.stack([self._weights[i] for i in ids], axis=1)
        for i in missing:
            if i >= _BATCH_ID_BASE:  # points of the current batch: their ids are not trial ids
                del self._weights[i]
        return out

    def _transform(self, loss: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """Model targets: the loss, or log(loss - min + delta) with min and delta from ``reference``."""
        if not self.options["log_y"]:
            return loss
        low = float(reference.min())
        delta = max(1e-3 * float(reference.max() - low), 1e-10 * max(1.0, abs(low)), 1e-12)
        return np.log(np.maximum(loss - low, 0.0) + delta)

    def _forest(self, ids: np.ndarray, X: np.ndarray, loss: np.ndarray) -> ForestModel:
        """The forest grown on the first trials (by id) of the refit schedule, cached."""
        n = len(ids)
        cut = max(self._refit_point(n), min(n, 2))
        key = tuple(ids[:cut].tolist())
        if self._model is None or key != self._model_key:
            seed = int(np.random.SeedSequence([self.seed, cut]).generate_state(1)[0])
            model = ForestModel(self._settings)
            model.grow(X[:cut], self._transform(loss[:cut], loss[:cut]), self._data.weights[:, :cut], seed=seed)
            self._model, self._model_key = model, key
        return self._model

    def _refit_point(self, n: int) -> int:
        """How many completed trials (the first by id) the trees are grown on when ``n`` are known.

        With ``refit_interval`` k: the last multiple of k. By default: n itself up to 100, then
        the last point of 100, 110, 121, 133, ... (each 10% after the previous).
        """
        interval = self.options["refit_interval"]
        if interval is not None:
            return n - n % interval
        cut = min(n, _REFIT_EVERY_TRIAL)
        while cut >= _REFIT_EVERY_TRIAL and cut * 11 // 10 <= n:
            cut = cut * 11 // 10
        return cut

    def _lies(self, model: ForestModel, lies: np.ndarray, target: np.ndarray) -> np.ndarray:
        """Model targets the pending points pretend to have, shape ``(len(lies),)``.

        ``believer``: the forest's own mean there (a kriging believer: the mean stays, the
        spread across trees shrinks); otherwise a constant: the worst, mean or best target.
        """
        liar = self.options["liar"]
        if liar == "believer":
            return model.predict(lies)[0]
        value = target.max() if liar == "worst" else target.min() if liar == "best" else target.mean()
        return np.full(len(lies), float(value))

    def _model_row(self, rng: np.random.Generator, lie_rows: list[np.ndarray], lie_ids: list[int],
                   taken: set[bytes]) -> np.ndarray | None:
        o = self.options
        data = self._data
        data.refresh()
        ids, X, loss = data.ids, data.X, data.loss
        model = self._forest(ids, X, loss)
        leaves = data.leaves(model, model.apply)
        target = self._transform(loss, loss)
        model.set_data(X, target, data.weights, leaves)
        if lie_rows:
            lies = np.array(lie_rows)
            lie_target = self._lies(model, lies, target)
            model.set_data(
                np.vstack([X, lies]),
                np.concatenate([target, lie_target]),
                np.hstack([data.weights, self._weights_for(lie_ids)]),
                np.hstack([leaves, model.apply(lies)]),
            )
        best = float(target.min())
        acquire = log_expected_improvement if o["acquisition_function"] == "log_ei" else expected_improvement

        def score(rows: np.ndarray) -> np.ndarray:
            mean, var = model.predict(rows)
            return acquire(mean, var, best, o["xi"])

        candidates = self._enc.uniform(rng, o["n_random_candidates"])
        cand_score = score(candidates)
        n_local_starts = o["n_local_starts"]
        n_best = max(1, n_local_starts // 2)
        top_trials = X[np.argsort(data.loss, kind="stable")[:n_best]]
        top_random = candidates[np.argsort(-cand_score, kind="stable")[: n_local_starts - len(top_trials)]]
        starts = np.vstack([top_trials, top_random])
        rows, scores = local_search(self._enc, score, starts, rng, o["max_local_steps"], o["n_neighbours"])
        pool = np.vstack([rows, candidates])
        pool_score = np.concatenate([scores, cand_score])
        row = best_untaken(pool, pool_score, taken)
        if row is None and self._enumerable():
            grid = self._grid()
            row = best_untaken(grid, score(grid), taken)
        return row

    # -- fallbacks ------------------------------------------------------------------------------
    def _grid(self) -> np.ndarray:
        if self._grid_rows is None:
            self._grid_rows = self._enc.encode(self.space.grid())
        return self._grid_rows

    def _fallback(self, rng: np.random.Generator, taken: set[bytes], hard: set) -> Params | None:
        """A point nobody has tried, else (continuous spaces only) a repeat of a finished one."""
        names = self.space.names
        rows = self._enc.uniform(rng, _ATTEMPTS)
        row = best_untaken(rows, np.zeros(len(rows)), taken)
        if row is None and self._enumerable():
            row = best_untaken(self._grid(), np.zeros(len(self._grid())), taken)
            if row is None:
                return None  # every grid point is taken
        if row is not None:
            params = self._enc.decode(row)
            if params_key(params, names) not in hard:
                return params
        if self.space.is_discrete and self._enumerable():
            return None
        for r in rows:
            params = self._enc.decode(r)
            if params_key(params, names) not in hard:
                logger.debug("smac: no unseen point found; repeating a finished one")
                return params
        return None
