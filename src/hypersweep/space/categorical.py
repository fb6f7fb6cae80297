"""``values`` and ``pvalues``: explicit lists of levels.

Numeric ``values`` (every level an int or float) are ordinal: one unit column, levels
ordered by value. Other ``values`` (strings, bools, None, lists, mixed) and every
``pvalues`` are categorical: one-hot, one column per level, decoded by argmax.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from hypersweep.space._common import (
    as_number,
    canonical,
    fail,
    fresh,
    got,
    is_number,
    params_error,
    short_repr,
    value_key,
)
from hypersweep.space.dimension import Column, Dimension, ordinal_decode, ordinal_encode
from hypersweep.space.yaml_io import load_yaml

PROB_TOLERANCE = 1e-6


def _as_list(items: Any, *, where: str | None, kind: str, expected: str) -> list[Any]:
    """Accept an ordered sequence of levels: list, tuple, numpy array (not a str, set or dict)."""
    if isinstance(items, np.ndarray):
        items = items.tolist()
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        fail(where, kind, f"needs {expected}; got {got(items)}")
    return list(items)


def _check_levels(levels: list[Any], *, where: str | None, kind: str) -> tuple[list[Any], dict[Any, int]]:
    """Canonicalise levels and reject duplicates; returns the levels and key -> index."""
    out = [canonical(v, where=where, kind=kind, position=i) for i, v in enumerate(levels)]
    index: dict[Any, int] = {}
    for i, value in enumerate(out):
        key = value_key(value)
        if key in index:
            fail(
                where,
                kind,
                f"needs distinct values; got {short_repr(value)} twice (entries {index[key]} and {i}); "
                "remove the duplicate",
            )
        index[key] = i
    return out, index


class _Levels(Dimension):
    """Shared machinery of ``values`` and ``pvalues``."""

    is_discrete = True
    _levels: list[Any]
    _index: dict[Any, int]
    ordinal: bool

    @property
    def n_levels(self) -> int:
        return len(self._levels)

    def levels(self) -> list[Any]:
        return [fresh(v) for v in self._levels]

    def level_at(self, i: int) -> Any:
        return fresh(self._levels[i])

    def validate(self, value: Any, name: str) -> Any:
        key = value_key(value)
        i = self._index.get(key) if key is not None else None
        if i is None:
            raise params_error(name, value, self.allowed())
        return fresh(self._levels[i])

    def index_of(self, value: Any) -> int:
        """Definition-order index of a (valid) value."""
        return self._index[value_key(value)]

    def encode(self, values: Sequence[Any]) -> np.ndarray:
        idx = [self.index_of(v) for v in values]
        if self.ordinal:
            return ordinal_encode([self._rank[i] for i in idx], len(self._levels))
        out = np.zeros((len(idx), len(self._levels)))
        out[np.arange(len(idx)), idx] = 1.0
        return out

    def decode(self, x: np.ndarray) -> list[Any]:
        if self.ordinal:
            ranks = ordinal_decode(x[:, 0], len(self._levels))
            return [fresh(self._levels[self._order[r]]) for r in ranks]
        return [fresh(self._levels[i]) for i in np.argmax(x, axis=1)]

    def columns(self, name: str, start: int) -> list[Column]:
        n = len(self._levels)
        if self.ordinal:
            return [Column(name, start, "ordinal", n_levels=n, dimension=self.kind)]
        return [
            Column(name, start + i, "onehot", n_levels=n, level=fresh(v), dimension=self.kind)
            for i, v in enumerate(self._levels)
        ]

    def _setup_encoding(self) -> None:
        n = len(self._levels)
        if self.ordinal:
            self._order = sorted(range(n), key=lambda i: self._levels[i])  # rank -> index
            self._rank = [0] * n  # index -> rank
            for r, i in enumerate(self._order):
                self._rank[i] = r
            self.width = 1
        else:
            self.width = n

    def allowed(self) -> str:
        shown = ", ".join(short_repr(v, 30) for v in self._levels[:10])
        more = f", ... ({len(self._levels)} in all)" if len(self._levels) > 10 else ""
        return f"one of [{shown}{more}] ({self.kind})"


class Values(_Levels):
    """``values``: pick one of a list, uniformly.

    Example:
        >>> Values([32, 64, 128]).levels()
        [32, 64, 128]
    """

    kind = "values"

    def __init__(self, items: Iterable[Any], *, where: str | None = None) -> None:
        raw = _as_list(items, where=where, kind=self.kind, expected="a non-empty list of values, e.g. [32, 64]")
        if not raw:
            fail(where, self.kind, "needs at least one value, e.g. [32, 64]; got []")
        self._levels, self._index = _check_levels(raw, where=where, kind=self.kind)
        self.ordinal = all(is_number(v) for v in self._levels)
        self._setup_encoding()

    def spec(self) -> list[Any]:
        return self.levels()

    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        idx = rng.integers(0, len(self._levels), size=size)
        return [fresh(self._levels[i]) for i in idx]


class PValues(_Levels):
    """``pvalues``: pick one of a list with given probabilities (summing to 1 within 1e-6).

    Example:
        >>> PValues([["adam", 0.7], ["sgd", 0.3]]).levels()
        ['adam', 'sgd']
    """

    kind = "pvalues"

    def __init__(self, items: Iterable[Any] | Mapping[Any, Any], *, where: str | None = None) -> None:
        kind = self.kind
        expected = "a non-empty list of [value, probability] pairs, e.g. [[a, 0.3], [b, 0.7]]"
        if isinstance(items, Mapping):
            pairs = [[k, v] for k, v in items.items()]
        else:
            pairs = _tuple_pairs(_as_list(items, where=where, kind=kind, expected=expected))
        if not pairs:
            fail(where, kind, f"needs {expected}; got []")
        levels, probs = [], []
        for i, pair in enumerate(pairs):
            if isinstance(pair, np.ndarray):
                pair = pair.tolist()
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                fail(where, kind, f"needs each entry as [value, probability]; got entry {i}: {short_repr(pair)}")
            levels.append(pair[0])
            p = as_number(pair[1], where=where, kind=kind, field=f"the probability of entry {i}")
            if not 0 <= p <= 1:
                fail(where, kind, f"needs probabilities in [0, 1]; got {short_repr(pair[1])} for entry {i}")
            probs.append(float(p))
        total = math.fsum(probs)
        if abs(total - 1.0) > PROB_TOLERANCE:
            fail(
                where,
                kind,
                f"needs probabilities summing to 1 (within 1e-6); got sum {total!r} "
                f"from {short_repr(probs, 60)}; adjust the probabilities",
            )
        self._levels, self._index = _check_levels(levels, where=where, kind=kind)
        self.probabilities = probs
        self._p = np.asarray(probs) / total
        self.ordinal = False
        self._setup_encoding()

    def spec(self) -> list[list[Any]]:
        return [[fresh(v), p] for v, p in zip(self._levels, self.probabilities)]

    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        idx = rng.choice(len(self._levels), size=size, p=self._p)
        return [fresh(self._levels[i]) for i in idx]


def _tuple_pairs(items: list[Any]) -> list[Any]:
    """Polyaxon's documented ``[(relu, 0.2), (sigmoid, 0.8)]`` as pairs.

    YAML reads that flow list as the strings ``"(relu"``, ``"0.2)"``, ...: they are paired back
    (the value read as a YAML scalar, so ``(1, 0.5)`` gives the number 1); any other list is
    returned as it is.
    """
    if not items or len(items) % 2 or not all(isinstance(item, str) for item in items):
        return items
    heads, tails = items[0::2], items[1::2]
    if not all(h.startswith("(") for h in heads) or not all(t.endswith(")") for t in tails):
        return items
    pairs = []
    for head, tail in zip(heads, tails):
        try:
            probability: Any = float(tail[:-1])
        except ValueError:
            probability = tail[:-1].strip()
        pairs.append([load_yaml(head[1:].strip() + "\n"), probability])
    return pairs
