"""BOHB (Falkner et al., ICML 2018): Hyperband whose new configurations come from a model.

The model is hypersweep's Gaussian process (:mod:`hypersweep.algorithms.gp`) over the unit
encoding of a configuration plus one more column, its log budget scaled to [0, 1]. It is fitted
on every completed observation at every budget, so the length scale of the budget column
learns how far low budgets predict the top one: a long one (cheap results predict full ones)
lets rung-0 results steer the search, a short one keeps the proposals driven by the
full-budget results. New configurations maximize expected improvement at the top budget;
a fraction ``random_fraction`` of them (and all of them before ``min_points`` observations)
are random, as in BOHB.

All state comes from the trials: a fresh instance told the history fits the same model (the
hyperparameters are refitted at fixed observation counts, see :func:`fit_size`) and draws from
generators salted with the slot and the number of finished trials.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.gp.acquisition import Acquisition
from hypersweep.algorithms.gp.algorithm import fit_size, standardize
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import (
    Posterior,
    default_theta,
    fit_theta,
    theta_bounds,
)
from hypersweep.algorithms.gp.optimize import SearchBudget, maximize
from hypersweep.algorithms.history import Key, params_key
from hypersweep.algorithms.multifidelity import options as opt
from hypersweep.algorithms.multifidelity.hyperband import Hyperband
from hypersweep.algorithms.multifidelity.schedule import max_bracket
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Direction, Params, Resource, Trial, TrialState
from hypersweep.space import Space

#: acquisition search per proposal (cheaper than ``bo``'s: BOHB proposes many configurations)
_SEARCH = SearchBudget(n_raw=512, n_incumbents=4, n_perturb=32, n_starts=3, rounds=2, maxiter=40)
#: salt of the hyperparameter restarts
_THETA_SALT = 7919


@register
class BOHB(Hyperband):
    """``bohb``: Hyperband brackets, new configurations from a multi-fidelity GP (EI at the top budget).

    Args:
        max_iter, eta, resource, resume, n_iterations: as for ``hyperband``.
        random_fraction: share of new configurations drawn at random once the model is used [0.1;
            BOHB's paper uses 1/3, which measured worse on LCBench].
        min_points: completed observations (any budget) before the model is used; default
            ``d + 2`` with ``d`` the number of encoded columns.

    Example:
        >>> import hypersweep.space as sp
        >>> bohb = BOHB(sp.Space({"lr": sp.loguniform(1e-4, 1)}), max_iter=27, eta=3)
        >>> bohb.suggest()[0].meta["budget"]
        1.0
    """

    name: ClassVar[str] = "bohb"
    schedule: ClassVar[str] = "bohb"

    def __init__(
        self,
        space: Space,
        *,
        direction: Direction | str = Direction.MINIMIZE,
        seed: int = 0,
        max_iter: float = 81,
        eta: float = 3,
        resource: Mapping[str, Any] | Resource | None = None,
        resume: bool = False,
        n_iterations: int | None = 1,
        random_fraction: float = 0.1,
        min_points: int | None = None,
    ) -> None:
        super().__init__(
            space, direction=direction, seed=seed, max_iter=max_iter, eta=eta, resource=resource, resume=resume,
            n_iterations=n_iterations,
        )
        fraction = opt.number(random_fraction, field="bohb.random_fraction", minimum=0)
        if fraction > 1:
            raise AlgorithmError(f"bohb.random_fraction: must be a number in [0, 1]; got {random_fraction!r}")
        self.random_fraction = fraction
        self.min_points = opt.count(min_points, field="bohb.min_points") or space.n_columns + 2
        self._min_points_set = min_points
        self.geometry = Geometry(space)
        self.kernel = Kernel.matern(2.5)
        self._min_budget = max_iter * eta ** (-max_bracket(max_iter, eta))
        self._theta_cache: dict[tuple[int, ...], np.ndarray] = {}

    def settings(self) -> dict[str, Any]:
        out = {**super().settings(), "random_fraction": self.random_fraction}
        if self._min_points_set is not None:
            out["min_points"] = self._min_points_set
        return out

    # -- new configurations -------------------------------------------------------------------------
    def _new_configs(self, keys: Sequence[tuple[int, ...]], seen: set[Key], running: list[Trial]) -> list[Params]:
        """One configuration per new slot: EI at the top budget, or random (see the class doc)."""
        if not keys:
            return []
        n_done = len(self._finished)
        ids, x, y = self._observations()
        model: _Model | None = None
        out: list[Params] = []
        for key in keys:
            rng = self.rng(*key, n_done)
            if len(ids) < self.min_points or rng.random() < self.random_fraction:
                out.append(self._random_config(rng, seen))
                continue
            if model is None:
                model = _Model(self.kernel, self._theta(ids, x, y), x, standardize(y))
                for trial in running:
                    model.believe(self._encode(self._config_of(trial.params), trial.meta.get("budget", self.max_iter)))
            params = self._propose(model, seen, rng)
            model.believe(self._encode(params, self.max_iter))
            out.append(params)
        return out

    def _observations(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """Ids, inputs (n, d + 1) and losses (n,) of every completed trial of this schedule."""
        sign = self.direction.sign()
        ids: list[int] = []
        rows: list[np.ndarray] = []
        ys: list[float] = []
        for trial in self.finished:
            meta = trial.meta
            if meta.get("schedule") != self.schedule or trial.state is not TrialState.COMPLETED:
                continue
            value = trial.value
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                continue
            ids.append(trial.id)
            rows.append(self._encode(self._config_of(trial.params), meta.get("budget", self.max_iter)))
            ys.append(sign * float(value))
        dim = self.space.n_columns + 1
        return ids, np.array(rows).reshape(-1, dim), np.array(ys, dtype=float)

    def _encode(self, config: Params, budget: Any) -> np.ndarray:
        """The unit encoding of ``config`` and, last, its log budget scaled to [0, 1]."""
        return np.append(self.space.to_unit(config), self._budget_column(float(budget)))

    def _budget_column(self, budget: float) -> float:
        low, high = math.log(self._min_budget), math.log(self.max_iter)
        if high <= low:
            return 1.0
        return min(1.0, max(0.0, (math.log(max(budget, 1e-12)) - low) / (high - low)))

    def _theta(self, ids: list[int], x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """MAP hyperparameters on the first ``fit_size(n)`` observations (by id), cached."""
        c = fit_size(len(ids))
        key = tuple(ids[:c])
        theta = self._theta_cache.get(key)
        if theta is None:
            dim = x.shape[1]
            start = default_theta(dim)
            lows, highs = np.array(theta_bounds(dim)).T
            rng = self.rng(c, _THETA_SALT)
            starts = [start, np.clip(start + rng.normal(0.0, 1.5, size=start.shape), lows, highs)]
            theta = fit_theta(self.kernel, x[:c], standardize(y[:c]), starts, maxiter=100)
            if len(self._theta_cache) > 8:
                self._theta_cache.clear()
            self._theta_cache[key] = theta
        return theta

    def _propose(self, model: _Model, seen: set[Key], rng: np.random.Generator) -> Params:
        """The unseen configuration of highest EI at the top budget (random if all are seen)."""
        top = np.ones((1, 1))
        best = float(np.min(model.posterior.predict(model.top_inputs())[0]))
        acq = Acquisition("ei", best=best)

        def lift(xs: np.ndarray) -> np.ndarray:
            return np.hstack([xs, np.repeat(top, xs.shape[0], axis=0)])

        def score(xs: np.ndarray) -> np.ndarray:
            mean, var = model.posterior.predict(lift(xs))
            return acq.score(mean, np.sqrt(var))

        def score_and_grad(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            mean, var, g_mean, g_var = model.posterior.predict_with_grad(lift(xs))
            std = np.sqrt(var)
            value, d_mean, d_std = acq.score_and_grads(mean, std)
            grad = d_mean[:, None] * g_mean + (d_std / (2.0 * std))[:, None] * g_var
            return value, grad[:, :-1]

        cands, _ = maximize(self.geometry, score, score_and_grad, model.incumbents(), rng, _SEARCH)
        names = self.space.names
        for params in self.space.from_unit_many(cands[:256]):
            key = params_key(params, names)
            if key not in seen:
                seen.add(key)
                return params
        return self._random_config(rng, seen)


class _Model:
    """The GP on (config, budget) observations plus "believed" points (pending, earlier picks)."""

    def __init__(self, kernel: Kernel, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
        self.kernel, self.theta = kernel, theta
        self.x_obs, self.y_obs = x, y
        self.x, self.y = x, y
        self.posterior = Posterior.build(kernel, theta, x, y)

    def believe(self, point: np.ndarray) -> None:
        mean, _ = self.posterior.predict(point[None, :])
        self.x = np.vstack([self.x, point])
        self.y = np.append(self.y, mean[0])
        self.posterior = Posterior.build(self.kernel, self.theta, self.x, self.y)

    def top_inputs(self) -> np.ndarray:
        """The observed configurations at the top budget, shape (n, d + 1)."""
        out = self.x_obs.copy()
        out[:, -1] = 1.0
        return out

    def incumbents(self) -> np.ndarray:
        """Observed configurations (without the budget column), best predicted at the top first."""
        mean, _ = self.posterior.predict(self.top_inputs())
        return self.x_obs[np.argsort(mean, kind="stable"), :-1]


__all__ = ["BOHB"]
