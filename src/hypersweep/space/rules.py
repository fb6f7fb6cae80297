"""Relations between parameters, read and checked when a space is built (no code runs).

* ``when: {parent: value | [values], ...}``: the parameter exists only while every parent is
  active and holds one of the values (nested conditions follow from parents being conditional);
* ``min: other`` / ``max: other``: a numeric parameter held at or above / below another
  numeric parameter's value (while that one is active);
* ``default: value``: what a command placeholder gets while the parameter is inactive;
* matrix-level ``forbidden: [{a: x, b: y}, ...]``: combinations of values that must not occur
  together (a rule applies when every parameter it names is active and equal).

Unknown parents, cycles, impossible bounds and forbidden rules that exclude every configuration
are refused with one line naming the field and the fix.
"""
from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from hypersweep.exceptions import ParamsError
from hypersweep.space import bounds
from hypersweep.space._common import canonical, fail, got, label, short_repr
from hypersweep.space.dimension import Dimension

#: the keys of a matrix entry that are relations, not the kind
RELATION_KEYS = ("when", "min", "max", "default")
#: the matrix key of the forbidden combinations
FORBIDDEN_KEY = "forbidden"


@dataclass(frozen=True)
class Param:
    """A dimension with relations to other parameters (what ``dim.when(...)`` returns).

    >>> import hypersweep.space as sp
    >>> sp.range(1, 20, 1).when(booster="gbtree").to_matrix()
    {'range': [1, 20, 1], 'when': {'booster': 'gbtree'}}
    """

    dimension: Dimension
    condition: Mapping[str, Any] = field(default_factory=dict)
    min: str | None = None
    max: str | None = None
    default: Any = None
    has_default: bool = False

    def when(self, **parents: Any) -> Param:
        """Active only while each ``parent`` holds the value (or one of the list of values)."""
        return replace(self, condition={**self.condition, **parents})

    def bounded(self, *, min: str | None = None, max: str | None = None) -> Param:  # noqa: A002
        """Held at or above ``min`` / at or below ``max`` (names of numeric parameters)."""
        return replace(self, min=min if min is not None else self.min, max=max if max is not None else self.max)

    def with_default(self, value: Any) -> Param:
        """The value a command placeholder gets while this parameter is inactive."""
        return replace(self, default=value, has_default=True)

    def to_matrix(self) -> dict[str, Any]:
        """The matrix entry: the kind plus ``when``/``min``/``max``/``default`` when set."""
        out = self.dimension.to_matrix()
        if self.condition:
            out["when"] = dict(self.condition)
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        if self.has_default:
            out["default"] = self.default
        return out


def split_entry(spec: Any) -> tuple[Any, dict[str, Any]]:
    """A matrix entry -> (the kind part, its relation keys)."""
    if isinstance(spec, Param):
        entry = spec.to_matrix()
        return spec.dimension, {k: entry[k] for k in RELATION_KEYS if k in entry}
    if isinstance(spec, Mapping) and any(k in spec for k in RELATION_KEYS):
        kind = {k: v for k, v in spec.items() if k not in RELATION_KEYS}
        return kind, {k: spec[k] for k in RELATION_KEYS if k in spec}
    return spec, {}


