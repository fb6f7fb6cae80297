"""The kind registry and the parser of one matrix entry.

A matrix entry is ``{kind: argument}`` (Polyaxon v0 style, e.g. ``{"loguniform": [1e-4, 0.1]}``)
or ``{"kind": kind, "value": argument}`` (Polyaxon v1 style). Numeric arguments are accepted
as a list ``[0, 10, 2]``, a ``"0:10:2"`` string, or a mapping ``{start: 0, stop: 10, step: 2}``.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import numpy as np

from hypersweep.space._common import as_count, as_number, fail, got, short_repr
from hypersweep.space.categorical import PValues, Values
from hypersweep.space.dimension import Dimension
from hypersweep.space.distributions import (
    LogNormal,
    LogUniform,
    Normal,
    QLogNormal,
    QLogUniform,
    QNormal,
    QUniform,
    Uniform,
)
from hypersweep.space.sequences import GeomSpace, LinSpace, LogSpace, Range

#: kind -> (class, required argument names, optional argument names)
NUMERIC_KINDS: dict[str, tuple[type[Dimension], tuple[str, ...], tuple[str, ...]]] = {
    "range": (Range, ("start", "stop", "step"), ()),
    "linspace": (LinSpace, ("start", "stop", "num"), ()),
    "logspace": (LogSpace, ("start", "stop", "num"), ("base",)),
    "geomspace": (GeomSpace, ("start", "stop", "num"), ()),
    "uniform": (Uniform, ("low", "high"), ()),
    "quniform": (QUniform, ("low", "high", "q"), ()),
    "loguniform": (LogUniform, ("low", "high"), ()),
    "qloguniform": (QLogUniform, ("low", "high", "q"), ()),
    "normal": (Normal, ("loc", "scale"), ()),
    "qnormal": (QNormal, ("loc", "scale", "q"), ()),
    "lognormal": (LogNormal, ("loc", "scale"), ()),
    "qlognormal": (QLogNormal, ("loc", "scale", "q"), ()),
}
#: Every kind, in documentation order.
KINDS: tuple[str, ...] = ("values", "pvalues", *NUMERIC_KINDS)
#: Discrete (grid-enumerable) kinds.
DISCRETE_KINDS: tuple[str, ...] = ("values", "pvalues", "range", "linspace", "logspace", "geomspace")
#: Polyaxon v1 names accepted as aliases.
ALIASES = {"choice": "values", "pchoice": "pvalues"}


def resolve_kind(kind: Any, where: str | None) -> str:
    """The canonical kind name for ``kind``; SpecError suggesting the closest otherwise."""
    if not isinstance(kind, str):
        fail(where, None, f"needs a kind name (a string such as 'uniform'); got {got(kind)}")
    if kind in KINDS:
        return kind
    if kind in ALIASES:
        return ALIASES[kind]
    candidates = [*KINDS, *ALIASES]
    close = difflib.get_close_matches(kind.lower(), candidates, n=1, cutoff=0.6)
    hint = f"did you mean {ALIASES.get(close[0], close[0])!r}? " if close else ""
    fail(where, None, f"unknown kind {short_repr(kind)}; {hint}(kinds: {', '.join(KINDS)})")


def _form_hint(required: tuple[str, ...]) -> str:
    as_map = ", ".join(f"{n}: ..." for n in required)
    return f"[{', '.join(required)}] as a list, a '{':'.join(required)}' string or a mapping {{{as_map}}}"


def _positional(kind: str, raw: Any, where: str | None) -> list[Any]:
    """The argument of a numeric kind as a list of raw entries, arity checked."""
    _, required, optional = NUMERIC_KINDS[kind]
    names = required + optional
    if isinstance(raw, str):
        items: list[Any] = raw.split(":")
    elif isinstance(raw, Mapping):
        unknown = [k for k in raw if k not in names]
        if unknown:
            fail(where, kind, f"has unknown key {short_repr(unknown[0])}; allowed keys: {', '.join(names)}")
        missing = [n for n in required if n not in raw]
        if missing:
            fail(where, kind, f"needs key {missing[0]!r} (keys: {', '.join(names)}); got {short_repr(dict(raw))}")
        items = [raw[n] for n in names if n in raw]
    elif isinstance(raw, (list, tuple, np.ndarray)):
        items = list(raw)
    else:
        fail(where, kind, f"needs {_form_hint(required)}; got {got(raw)}")
    if len(items) not in (len(required), len(names)):
        count = f"{len(required)} or {len(names)}" if optional else f"{len(required)}"
        fail(
            where,
            kind,
            f"needs {count} numbers [{', '.join(names)}]; got {len(items)}: {short_repr(raw)}",
        )
    return items


def build(kind: str, raw: Any, where: str | None = None) -> Dimension:
    """Build the dimension of canonical ``kind`` from its raw argument."""
    if kind == "values":
        return Values(raw, where=where)
    if kind == "pvalues":
        return PValues(raw, where=where)
    cls, required, optional = NUMERIC_KINDS[kind]
    items = _positional(kind, raw, where)
    args = [
        as_count(item, where=where, kind=kind) if name == "num" else as_number(item, where=where, kind=kind, field=name)
        for name, item in zip(required + optional, items)
    ]
    return cls(*args, where=where)  # type: ignore[call-arg]


def parse_dimension(spec: Any, where: str | None = None) -> Dimension:
    """One matrix entry (or an existing Dimension) -> Dimension; SpecError if invalid.

    Example:
        >>> parse_dimension({"logspace": "0:2:3"}).levels()
        [1.0, 10.0, 100.0]
    """
    if isinstance(spec, Dimension):
        return spec
    example = "e.g. {uniform: [0, 1]} or {values: [a, b]}"
    if not isinstance(spec, Mapping):
        fail(where, None, f"needs a mapping with exactly one kind, {example}; got {got(spec)}")
    if "kind" in spec:
        extra = [k for k in spec if k not in ("kind", "value")]
        if extra:
            fail(where, None, f"has unknown key {short_repr(extra[0])} next to 'kind'; use {{kind: ..., value: ...}}")
        if "value" not in spec:
            fail(where, None, f"needs a 'value' next to kind {short_repr(spec['kind'])}, e.g. {{kind: uniform, value: [0, 1]}}")
        kind, raw = spec["kind"], spec["value"]
    else:
        if len(spec) != 1:
            keys = ", ".join(short_repr(k, 30) for k in spec)
            fail(where, None, f"needs exactly one kind, {example}; got {len(spec)} keys: {keys or '{}'}")
        ((kind, raw),) = spec.items()
    return build(resolve_kind(kind, where), raw, where)


def is_dimension_spec(spec: Any) -> bool:
    """True when ``spec`` looks like one matrix entry (used to spot a ``matrix:`` wrapper)."""
    if isinstance(spec, Dimension):
        return True
    if not isinstance(spec, Mapping):
        return False
    if "kind" in spec:
        return True
    return len(spec) == 1 and next(iter(spec)) in (*KINDS, *ALIASES)
