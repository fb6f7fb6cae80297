"""``bohb_gp``: Hyperband whose new configurations come from a multi-fidelity Gaussian process.

Not BOHB as published (Falkner et al., ICML 2018, whose model is a pair of KDEs: that is
:mod:`.bohb`); it shares BOHB's outline (Hyperband brackets, model-based new configurations, a
random share) with a GP in place of the KDEs and adaptive brackets. The model is hypersweep's Gaussian process (:mod:`hypersweep.algorithms.gp`) over the unit
encoding of a configuration plus one more column, its log budget scaled to [0, 1]. It is fitted
on every completed observation at every budget, so the length scale of the budget column
learns how far low budgets predict the top one: a long one (cheap results predict full ones)
lets rung-0 results steer the search, a short one keeps the proposals driven by the
full-budget results. New configurations maximize expected improvement at the top budget;
a fraction ``random_fraction`` of them (and all of them before ``min_points`` observations)
are random.

Brackets (``brackets: adaptive``, the default): the run starts with full-budget search (bracket
0, as ``bo`` does); every later bracket is drawn by how well its starting budget has ranked the
configurations trained to the top budget so far (:mod:`.bracket_choice`), so a task whose
cheap results mislead stays with full-budget search (GP-BO at the top budget) and one whose
cheap results predict the top ones runs aggressive brackets. Values a trial reports along the
way (its learning curve) count as results at the lower rung budgets, so full trainings alone
show how far cheap results can be trusted; without reports each bracket runs once before the
draws. In that mode meta ``iteration`` numbers the brackets in running order. ``brackets:
hyperband`` cycles Hyperband's brackets as in the paper.

All state comes from the trials: a fresh instance told the history fits the same model (the
hyperparameters are refitted at fixed observation counts, see :func:`fit_size`) and draws from
generators salted with the slot and the number of finished trials.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.gp.acquisition import Acquisition
from hypersweep.algorithms.gp.algorithm import GPBO, fit_size, standardize
from hypersweep.algorithms.gp.believer import Believer
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import default_theta, fit_theta, theta_bounds
from hypersweep.algorithms.gp.optimize import SearchBudget, maximize
from hypersweep.algorithms.history import Key, params_key
from hypersweep.algorithms.multifidelity import bracket_choice
from hypersweep.algorithms.multifidelity.hyperband import N_ITERATIONS, Hyperband
from hypersweep.algorithms.multifidelity.options import SHARED_OPTIONS
from hypersweep.algorithms.multifidelity.rungs import Slot, SlotKey
from hypersweep.algorithms.multifidelity.schedule import Bracket, max_bracket
from hypersweep.options import OptionSet, choice, integer, number
from hypersweep.records import Params, Trial, TrialState
from hypersweep.space import Space

#: acquisition search per proposal (cheaper than ``bo``'s: brackets propose many configurations)
_SEARCH = SearchBudget(n_raw=512, n_incumbents=4, n_perturb=32, n_starts=3, rounds=2, maxiter=40)
#: salt of the hyperparameter restarts
_THETA_SALT = 7919
#: salt of the bracket draws
_BRACKET_SALT = 104729
#: a budget steers the model while its ranking score is at most this far below the top budget's
TRUST_MARGIN = 0.1


@register
class BOHBGP(Hyperband):
    """``bohb_gp``: Hyperband brackets, new configurations from a multi-fidelity GP (EI at the top budget).

    Args:
        max_iter, eta, resource, resume, n_iterations: as for ``hyperband``.
        random_fraction: share of new configurations drawn at random once the model is used [0.1;
            BOHB's paper uses 1/3, which measured worse on LCBench].
        min_points: completed observations (any budget) before the model is used; default
            ``d + 2`` with ``d`` the number of encoded columns.
        brackets: ``adaptive`` (full-budget search first, then brackets drawn by how well their
            starting budget ranks the top one; see the module doc) or ``hyperband`` (cycle them).

    Example:
        >>> import hypersweep.space as sp
        >>> algo = BOHBGP(sp.Space({"lr": sp.loguniform(1e-4, 1)}), max_iter=27, eta=3)
        >>> algo.suggest()[0].meta["budget"]  # adaptive brackets start with full-budget search
        27.0
    """

    name: ClassVar[str] = "bohb_gp"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "bohb_gp",
        *SHARED_OPTIONS,
        N_ITERATIONS,
        number("random_fraction", 0.1, minimum=0, maximum=1),
        integer("min_points", None, minimum=1, optional=True),
        choice("brackets", "adaptive", ("adaptive", "hyperband")),
    )
    schedule: ClassVar[str] = "bohb_gp"
    #: the tag its trials carried while this algorithm was registered as ``bohb``
    legacy_schedules: ClassVar[tuple[str, ...]] = ("bohb",)

    def __init__(self, space: Space, **options: Any) -> None:
        """``options``: ``direction``, ``seed`` and the keyword options of :attr:`OPTIONS`."""
        super().__init__(space, **options)
        self.bracket_rule: str = self.options["brackets"]
        self.random_fraction: float = self.options["random_fraction"]
        self.min_points: int = self.options["min_points"] or space.n_columns + 2
        self.geometry = Geometry(space)
        self.kernel = Kernel.matern(2.5)
        self._min_budget = self.max_iter * self.eta ** (-max_bracket(self.max_iter, self.eta))
        self._theta_cache: dict[tuple[tuple[int, float], ...], np.ndarray] = {}
        self._scores: tuple[int, dict[int, float] | None] | None = None
        self._top_bo: GPBO | None = None
        self._rung_steps = self._report_steps()  # fixed by the schedule: not recomputed per trial on tell


    @property
    def budget(self) -> int | None:
        """As Hyperband's, except for adaptive brackets beyond one iteration (unknown: None)."""
        if self.bracket_rule == "adaptive" and self.n_iterations != 1:
            return None
        return super().budget

    # -- which bracket --------------------------------------------------------------------------------
    def _order(self, slots: dict[SlotKey, Slot]) -> Iterator[tuple[int, Bracket]]:
        """Brackets in running order: Hyperband's, or (adaptive) chosen position by position."""
        if self.bracket_rule == "hyperband":
            yield from super()._order(slots)
            return
        chosen: dict[int, int] = {}
        for key in slots:
            chosen.setdefault(int(key[0]), int(key[1]))  # type: ignore[call-overload]
        by_s = self._bracket_by_s
        positions = itertools.count() if self.n_iterations is None else range(self.n_iterations * len(self.brackets))
        for p in positions:
            if p not in chosen:
                chosen[p] = self._next_bracket(p, set(chosen.values()))
            yield p, by_s[chosen[p]]

    def _next_bracket(self, position: int, run: set[int]) -> int:
        """Bracket s for a new ``position`` given the brackets ``run`` so far (see the module doc).

        Full-budget search (s = 0) first, as ``bo`` starts; then, while fewer than
        ``bracket_choice.MIN_TOP`` results reached the top budget, the rest in Hyperband's
        order; then any bracket whose starting budget has no results yet; then a draw by score.
        """
        cycle = [0, *(b.s for b in self.brackets if b.s != 0)]
        scores = self.bracket_scores()
        if scores is None:
            return cycle[position % len(cycle)]
        unknown = [s for s in cycle if s not in scores and s not in run]
        if unknown:
            return unknown[0]
        return bracket_choice.choose(scores, self.rng(position, len(self._finished), _BRACKET_SALT))

    def bracket_scores(self) -> dict[int, float] | None:
        """Bracket s -> how well its starting budget ranks the top-budget results so far, in [0, 1].

        None until ``bracket_choice.MIN_TOP`` configurations reached the top budget; brackets
        whose starting budget has no results yet are left out.
        """
        n_done = len(self._finished)
        if self._scores is not None and self._scores[0] == n_done:
            return self._scores[1]
        ids, x, y = self._observations()
        columns = x[:, -1]
        top = self._column_key(self.max_iter)
        scores: dict[int, float] | None = None
        if int(np.sum(columns == top)) >= bracket_choice.MIN_TOP:
            theta = self._theta(ids, x, y)
            d = self.space.n_columns
            config_theta = np.concatenate([theta[:d], theta[d + 1:]])
            by_budget: dict[float, bracket_choice.Results] = {}
            for c in np.unique(columns):
                rows = x[columns == c, :-1]
                by_budget[float(c)] = ([r.tobytes() for r in rows], rows, y[columns == c])
            per_budget = bracket_choice.budget_scores(self.kernel, config_theta, by_budget, top)
            scores = {b.s: per_budget[c] for b in self.brackets if (c := self._column_key(b.rungs[0].budget)) in per_budget}
        self._scores = (n_done, scores)
        return scores

    # -- new configurations -------------------------------------------------------------------------
    def _new_configs(self, keys: Sequence[tuple[int, ...]], seen: set[Key], running: list[Trial]) -> list[Params]:
        """One configuration per new slot: EI at the top budget, or random (see the class doc).

        When only top-budget results are trusted, the proposals are ``bo``'s own (its model,
        acquisition search and batch believer on the top-budget trials), with no random share.
        """
        if not keys:
            return []
        n_done = len(self._finished)
        ids, x, y = self._model_data()
        if len(ids) >= self.min_points and self._top_only(x):
            return self._bo_configs(len(keys), seen, running)
        model: Believer | None = None
        out: list[Params] = []
        for key in keys:
            rng = self.rng(*key, n_done)
            if len(ids) < self.min_points or rng.random() < self.random_fraction:
                out.append(self._random_config(rng, seen))
                continue
            if model is None:
                model = Believer(self.kernel, self._theta(ids, x, y), x, standardize(y))
                for trial in running:
                    model.believe(self._encode(self._config_of(trial.params), trial.meta.get("budget", self.max_iter)))
            params = self._propose(model, seen, rng)
            model.believe(self._encode(params, self.max_iter))
            out.append(params)
        return out

    def _top_only(self, x: np.ndarray) -> bool:
        """Whether the model data ``x`` (n, d + 1) hold top-budget results only."""
        return self.bracket_rule == "adaptive" and bool(np.all(x[:, -1] == self._column_key(self.max_iter)))

    def _bo_configs(self, n: int, seen: set[Key], running: list[Trial]) -> list[Params]:
        """``n`` configurations from ``bo`` told the top-budget trials (running ones pending)."""
        top = self._column_key(self.max_iter)

        def at_top(trial: Trial) -> bool:
            budget = float(trial.meta.get("budget", self.max_iter))
            return self._owns(trial.meta) and self._column_key(budget) == top

        def config_only(trial: Trial) -> Trial:
            return replace(trial, params=self._config_of(trial.params))

        if self._top_bo is None:
            self._top_bo = GPBO(self.space, direction=self.direction, seed=self.seed, n_initial_trials=1)
        self._top_bo.tell([config_only(t) for t in self.finished if at_top(t)])
        names = self.space.names
        out: list[Params] = []
        for params in self._top_bo.ask(n, pending=[config_only(t) for t in running if at_top(t)]):
            key = params_key(params, names)
            if key in seen:  # trained at a lower budget already: a fresh draw instead
                params = self._random_config(self.rng(len(self._finished), len(out), _BRACKET_SALT), seen)
            else:
                seen.add(key)
            out.append(params)
        while len(out) < n:
            out.append(self._random_config(self.rng(len(self._finished), len(out), _BRACKET_SALT), seen))
        return out

    def _model_data(self) -> tuple[list[tuple[int, float]], np.ndarray, np.ndarray]:
        """The observations the proposal model is fitted on: those at trusted budgets.

        With adaptive brackets and scores, a budget is trusted when it ranks the top-budget
        results about as well as the top budget's own leave-one-out predictions do (within
        ``TRUST_MARGIN``); misleading cheap results then stop steering the proposals.
        """
        ids, x, y = self._observations()
        scores = self.bracket_scores() if self.bracket_rule == "adaptive" else None
        if scores is None:
            return ids, x, y
        by_column = {self._column_key(b.rungs[0].budget): scores[b.s] for b in self.brackets if b.s in scores}
        floor = scores[0] - TRUST_MARGIN
        keep = np.array([by_column.get(float(c), 0.0) >= floor for c in x[:, -1]], dtype=bool)
        return [i for i, k in zip(ids, keep) if k], x[keep], y[keep]

    def _observations(self) -> tuple[list[tuple[int, float]], np.ndarray, np.ndarray]:
        """Ids, inputs (n, d + 1) and losses (n,) of every completed trial of this schedule.

        Besides each trial's result at its budget, the values it reported (``trial.report``) at
        the steps of lower rung budgets count as results there: a full training that logs its
        learning curve shows for free how its cheap results rank. An id is (trial id, budget
        column); a configuration counts once per budget.
        """
        sign = self.direction.sign()
        names = self.space.names
        ids: list[tuple[int, float]] = []
        rows: list[np.ndarray] = []
        ys: list[float] = []
        seen: set[tuple[Key, float]] = set()
        for trial in self.finished:
            meta = trial.meta
            if not self._owns(meta) or trial.state is not TrialState.COMPLETED:
                continue
            value = trial.value
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
                continue
            config = self._config_of(trial.params)
            key = params_key(config, names)
            budget = float(meta.get("budget", self.max_iter))
            reported = {int(r.step): float(r.value) for r in trial.reports}
            results = [(b, reported.get(step)) for b, step in self._rung_steps if b < budget and step is not None]
            for b, loss in [*results, (budget, float(value))]:
                column = self._column_key(b)
                if loss is None or not math.isfinite(loss) or (key, column) in seen:
                    continue
                seen.add((key, column))
                ids.append((trial.id, column))
                rows.append(np.append(self.space.to_unit(config), column))
                ys.append(sign * loss)
        dim = self.space.n_columns + 1
        return ids, np.array(rows).reshape(-1, dim), np.array(ys, dtype=float)

    def _report_steps(self) -> list[tuple[float, int | None]]:
        """Each rung budget below the top with the report step that matches it (None: no step does)."""
        budgets = sorted({rung.budget for b in self.brackets for rung in b.rungs if rung.budget < self.max_iter})
        out: list[tuple[float, int | None]] = []
        for b in budgets:
            step = float(self.resource.cast(b))  # type: ignore[union-attr]
            out.append((b, int(step) if step.is_integer() else None))
        return out

    def _encode(self, config: Params, budget: Any) -> np.ndarray:
        """The unit encoding of ``config`` and, last, its log budget scaled to [0, 1]."""
        return np.append(self.space.to_unit(config), self._budget_column(float(budget)))

    def _column_key(self, budget: float) -> float:
        """The budget column rounded, so rung budgets computed two ways compare equal."""
        return round(self._budget_column(budget), 9)

    def _budget_column(self, budget: float) -> float:
        low, high = math.log(self._min_budget), math.log(self.max_iter)
        if high <= low:
            return 1.0
        return min(1.0, max(0.0, (math.log(max(budget, 1e-12)) - low) / (high - low)))

    def _theta(self, ids: list[tuple[int, float]], x: np.ndarray, y: np.ndarray) -> np.ndarray:
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

    def _propose(self, model: Believer, seen: set[Key], rng: np.random.Generator) -> Params:
        """The unseen configuration of highest EI at the top budget (random if all are seen)."""
        top = np.ones((1, 1))
        top_mean = model.posterior.predict(_at_top(model.x_obs))[0]
        acq = Acquisition("ei", best=float(np.min(top_mean)))
        incumbents = model.x_obs[np.argsort(top_mean, kind="stable"), :-1]  # best predicted at the top first

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

        cands, _ = maximize(self.geometry, score, score_and_grad, incumbents, rng, _SEARCH)
        found = self._first_unseen(self.space.from_unit_many(cands[:256]), seen)
        return found if found is not None else self._random_config(rng, seen)


def _at_top(x: np.ndarray) -> np.ndarray:
    """Model inputs (n, d + 1) moved to the top budget (last column 1)."""
    out = x.copy()
    out[:, -1] = 1.0
    return out


__all__ = ["BOHBGP"]
