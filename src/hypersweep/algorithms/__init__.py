"""Search algorithms behind one ask/tell interface, found by registered name."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypersweep.algorithms.base import Algorithm, MultiObjectiveAlgorithm
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Direction, Objectives
from hypersweep.space import Space

DEFAULT_ALGORITHM = "bo"
"""Used when a sweep names no algorithm: the winner of docs/benchmarks.md's model-based comparison."""
DEFAULT_MULTI_OBJECTIVE = "mobo"
"""Used when a sweep with several metrics or constraints names no algorithm (docs/multiobjective.md)."""

MULTI_FIDELITY_ALGORITHM = "freeze_thaw"
"""What ``algorithm: multifidelity`` resolves to: the winner of docs/multifidelity.md's LCBench comparison.
A sweep stores the resolved name, so changing this never switches an existing sweep's algorithm."""

_REGISTRY: dict[str, type[Algorithm]] = {}
_ALIASES = {"grid_search": "grid", "random_search": "random", "multifidelity": MULTI_FIDELITY_ALGORITHM}


def register(cls: type[Algorithm]) -> type[Algorithm]:
    """Class decorator: make ``cls`` available under ``cls.name``."""
    _REGISTRY[cls.name] = cls
    return cls


def algorithm_class(name: str) -> type[Algorithm]:
    """The class registered under ``name`` (or an alias such as ``random_search``)."""
    _load_builtins()
    cls = _REGISTRY.get(_ALIASES.get(name, name))
    if cls is None:
        raise AlgorithmError(f"algorithm: unknown name {name!r}; choose one of {', '.join(available())}")
    return cls


def available() -> list[str]:
    """Registered algorithm names, sorted."""
    _load_builtins()
    return sorted(_REGISTRY)


def make_algorithm(
    algorithm: str | Algorithm,
    space: Space,
    *,
    direction: Direction | str = Direction.MINIMIZE,
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
    objectives: Objectives | None = None,
) -> Algorithm:
    """Build an algorithm from a registered name and its options, or pass an instance through.

    With several metrics (``objectives``), only an algorithm declaring ``MULTI_OBJECTIVE`` is
    accepted; a ``MultiObjectiveAlgorithm`` is given the objectives and constraints."""
    cls = type(algorithm) if isinstance(algorithm, Algorithm) else algorithm_class(str(algorithm))
    if objectives is not None and objectives.is_multi and not cls.MULTI_OBJECTIVE:
        raise AlgorithmError(
            f"algorithm {cls.name!r}: optimizes one metric; with several metrics choose one of "
            f"{', '.join(multi_objective_names())}"
        )
    if isinstance(algorithm, Algorithm):
        if options:
            raise AlgorithmError("options: pass options only with an algorithm name, not with an instance")
        return algorithm
    factory: Callable[..., Algorithm] = cls
    extra = {"objectives": objectives} if objectives is not None and issubclass(cls, MultiObjectiveAlgorithm) else {}
    try:
        return factory(space, direction=direction, seed=seed, **extra, **dict(options or {}))
    except TypeError as exc:  # an algorithm without OPTIONS, given a keyword it does not take
        raise AlgorithmError(f"algorithm {cls.name!r}: bad options: {exc}") from None


def default_algorithm(objectives: Objectives) -> str:
    """The registered name a sweep without an algorithm uses: ``bo``, or ``mobo`` with several
    metrics or constraints (it models the constraints)."""
    return DEFAULT_MULTI_OBJECTIVE if objectives.is_multi or objectives.constraints else DEFAULT_ALGORITHM


def multi_objective_names() -> list[str]:
    """The registered algorithms that run a sweep with several metrics, sorted."""
    _load_builtins()
    return sorted(name for name, cls in _REGISTRY.items() if cls.MULTI_OBJECTIVE)


def stored_options(algorithm: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """Options read back from a store, with words an older version accepted in another
    spelling (``EI``) respelled as the algorithm declares them (``OptionSet.respelled``)."""
    declared = algorithm_class(algorithm).OPTIONS
    return dict(options) if declared is None else declared.respelled(options)


def _load_builtins() -> None:
    """Import every module and subpackage of this package so built-in algorithms register."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_") and module.name not in ("base", "history"):
            importlib.import_module(f"{__name__}.{module.name}")


__all__ = [
    "DEFAULT_ALGORITHM", "DEFAULT_MULTI_OBJECTIVE", "MULTI_FIDELITY_ALGORITHM", "Algorithm", "MultiObjectiveAlgorithm",
    "algorithm_class", "available", "default_algorithm", "make_algorithm", "multi_objective_names", "register",
    "stored_options",
]
