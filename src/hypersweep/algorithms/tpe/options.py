"""TPE settings: the keys of a sweep file's ``tpe:`` block, validated, and the split size gamma(n)."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from hypersweep.exceptions import AlgorithmError

#: defaults after Watanabe (2023), "Tree-structured Parzen estimator: understanding its algorithm
#: components": multivariate kernels, linear gamma 0.1 capped at 25, prior weight 1, magic clip;
#: per-observation bandwidths from the gaps to neighbouring observations (as Optuna 5).
DEFAULTS: dict[str, Any] = {
    "n_startup_trials": 10,
    "n_ei_candidates": 24,
    "gamma": 0.1,
    "max_good": 25,
    "prior_weight": 1.0,
    "multivariate": True,
    "constant_liar": True,
    "consider_magic_clip": True,
    "consider_endpoints": False,
    "bandwidth_factor": 0.2,
    "bandwidth": "gap",
}
BANDWIDTHS = ("gap", "fixed")


@dataclass(frozen=True)
class TPEOptions:
    """Validated TPE options (see :class:`hypersweep.algorithms.tpe.TPE` for their meaning)."""

    n_startup_trials: int = DEFAULTS["n_startup_trials"]
    n_ei_candidates: int = DEFAULTS["n_ei_candidates"]
    gamma: float | str = DEFAULTS["gamma"]
    max_good: int = DEFAULTS["max_good"]
    prior_weight: float = DEFAULTS["prior_weight"]
    multivariate: bool = DEFAULTS["multivariate"]
    constant_liar: bool = DEFAULTS["constant_liar"]
    consider_magic_clip: bool = DEFAULTS["consider_magic_clip"]
    consider_endpoints: bool = DEFAULTS["consider_endpoints"]
    bandwidth_factor: float = DEFAULTS["bandwidth_factor"]
    bandwidth: str = DEFAULTS["bandwidth"]

    @classmethod
    def parse(cls, **raw: Any) -> TPEOptions:
        """Check every option; AlgorithmError naming the key, the rule, the value and a fix."""
        return cls(
            n_startup_trials=_int(raw, "n_startup_trials", minimum=0),
            n_ei_candidates=_int(raw, "n_ei_candidates", minimum=1),
            gamma=_gamma(raw.get("gamma", DEFAULTS["gamma"])),
            max_good=_int(raw, "max_good", minimum=1),
            prior_weight=_positive(raw, "prior_weight"),
            multivariate=_bool(raw, "multivariate"),
            constant_liar=_bool(raw, "constant_liar"),
            consider_magic_clip=_bool(raw, "consider_magic_clip"),
            consider_endpoints=_bool(raw, "consider_endpoints"),
            bandwidth_factor=_positive(raw, "bandwidth_factor"),
            bandwidth=_choice(raw, "bandwidth", BANDWIDTHS),
        )

    def n_good(self, n: int) -> int:
        """How many of ``n`` ranked observations form the good group l(x): at least 1 when n > 0."""
        if n <= 0:
            return 0
        if self.gamma == "sqrt":
            k = math.ceil(0.25 * math.sqrt(n))
        else:
            k = math.ceil(float(self.gamma) * n)
        return int(max(1, min(k, self.max_good, n)))

    def as_dict(self) -> dict[str, Any]:
        """The options that differ from the defaults (what ``settings()`` stores)."""
        return {k: v for k, v in asdict(self).items() if v != DEFAULTS[k]}


def _fail(key: str, rule: str, value: Any, fix: str) -> AlgorithmError:
    return AlgorithmError(f"tpe.{key}: {rule}; got {value!r}; {fix}")


def _int(raw: dict[str, Any], key: str, *, minimum: int) -> int:
    value = raw.get(key, DEFAULTS[key])
    number = value
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        number = int(value)
    if isinstance(number, bool) or not isinstance(number, (int, np.integer)) or number < minimum:
        raise _fail(key, f"must be an integer >= {minimum}", value, f"e.g. {key}: {DEFAULTS[key]}")
    return int(number)


def _positive(raw: dict[str, Any], key: str) -> float:
    value = raw.get(key, DEFAULTS[key])
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or float(value) <= 0:
        raise _fail(key, "must be a finite number > 0", value, f"e.g. {key}: {DEFAULTS[key]}")
    return float(value)


def _bool(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, DEFAULTS[key])
    if not isinstance(value, (bool, np.bool_)):
        raise _fail(key, "must be true or false", value, f"e.g. {key}: {str(DEFAULTS[key]).lower()}")
    return bool(value)


def _choice(raw: dict[str, Any], key: str, choices: tuple[str, ...]) -> str:
    value = raw.get(key, DEFAULTS[key])
    if not isinstance(value, str) or value not in choices:
        raise _fail(key, f"must be one of {', '.join(choices)}", value, f"e.g. {key}: {DEFAULTS[key]}")
    return value


def _gamma(value: Any) -> float | str:
    if isinstance(value, str) and value.strip().lower() == "sqrt":
        return "sqrt"
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if not ok or not 0.0 < float(value) <= 1.0:
        raise _fail(
            "gamma", "must be a fraction in (0, 1] of the trials that form the good group, or 'sqrt'",
            value, "e.g. gamma: 0.1",
        )
    return float(value)


__all__ = ["BANDWIDTHS", "DEFAULTS", "TPEOptions"]
