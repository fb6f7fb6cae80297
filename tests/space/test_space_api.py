"""Space: construction, mapping access, equality, matrix round trip, sampling and grids."""
from __future__ import annotations

import doctest
import json

import numpy as np
import pytest

import hypersweep.space as sp
from hypersweep.space import Space

MATRIX = {
    "lr": {"loguniform": [0.0001, 0.1]},
    "units": {"values": [32, 64, 128]},
    "act": {"values": ["relu", "tanh"]},
    "drop": {"quniform": [0, 0.5, 0.1]},
    "layers": {"range": [1, 4, 1]},
    "opt": {"pvalues": [["adam", 0.75], ["sgd", 0.25]]},
    "wd": {"normal": [0, 1]},
}


@pytest.fixture
def space() -> Space:
    return Space.from_matrix(MATRIX)


def test_mapping_access(space):
    assert space.names == list(MATRIX) and list(space) == list(MATRIX) and len(space) == 7
    assert "lr" in space and "nope" not in space
    assert space["units"] == sp.values([32, 64, 128])
    with pytest.raises(KeyError, match="no parameter 'nope'"):
        space["nope"]
    assert space.dimensions["lr"].kind == "loguniform"


def test_to_matrix_is_json_and_rebuilds(space):
    matrix = space.to_matrix()
    assert matrix == MATRIX
    assert Space.from_matrix(json.loads(json.dumps(matrix))) == space
    assert Space(space) == space
    assert space != Space.from_matrix({**MATRIX, "lr": {"loguniform": [0.0001, 0.2]}})
    assert space != Space.from_matrix(dict(reversed(list(MATRIX.items()))))  # order is part of the space
    assert (space == 3) is False


def test_space_accepts_dimensions_and_entries_mixed():
    a = Space({"x": sp.uniform(0, 1), "y": {"values": ["a"]}})
    assert a.to_matrix() == {"x": {"uniform": [0, 1]}, "y": {"values": ["a"]}}
    assert "Space({'x': uniform(0, 1), 'y': values(['a'])})" == repr(a)


def test_sample_types_and_legality(space):
    for params in space.sample_many(1, 50):
        assert space.validate(params) == params
        assert type(params["lr"]) is float and type(params["units"]) is int and type(params["layers"]) is int
        json.dumps(params)


def test_same_seed_same_samples_other_seed_different(space):
    assert space.sample(7) == space.sample(7)
    assert space.sample_many(7, 20) == space.sample_many(np.random.default_rng(7), 20)
    assert space.sample_many(7, 20) != space.sample_many(8, 20)
    gen = np.random.default_rng(3)
    first, second = space.sample(gen), space.sample(gen)  # a Generator advances
    assert first != second
    assert space.sample_many(0, 0) == []
    with pytest.raises(ValueError):
        space.sample_many(0, -1)


def test_samples_are_fresh_objects():
    space = Space({"h": sp.values([[32], [64, 64]])})
    p = space.sample(0)
    p["h"].append(1)
    assert space["h"].levels() == [[32], [64, 64]]


def test_grid_order_size_and_types():
    space = Space.from_matrix({"a": {"values": [1, 2]}, "b": {"range": "0:3:1"}, "c": {"logspace": "0:2:3"}})
    assert space.is_discrete and space.grid_size == 18
    grid = space.grid()
    assert len(grid) == 18
    assert grid[:4] == [{"a": 1, "b": 0, "c": 1.0}, {"a": 1, "b": 0, "c": 10.0}, {"a": 1, "b": 0, "c": 100.0}, {"a": 1, "b": 1, "c": 1.0}]
    assert grid[-1] == {"a": 2, "b": 2, "c": 100.0}
    assert len({json.dumps(g) for g in grid}) == 18


def test_grid_includes_pvalues_and_is_lazy():
    space = Space.from_matrix({"o": {"pvalues": [["a", 0.5], ["b", 0.5]]}, "n": {"range": [0, 10**9, 1]}})
    assert space.grid_size == 2 * 10**9
    it = space.iter_grid()
    assert next(it) == {"o": "a", "n": 0} and next(it) == {"o": "a", "n": 1}


def test_contains(space):
    good = space.sample(0)
    assert space.contains(good)
    assert not space.contains({**good, "units": 31})


def test_polyaxon_matrix_example_round_trips():
    """A Polyaxon-style matrix with every kind, in its different forms."""
    matrix = {
        "v": {"values": [1, 2, 3]},
        "pv": {"pvalues": [[1, 0.3], [2, 0.3], [3, 0.4]]},
        "r": {"range": "1:10:2"},
        "ls": {"linspace": {"start": 0, "stop": 1, "num": 3}},
        "lg": {"logspace": [-3, -1, 3]},
        "gs": {"geomspace": "1:100:3"},
        "u": {"uniform": "0:1"},
        "qu": {"quniform": [0, 10, 1]},
        "lu": {"loguniform": "1e-4:1e-1"},
        "qlu": {"qloguniform": [1, 100, 1]},
        "n": {"normal": [0, 1]},
        "qn": {"qnormal": [0, 1, 0.5]},
        "ln": {"lognormal": [0, 1]},
        "qln": {"qlognormal": [0, 1, 1]},
    }
    space = Space.from_matrix(matrix)
    assert [space[n].kind for n in space.names] == list(sp.KINDS)
    assert Space.from_matrix(space.to_matrix()) == space
    for p in space.sample_many(0, 100):
        assert space.validate(p) == p


@pytest.mark.parametrize(
    "module",
    ["categorical", "sequences", "distributions", "factories", "kinds", "space", "yaml_io", "__init__"],
)
def test_docstring_examples(module):
    import importlib

    mod = importlib.import_module("hypersweep.space" if module == "__init__" else f"hypersweep.space.{module}")
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
