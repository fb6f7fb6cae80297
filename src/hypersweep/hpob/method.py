"""HPO-B protocol adapter: any hypersweep algorithm as an HPO-B method.

HPO-B (Pineda-Arango et al., 2021) drives a method through one call,
``observe_and_suggest(X_obs, y_obs, X_pen=None)``, on the unit hypercube: ``X_obs`` of shape
``(n, d)`` in [0, 1], ``y_obs`` of shape ``(n, 1)`` to be *maximized*; with ``X_pen`` of shape
``(m, d)`` (the discrete protocol) the method answers an index into ``X_pen``, without it (the
continuous protocol) a point of shape ``(1, d)``.

:class:`HPOBMethod` maps that onto the ask/tell contract: a space of ``d`` continuous
``uniform(0, 1)`` dimensions named ``x0 .. x{d-1}``, one finished :class:`~hypersweep.records.Trial`
per observed row (id = row index, direction maximize), then ``ask(1)``.

Discrete protocol: an algorithm that can score a finite set of candidates itself implements
the optional :class:`CandidateChooser` method ``choose_among(candidates) -> int``; for any other
algorithm the adapter asks for a point and answers the pending candidate nearest to it
(Euclidean, on the unit cube), leaving out candidates equal to an observed row while others
remain.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from hypersweep.algorithms import make_algorithm
from hypersweep.algorithms.base import Algorithm
from hypersweep.exceptions import AlgorithmError, ParamsError
from hypersweep.records import Direction, Params, Trial, TrialState
from hypersweep.space import Space

logger = logging.getLogger(__name__)

#: builds an algorithm for a space, like a registered class: ``factory(space, direction=, seed=, **options)``
AlgorithmFactory = Callable[..., Algorithm]


@runtime_checkable
class CandidateChooser(Protocol):
    """Optional algorithm extension for HPO-B's discrete protocol."""

    def choose_among(self, candidates: Sequence[Params]) -> int:
        """Index of the candidate to evaluate next, given the history told so far."""


def unit_space(d: int) -> Space:
    """The space HPO-B's unit hypercube maps to: ``x0 .. x{d-1}``, each ``uniform(0, 1)``."""
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ParamsError(f"hpob: the dimension d must be an integer >= 1; got {d!r}")
    return Space.from_matrix({f"x{i}": {"uniform": [0.0, 1.0]} for i in range(int(d))})


