"""The options every multi-fidelity algorithm shares (Polyaxon's ``hyperband`` block), declared once."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.options import Option, OptionValueError, custom, flag, number
from hypersweep.records import Resource

#: where the budget goes in the params when no ``resource`` is given
DEFAULT_RESOURCE = Resource("budget", "float")


_RESOURCE_RULE = "must be {name: epochs, type: int|float}"


def parse_resource(value: Any, field: str) -> Resource:
    """Polyaxon's ``resource: {name, type}`` (or a :class:`Resource`)."""
    if isinstance(value, Resource):
        return value
    if not isinstance(value, Mapping):
        raise OptionValueError(_RESOURCE_RULE)
    unknown = sorted(set(value) - {"name", "type"})
    if unknown:
        raise AlgorithmError(f"{field}: unknown key {unknown[0]!r}; use {{name: epochs, type: int}}")
    try:
        return Resource(**dict(value))
    except SpecError as exc:  # "resource.type: ...": name it under its owner
        raise AlgorithmError(f"{field.rpartition('.')[0]}.{exc}") from None


#: ``max_iter`` (R, the top budget), ``eta`` (the reduction factor), ``resource`` (None: the
#: default one) and ``resume`` (promotions continue their parent's training)
SHARED_OPTIONS: tuple[Option, ...] = (
    number("max_iter", 81, minimum=1),
    number("eta", 3, minimum=1, open_low=True),
    custom("resource", None, parse_resource, rule=f"{_RESOURCE_RULE} or null", optional=True),
    flag("resume", False),
)

__all__ = ["DEFAULT_RESOURCE", "SHARED_OPTIONS", "parse_resource"]
