"""BOHB as published (Falkner, Klein & Hutter, ICML 2018): Hyperband with TPE-style KDEs.

Brackets are Hyperband's (:mod:`.hyperband`). Each new configuration is random with probability
``random_fraction``, and otherwise comes from the model of the largest budget that has one: the
results at budget b (failed and pruned trials count as infinitely bad, as in HpBandSter) are
sorted; the best ``max(N_min, top_n_percent% of n)`` fit the "good" KDE l(x), the next
``max(N_min, (100 - top_n_percent)% of n)`` the "bad" KDE g(x) (:mod:`.kde`); a budget has a
model once both groups hold ``N_min = min_points_in_model`` points (default d + 1, d the number of
parameters). ``num_samples`` candidates drawn from l with its bandwidths widened by
``bandwidth_factor`` are scored by l(x) / g(x), and the best one not seen yet is proposed.

All state comes from the trials: the model is refitted from the told trials (in trial-id order),
the random-or-model coin, the random configuration and the candidates are drawn from
generators salted with the slot, so a fresh instance told the history suggests the same.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from hypersweep.algorithms import register
from hypersweep.algorithms.history import Key, params_key
from hypersweep.algorithms.multifidelity.hyperband import N_ITERATIONS, Hyperband
from hypersweep.algorithms.multifidelity.kde import KDESpace, ProductKDE
from hypersweep.algorithms.multifidelity.options import SHARED_OPTIONS
from hypersweep.options import OptionSet, integer, number
from hypersweep.records import Params, Trial, TrialState
from hypersweep.space import Space

#: salt of the random-or-model coin of a slot
_COIN_SALT = 15485863
#: salt of a slot's model candidates
_MODEL_SALT = 32452843


@dataclass(frozen=True)
class DensityModel:
    """The good and bad KDEs fitted on the results at ``budget``."""

    budget: float
    good: ProductKDE
    bad: ProductKDE


@register
class BOHB(Hyperband):
    """``bohb``: Hyperband brackets, new configurations from good/bad KDEs (Falkner et al. 2018).

    Args:
        max_iter, eta, resource, resume, n_iterations: as for ``hyperband``.
        min_points_in_model: N_min, points in each of the good and bad groups before a budget
            has a model (default d + 1, d the number of parameters).
        top_n_percent: share of a budget's results in the good group [15].
        num_samples: candidates drawn from the good KDE per model-based configuration [64].
        random_fraction: share of new configurations drawn at random [1/3].
        bandwidth_factor: widening of the good KDE's bandwidths for drawing candidates [3].
        min_bandwidth: smallest bandwidth of any kernel [1e-3].

    Example:
        >>> import hypersweep.space as sp
        >>> bohb = BOHB(sp.Space({"lr": sp.loguniform(1e-4, 1)}), max_iter=27, eta=3)
        >>> bohb.suggest()[0].meta["budget"], bohb.model is None
        (1.0, True)
    """

    name: ClassVar[str] = "bohb"
    OPTIONS: ClassVar[OptionSet] = OptionSet(
        "bohb",
        *SHARED_OPTIONS,
        N_ITERATIONS,
        integer("min_points_in_model", None, minimum=1, optional=True),
        number("top_n_percent", 15, minimum=0, maximum=100, open_low=True, open_high=True),
        integer("num_samples", 64, minimum=1),
        number("random_fraction", 1 / 3, minimum=0, maximum=1),
        number("bandwidth_factor", 3, minimum=0, open_low=True),
        number("min_bandwidth", 1e-3, minimum=0, open_low=True),
    )
    schedule: ClassVar[str] = "bohb"

    def __init__(self, space: Space, **options: Any) -> None:
        """``options``: ``direction``, ``seed`` and the keyword options of :attr:`OPTIONS`."""
        super().__init__(space, **options)
        self.kde_space = KDESpace(space)
        self.min_points_in_model: int = self.options["min_points_in_model"] or self.kde_space.dim + 1
        self.top_n_percent: float = self.options["top_n_percent"]
        self.num_samples: int = self.options["num_samples"]
        self.random_fraction: float = self.options["random_fraction"]
        self.bandwidth_factor: float = self.options["bandwidth_factor"]
        self.min_bandwidth: float = self.options["min_bandwidth"]
        self._model: tuple[int, DensityModel | None] | None = None  # (finished trials, model)


    # -- the model ------------------------------------------------------------------------------------
    @property
    def model(self) -> DensityModel | None:
        """The KDEs of the largest budget with enough results (None: no budget has enough yet)."""
        n_done = len(self._finished)
        if self._model is None or self._model[0] != n_done:
            self._model = (n_done, self._fit())
        return self._model[1]

    def _fit(self) -> DensityModel | None:
        results = self._results()
        for budget in sorted(results, reverse=True):
            configs, losses = results[budget]
            good, bad = self._split(np.array(losses))
            if good.size >= self.min_points_in_model and bad.size >= self.min_points_in_model:
                x = self.kde_space.encode(configs)
                kde = {"levels": self.kde_space.levels, "min_bandwidth": self.min_bandwidth}
                return DensityModel(budget, ProductKDE(x[good], **kde), ProductKDE(x[bad], **kde))
        return None

    def _results(self) -> dict[float, tuple[list[Params], list[float]]]:
        """Budget -> configurations and losses of this schedule's finished trials, by trial id."""
        sign = self.direction.sign()
        out: dict[float, tuple[list[Params], list[float]]] = {}
        for trial in self.finished:
            if not self._owns(trial.meta) or "budget" not in trial.meta:
                continue
            value = trial.value
            usable = trial.state is TrialState.COMPLETED and isinstance(value, (int, float)) and math.isfinite(value)
            configs, losses = out.setdefault(float(trial.meta["budget"]), ([], []))
            configs.append(self._config_of(trial.params))
            losses.append(sign * float(value) if usable else math.inf)  # type: ignore[arg-type]
        return out

    def _split(self, losses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the good and the bad group (HpBandSter's sizes; ties keep trial order)."""
        n = losses.size
        order = np.argsort(losses, kind="stable")
        n_good = max(self.min_points_in_model, math.floor(self.top_n_percent * n / 100))
        n_bad = max(self.min_points_in_model, math.floor((100 - self.top_n_percent) * n / 100))
        return order[:n_good], order[n_good:n_good + n_bad]

    # -- new configurations ---------------------------------------------------------------------------
    def _new_configs(self, keys: Sequence[tuple[int, ...]], seen: set[Key], running: list[Trial]) -> list[Params]:
        """Per new slot: random (as ``hyperband`` draws it) or the model's best unseen candidate."""
        model = self.model if keys else None
        out: list[Params] = []
        for key in keys:
            if model is None or self.rng(*key, _COIN_SALT).random() < self.random_fraction:
                out.append(self._random_config(self.rng(*key), seen))
            else:
                out.append(self._model_config(model, self.rng(*key, _MODEL_SALT), seen))
        return out

    def _model_config(self, model: DensityModel, rng: np.random.Generator, seen: set[Key]) -> Params:
        """The unseen candidate of highest l(x) / g(x); a random configuration if all are seen."""
        candidates = model.good.sample(rng, self.num_samples, self.bandwidth_factor)
        configs = self.kde_space.decode(candidates)
        x = self.kde_space.encode(configs)  # as the space snapped them
        score = model.good.log_pdf(x) - model.bad.log_pdf(x)
        names = self.space.names
        for i in np.argsort(-score, kind="stable"):
            key = params_key(configs[i], names)
            if key not in seen:
                seen.add(key)
                return configs[i]
        return self._random_config(rng, seen)


__all__ = ["BOHB", "DensityModel"]
