"""``freeze_thaw``: pause and resume configurations, advancing the one its learning-curve model favours.

Each configuration climbs a ladder of budgets (Hyperband's rung budgets ``R eta^-s``, ..., ``R``).
After each step it is paused; at every ``ask`` the algorithm looks at every paused configuration:

- With enough complete curves, :mod:`.curve_model` predicts each paused configuration's value at the
  top budget from its partial curve (value and recent slope at its level) and gives the probability
  that it beats the incumbent (the best top-budget value so far). A configuration is **frozen**
  while that probability is below ``stop_probability`` (the model is confident it cannot win); the
  others are candidates, the most likely winner first. A candidate the model is sure of (probability
  at least ``jump_probability``) goes straight to the top budget, the others one level up. A frozen
  configuration thaws if a later model gives it a chance again, or when new configurations have
  taken more than half of the budget and none is a candidate (the most likely winner first): the
  model keeps learning from complete curves even when it wrongly rules out every newcomer.
- Before a level has a model (and before any top-budget result), a configuration is a candidate
  when its value is in the best ``1/eta`` at its level (as ASHA promotes).
- When no configuration is a candidate, a new one starts at the lowest budget: the first
  ``n_bootstrap`` are random (several cheap curves to learn from), later ones maximize expected
  improvement of a GP over configurations whose targets are the top-budget values, or, for paused
  configurations, their predicted top-budget values (their partial values before a model exists).
  Running configurations are believed (kriging believer), so several workers get different ones.

A continuation is a new trial whose meta names its parent (``parent``, ``parent_budget``,
``resume``): with ``resume: true`` it continues the parent's training (epochs), with ``resume:
false`` it trains from scratch at the higher budget (data fractions, iterations). State is rebuilt
from the trials at every ``ask``; the GP's hyperparameters are fitted on the top-budget results at
fixed counts (:func:`~hypersweep.algorithms.gp.algorithm.fit_size`), so a rebuilt instance proposes
what the live one would.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import scipy.stats

from hypersweep.algorithms import register
from hypersweep.algorithms.gp.acquisition import Acquisition, posterior_scorers
from hypersweep.algorithms.gp.algorithm import center, fit_size
from hypersweep.algorithms.gp.believer import Believer
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import default_theta, fit_theta, theta_bounds
from hypersweep.algorithms.gp.optimize import SearchBudget, maximize
from hypersweep.algorithms.history import Key, check_n, new_pending, params_key
from hypersweep.algorithms.multifidelity import curve_model
from hypersweep.algorithms.multifidelity.common import BudgetedAlgorithm
from hypersweep.algorithms.multifidelity.options import SHARED_OPTIONS
from hypersweep.algorithms.multifidelity.schedule import max_bracket
from hypersweep.options import OptionSet, integer, number
from hypersweep.records import Params, Suggestion, Trial, TrialState, is_finite_number
from hypersweep.space import Space

#: acquisition search per new configuration (many are proposed: cheaper than ``bo``'s)
_SEARCH = SearchBudget(n_raw=256, n_incumbents=4, n_perturb=16, n_starts=1, rounds=1, maxiter=15)
#: rows of the proposal GP at most (top-budget results first, then the deepest partial curves)
MAX_MODEL_POINTS = 200
#: at most this share of the budget starts new configurations: beyond it, when no configuration is a
#: candidate, the frozen one most likely to win is thawed instead (the model keeps getting complete
#: curves even when it is wrongly sure that every new configuration loses)
NEW_SHARE = 0.5
#: top-budget results before the GP's hyperparameters are fitted on them alone
_MIN_FINALS = 3
_THETA_SALT = 7919


@dataclass
class Curve:
    """One configuration: its params, values per level (losses), and where it stands."""

    index: int
    params: Params
    unit: np.ndarray  # the params' unit encoding
    key: Key  # the params' identity (:func:`~hypersweep.algorithms.history.params_key`)
    values: dict[int, float] = field(default_factory=dict)
    level: int = -1  # highest completed level (-1: none yet)
    last_trial: int | None = None
    running: bool = False
    dead: bool = False  # failed or pruned: never continued
    first_final: int | None = None  # id of the trial that reached the top (orders the finals)


@register
class FreezeThaw(BudgetedAlgorithm):
    """``freeze_thaw``: model-driven pausing and resuming of configurations (see the module doc).

    Args:
        max_iter, eta, resource, resume: as for ``hyperband`` (the ladder of budgets is its rungs').
        min_iter: the lowest budget of the ladder (rung budgets below it are skipped) [Hyperband's
            second-smallest rung budget when there are at least three rungs, else its smallest].
        n_bootstrap: random configurations started at the lowest budget first [d + 2, d the
            encoded columns].
        stop_probability: a configuration is frozen while the probability that it beats the
            incumbent is below this [0.2].
        jump_probability: a candidate at least this likely to win goes straight to the top [0.5].

    Example:
        >>> import hypersweep.space as sp
        >>> algo = FreezeThaw(sp.Space({"lr": sp.loguniform(1e-4, 1)}), max_iter=27, eta=3)
        >>> algo.suggest()[0].meta["budget"]  # a new configuration starts at the ladder's lowest budget
        3.0
    """

    name: ClassVar[str] = "freeze_thaw"
    schedule: ClassVar[str] = "freeze_thaw"
    key_fields: ClassVar[tuple[str, ...]] = ("config", "level")
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "freeze_thaw",
        *SHARED_OPTIONS,
        number("min_iter", None, minimum=0, open_low=True, optional=True),
        integer("n_bootstrap", None, minimum=1, optional=True),
        number("stop_probability", 0.2, minimum=0, maximum=1),
        number("jump_probability", 0.5, minimum=0, maximum=1),
    )

    def __init__(self, space: Space, **options: Any) -> None:
        """``options``: ``direction``, ``seed`` and the keyword options of :attr:`OPTIONS`."""
        super().__init__(space, **options)
        s_max = max_bracket(self.max_iter, self.eta)
        ladder = [self.max_iter * self.eta ** (k - s_max) for k in range(s_max + 1)]
        low = self.options["min_iter"]
        if low is None:  # Hyperband's second-smallest rung budget: the smallest misleads (design notes)
            low = ladder[1] if len(ladder) >= 3 else ladder[0]
        self.ladder: list[float] = [b for b in ladder if b >= low * (1 - 1e-9)] or [self.max_iter]
        s_max = len(self.ladder) - 1
        self.top = s_max
        self.n_bootstrap: int = self.options["n_bootstrap"] or space.n_columns + 2
        self.stop_probability: float = self.options["stop_probability"]
        self.jump_probability: float = self.options["jump_probability"]
        self.geometry = Geometry(space)
        self.kernel = Kernel.matern(2.5)
        self._theta_cache: dict[tuple[Any, ...], tuple[np.ndarray, float | None]] = {}
        self._steps = [self._step(b) for b in self.ladder]
        self._curves: dict[int, Curve] = {}
        self._spent_all = 0.0  # budget units of the finished trials of this schedule
        self._spent_new = 0.0  # ... of those that started a configuration
        #: (top-budget results, incumbent, level models) as last fitted
        self._models: tuple[int, float | None, dict[int, curve_model.LevelModel]] | None = None
        #: (configuration, level) -> probability of beating the incumbent, under ``_models``
        self._chances: dict[tuple[int, int], float] = {}

    @property
    def budget(self) -> int | None:
        """Unbounded: it runs until the sweep's budget (trials or resource) is spent."""
        return None

    # -- state -----------------------------------------------------------------------------------
    def _on_tell(self, new: list[Trial]) -> None:
        """Fold newly finished trials of this schedule into their configurations' curves."""
        sign = self.direction.sign()
        for trial in sorted(new, key=lambda t: t.id):
            meta = trial.meta
            if not self._owns(meta):
                continue
            index, level = int(meta["config"]), int(meta["level"])
            cost = self._cost(trial)
            self._spent_all += cost
            self._spent_new += cost if level == 0 else 0.0
            curve = self._curves.setdefault(index, self._new_curve(index, trial))
            reported = {int(r.step): float(r.value) for r in trial.reports if is_finite_number(r.value)}
            for k in range(level):
                step = self._steps[k]
                if step is not None and step in reported and k not in curve.values:
                    curve.values[k] = sign * reported[step]
            if trial.state is not TrialState.COMPLETED or not is_finite_number(trial.value):
                curve.dead = True
                continue
            curve.values[level] = sign * float(trial.value)  # type: ignore[arg-type]
            if level > curve.level:
                curve.level, curve.last_trial = level, trial.id
            if level == self.top and (curve.first_final is None or trial.id < curve.first_final):
                curve.first_final = trial.id

    def _cost(self, trial: Trial) -> float:
        """Budget units ``trial`` trains (a resumed one: only beyond its parent's budget)."""
        budget = float(trial.meta.get("budget", self.max_iter))
        return budget - float(trial.meta.get("parent_budget", 0.0)) if trial.meta.get("resume") else budget

    def _spent(self, running: Sequence[Trial]) -> tuple[float, float]:
        """Budget units trained and committed (running trials), in all and on new configurations."""
        mine = [t for t in running if self._owns(t.meta)]
        every = self._spent_all + sum(self._cost(t) for t in mine)
        new = self._spent_new + sum(self._cost(t) for t in mine if int(t.meta["level"]) == 0)
        return every, new

    def _new_curve(self, index: int, trial: Trial) -> Curve:
        config = self._config_of(trial.params)
        return Curve(index, config, self.space.to_unit(config), params_key(config, self.space.names))

    def curves(self, running: Sequence[Trial] = ()) -> dict[int, Curve]:
        """Every configuration of this schedule: the finished trials' curves, ``running`` ones marked."""
        out = dict(self._curves)
        for trial in running:
            if not self._owns(trial.meta):
                continue
            index = int(trial.meta["config"])
            known = out.get(index)
            out[index] = replace(known, running=True) if known is not None else replace(
                self._new_curve(index, trial), running=True)
        return out

    def _level_models(self, curves: dict[int, Curve]) -> tuple[float | None, dict[int, curve_model.LevelModel]]:
        """The incumbent (best top-budget value; None before one) and the level models, refitted
        only when a configuration reached the top budget since the last call."""
        finals = [c.values[self.top] for c in curves.values() if self.top in c.values]
        if self._models is None or self._models[0] != len(finals):
            models = curve_model.fit_levels([c.values for c in curves.values() if self.top in c.values], self.top)
            self._models = (len(finals), min(finals) if finals else None, models)
            self._chances.clear()
        return self._models[1], self._models[2]

    # -- ask -------------------------------------------------------------------------------------
    def suggest(self, n: int = 1, *, pending: Sequence[Trial] = ()) -> list[Suggestion]:
        n = check_n(n)
        if n == 0:
            return []
        running = new_pending(self._finished, pending)
        curves = self.curves(running)
        bootstrap = min(n, max(0, self.n_bootstrap - len(curves)))
        out = self._start(bootstrap, curves) if bootstrap else []
        candidates, frozen = self._candidates(curves)
        out += [self._continue(curve, level) for curve, level in candidates[: n - len(out)]]
        spent, spent_new = self._spent(running)
        if len(out) < n and frozen and spent_new > NEW_SHARE * spent:
            out += [self._continue(curve, level) for curve, level in frozen[: n - len(out)]]
        if len(out) < n:
            out.extend(self._start(n - len(out), curves, first=max(curves, default=-1) + 1 + bootstrap))
        return out

    def _candidates(self, curves: dict[int, Curve]) -> tuple[list[tuple[Curve, int]], list[tuple[Curve, int]]]:
        """Paused configurations to advance, best first, each with the level it goes to; and the
        frozen ones, most likely to win first (each to go one level up if thawed)."""
        incumbent, models = self._level_models(curves)
        scored: list[tuple[float, int, float, Curve, int]] = []
        frozen: list[tuple[float, int, float, Curve, int]] = []
        for curve in curves.values():
            k = curve.level
            if curve.running or curve.dead or k < 0 or k >= self.top:
                continue
            model = models.get(k)
            if model is None or incumbent is None:
                chosen = scored if self._in_top_share(curve, curves) else frozen
                chosen.append((1.0 if chosen is scored else 0.0, -k, curve.values[k], curve, k + 1))
                continue
            p = self._chances.get((curve.index, k))
            if p is None:
                mean, std = model.predict(curve.values)
                p = self._chances[(curve.index, k)] = curve_model.probability_below(mean, std, incumbent)
            if p >= self.stop_probability:
                target = self.top if p >= self.jump_probability else k + 1
                scored.append((p, -k, curve.values[k], curve, target))
            else:
                frozen.append((p, -k, curve.values[k], curve, k + 1))
        scored.sort(key=lambda s: (-s[0], s[1], s[2], s[3].index))
        frozen.sort(key=lambda s: (-s[0], s[1], s[2], s[3].index))
        return [(s[3], s[4]) for s in scored], [(s[3], s[4]) for s in frozen]

    def _in_top_share(self, curve: Curve, curves: dict[int, Curve]) -> bool:
        """Whether ``curve``'s value at its level is among the best ``1/eta`` there (ASHA's rule)."""
        k = curve.level
        values = sorted(c.values[k] for c in curves.values() if k in c.values)
        keep = int(math.floor(len(values) / self.eta + 1e-9))
        return keep >= 1 and curve.values[k] <= values[keep - 1]

    def _continue(self, curve: Curve, level: int) -> Suggestion:
        parent = (int(curve.last_trial), self.ladder[curve.level])  # type: ignore[arg-type]
        return self._suggestion(curve.params, self.ladder[level], {"config": curve.index, "level": level}, parent)

    def _start(self, n: int, curves: dict[int, Curve], first: int | None = None) -> list[Suggestion]:
        """``n`` new configurations at the lowest budget, numbered from ``first`` (default: the next
        free number); random during the bootstrap, else by expected improvement."""
        seen: set[Key] = {c.key for c in curves.values()}
        first = max(curves, default=-1) + 1 if first is None else first
        salt = len(self._finished)
        model: Believer | None = None
        out: list[Suggestion] = []
        for j in range(n):
            index = first + j
            rng = self.rng(salt, index)
            if index < self.n_bootstrap:
                params = self._random_config(rng, seen)
            else:
                if model is None:
                    model = self._model(curves)
                params = self._random_config(rng, seen) if model is None else self._propose(model, seen, rng)
                if model is not None:
                    model.believe(self.space.to_unit(params))
            out.append(self._suggestion(params, self.ladder[0], {"config": index, "level": 0}))
        return out

    # -- the proposal model ----------------------------------------------------------------------
    def _model(self, curves: dict[int, Curve]) -> Believer | None:
        """The GP over configurations (see the module doc), running ones believed; None: too few rows."""
        models = self._level_models(curves)[1]
        done = [c for c in curves.values() if c.level >= 0]
        finals = sorted((c for c in done if c.first_final is not None), key=lambda c: c.first_final)  # type: ignore[arg-type, return-value]
        partial = sorted((c for c in done if c.first_final is None), key=lambda c: (-c.level, -c.index))
        rows = (finals + partial)[:MAX_MODEL_POINTS]
        if len(rows) < 2:
            return None
        x = np.array([c.unit for c in rows])
        y = np.array([self._target(c, models) for c in rows])
        if len(finals) >= _MIN_FINALS:
            c = fit_size(len(finals))
            key: tuple[Any, ...] = ("finals", *(f.index for f in finals[:c]))
            fit_rows = finals[:c]
        else:
            c = fit_size(len(rows))
            fit_rows = sorted(rows, key=lambda r: r.index)[:c]
            key = ("all", *((r.index, r.level) for r in fit_rows))
        theta, lmbda = self._theta(key, np.array([r.unit for r in fit_rows]),
                                   np.array([self._target(r, models) for r in fit_rows]))
        model = Believer(self.kernel, theta, x, warp(y, lmbda))
        for curve in curves.values():
            if curve.running and curve.level < 0:
                model.believe(curve.unit)
        return model

    def _target(self, curve: Curve, models: dict[int, curve_model.LevelModel]) -> float:
        """A row's target: the top-budget value, else the predicted one, else the partial value."""
        if self.top in curve.values:
            return curve.values[self.top]
        model = models.get(curve.level)
        return model.predict(curve.values)[0] if model is not None else curve.values[curve.level]

    def _theta(self, key: tuple[Any, ...], x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float | None]:
        """MAP hyperparameters and the Yeo-Johnson power of the targets, fitted on ``(x, y)``, cached by ``key``."""
        cached = self._theta_cache.get(key)
        if cached is None:
            lmbda = yeojohnson_power(y)
            dim = x.shape[1]
            start = default_theta(dim)
            lows, highs = np.array(theta_bounds(dim)).T
            rng = self.rng(len(key), _THETA_SALT)
            starts = [start, np.clip(start + rng.normal(0.0, 1.5, size=start.shape), lows, highs)]
            cached = (fit_theta(self.kernel, x, warp(y, lmbda), starts, maxiter=100), lmbda)
            if len(self._theta_cache) > 8:
                self._theta_cache.clear()
            self._theta_cache[key] = cached
        return cached

    def _propose(self, model: Believer, seen: set[Key], rng: np.random.Generator) -> Params:
        """The unseen configuration of highest expected improvement (random if all are seen)."""
        acq = Acquisition("ei", best=model.best)
        score, score_and_grad = posterior_scorers(acq, model.posterior)

        cands, _ = maximize(self.geometry, score, score_and_grad, model.incumbents(), rng, _SEARCH)
        found = self._first_unseen(self.space.from_unit_many(cands[:256]), seen)
        return found if found is not None else self._random_config(rng, seen)

    def _step(self, budget: float) -> int | None:
        """The report step matching a ladder budget (None when the cast budget is not integral)."""
        step = float(self.resource.cast(budget))  # type: ignore[union-attr]
        return int(step) if step.is_integer() else None


def yeojohnson_power(y: np.ndarray) -> float | None:
    """The maximum-likelihood Yeo-Johnson power of the standardized ``y`` (None: leave them linear)."""
    z = center(y)
    if z.shape[0] < 3 or np.ptp(z) <= 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(scipy.stats.yeojohnson_normmax(z))
        except (ValueError, FloatingPointError):  # pragma: no cover - degenerate data
            return None


def warp(y: np.ndarray, lmbda: float | None) -> np.ndarray:
    """GP targets: standardized, power-transformed with ``lmbda`` (when given), standardized again.

    As ``bo``'s :func:`~hypersweep.algorithms.gp.algorithm.standardize`, with the power fitted only
    when the hyperparameters are (the fit costs more than the posterior).
    """
    z = center(y)
    if lmbda is None or np.ptp(z) <= 0:
        return z
    warped = scipy.stats.yeojohnson(z, lmbda=lmbda)
    return center(warped) if np.all(np.isfinite(warped)) and np.ptp(warped) > 0 else z


__all__ = ["Curve", "FreezeThaw", "warp", "yeojohnson_power"]
