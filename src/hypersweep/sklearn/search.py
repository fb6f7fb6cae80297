"""``SweepSearchCV``: scikit-learn's search estimator driven by a hypersweep sweep.

scikit-learn's ``BaseSearchCV`` does the cross-validation, builds ``cv_results_`` and refits; this
class only decides which candidates to evaluate: it asks the sweep for a batch (as many as
``n_jobs`` runs at once), hands it to ``evaluate_candidates`` and tells the sweep the scores.
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval

from hypersweep.algorithms import DEFAULT_ALGORITHM, make_algorithm
from hypersweep.api import Sweep
from hypersweep.outcome import Failed
from hypersweep.records import Direction, Metric, Params, Trial
from hypersweep.sklearn.scores import candidate_result, optimized_metric
from hypersweep.sklearn.space import search_space
from hypersweep.space import Space

Evaluate = Callable[..., Mapping[str, Any]]
EVERY_FIT_FAILED = "every fit failed: "


class SweepSearchCV(BaseSearchCV):
    """Search ``space`` for ``estimator``'s best hyperparameters with a hypersweep algorithm.

    Drop-in for ``RandomizedSearchCV``: same ``cv_results_``, ``best_*_``, refit, multi-metric
    ``scoring`` (the sweep maximizes the ``refit`` metric, or the first one, and records the
    others). ``space`` is a ``hs.Space`` or a dict of hypersweep dimensions, matrix entries,
    lists or scipy.stats distributions. ``n_jobs`` runs fits in processes (joblib's loky) and
    is the size of each batch asked from the sweep. ``storage``/``name`` keep the sweep (a
    SQLite path or database URL): fitting again with the same name continues it.
    ``random_state`` seeds the algorithm. After ``fit``: ``trials_`` (this fit's trials, as
    stored) and ``sweep_name_``.

    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from scipy.stats import loguniform
    >>> search = SweepSearchCV(LogisticRegression(max_iter=200), {"C": loguniform(1e-2, 1e2)},
    ...                        n_trials=4, algorithm="random", random_state=0)
    >>> bool(search.fit(*load_iris(return_X_y=True)).best_score_ > 0.9)
    True
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "space": [dict, Space],
        "n_trials": [Interval(Integral, 1, None, closed="left")],
        "algorithm": [str, None],
        "options": [dict, None],
        "random_state": ["random_state"],
        "storage": [str, os.PathLike, None],
        "name": [str, None],
    }

    def __init__(
        self,
        estimator: Any,
        space: Space | Mapping[str, Any],
        *,
        n_trials: int = 10,
        algorithm: str | None = None,
        options: Mapping[str, Any] | None = None,
        scoring: Any = None,
        n_jobs: int | None = None,
        refit: bool | str | Callable[..., int] = True,
        cv: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        random_state: int | np.random.RandomState | None = None,
        error_score: str | float = np.nan,
        return_train_score: bool = False,
        storage: str | os.PathLike | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.space = space
        self.n_trials = n_trials
        self.algorithm = algorithm
        self.options = options
        self.random_state = random_state
        self.storage = storage
        self.name = name

    def _run_search(self, evaluate_candidates: Evaluate) -> None:
        searched = search_space(self.space)
        sweep = open_sweep(self, searched.space, multi_fidelity=False)
        told: list[Trial] = []
        while len(told) < self.n_trials:
            trials = ask_batch(sweep, min(batch_size(self.n_jobs), self.n_trials - len(told)))
            if not trials:
                break
            told += evaluate_batch(sweep, trials, evaluate_candidates, searched.decode)
        self.sweep_name_ = sweep.name
        self.trials_ = told
        raise_if_none_evaluated(told)


def open_sweep(search: Any, space: Space, *, multi_fidelity: bool, options: Mapping[str, Any] | None = None) -> Sweep:
    """The sweep a search runs: its algorithm, seed, storage and name, maximizing the refit metric."""
    name = search.algorithm or ("hyperband" if multi_fidelity else DEFAULT_ALGORITHM)
    seed = seed_of(search.random_state)
    settings = dict(options or search.options or {})
    budgeted = make_algorithm(name, space, direction=Direction.MAXIMIZE, seed=seed, options=settings).resource is not None
    if budgeted and not multi_fidelity:
        raise ValueError(f"algorithm: {name!r} gives each trial a budget; use SweepHalvingSearchCV for it")
    if multi_fidelity and not budgeted:
        raise ValueError(f"algorithm: {name!r} gives no budget; use hyperband, successive_halving or asha")
    return Sweep(
        space,
        algorithm=name,
        metric=Metric(optimized_metric(search.scoring, search.refit), "maximize"),
        storage=search.storage,
        name=search.name,
        seed=seed,
        options=settings,
    )


def seed_of(random_state: int | np.random.RandomState | None) -> int:
    """An int ``random_state`` as is; otherwise an int drawn from it (None: numpy's global state)."""
    if isinstance(random_state, Integral):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def batch_size(n_jobs: int | None) -> int:
    """How many candidates to evaluate at once: as many as joblib runs in parallel."""
    return max(1, effective_n_jobs(n_jobs))


def ask_batch(sweep: Sweep, n: int) -> list[Trial]:
    """Up to ``n`` trials (fewer when the algorithm is done or waits for running ones)."""
    trials: list[Trial] = []
    while len(trials) < n:
        trial = sweep.ask()
        if trial is None:
            break
        trials.append(trial)
    return trials


def evaluate_batch(
    sweep: Sweep, trials: Sequence[Trial], evaluate_candidates: Evaluate, decode: Callable[[Params], Params], **kwargs: Any
) -> list[Trial]:
    """Cross-validate ``trials`` through scikit-learn and tell the sweep their scores.

    scikit-learn raises when every fit of one ``evaluate_candidates`` call failed; a batch is
    a fraction of the search, so its trials fail (left out of ``cv_results_``) and the search goes on.
    """
    try:
        results = evaluate_candidates([decode(t.params) for t in trials], **kwargs)
    except ValueError as exc:
        if "fits failed" not in str(exc):
            raise
        reason = EVERY_FIT_FAILED + " ".join(str(exc).split())
        warnings.warn(f"{len(trials)} candidate(s) failed every fit and are left out of cv_results_: {reason[:300]}", FitFailedWarning, stacklevel=2)
        return [sweep.tell(t, Failed(reason)) for t in trials]
    return tell_batch(sweep, trials, results)


def raise_if_none_evaluated(told: Sequence[Trial]) -> None:
    """Fail the search when every candidate failed every fit (scikit-learn has no results to rank)."""
    if told and all((t.error or "").startswith(EVERY_FIT_FAILED) for t in told):
        raise ValueError(f"all {len(told)} candidates failed; the first: {told[0].error}")


def tell_batch(sweep: Sweep, trials: Sequence[Trial], results: Mapping[str, Any]) -> list[Trial]:
    """Tell the sweep the scores of ``trials``, the last ``len(trials)`` candidates in ``results``."""
    first = len(results["params"]) - len(trials)
    return [sweep.tell(t, candidate_result(results, first + i, sweep.metric.name)) for i, t in enumerate(trials)]