class HPOBMethod:
    """Use a hypersweep algorithm through HPO-B's ``observe_and_suggest``.

    Args:
        algorithm: a registered algorithm name (e.g. ``"random"``), or a factory called as
            ``factory(space, direction=..., seed=..., **options)`` (an Algorithm subclass is one).
        seed: the algorithm's seed; the same seed and the same observations give the same
            suggestions.
        **options: the algorithm's options (the keys of its block in a sweep file).

    Raises:
        AlgorithmError: unknown name or bad options (raised on the first call, when ``d`` is known).
        SpecError: the algorithm cannot search a continuous space (e.g. ``grid``).

    Example:
        >>> import numpy as np
        >>> method = HPOBMethod("random", seed=0)
        >>> X = np.random.default_rng(0).random((5, 3))
        >>> y = X.sum(axis=1, keepdims=True)
        >>> method.observe_and_suggest(X, y).shape
        (1, 3)
        >>> X_pen = np.random.default_rng(1).random((20, 3))
        >>> 0 <= method.observe_and_suggest(X, y, X_pen) < 20
        True
    """

    def __init__(self, algorithm: str | AlgorithmFactory, seed: int = 0, **options: Any) -> None:
        if isinstance(algorithm, Algorithm):
            raise AlgorithmError(
                "hpob: algorithm must be a registered name or a factory, not an instance "
                "(an instance is bound to its own space); e.g. HPOBMethod('random', seed=0)"
            )
        if not (isinstance(algorithm, str) or callable(algorithm)):
            raise AlgorithmError(
                f"hpob: algorithm must be a registered name or a factory; got {algorithm!r}"
            )
        self.algorithm = algorithm
        self.seed = int(seed)
        self.options = dict(options)
        self._algo: Algorithm | None = None
        self._d: int | None = None
        self._X = np.empty((0, 0))
        self._y = np.empty(0)

    # -- the HPO-B call ---------------------------------------------------------------------
    def observe_and_suggest(
        self,
        X_obs: Any,
        y_obs: Any,
        X_pen: Any | None = None,
    ) -> np.ndarray | int:
        """Suggest the next configuration from the observations so far.

        Args:
            X_obs: ``(n, d)`` observed configurations in [0, 1] (``n`` may be 0).
            y_obs: ``(n, 1)`` or ``(n,)`` their responses, larger is better; a non-finite
                response is told as a failed trial.
            X_pen: ``(m, d)`` pending candidates (discrete protocol), or None.

        Returns:
            With ``X_pen``: an ``int`` index into ``X_pen``. Without: an ``np.ndarray`` of
            shape ``(1, d)`` in [0, 1].
        """
        pen = None if X_pen is None else np.clip(_as_matrix(X_pen, "X_pen"), 0.0, 1.0)
        X, y = self._observations(X_obs, y_obs, None if pen is None else pen.shape[1])
        d = X.shape[1]
        if pen is not None:
            if pen.shape[1] != d:
                raise ParamsError(f"hpob: X_pen has {pen.shape[1]} columns but X_obs has {d}; they must match")
            if pen.shape[0] == 0:
                raise ParamsError("hpob: X_pen is empty; pass at least one pending candidate or None")
        algo = self._sync(X, y)
        if pen is not None:
            return self._choose(algo, X, pen)
        suggestion = algo.ask(1)
        if not suggestion:
            raise AlgorithmError(f"hpob: algorithm {self.algorithm!r} has nothing left to propose")
        return self._vector(suggestion[0], d)[None, :]

    def reset(self) -> None:
        """Forget the cached algorithm (a call with an unrelated history does this by itself)."""
        self._algo = None
        self._d = None
        self._X = np.empty((0, 0))
        self._y = np.empty(0)

    # -- internals --------------------------------------------------------------------------
    def _observations(self, X_obs: Any, y_obs: Any, d_hint: int | None) -> tuple[np.ndarray, np.ndarray]:
        X = np.asarray(X_obs, dtype=float)
        if X.size == 0 and X.ndim < 2:
            if d_hint is None:
                raise ParamsError(
                    "hpob: X_obs is empty and has no column count; pass an array of shape (0, d) or X_pen"
                )
            X = np.empty((0, d_hint))
        X = _as_matrix(X, "X_obs")
        y = np.asarray(y_obs, dtype=float)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        elif y.size == 0:
            y = np.empty(0)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ParamsError(
                f"hpob: y_obs must have shape (n, 1) with n = {X.shape[0]} rows of X_obs; got {np.shape(y_obs)}"
            )
        return np.clip(X, 0.0, 1.0), y

    def _build(self, d: int) -> Algorithm:
        space = unit_space(d)
        if isinstance(self.algorithm, str):
            return make_algorithm(
                self.algorithm, space, direction=Direction.MAXIMIZE, seed=self.seed, options=self.options
            )
        return self.algorithm(space, direction=Direction.MAXIMIZE, seed=self.seed, **self.options)

    def _sync(self, X: np.ndarray, y: np.ndarray) -> Algorithm:
        """The algorithm, told exactly these observations (reused while the history only grows)."""
        n, d = X.shape
        m = self._X.shape[0]
        extends = (
            self._algo is not None
            and self._d == d
            and m <= n
            and np.array_equal(self._X, X[:m])
            and np.array_equal(self._y, y[:m], equal_nan=True)
        )
        if not extends:
            self._algo = self._build(d)
            self._d = d
            m = 0
        algo = self._algo
        if algo is None:  # pragma: no cover - set just above
            raise AlgorithmError("hpob: no algorithm")
        algo.tell([self._trial(i, X[i], y[i]) for i in range(m, n)])
        self._X, self._y = X.copy(), y.copy()
        return algo

    @staticmethod
    def _trial(i: int, x: np.ndarray, value: float) -> Trial:
        params = {f"x{j}": float(v) for j, v in enumerate(x)}
        if np.isfinite(value):
            return Trial(id=i, params=params, state=TrialState.COMPLETED, value=float(value))
        return Trial(id=i, params=params, state=TrialState.FAILED, error=f"non-finite response {value!r}")

    @staticmethod
    def _vector(params: Params, d: int) -> np.ndarray:
        return np.clip(np.array([float(params[f"x{j}"]) for j in range(d)], dtype=float), 0.0, 1.0)

    def _choose(self, algo: Algorithm, X: np.ndarray, pen: np.ndarray) -> int:
        observed = {tuple(row) for row in X.tolist()}
        fresh = np.array([tuple(row) not in observed for row in pen.tolist()], dtype=bool)
        allowed = np.flatnonzero(fresh) if fresh.any() else np.arange(pen.shape[0])
        if isinstance(algo, CandidateChooser):
            candidates = [{f"x{j}": float(v) for j, v in enumerate(row)} for row in pen[allowed]]
            index = int(algo.choose_among(candidates))
            if not 0 <= index < len(candidates):
                raise AlgorithmError(
                    f"hpob: choose_among returned {index}, outside 0..{len(candidates) - 1}"
                )
            return int(allowed[index])
        suggestion = algo.ask(1)
        if not suggestion:
            raise AlgorithmError(f"hpob: algorithm {self.algorithm!r} has nothing left to propose")
        x = self._vector(suggestion[0], pen.shape[1])
        distances = np.sum((pen[allowed] - x) ** 2, axis=1)
        return int(allowed[int(np.argmin(distances))])


def _as_matrix(value: Any, what: str) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim != 2:
        raise ParamsError(f"hpob: {what} must be a 2-D array of shape (n, d); got shape {array.shape}")
    if array.shape[1] < 1:
        raise ParamsError(f"hpob: {what} must have at least one column; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ParamsError(f"hpob: {what} holds NaN or infinite values; HPO-B inputs lie in [0, 1]")
    return array


__all__ = ["AlgorithmFactory", "CandidateChooser", "HPOBMethod", "unit_space"]
