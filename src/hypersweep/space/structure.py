"""A space's rules at work: which parameters are active, turning any proposal into valid
params, checking params, and listing (or counting) the valid grid points.

Valid params hold exactly the active parameters, each within its bounds, and match no
forbidden rule. Proposals (a value for every parameter: a draw, or a model's decoded point)
become valid in one pass in dependency order: inactive parameters are dropped and a value
outside its bounds is redrawn from its restricted distribution (sampling) or moved to the
nearest legal value (projection). A proposal that still matches a forbidden rule has only the
parameters of that rule redrawn, a few times at most, and is then moved to the nearest valid
combination of the parameters the rules involve, listed once when the space is built (which
also proves at load that some configuration is valid). Nothing loops without a bound.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from hypersweep.exceptions import ParamsError
from hypersweep.space import bounds
from hypersweep.space._common import fail, label, short_repr, value_key
from hypersweep.space.dimension import Dimension
from hypersweep.space.rules import FORBIDDEN_KEY, Rules

#: redraws of the parameters of a matched forbidden rule before projecting
_REDRAWS = 8
#: most combinations of the parameters forbidden rules involve that are listed at load
COMBINATION_LIMIT = 200_000

Params = dict[str, Any]


class Structure:
    """The rules of one space applied to params (see the module docstring)."""

    def __init__(self, dims: Mapping[str, Dimension], rules: Rules) -> None:
        self.dims = dict(dims)
        self.rules = rules
        self.order = list(rules.order)
        self._position = {name: i for i, name in enumerate(self.order)}
        self._keys = {
            name: {parent: {value_key(v) for v in values} for parent, values in cond.items()}
            for name, cond in rules.conditions.items()
        }
        self._clauses = [tuple((n, value_key(v)) for n, v in clause.items()) for clause in rules.forbidden]
        self._ending: dict[str, list[tuple[tuple[str, Any], ...]]] = {}
        for clause in self._clauses:
            last = max((n for n, _ in clause), key=lambda n: self._position[n])
            self._ending.setdefault(last, []).append(clause)
        self._involved = [n for n in self.order if n in self._closure({n for c in rules.forbidden for n in c})]
        self._valid: list[Params] = self._list_involved() if rules.forbidden else []
        self._valid_keys = [self._keys_of(c) for c in self._valid]
        self._size: int | None = None

    # -- activity and bounds ----------------------------------------------------------------
    def active(self, name: str, params: Mapping[str, Any]) -> bool:
        """True when every parent of ``name`` is in ``params`` with one of its values."""
        cond = self._keys.get(name)
        if not cond:
            return True
        return all(p in params and value_key(params[p]) in keys for p, keys in cond.items())

    def window(self, name: str, params: Mapping[str, Any]) -> tuple[float, float]:
        """``[lo, hi]`` the bounds of ``name`` allow given the values in ``params``."""
        lo_ref, hi_ref = self.rules.lower.get(name), self.rules.upper.get(name)
        lo = float(params[lo_ref]) if lo_ref is not None and lo_ref in params else -math.inf
        hi = float(params[hi_ref]) if hi_ref is not None and hi_ref in params else math.inf
        return lo, hi

    def why(self, name: str) -> str:
        """The condition of ``name`` in words, e.g. ``booster = 'gbtree'``."""
        parts = []
        for parent, values in self.rules.conditions.get(name, {}).items():
            parts.append(f"{parent} = {short_repr(values[0])}" if len(values) == 1 else f"{parent} in {short_repr(values)}")
        return " and ".join(parts)

    # -- proposals -> valid params -----------------------------------------------------------
    def resolve(self, proposal: Mapping[str, Any], rng: np.random.Generator | None) -> Params:
        """Valid params from a value for every parameter (``rng``: sample; None: project)."""
        out = self._pass(proposal, rng)
        if not self.rules.forbidden or not self._matched(out):
            return out
        proposal = dict(proposal)
        if rng is not None:
            for _ in range(_REDRAWS):
                clashing = {n for clause in self._matched(out) for n in clause}
                for name in (n for n in self.order if n in clashing):  # a fixed order: same seed, same draws
                    proposal[name] = self.dims[name].sample(rng, 1)[0]
                out = self._pass(proposal, rng)
                if not self._matched(out):
                    return out
        proposal.update(self._nearest(out, rng))
        return self._pass(proposal, rng)

    def _pass(self, proposal: Mapping[str, Any], rng: np.random.Generator | None) -> Params:
        out: Params = {}
        for name in self.order:
            if not self.active(name, out):
                continue
            value = proposal[name]
            if name in self.rules.lower or name in self.rules.upper:
                lo, hi = self.window(name, out)
                if not lo <= value <= hi:
                    dim = self.dims[name]
                    value = bounds.draw_within(dim, rng, lo, hi) if rng is not None else bounds.clamp(dim, value, lo, hi)
            out[name] = value
        return out

    def _matched(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [self.rules.forbidden[i] for i, clause in enumerate(self._clauses) if _holds(clause, params)]

    def _keys_of(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """The value keys of the involved parameters (None: absent)."""
        return tuple(value_key(params[n]) if n in params else None for n in self._involved)

    def _nearest(self, params: Mapping[str, Any], rng: np.random.Generator | None) -> Params:
        """The valid combination of the involved parameters that changes fewest of them: the
        first such in dependency order keeps parents and changes children (projection), a
        random one when drawing."""
        current = self._keys_of(params)
        flags = [tuple(int(a != b) for a, b in zip(keys, current)) for keys in self._valid_keys]
        counts = np.array([sum(f) for f in flags])
        fewest = np.flatnonzero(counts == counts.min())
        if rng is not None:
            return self._valid[int(rng.choice(fewest))]
        return self._valid[min(fewest, key=lambda i: flags[i])]

    # -- checking ---------------------------------------------------------------------------
    def check(self, params: Mapping[str, Any], names_text: str) -> None:
        """ParamsError unless ``params`` (each value already legal) is valid."""
        for name in self.order:
            active = self.active(name, params)
            if active and name not in params:
                because = f" (active while {self.why(name)})" if name in self.rules.conditions else ""
                raise ParamsError(f"params: missing {short_repr(name)}{because}; the space has: {names_text}")
            if not active and name in params:
                raise ParamsError(f"{label('params', name)}: inactive unless {self.why(name)}; leave it out")
            if active and (name in self.rules.lower or name in self.rules.upper):
                lo, hi = self.window(name, params)
                if not lo <= params[name] <= hi:
                    ref = self.rules.lower[name] if params[name] < lo else self.rules.upper[name]
                    sign = ">=" if params[name] < lo else "<="
                    raise ParamsError(f"{label('params', name)}: got {params[name]!r}; needs {name} {sign} {ref} ({params[ref]!r})")
        for i, clause in enumerate(self._clauses):
            if _holds(clause, params):
                raise ParamsError(
                    f"params: the combination {short_repr(self.rules.forbidden[i])} is forbidden (matrix.{FORBIDDEN_KEY}[{i}])"
                )

    # -- the grid ---------------------------------------------------------------------------
    def walk(self, names: list[str] | None = None) -> Iterator[Params]:
        """Every valid combination of ``names`` (default: all), the last one varying fastest."""
        order = self.order if names is None else [n for n in self.order if n in names]
        current: Params = {}

        def visit(i: int) -> Iterator[Params]:
            if i == len(order):
                yield dict(current)
                return
            name = order[i]
            if not self.active(name, current):
                yield from visit(i + 1)
                return
            for value in self._levels(name, current):
                current[name] = value
                if not any(_holds(c, current) for c in self._ending.get(name, ())):
                    yield from visit(i + 1)
                del current[name]

        yield from visit(0)

    def _levels(self, name: str, params: Mapping[str, Any]) -> Iterator[Any]:
        dim = self.dims[name]
        lo, hi = self.window(name, params)
        for i in range(int(dim.n_levels or 0)):
            value = dim.level_at(i)
            if lo == -math.inf and hi == math.inf or lo <= value <= hi:
                yield value

    def count(self) -> int:
        """How many valid grid points the (discrete) space has, without listing them all."""
        if self._size is None:
            linked = self._closure(
                set(self.rules.lower) | set(self.rules.upper) | {n for c in self.rules.forbidden for n in c}
                | {p for cond in self.rules.conditions.values() for p in cond}
            )
            free = [n for n in self.order if n not in linked]
            total = 0
            for combo in self.walk(sorted(linked)):
                total += math.prod(int(self.dims[n].n_levels or 0) if self.active(n, combo) else 1 for n in free)
            self._size = total
        return self._size

    # -- helpers ----------------------------------------------------------------------------
    def _closure(self, names: set[str]) -> set[str]:
        """``names`` with every parameter they depend on."""
        out, todo = set(), list(names)
        while todo:
            name = todo.pop()
            if name not in out:
                out.add(name)
                todo.extend(self.rules.parents(name))
        return out

    def _list_involved(self) -> list[Params]:
        """Every valid combination of the parameters forbidden rules involve; refuses none."""
        where = f"matrix.{FORBIDDEN_KEY}"
        for name in self._involved:
            if not self.dims[name].is_discrete:
                fail(where, None, f"the rules depend on {name!r} ({self.dims[name].kind}) through a condition or bound; "
                     "forbidden rules may involve discrete parameters only")
        out: list[Params] = []
        for combo in self.walk(self._involved):
            out.append(combo)
            if len(out) > COMBINATION_LIMIT:
                fail(where, None, f"the parameters the rules involve have more than {COMBINATION_LIMIT} valid combinations; "
                     "name fewer or coarser parameters")
        if not out:
            fail(where, None, f"the rules exclude every configuration of {', '.join(sorted(self._involved))}; remove or narrow one")
        return out


def _holds(clause: tuple[tuple[str, Any], ...], params: Mapping[str, Any]) -> bool:
    """True when ``params`` holds every value of a forbidden clause (as value keys)."""
    return all(n in params and value_key(params[n]) == key for n, key in clause)


__all__ = ["COMBINATION_LIMIT", "Structure"]
