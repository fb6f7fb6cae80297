"""Search algorithms behind one ask/tell interface, found by registered name."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from hypersweep.algorithms.base import Algorithm
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Direction
from hypersweep.space import Space

DEFAULT_ALGORITHM = "bo"
"""Used when a sweep names no algorithm: the winner of docs/benchmarks.md's model-based comparison."""

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
) -> Algorithm:
    """Build an algorithm from a registered name and its options, or pass an instance through."""
    if isinstance(algorithm, Algorithm):
        if options:
            raise AlgorithmError("options: pass options only with an algorithm name, not with an instance")
        return algorithm
    cls = algorithm_class(str(algorithm))
    factory: Callable[..., Algorithm] = cls
    try:
        return factory(space, direction=direction, seed=seed, **dict(options or {}))
    except TypeError as exc:  # an algorithm without OPTIONS, given a keyword it does not take
        raise AlgorithmError(f"algorithm {cls.name!r}: bad options: {exc}") from None


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
    "DEFAULT_ALGORITHM", "MULTI_FIDELITY_ALGORITHM", "Algorithm", "algorithm_class", "available", "make_algorithm", "register", "stored_options",
]
