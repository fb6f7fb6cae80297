"""Adapter: any Optuna sampler through ``study.ask`` / ``study.tell`` (define-and-run).

The space is mapped once with :class:`~benchmarks.peers.optuna_space.OptunaSpace`;
``study.ask(distributions)`` and ``study.tell`` are timed. Optuna is imported lazily.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from benchmarks.peers.base import Optimizer, Trace, ask_tell_loop
from benchmarks.peers.optuna_space import OptunaSpace
from benchmarks.problems.base import Problem

SamplerFactory = Callable[[int], Any]


def tpe(seed: int) -> Any:
    """Optuna's TPESampler with its defaults.

    Since Optuna 5.0 the default ``multivariate=None`` means multivariate TPE for
    single-objective studies, so on every harness problem this equals ``tpe_multivariate``
    (and ``constant_liar`` defaults to True).
    """
    import optuna

    return optuna.samplers.TPESampler(seed=seed)


def tpe_multivariate(seed: int) -> Any:
    """Optuna's TPESampler(multivariate=True)."""
    import optuna

    return optuna.samplers.TPESampler(seed=seed, multivariate=True)


def gp(seed: int) -> Any:
    """Optuna's GPSampler with its defaults."""
    import optuna

    return optuna.samplers.GPSampler(seed=seed)


class OptunaOptimizer(Optimizer):
    """An Optuna sampler, built per run by ``sampler(seed)``, in memory or on SQLite."""

    requires: tuple[str, ...] = ("optuna",)

    def __init__(
        self,
        name: str,
        sampler: SamplerFactory,
        *,
        storage: str = "memory",
        ordinal: bool = True,
        extra_requires: tuple[str, ...] = (),
    ) -> None:
        if storage not in ("memory", "sqlite"):
            raise ValueError(f"storage: must be 'memory' or 'sqlite'; got {storage!r}")
        self.name = name
        self.sampler = sampler
        self.storage = storage
        self.ordinal = ordinal
        self.requires = ("optuna", *extra_requires)

    def run(self, problem: Problem, n_trials: int, seed: int, workers: int = 1) -> Trace:
        if self.storage == "sqlite":
            with tempfile.TemporaryDirectory(prefix="hs-bench-optuna-") as tmp:
                return self._run(problem, n_trials, seed, f"sqlite:///{Path(tmp) / 'optuna.db'}", workers)
        return self._run(problem, n_trials, seed, None, workers)

    def _run(self, problem: Problem, n_trials: int, seed: int, storage: str | None, workers: int = 1) -> Trace:
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        mapping = OptunaSpace(problem.space, ordinal=self.ordinal)
        distributions = mapping.distributions
        study = optuna.create_study(
            sampler=self.sampler(seed), direction=problem.direction.value, storage=storage
        )

        def ask() -> Any:
            return study.ask(distributions)

        def tell(trial: Any, value: float) -> None:
            study.tell(trial, value)

        def params(trial: Any) -> Mapping[str, Any]:
            return mapping.decode(trial.params)

        return ask_tell_loop(self.name, problem, n_trials, seed, ask, tell, params=params, workers=workers)
