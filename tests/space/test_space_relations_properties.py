"""Property test: random relations (conditions, bounds, forbidden rules) are either refused at
load with a SpecError, or every draw, every decoded unit point and the grid are valid, and the
grid is exactly the set of valid combinations."""
from __future__ import annotations

import itertools
import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypersweep.exceptions import SpecError
from hypersweep.space import Space

KINDS = [
    {"values": ["a", "b", "c"]},
    {"values": ["x", "y"]},
    {"range": [0, 3, 1]},
    {"range": [1, 5, 1]},
    {"linspace": [0, 2, 3]},
    {"uniform": [0, 3]},
]


@st.composite
def matrices(draw: st.DrawFn) -> dict:
    n = draw(st.integers(2, 5))
    names = [f"p{i}" for i in range(n)]
    matrix: dict = {name: dict(draw(st.sampled_from(KINDS))) for name in names}
    for name in names:
        others = [o for o in names if o != name]
        if draw(st.booleans()):
            parent = draw(st.sampled_from(others))
            kind, levels = next(iter(matrix[parent].items()))
            if kind == "values":
                matrix[name]["when"] = {parent: draw(st.lists(st.sampled_from(levels), min_size=1, max_size=2, unique=True))}
            elif kind == "range":
                matrix[name]["when"] = {parent: levels[0]}
        numeric = [o for o in others if "values" not in matrix[o]]
        if "values" not in matrix[name] and numeric and draw(st.integers(0, 2)) == 0:
            matrix[name][draw(st.sampled_from(["min", "max"]))] = draw(st.sampled_from(numeric))
    discrete = [o for o in names if "uniform" not in matrix[o]]
    clauses = []
    for _ in range(draw(st.integers(0, 2)) if discrete else 0):
        picked = draw(st.lists(st.sampled_from(discrete), min_size=1, max_size=2, unique=True))
        clauses.append({p: Space.from_matrix({p: {k: v for k, v in matrix[p].items() if k not in ("when", "min", "max")}})[p].level_at(0)
                        for p in picked})
    if clauses:
        matrix["forbidden"] = clauses
    return matrix


def valid_by_brute_force(space: Space) -> set[str]:
    names = space.names
    out = set()
    for combo in itertools.product(*[space[n].levels() + [None] for n in names]):
        params = {n: v for n, v in zip(names, combo) if v is not None}
        if space.contains(params):
            out.add(json.dumps(params, sort_keys=True))
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices(), st.integers(0, 2**16))
def test_random_relations_hold_everywhere(matrix: dict, seed: int) -> None:
    try:
        space = Space.from_matrix(matrix)
    except SpecError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("matrix")
        return
    assert Space.from_matrix(json.loads(json.dumps(space.to_matrix()))) == space
    for params in space.sample_many(seed, 40):
        space.validate(params)
    points = np.random.default_rng(seed).random((40, space.n_columns))
    for params in space.from_unit_many(points):
        space.validate(params)
    if space.is_discrete:
        grid = [json.dumps(p, sort_keys=True) for p in space.grid()]
        assert len(grid) == len(set(grid)) == space.grid_size
        assert set(grid) == valid_by_brute_force(space)
