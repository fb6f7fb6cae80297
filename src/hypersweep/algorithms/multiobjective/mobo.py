"""Multi-objective Bayesian optimization (registered as ``mobo``): GPs, log-EHVI, feasibility."""
from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.special import log_ndtr
from scipy.stats import qmc

from hypersweep.algorithms import register
from hypersweep.algorithms.base import MultiObjectiveAlgorithm
from hypersweep.algorithms.gp.algorithm import center, fit_size
from hypersweep.algorithms.gp.believer import Believer
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.model import default_theta, fit_theta, theta_bounds
from hypersweep.algorithms.gp.optimize import SearchBudget, maximize
from hypersweep.algorithms.gp.options import make_kernel
from hypersweep.algorithms.history import Key, params_key
from hypersweep.algorithms.multiobjective.ehvi import LogEHVI
from hypersweep.options import OptionSet, integer, number
from hypersweep.pareto import pareto_mask
from hypersweep.records import Direction, Objectives, Params, Trial, TrialState, is_finite_number
from hypersweep.space import Space

_SCORE_WHOLE_GRID = 4096
_STEP = 1e-4  # finite-difference step of the acquisition's gradient on continuous columns
_SEARCH = SearchBudget(n_raw=1024, n_starts=3, rounds=2, maxiter=40)


