"""Checks of the options multi-fidelity algorithms share (Polyaxon's ``hyperband`` block)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.records import Resource
from hypersweep.space import Space


def number(value: Any, *, field: str, minimum: float, strict: bool = False) -> float:
    """A finite number >= ``minimum`` (> when ``strict``)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < minimum or (strict and value == minimum):
        rule = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise AlgorithmError(f"{field}: must be a number {rule}; got {value!r}")
    return float(value)


def count(value: Any, *, field: str, allow_none: bool = True) -> int | None:
    """None (when allowed) or an integer >= 1."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        hint = " (or null for no limit)" if allow_none else ""
        raise AlgorithmError(f"{field}: must be an integer >= 1{hint}; got {value!r}")
    return int(value)


def resource(value: Any, space: Space, *, algorithm: str) -> Resource:
    """Polyaxon's ``resource: {name, type}`` (or a Resource); the name must not be a parameter."""
    if isinstance(value, Resource):
        res = value
    elif isinstance(value, Mapping):
        unknown = set(value) - {"name", "type"}
        if unknown:
            raise AlgorithmError(
                f"{algorithm}.resource: unknown key {sorted(unknown)[0]!r}; use {{name: epochs, type: int}}"
            )
        try:
            res = Resource(**dict(value))
        except SpecError as exc:
            raise AlgorithmError(f"{algorithm}.{exc}") from None
    else:
        raise AlgorithmError(f"{algorithm}.resource: must be {{name: ..., type: int|float}}; got {value!r}")
    if res.name in space.names:
        raise AlgorithmError(
            f"{algorithm}.resource.name: {res.name!r} is also a matrix parameter; the budget needs its own name"
        )
    return res


def flag(value: Any, *, field: str) -> bool:
    if not isinstance(value, bool):
        raise AlgorithmError(f"{field}: must be true or false; got {value!r}")
    return value
