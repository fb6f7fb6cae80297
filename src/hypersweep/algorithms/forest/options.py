"""The ``smac:`` block of a sweep file: every option, its default and its check."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from hypersweep.exceptions import AlgorithmError

ACQUISITIONS = ("ei", "log_ei")
DESIGNS = ("sobol", "random")
LIARS = ("believer", "worst", "mean", "best")


@dataclass(frozen=True)
class SmacOptions:
    """Options of the ``smac`` algorithm (keys of its ``smac:`` block).

    Attributes:
        n_initial_trials: trials from the initial design before the forest is used.
        initial_design: ``sobol`` (scrambled Sobol points) or ``random``.
        n_trees, max_features, min_samples_split, min_samples_leaf, max_depth, bootstrap:
            the forest. Defaults follow SMAC3's HPO facade (all features, split 2, leaf 1),
            which beat SMAC's algorithm-configuration settings (5/6, 3, 3) clearly on the
            synthetic benchmarks; depth capped at 12, which bounds the cost of growing and
            querying trees at ~1,000 trials and measured the same regret at 50 trials as 20.
        log_y: model ``log(cost - min cost + delta)`` instead of the cost.
        acquisition_function: ``ei``, or ``log_ei`` (SMAC's EI in cost space for a log model;
            needs ``log_y: true``).
        xi: EI's exploration margin (in model units).
        random_fraction: probability that a suggestion is a uniform random point. SMAC's HPO
            facade interleaves 20%; 0 (exploration left to EI over random candidates) gave
            lower regret at 50 trials on 4 of 6 benchmark problems, 0.2 the highest on most.
        n_random_candidates: random points scored per suggestion.
        n_local_starts: local searches per suggestion (from the best trials and the best
            random candidates).
        max_local_steps: moves per local search.
        n_neighbours: Gaussian steps tried per continuous parameter in each local-search move.
        refit_interval: grow new trees every this many completed trials; None: every trial
            up to 100 completed trials, then each time their number grows by 10% (110, 121,
            133, ...: about every 100 trials at 1,000).
        liar: what a pending trial pretends to have scored (constant liar, in model units):
            ``best`` (default), ``mean`` or ``worst`` completed value, or ``believer`` (the
            forest's own mean there). With 4 simulated workers (2026-11-23, 20 seeds on
            hartmann6 / ackley5 / LCBench 7593) ``best`` lost the least regret at 50 trials
            against a sequential run (+22%; ``mean`` +34%); explicit distance penalties to
            pending points made it worse (+48% to +59%): spreading a batch out costs more
            than it saves on these problems.
    """

    n_initial_trials: int = 10
    initial_design: str = "sobol"
    n_trees: int = 10
    max_features: float = 1.0
    min_samples_split: int = 2
    min_samples_leaf: int = 1
    max_depth: int | None = 12
    bootstrap: bool = True
    log_y: bool = False
    acquisition_function: str = "ei"
    xi: float = 0.0
    random_fraction: float = 0.0
    n_random_candidates: int = 500
    n_local_starts: int = 10
    max_local_steps: int = 8
    n_neighbours: int = 2
    refit_interval: int | None = None
    liar: str = "best"

    def settings(self) -> dict[str, Any]:
        """The options as a plain dict (what ``Algorithm.settings`` stores)."""
        return asdict(self)


def _int(name: str, value: Any, minimum: int, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        extra = " or null" if optional else ""
        raise AlgorithmError(f"smac.{name}: must be an integer >= {minimum}{extra}; got {value!r}")
    return int(value)


def _float(name: str, value: Any, low: float, high: float, *, open_low: bool, open_high: bool) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(float(value))
    if ok:
        v = float(value)
        ok = (v > low if open_low else v >= low) and (v < high if open_high else v <= high)
    if not ok:
        lb, hb = ("(" if open_low else "["), (")" if open_high else "]")
        raise AlgorithmError(f"smac.{name}: must be a number in {lb}{low:g}, {high:g}{hb}; got {value!r}")
    return float(value)


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.lower() not in allowed:
        raise AlgorithmError(f"smac.{name}: must be one of {', '.join(allowed)}; got {value!r}")
    return value.lower()


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise AlgorithmError(f"smac.{name}: must be true or false; got {value!r}")
    return value


def parse_options(**raw: Any) -> SmacOptions:
    """Validate the ``smac:`` options (AlgorithmError naming the first bad one)."""
    d = SmacOptions()
    known = set(d.settings())
    for key in raw:
        if key not in known:
            raise AlgorithmError(f"smac: unknown option {key!r}; options are: {', '.join(sorted(known))}")
    get = lambda key: raw.get(key, getattr(d, key))
    options = SmacOptions(
        n_initial_trials=_int("n_initial_trials", get("n_initial_trials"), 0),  # type: ignore[arg-type]
        initial_design=_choice("initial_design", get("initial_design"), DESIGNS),
        n_trees=_int("n_trees", get("n_trees"), 1),  # type: ignore[arg-type]
        max_features=_float("max_features", get("max_features"), 0.0, 1.0, open_low=True, open_high=False),
        min_samples_split=_int("min_samples_split", get("min_samples_split"), 2),  # type: ignore[arg-type]
        min_samples_leaf=_int("min_samples_leaf", get("min_samples_leaf"), 1),  # type: ignore[arg-type]
        max_depth=_int("max_depth", get("max_depth"), 1, optional=True),
        bootstrap=_bool("bootstrap", get("bootstrap")),
        log_y=_bool("log_y", get("log_y")),
        acquisition_function=_choice("acquisition_function", get("acquisition_function"), ACQUISITIONS),
        xi=_float("xi", get("xi"), 0.0, math.inf, open_low=False, open_high=True),
        random_fraction=_float("random_fraction", get("random_fraction"), 0.0, 1.0, open_low=False, open_high=True),
        n_random_candidates=_int("n_random_candidates", get("n_random_candidates"), 1),  # type: ignore[arg-type]
        n_local_starts=_int("n_local_starts", get("n_local_starts"), 1),  # type: ignore[arg-type]
        max_local_steps=_int("max_local_steps", get("max_local_steps"), 0),  # type: ignore[arg-type]
        n_neighbours=_int("n_neighbours", get("n_neighbours"), 1),  # type: ignore[arg-type]
        refit_interval=_int("refit_interval", get("refit_interval"), 1, optional=True),
        liar=_choice("liar", get("liar"), LIARS),
    )
    if options.acquisition_function == "log_ei" and not options.log_y:
        raise AlgorithmError(
            "smac.acquisition_function: log_ei needs a log model; got log_y=false; set log_y: true or use ei"
        )
    return options