@register
class MOBO(MultiObjectiveAlgorithm):
    """Bayesian optimization of several metrics under constraints (registered as ``mobo``).

    One GP per objective and one per constrained metric (Matern-5/2 ARD, MAP hyperparameters,
    the same model and fitting schedule as ``bo``), on standardized losses. The acquisition is
    the logarithm of the expected hypervolume improvement over the feasible front (exact by box
    decomposition for 2-3 objectives, a Monte Carlo estimate beyond; with one metric it is
    log-EI) plus the log probability that every constraint holds; before any feasible trial it
    is the probability of feasibility alone. The reference point is each metric's
    ``reference`` when given, else the worst value seen plus a tenth of the observed range.
    Pending trials and the earlier picks of a batch are believed at their posterior means
    (the kriging believer of ``bo``) and join the front, so a batch spreads along it. The
    acquisition is maximized over the whole mixed space as in ``bo``.

    Args:
        space: any search space.
        n_initial_trials: scrambled Sobol trials before the models take over [10].
        n_iterations: model-based trials after those; None: unbounded.
        reference_margin: fraction of the observed range added to the worst value to make a
            reference point, for metrics without one [0.1].

    Example:
        >>> import hypersweep.space as sp
        >>> algo = MOBO(sp.Space({"x": sp.uniform(0, 1)}), seed=0, n_initial_trials=3)
        >>> len(algo.ask(2))
        2
    """

    name: ClassVar[str] = "mobo"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "mobo",
        integer("n_initial_trials", 10, minimum=1),
        integer("n_iterations", None, minimum=0, optional=True),
        number("reference_margin", 0.1, minimum=0.0),
    )

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        objectives: Objectives | None = None,
        **options: Any,
    ) -> None:
        super().__init__(space, direction=direction, seed=seed, objectives=objectives, **options)
        self.n_initial_trials: int = self.options["n_initial_trials"]
        self.kernel = make_kernel({"kernel": "matern", "nu": 2.5})
        self.geometry = Geometry(space)
        self._keys: set[Key] = set()
        self._theta_cache: dict[tuple[int, tuple[int, ...]], np.ndarray] = {}
        self._grid: np.ndarray | None = None

    @property
    def budget(self) -> int | None:
        n = self.options["n_iterations"]
        return self._within_grid(None if n is None else self.n_initial_trials + n)

    def _trial_cap(self) -> int | None:
        return self.budget

    def _on_tell(self, new: list[Trial]) -> None:
        self._keys.update(params_key(t.params, self.space.names) for t in new)

    # -- ask --------------------------------------------------------------------------------------
    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        names = self.space.names
        taken = self._keys | {params_key(t.params, names) for t in waiting}
        trials, losses, violation = self.results(self.finished)
        out: list[Params] = []
        models: _Models | None = None
        for j in range(n):
            rng = self.rng(n_seen + j)
            if n_seen + j < self.n_initial_trials or len(trials) < 2:
                params = self._initial(n_seen + j, taken, rng)
            else:
                if models is None:
                    models = self._models(trials, losses, waiting)
                params = self._suggest(models, taken, rng)
                if params is not None:
                    models.believe(self.space.to_unit(params))
            if params is None:
                break
            taken.add(params_key(params, names))
            out.append(params)
        return out

    def _initial(self, index: int, taken: set[Key], rng: np.random.Generator) -> Params | None:
        sobol = qmc.Sobol(self.space.n_columns, scramble=True, seed=self.seed)
        if index:
            sobol.fast_forward(index)
        params = self.space.from_unit(sobol.random(1)[0])
        return params if params_key(params, self.space.names) not in taken else self._unseen_random(taken, rng)

    def _models(self, trials: list[Trial], losses: np.ndarray, waiting: list[Trial]) -> "_Models":
        ids = [t.id for t in trials]
        x = self.space.to_unit_many([t.params for t in trials])
        objective_models = [self._believer(j, ids, x, losses[:, j]) for j in range(losses.shape[1])]
        constraint_models = []
        for c, constraint in enumerate(self.objectives.constraints):
            values = np.array([_reported(t, constraint.metric) for t in trials])
            seen = np.isfinite(values)
            if seen.sum() < 2:
                continue
            mean, std = float(values[seen].mean()), float(values[seen].std()) or 1.0
            model = self._believer(len(losses[0]) + c, [i for i, s in zip(ids, seen) if s], x[seen], values[seen])
            low = None if constraint.min is None else (constraint.min - mean) / std
            high = None if constraint.max is None else (constraint.max - mean) / std
            constraint_models.append((model, low, high))
        feasible = np.array([self.objectives.violation(t.metrics) <= 0 for t in trials])
        scale = losses.mean(axis=0), np.where(losses.std(axis=0) > 0, losses.std(axis=0), 1.0)
        reference = self._reference(losses)
        models = _Models(objective_models, constraint_models, (losses[feasible] - scale[0]) / scale[1],
                         (reference - scale[0]) / scale[1])
        for trial in waiting:
            models.believe(self.space.to_unit(trial.params))
        return models

    def _believer(self, slot: int, ids: list[int], x: np.ndarray, y: np.ndarray) -> Believer:
        """A GP on standardized ``y``, its hyperparameters refitted on the ``fit_size`` schedule."""
        targets = center(y)
        c = fit_size(len(ids))
        key = (slot, tuple(ids[:c]))
        theta = self._theta_cache.get(key)
        if theta is None:
            dim = x.shape[1]
            start = default_theta(dim)
            rng = self.rng(c, 7919, slot)
            lows, highs = np.array(theta_bounds(dim)).T
            starts = [start, np.clip(start + rng.normal(0.0, 1.5, size=start.shape), lows, highs)]
            theta = fit_theta(self.kernel, x[:c], center(y[:c]), starts)
            if len(self._theta_cache) > 32:
                self._theta_cache.clear()
            self._theta_cache[key] = theta
        return Believer(self.kernel, theta, x, targets)

    def _reference(self, losses: np.ndarray) -> np.ndarray:
        worst, best = losses.max(axis=0), losses.min(axis=0)
        fallback = worst + self.options["reference_margin"] * np.maximum(worst - best, 1e-9)
        given = self.objectives.reference_losses()
        return np.array([fallback[j] if r is None else r for j, r in enumerate(given)])

    def _suggest(self, models: "_Models", taken: set[Key], rng: np.random.Generator) -> Params | None:
        acquisition = models.acquisition(rng)
        free = self.geometry.free

        def score_and_grad(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """The score and its forward-difference gradient on the free columns, in one batch."""
            moved = np.repeat(xs[None], len(free) + 1, axis=0)
            for k, col in enumerate(free, start=1):
                moved[k, :, col] += _STEP
            values = acquisition(moved.reshape(-1, xs.shape[1])).reshape(len(free) + 1, xs.shape[0])
            grad = np.zeros_like(xs)
            grad[:, free] = ((values[1:] - values[0]) / _STEP).T
            return values[0], grad

        grid = self._enumerable_grid()
        if grid is not None:
            cands = grid[np.argsort(-acquisition(grid), kind="stable")]
        else:
            cands, _ = maximize(self.geometry, acquisition, score_and_grad, models.incumbents(), rng, _SEARCH)
        names = self.space.names
        for start in range(0, min(cands.shape[0], 512), 64):
            for params in self.space.from_unit_many(cands[start:start + 64]):
                if params_key(params, names) not in taken:
                    return params
        return self._unseen_random(taken, rng)

    def _enumerable_grid(self) -> np.ndarray | None:
        if not self.space.is_discrete or (self.space.grid_size or 0) > _SCORE_WHOLE_GRID:
            return None
        if self._grid is None:
            self._grid = self.space.to_unit_many(self.space.grid())
        return self._grid


class _Models:
    """The GPs of one ask: objectives (standardized losses) and constraints, with believed points."""

    def __init__(
        self,
        objectives: list[Believer],
        constraints: list[tuple[Believer, float | None, float | None]],
        front: np.ndarray,
        reference: np.ndarray,
    ) -> None:
        self.objectives, self.constraints = objectives, constraints
        self.front, self.reference = front, reference

    def believe(self, point: np.ndarray) -> None:
        """Condition every model on ``point`` at its mean; a point predicted feasible joins the front."""
        means = np.array([float(m.posterior.predict(point[None, :])[0][0]) for m in self.objectives])
        feasible = all(
            _log_feasible(model, low, high, point[None, :])[0] > np.log(0.5) for model, low, high in self.constraints
        )
        if feasible:
            self.front = np.vstack([self.front, means])
        for model in self.objectives:
            model.believe(point)
        for model, _, _ in self.constraints:
            model.believe(point)

    def acquisition(self, rng: np.random.Generator) -> Any:
        """``score(xs) -> (m,)``: log-EHVI plus log probability of feasibility (before any
        feasible trial: the latter alone)."""
        has_front = len(self.front) > 0
        if has_front:
            front = self.front[pareto_mask(self.front)]
            lowest = front.min(axis=0) - 1.0
            ehvi = LogEHVI(front, self.reference, rng, lowest)

        def score(xs: np.ndarray) -> np.ndarray:
            total = np.zeros(xs.shape[0])
            for model, low, high in self.constraints:
                total += _log_feasible(model, low, high, xs)
            if has_front:
                stats = [m.posterior.predict(xs) for m in self.objectives]
                mean = np.stack([s[0] for s in stats], axis=1)
                std = np.sqrt(np.stack([s[1] for s in stats], axis=1))
                total += ehvi(mean, std)
            return total

        return score

    def incumbents(self) -> np.ndarray:
        """Observed inputs, those on the front first."""
        x = self.objectives[0].x_obs
        y = np.stack([m.y_obs for m in self.objectives], axis=1)
        on_front = pareto_mask(y)
        return np.concatenate([x[on_front], x[~on_front]])


def _log_feasible(model: Believer, low: float | None, high: float | None, xs: np.ndarray) -> np.ndarray:
    """log P(low <= value <= high) under the constraint's GP (each side as its own normal tail)."""
    mean, var = model.posterior.predict(xs)
    std = np.sqrt(var)
    out = np.zeros(xs.shape[0])
    if high is not None:
        out += log_ndtr((high - mean) / std)
    if low is not None:
        out += log_ndtr((mean - low) / std)
    return out


def _reported(trial: Trial, metric: str) -> float:
    value = trial.metrics.get(metric)
    return float(value) if is_finite_number(value) and trial.state is TrialState.COMPLETED else float("nan")


__all__ = ["MOBO"]
