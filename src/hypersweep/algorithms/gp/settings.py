"""Polyaxon's ``bo`` options, validated: ``n_initial_trials``, ``n_iterations`` and
``utility_function: {acquisition_function, kappa, eps, gaussian_process: {kernel,
length_scale, nu, n_restarts_optimizer}}``, plus hypersweep's ``target_transform``."""
from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypersweep.algorithms.gp.acquisition import ACQUISITIONS
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.exceptions import AlgorithmError

logger = logging.getLogger(__name__)

_NUS = (0.5, 1.5, 2.5)
_UTILITY_KEYS = ("acquisition_function", "kappa", "eps", "gaussian_process")
_GP_KEYS = ("kernel", "length_scale", "nu", "n_restarts_optimizer")
_ACQ_ALIASES = {"pi": "poi", "lcb": "ucb", "logei": "ei", "log_ei": "ei"}


@dataclass(frozen=True)
class BOSettings:
    """Validated ``bo`` options (defaults in brackets in :class:`GPBO`)."""

    acquisition: str = "ei"
    kappa: float = 2.576
    eps: float = 0.0
    kernel: str = "matern"
    nu: float = 2.5
    length_scale: float = 1.0
    n_restarts: int = 2

    def make_kernel(self) -> Kernel:
        return Kernel.rbf() if self.kernel == "rbf" else Kernel.matern(self.nu)


def parse_utility(value: Any) -> tuple[BOSettings, dict[str, Any]]:
    """``utility_function`` -> settings, and the normalized mapping (for ``settings()``)."""
    if value is None:
        return BOSettings(), {}
    if not isinstance(value, Mapping):
        raise AlgorithmError(f"bo.utility_function: must be a mapping such as {{acquisition_function: ei}}; got {value!r}")
    _unknown("bo.utility_function", value, _UTILITY_KEYS)
    acq = str(value.get("acquisition_function", "ei")).strip().lower()
    acq = _ACQ_ALIASES.get(acq, acq)
    if acq not in ACQUISITIONS:
        raise AlgorithmError(
            f"bo.utility_function.acquisition_function: must be one of ei, poi, ucb; got {value.get('acquisition_function')!r}"
        )
    kappa = _number("bo.utility_function.kappa", value.get("kappa", 2.576), minimum=0.0)
    eps = _number("bo.utility_function.eps", value.get("eps", 0.0), minimum=0.0)
    gp = value.get("gaussian_process") or {}
    if not isinstance(gp, Mapping):
        raise AlgorithmError(f"bo.utility_function.gaussian_process: must be a mapping such as {{kernel: matern}}; got {gp!r}")
    _unknown("bo.utility_function.gaussian_process", gp, _GP_KEYS)
    kernel = str(gp.get("kernel", "matern")).strip().lower()
    if kernel not in ("matern", "rbf"):
        raise AlgorithmError(f"bo.utility_function.gaussian_process.kernel: must be matern or rbf; got {gp.get('kernel')!r}")
    nu = _number("bo.utility_function.gaussian_process.nu", gp.get("nu", 2.5), minimum=0.0, strict=True)
    if math.isinf(nu):
        kernel = "rbf"
    elif nu not in _NUS:
        near = min(_NUS, key=lambda v: abs(v - nu))
        logger.warning("bo: Matern nu=%s is not one of 0.5, 1.5, 2.5; using nu=%s", nu, near)
        nu = near
    length = _number("bo.utility_function.gaussian_process.length_scale", gp.get("length_scale", 1.0), minimum=0.0, strict=True)
    restarts = gp.get("n_restarts_optimizer", 2)
    if isinstance(restarts, bool) or not isinstance(restarts, int) or restarts < 0:
        raise AlgorithmError(
            f"bo.utility_function.gaussian_process.n_restarts_optimizer: must be an integer >= 0; got {restarts!r}"
        )
    settings = BOSettings(acq, kappa, eps, kernel, nu, length, restarts)
    return settings, dict(value)


def parse_count(field: str, value: Any, *, default: int | None, minimum: int) -> int | None:
    """An optional integer option ``>= minimum``."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) != int(value) or value < minimum:
        raise AlgorithmError(f"{field}: must be an integer >= {minimum}; got {value!r}")
    return int(value)


def parse_choice(field: str, value: Any, choices: tuple[str, ...]) -> str:
    """An optional string option, one of ``choices`` (the first is the default)."""
    if value is None:
        return choices[0]
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text not in choices:
        raise AlgorithmError(f"{field}: must be one of {', '.join(choices)}; got {value!r}")
    return text


def _number(field: str, value: Any, *, minimum: float, strict: bool = False) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)
    if ok and (value > minimum if strict else value >= minimum):
        return float(value)
    rule = f"> {minimum:g}" if strict else f">= {minimum:g}"
    raise AlgorithmError(f"{field}: must be a number {rule}; got {value!r}")


def _unknown(field: str, value: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    extra = [k for k in value if k not in allowed]
    if extra:
        raise AlgorithmError(f"{field}: unknown key {extra[0]!r}; allowed: {', '.join(allowed)}")


__all__ = ["BOSettings", "parse_choice", "parse_count", "parse_utility"]
