"""GP-BO (Polyaxon's ``bo``): a Gaussian process on the unit encoding, EI / PI / UCB."""
from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import scipy.stats
from scipy.stats import qmc

from hypersweep.algorithms import register
from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.gp.acquisition import Acquisition, posterior_scorers
from hypersweep.algorithms.gp.believer import Believer
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.model import default_theta, fit_theta, theta_bounds
from hypersweep.algorithms.gp.optimize import SearchBudget, maximize
from hypersweep.algorithms.gp.options import OPTIONS, TARGET_TRANSFORMS, make_kernel
from hypersweep.algorithms.history import Key, params_key
from hypersweep.options import OptionSet
from hypersweep.records import Direction, Params, Suggestion, Trial, TrialState, is_finite_number
from hypersweep.space import Space


#: a discrete space up to this many points has the acquisition scored on every point
_SCORE_WHOLE_GRID = 4096
#: while the model holds few points, scoring is cheap: search the acquisition harder
_WIDE_UNTIL = 100
_WIDE_SEARCH = SearchBudget(n_raw=2048, n_perturb=80, n_starts=8)
#: the GP conditions on (and is fitted on) at most this many observations (see :func:`training_subset`)
MAX_TRAINING = 200


def training_subset(y: np.ndarray, cap: int = MAX_TRAINING) -> np.ndarray:
    """Indices (ascending) of the observations a GP uses when ``y`` (losses, oldest first) holds more
    than ``cap``: the ``cap // 2`` best and the most recent of the others; all of them otherwise.

    Keeps the cost of a long sweep's asks flat (the GP is cubic in its data) while the model still
    sees the best region and where the search is now.
    """
    n = y.shape[0]
    if n <= cap:
        return np.arange(n)
    best = np.argsort(y, kind="stable")[: cap // 2]
    rest = np.setdiff1d(np.arange(n), best)
    return np.sort(np.concatenate([best, rest[len(rest) - (cap - best.shape[0]):]]))


def mostly_categorical(space: Space) -> bool:
    """Whether at least half of the parameters are unordered choices (one-hot encoded).

    On such spaces ``bo``'s GP keeps a zero prior mean on its standardized targets, and fits its
    hyperparameters under that mean: an untried combination of categories is expected to be
    average, not the level the data's best-fitting constant sits at (measured in
    docs/benchmarks.md); elsewhere the constant is estimated.
    """
    onehot = {col.param for col in space.columns if col.kind == "onehot"}
    return 2 * len(onehot) >= len(space.names)


def categorical_lam_scale(geometry: Geometry) -> np.ndarray:
    """Per shared length scale (``geometry.length_scale_tie()``'s indices): ``sqrt(c)`` for each of
    the ``c`` categorical parameters, 1 for the other columns (see :func:`~hypersweep.algorithms.gp.model.log_prior`).

    Two random configurations differ in about as many categoricals as there are, so with the
    prior's usual mode (``lam = 1``, one mismatch adding 1 to the scaled distance) the GP sees
    every untried combination as unrelated to the data on a space of many categoricals. Moving
    the mode to ``lam = 1/sqrt(c)`` keeps the typical distance moderate (as dimension-scaled
    length-scale priors do for continuous inputs, Hvarfner et al. 2024); measured in
    docs/design_notes.md.
    """
    tie = geometry.length_scale_tie()
    scale = np.ones(int(tie.max()) + 1 if tie.size else 0)
    n_cat = sum(g.kind == "onehot" for g in geometry.groups)
    scale[:n_cat] = math.sqrt(n_cat)  # length_scale_tie numbers the categorical parameters first
    return scale


def fit_size(m: int) -> int:
    """The number of observations the hyperparameters are fitted on when ``m`` are known.

    Every trial up to 24, then every ``~m/12`` trials: between two refits the GP conditions on
    all the data with the last hyperparameters. A function of ``m`` only, so a rebuilt
    instance refits exactly where the live one did.
    """
    c = 1
    while True:
        step = max(1, c // 12)
        if c + step > m:
            return c
        c += step


@register
class GPBO(Algorithm):
    """Bayesian optimization with a Gaussian process (registered as ``bo``).

    A Matern-5/2 (or 3/2, 1/2, RBF) ARD kernel with output scale, noise and a constant mean
    on the shared unit encoding; hyperparameters by MAP (Optuna-style priors, the categorical
    length scales' prior moved by :func:`categorical_lam_scale`) with L-BFGS-B and analytic
    gradients. Targets are, by default, a portfolio of two views of the losses
    taken in turn, one model-based ask each: power-transformed (Yeo-Johnson) and
    standardized, or only standardized. The two models disagree exactly where one of them is
    stuck: the warped one resolves small differences among good values, the linear one keeps
    the scale of the whole landscape and escapes a region the warped one keeps refining
    (docs/design_notes.md; ``target_transform`` picks one view for every ask).
    The acquisition (log-EI by default) is maximized over the whole mixed space: Sobol
    candidates and perturbations of the best points, L-BFGS-B on continuous columns, local
    search over discrete neighbours. Pending trials and earlier picks of a batch are
    "believed" as exact values, hyperparameters fixed (kriging believer by rank-one updates):
    at the posterior mean, capped at the best observed value, and the incumbent of EI / PI
    includes the uncapped means, so ``ask(4)`` gives four different, spread points. Failed
    trials are not modelled but never proposed again.

    Args:
        space: any search space.
        n_initial_trials: quasi-random (Sobol) trials before the model takes over [10].
        n_iterations: model-based trials after those; None: unbounded.
        target_transform: ``alternate`` [default], ``yeo-johnson`` or ``standardize``.
        utility_function: ``{acquisition_function: ei|poi|ucb [ei] (also spelled log_ei, logei,
            pi, lcb), kappa [2.576], eps [0],
            gaussian_process: {kernel: matern|rbf, nu [2.5], length_scale [1.0],
            n_restarts_optimizer [2]}}``.

    Example:
        >>> import hypersweep.space as sp
        >>> space = sp.Space({"x": sp.uniform(-1, 1), "k": sp.values(["a", "b"])})
        >>> bo = GPBO(space, seed=0, n_initial_trials=3, n_iterations=10)
        >>> len(bo.ask(2)), bo.budget
        (2, 13)
    """

    name: ClassVar[str] = "bo"
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
        self.n_initial_trials: int = self.options["n_initial_trials"]
        self.n_iterations: int | None = self.options["n_iterations"]
        self.target_transform: str = self.options["target_transform"]
        self._utility: dict[str, Any] = self.options["utility_function"]
        self._gp: dict[str, Any] = self._utility["gaussian_process"]
        self.kernel = make_kernel(self._gp)
        self.geometry = Geometry(space)
        self._tie = self.geometry.length_scale_tie()
        self._lam_scale = categorical_lam_scale(self.geometry)
        self._zero_mean = mostly_categorical(space)
        self._x: dict[int, np.ndarray] = {}  # trial id -> encoding, for trials with a usable value
        self._keys: set[Key] = set()  # every finished configuration
        self._theta_cache: dict[tuple[bool, tuple[int, ...]], np.ndarray] = {}
        self._grid: np.ndarray | None = None
        self._predicted: list[dict[str, float] | None] = []  # the last ask's predictions, per point

    @property
    def budget(self) -> int | None:
        """``n_initial_trials + n_iterations``, at most the grid size; None: unbounded."""
        return self._within_grid(None if self.n_iterations is None else self.n_initial_trials + self.n_iterations)

    def _trial_cap(self) -> int | None:
        return self.budget

    # -- tell ---------------------------------------------------------------------------------
    def _on_tell(self, new: list[Trial]) -> None:
        names = self.space.names
        for trial in new:
            self._keys.add(params_key(trial.params, names))
            if trial.state is not TrialState.FAILED and is_finite_number(trial.value):
                self._x[trial.id] = self.space.to_unit(trial.params)

    # -- ask ----------------------------------------------------------------------------------
    def suggest(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Suggestion]:
        """Like ``ask``; each model-based point carries the surrogate's prediction there in
        ``meta["surrogate"]`` (``mean``, ``std`` in the metric's units), for the dashboard."""
        self._predicted = []
        points = self.ask(n, pending=pending)
        predicted = self._predicted + [None] * (len(points) - len(self._predicted))
        return [Suggestion(p, {"surrogate": guess} if guess else {}) for p, guess in zip(points, predicted)]

    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        """Up to ``n`` new points, distinct from each other, the pending and the finished."""
        with _one_blas_thread():
            return self._ask_model(n, waiting, n_seen)

    def _ask_model(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        names = self.space.names
        taken = set(self._keys) | {params_key(t.params, names) for t in waiting}
        ids = sorted(self._x)
        out: list[Params] = []
        model: Believer | None = None
        for j in range(n):
            rng = self.rng(n_seen + j)
            if n_seen + j < self.n_initial_trials or len(ids) < 2:
                params = self._initial(n_seen + j, taken, rng)
                self._predicted.append(None)
            else:
                if model is None:
                    warped = self._warps(n_seen + j)
                    model = self._model(ids, [self.space.to_unit(t.params) for t in waiting], warped)
                params = self._suggest(model, taken, rng)
                if params is not None:
                    self._predicted.append(model.predicted(self.space.to_unit(params), self.direction))
                    model.believe(self.space.to_unit(params))
            if params is None:
                break
            taken.add(params_key(params, names))
            out.append(params)
        return out

    def _initial(self, index: int, taken: set[Key], rng: np.random.Generator) -> Params | None:
        """Point ``index`` of a scrambled Sobol sequence, or a random unseen point."""
        sobol = qmc.Sobol(self.space.n_columns, scramble=True, seed=self.seed)
        if index:
            sobol.fast_forward(index)
        params = self.space.from_unit(sobol.random(1)[0])
        if params_key(params, self.space.names) not in taken:
            return params
        return self._unseen_random(taken, rng)

    def _warps(self, index: int) -> bool:
        """Whether the model of ask number ``index`` (0-based) power-transforms its targets."""
        if self.target_transform == "alternate":
            return index % 2 == 0
        return self.target_transform == "yeo-johnson"

    def _model(self, ids: list[int], pending_x: list[np.ndarray], warped: bool) -> Believer:
        x = np.array([self._x[i] for i in ids])
        y = np.array([self.direction.sign() * float(self._finished[i].value) for i in ids])  # type: ignore[arg-type]
        theta = self._theta(ids, x, y, warped)
        keep = training_subset(y)
        x, y = x[keep], y[keep]
        model = Believer(self.kernel, theta, x, targets(y, warped), 0.0 if self._zero_mean else None)
        model.loss_scale = None if warped else (float(np.mean(y)), float(np.std(y)))
        for point in pending_x:
            model.believe(point)
        return model

    def _theta(self, ids: list[int], x: np.ndarray, y: np.ndarray, warped: bool) -> np.ndarray:
        """MAP hyperparameters fitted on the first ``fit_size(m)`` observations (by id), cached
        per target transform (``warped``: Yeo-Johnson, else standardized only); past
        :data:`MAX_TRAINING` observations, on the :func:`training_subset` of those."""
        c = fit_size(len(ids))
        key = (warped, tuple(ids[:c]))
        theta = self._theta_cache.get(key)
        if theta is None:
            keep = training_subset(y[:c])
            xs, ys = x[:c][keep], targets(y[:c][keep], warped)
            dim = int(self._tie.max()) + 1  # one length scale per continuous column or categorical
            start = default_theta(dim, self._gp["length_scale"])
            starts = [start]
            n_restarts = self._gp["n_restarts_optimizer"]
            restarts = n_restarts if xs.shape[0] <= 64 else min(n_restarts, 1)
            rng = self.rng(c, 7919)
            lows, highs = np.array(theta_bounds(dim)).T
            for _ in range(restarts):
                starts.append(np.clip(start + rng.normal(0.0, 1.5, size=start.shape), lows, highs))
            theta = fit_theta(self.kernel, xs, ys, starts, tie=self._tie, prior_mean=0.0 if self._zero_mean else None,
                              lam_scale=self._lam_scale)
            if len(self._theta_cache) > 8:
                self._theta_cache.clear()
            self._theta_cache[key] = theta
        return theta

    def _suggest(self, model: Believer, taken: set[Key], rng: np.random.Generator) -> Params | None:
        u = self._utility
        acq = Acquisition(u["acquisition_function"], best=model.best, kappa=u["kappa"], eps=u["eps"])
        score, score_and_grad = posterior_scorers(acq, model.posterior)

        grid = self._enumerable_grid()
        if grid is not None:
            values = score(grid)
            order = np.argsort(-values, kind="stable")
            cands = grid[order]
        else:
            budget = _WIDE_SEARCH if model.x_obs.shape[0] <= _WIDE_UNTIL else SearchBudget()
            cands, _ = maximize(self.geometry, score, score_and_grad, model.incumbents(), rng, budget)
        names = self.space.names
        for start in range(0, cands.shape[0], 64):
            for params in self.space.from_unit_many(cands[start:start + 64]):
                if params_key(params, names) not in taken:
                    return params
            if grid is None and start >= 256:
                break
        return self._unseen_random(taken, rng)

    def _enumerable_grid(self) -> np.ndarray | None:
        if not self.space.is_discrete or (self.space.grid_size or 0) > _SCORE_WHOLE_GRID:
            return None
        if self._grid is None:
            self._grid = self.space.to_unit_many(self.space.grid())
        return self._grid


_CONTROLLER: list[Any] = []


def _one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Limit BLAS to one thread while asking (when threadpoolctl is installed).

    The matrices here are small (n up to a few hundred): extra BLAS threads only spin, which
    costs CPU time on a busy machine and buys nothing.
    """
    if not _CONTROLLER:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # optional
            _CONTROLLER.append(None)
        else:
            _CONTROLLER.append(ThreadpoolController())
    controller = _CONTROLLER[0]
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=1, user_api="blas")


def standardize(y: np.ndarray) -> np.ndarray:
    """Yeo-Johnson (maximum likelihood power, monotone) then zero mean, unit variance.

    The power transform tames heavy tails (a few diverged or huge losses) that would
    otherwise flatten everything else after plain standardization; the order of the values,
    hence the incumbent, is unchanged.
    """
    y = center(y)
    if y.shape[0] >= 3 and np.ptp(y) > 0:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                warped = scipy.stats.yeojohnson(y)[0]
            except (ValueError, FloatingPointError):  # pragma: no cover - degenerate data
                warped = y
        if np.all(np.isfinite(warped)) and np.ptp(warped) > 0:
            y = center(warped)
    return y


def targets(y: np.ndarray, warped: bool) -> np.ndarray:
    """GP targets of the losses ``y``: :func:`standardize` when ``warped``, else :func:`center`."""
    return standardize(y) if warped else center(y)


def center(y: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance (a constant stays at zero)."""
    std = float(np.std(y))
    return (y - float(np.mean(y))) / (std if std > 0 and math.isfinite(std) else 1.0)


__all__ = ["GPBO", "MAX_TRAINING", "categorical_lam_scale", "mostly_categorical", "TARGET_TRANSFORMS", "center", "fit_size", "standardize", "targets", "training_subset"]