def _unknown(where: str, name: Any, dims: Mapping[str, Dimension], what: str) -> None:
    if not isinstance(name, str) or name not in dims:
        close = difflib.get_close_matches(str(name), list(dims), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        fail(where, None, f"{what} {short_repr(name)} is not a parameter of the matrix; {hint}(parameters: {short_repr(list(dims), 160)})")


def _legal(dim: Dimension, value: Any, where: str, parent: str) -> Any:
    try:
        return dim.validate(value, parent)
    except ParamsError:
        fail(where, None, f"{short_repr(value)} is not a value of {parent!r}; allowed: {dim.allowed()}")


@dataclass
class Rules:
    """The checked relations of one space (empty for a plain matrix)."""

    conditions: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    lower: dict[str, str] = field(default_factory=dict)
    upper: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    forbidden: list[dict[str, Any]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.conditions or self.lower or self.upper or self.forbidden)

    def entry(self, name: str) -> dict[str, Any]:
        """The relation keys of ``name``'s matrix entry."""
        out: dict[str, Any] = {}
        if name in self.conditions:
            out["when"] = {p: (v[0] if len(v) == 1 and not isinstance(v[0], list) else list(v)) for p, v in self.conditions[name].items()}
        if name in self.lower:
            out["min"] = self.lower[name]
        if name in self.upper:
            out["max"] = self.upper[name]
        if name in self.defaults:
            out["default"] = self.defaults[name]
        return out

    def parents(self, name: str) -> list[str]:
        """Parameters ``name`` depends on (condition parents, then bound references)."""
        deps = list(self.conditions.get(name, {}))
        deps += [ref for ref in (self.lower.get(name), self.upper.get(name)) if ref is not None and ref not in deps]
        return deps


def parse_rules(dims: Mapping[str, Dimension], extras: Mapping[str, Mapping[str, Any]], forbidden: Any) -> Rules:
    """Check every relation against ``dims``; SpecError (one line) on the first problem."""
    rules = Rules()
    for name, keys in extras.items():
        where = label("matrix", name)
        if "when" in keys:
            rules.conditions[name] = _condition(dims, name, keys["when"], f"{where}.when")
        for side, store in (("min", rules.lower), ("max", rules.upper)):
            if side in keys:
                store[name] = _bound(dims, name, keys[side], f"{where}.{side}", side)
        if "default" in keys:
            rules.defaults[name] = canonical(keys["default"], where=f"{where}.default", kind="default", position=0)
    rules.order = _topological(list(dims), rules)
    for name in (n for n in rules.order if n in rules.lower or n in rules.upper):
        _check_bounds(dims, name, rules)
    if forbidden is not None:
        rules.forbidden = _forbidden(dims, forbidden)
    return rules


def _condition(dims: Mapping[str, Dimension], name: str, raw: Any, where: str) -> dict[str, list[Any]]:
    if not isinstance(raw, Mapping) or not raw:
        fail(where, None, f"needs a mapping of parent -> value or [values], e.g. {{booster: gbtree}}; got {got(raw)}")
    out: dict[str, list[Any]] = {}
    for parent, wanted in raw.items():
        at = f"{where}.{parent}"
        _unknown(where, parent, dims, "parent")
        if parent == name:
            fail(at, None, "a parameter cannot be conditional on itself; name another parameter")
        if not dims[parent].is_discrete:
            fail(at, None, f"the parent must be discrete (values, range, ...); {parent!r} is {dims[parent].kind}")
        items = list(wanted) if isinstance(wanted, (list, tuple)) else [wanted]
        if not items:
            fail(at, None, "needs at least one value")
        out[parent] = [_legal(dims[parent], v, at, parent) for v in items]
    return out


def _bound(dims: Mapping[str, Dimension], name: str, ref: Any, where: str, side: str) -> str:
    _unknown(where, ref, dims, "bound")
    if ref == name:
        fail(where, None, "a parameter cannot bound itself; name another numeric parameter")
    for who in (name, ref):
        if not bounds.is_numeric(dims[who]):
            fail(where, None, f"{side} needs numeric parameters on one column (numeric values, range, uniform, ...; at most "
                 f"{bounds.MAX_BOUNDED_LEVELS} levels); {who!r} is {dims[who].kind}")
    return str(ref)


def _check_bounds(dims: Mapping[str, Dimension], name: str, rules: Rules) -> None:
    """Every value of the references must leave ``name`` a legal value."""
    where = label("matrix", name)
    own_lo, own_hi = bounds.span(dims[name])
    lo_ref, hi_ref = rules.lower.get(name), rules.upper.get(name)
    highest_floor = bounds.span(dims[lo_ref])[1] if lo_ref else own_lo
    lowest_ceiling = bounds.span(dims[hi_ref])[0] if hi_ref else own_hi
    if hi_ref and lowest_ceiling < own_lo:
        fail(f"{where}.max", None, f"{hi_ref!r} can be {lowest_ceiling:g}, below {name!r}'s smallest value {own_lo:g}; "
             f"widen {name!r} or narrow {hi_ref!r}")
    if lo_ref and highest_floor > own_hi:
        fail(f"{where}.min", None, f"{lo_ref!r} can be {highest_floor:g}, above {name!r}'s largest value {own_hi:g}; "
             f"widen {name!r} or narrow {lo_ref!r}")
    if not bounds.has_value_within(dims[name], highest_floor, lowest_ceiling):
        fail(where, None, f"no value of {name!r} lies between {lo_ref or name!r} (up to {highest_floor:g}) and "
             f"{hi_ref or name!r} (from {lowest_ceiling:g}); make their ranges overlap {name!r}'s")


def _topological(names: list[str], rules: Rules) -> list[str]:
    """Names with every parameter after those it depends on (definition order otherwise)."""
    placed: list[str] = []
    done: set[str] = set()
    remaining = list(names)
    while remaining:
        ready = next((n for n in remaining if all(p in done for p in rules.parents(n))), None)
        if ready is None:
            cycle = _cycle(remaining, rules)
            fail(label("matrix", cycle[0]), None, f"the conditions and bounds form a cycle {' -> '.join(cycle)}; "
                 "a parameter cannot depend on itself, remove one of these links")
        placed.append(ready)
        done.add(ready)
        remaining.remove(ready)
    return placed


def _cycle(remaining: list[str], rules: Rules) -> list[str]:
    path = [remaining[0]]
    while True:
        nxt = next(p for p in rules.parents(path[-1]) if p in remaining)
        if nxt in path:
            return [*path[path.index(nxt):], nxt]
        path.append(nxt)


def _forbidden(dims: Mapping[str, Dimension], raw: Any) -> list[dict[str, Any]]:
    where = f"matrix.{FORBIDDEN_KEY}"
    example = "e.g. [{booster: gblinear, tree_method: hist}]"
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        fail(where, None, f"needs a list of mappings of values that must not occur together, {example}; got {got(raw)}")
    out: list[dict[str, Any]] = []
    for i, rule in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(rule, Mapping) or not rule:
            fail(at, None, f"needs a non-empty mapping of parameter -> value, {example}; got {got(rule)}")
        clause: dict[str, Any] = {}
        for name, value in rule.items():
            _unknown(at, name, dims, "parameter")
            if not dims[name].is_discrete:
                fail(f"{at}.{name}", None, f"forbidden combinations name discrete parameters only; {name!r} is {dims[name].kind}")
            clause[name] = _legal(dims[name], value, f"{at}.{name}", name)
        out.append(clause)
    return out


__all__ = ["FORBIDDEN_KEY", "RELATION_KEYS", "Param", "Rules", "parse_rules", "split_entry"]
