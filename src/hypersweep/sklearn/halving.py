"""``SweepHalvingSearchCV``: successive halving over training samples or an estimator parameter,
scheduled by hypersweep's ``hyperband``, ``successive_halving`` or ``asha``.

Budgets are measured in units of ``min_resources_`` (the sweep's ``max_iter`` is
``max_resources_ / min_resources_``), so the cheapest rung trains on ``min_resources_`` samples
(or estimators, or iterations) and the top rung on ``max_resources_``.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.base import is_classifier
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples

from hypersweep.records import Trial
from hypersweep.sklearn.search import (
    Evaluate,
    SweepSearchCV,
    ask_batch,
    batch_size,
    evaluate_batch,
    open_sweep,
    raise_if_none_evaluated,
    seed_of,
)
from hypersweep.sklearn.space import search_space
from hypersweep.sklearn.subsample import SubsampleCV
from hypersweep.space import Space

BUDGET = "budget"  # the sweep's resource: multiples of min_resources_


class SweepHalvingSearchCV(SweepSearchCV):
    """Multi-fidelity search: many candidates on a small ``resource``, the best on more.

    ``resource`` is ``"n_samples"`` (each training fold cut to a fraction) or an estimator
    parameter such as ``n_estimators`` or ``max_iter``. ``cv_results_`` has ``iter`` (the rung)
    and ``n_resources`` columns like ``HalvingRandomSearchCV``'s, and the best candidate is picked
    among those trained on the most resources. ``n_trials`` caps the candidates evaluated
    (None: the algorithm's own budget, e.g. one Hyperband iteration). Other arguments as
    ``SweepSearchCV``, whose variant it is.
    """

    _parameter_constraints: dict = {
        **SweepSearchCV._parameter_constraints,
        "n_trials": [Interval(Integral, 1, None, closed="left"), None],
        "algorithm": [StrOptions({"hyperband", "successive_halving", "asha"})],
        "resource": [str],
        "min_resources": [Interval(Integral, 1, None, closed="left"), StrOptions({"smallest"})],
        "max_resources": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "eta": [Interval(Real, 1, None, closed="neither")],
    }

    def __init__(
        self,
        estimator: Any,
        space: Space | Mapping[str, Any],
        *,
        n_trials: int | None = None,
        algorithm: str = "hyperband",
        resource: str = "n_samples",
        min_resources: int | str = "smallest",
        max_resources: int | str = "auto",
        eta: float = 3,
        options: Mapping[str, Any] | None = None,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable[..., int] = True,
        cv: Any = 5,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: int | np.random.RandomState | None = None,
        error_score: str | float = np.nan,
        return_train_score: bool = True,
        storage: str | os.PathLike | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(
            estimator,
            space,
            n_trials=n_trials,  # type: ignore[arg-type]  # None: the algorithm's own budget
            algorithm=algorithm,
            options=options,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            random_state=random_state,
            error_score=error_score,
            return_train_score=return_train_score,
            storage=storage,
            name=name,
        )
        self.resource = resource
        self.min_resources = min_resources
        self.max_resources = max_resources
        self.eta = eta

    def _check_input_parameters(self, X: Any, y: Any, split_params: Mapping[str, Any]) -> None:
        if self.resource != "n_samples" and self.resource not in self.estimator.get_params():
            raise ValueError(f"resource: {self.resource!r} is not a parameter of {type(self.estimator).__name__}; use 'n_samples' or one of its parameters")
        if self.max_resources == "auto" and self.resource != "n_samples":
            raise ValueError(f"max_resources: give an int for resource={self.resource!r} ('auto' means n_samples)")
        self._n_samples_orig = _num_samples(X)
        self.max_resources_ = self._n_samples_orig if self.max_resources == "auto" else int(self.max_resources)
        self.min_resources_ = self.min_resources
        if self.min_resources == "smallest":
            self.min_resources_ = 1
            if self.resource == "n_samples":  # scikit-learn's rule: 2 rows per fold (and class)
                n_classes = len(np.unique(y)) if is_classifier(self.estimator) else 1
                self.min_resources_ = 2 * self._checked_cv_orig.get_n_splits(X, y, **split_params) * n_classes
        if self.min_resources_ > self.max_resources_:
            raise ValueError(f"min_resources: {self.min_resources_} exceeds max_resources_={self.max_resources_}; lower it")

    def _run_search(self, evaluate_candidates: Evaluate) -> None:
        searched = search_space(self.space)
        options = {"max_iter": self.max_resources_ / self.min_resources_, "eta": self.eta,
                   "resource": {"name": BUDGET, "type": "float"}, **(self.options or {})}
        sweep = open_sweep(self, searched.space, multi_fidelity=True, options=options)
        if self.n_trials is None and sweep.algorithm.budget is None:
            raise ValueError(f"n_trials: {self.algorithm!r} has no budget of its own here; give n_trials")
        cap = self.n_trials if self.n_trials is not None else np.inf
        told: list[Trial] = []
        while len(told) < cap:
            trials = ask_batch(sweep, int(min(batch_size(self.n_jobs), cap - len(told))))
            if not trials:
                break
            for budget in sorted({t.params[BUDGET] for t in trials}):
                group = [t for t in trials if t.params[BUDGET] == budget]
                told += self._evaluate(sweep, group, budget, evaluate_candidates, searched.decode)
        self.sweep_name_ = sweep.name
        self.trials_ = told
        raise_if_none_evaluated(told)

    def _evaluate(self, sweep: Any, group: list[Trial], budget: float, evaluate_candidates: Evaluate, decode: Callable) -> list[Trial]:
        """Cross-validate trials of one budget: on a sample of the rows, or with the resource parameter set."""
        n_resources = min(self.max_resources_, int(round(budget * self.min_resources_)))
        more = {"iter": [int(t.meta.get("rung", 0)) for t in group], "n_resources": [n_resources] * len(group)}
        by_samples = self.resource == "n_samples"
        cv = SubsampleCV(self._checked_cv_orig, n_resources / self._n_samples_orig, seed_of(self.random_state)) if by_samples else None
        extra = {} if by_samples else {self.resource: n_resources}

        def params_of(stored: Mapping[str, Any]) -> dict[str, Any]:
            return {**decode({k: v for k, v in stored.items() if k != BUDGET}), **extra}

        return evaluate_batch(sweep, group, evaluate_candidates, params_of, cv=cv, more_results=more)

    @staticmethod
    def _select_best_index(refit: Any, refit_metric: str, results: Mapping[str, Any]) -> int:
        """The best candidate among those trained on the most resources (a callable ``refit`` decides itself)."""
        if callable(refit):
            return BaseSearchCV._select_best_index(refit, refit_metric, results)
        resources = np.asarray(results["n_resources"])
        top = np.flatnonzero(resources == resources.max())
        scores = np.asarray(results[f"mean_test_{refit_metric}"])[top]
        return int(top[0] if np.isnan(scores).all() else top[np.nanargmax(scores)])
