"""Conditional parameters, dependent bounds and forbidden combinations in ``Space``."""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.exceptions import ParamsError, SpecError
from hypersweep.space import Space

BOOSTER = {
    "booster": {"values": ["gbtree", "gblinear", "dart"]},
    "max_depth": {"range": [1, 7, 1], "when": {"booster": ["gbtree", "dart"]}},
    "tree_method": {"values": ["exact", "hist", "approx"], "when": {"booster": ["gbtree", "dart"]}},
    "rate_drop": {"linspace": [0, 0.5, 3], "when": {"booster": "dart"}},
    "forbidden": [{"booster": "dart", "tree_method": "hist"}],
}


def brute_force(matrix: dict) -> list[dict]:
    """Every valid point of a small discrete space, by checking each full combination."""
    space = Space.from_matrix(matrix)
    out = []
    names = space.names
    levels = [space[n].levels() + [None] for n in names]  # None: absent
    for combo in itertools.product(*levels):
        params = {n: v for n, v in zip(names, combo) if v is not None}
        if space.contains(params):
            out.append(params)
    return out


def test_python_api_matches_the_matrix_form() -> None:
    space = hs.Space(
        {
            "booster": hs.values(["gbtree", "gblinear"]),
            "max_depth": hs.range(1, 20, 1).when(booster="gbtree").with_default(0),
            "k1": hs.range(5, 60, 1).bounded(max="k2"),
            "k2": hs.range(5, 60, 1),
        },
        forbidden=[{"booster": "gblinear", "k2": 5}],
    )
    matrix = {
        "booster": {"values": ["gbtree", "gblinear"]},
        "max_depth": {"range": [1, 20, 1], "when": {"booster": "gbtree"}, "default": 0},
        "k1": {"range": [5, 60, 1], "max": "k2"},
        "k2": {"range": [5, 60, 1]},
        "forbidden": [{"booster": "gblinear", "k2": 5}],
    }
    assert space.to_matrix() == matrix
    assert Space.from_matrix(matrix) == space
    assert Space.from_matrix(json.loads(json.dumps(space.to_matrix()))) == space
    assert Space.from_yaml(space.to_yaml()) == space
    assert space.defaults == {"max_depth": 0}
    assert space != Space.from_matrix({k: v for k, v in matrix.items() if k != "forbidden"})


def test_plain_spaces_keep_their_matrix_and_draws() -> None:
    plain = {"a": {"uniform": [0, 1]}, "b": {"values": ["x", "y"]}}
    space = Space.from_matrix(plain)
    assert space.to_matrix() == plain and not space.is_structured
    assert space.sample_many(3, 5) == Space.from_matrix(dict(plain)).sample_many(3, 5)


def test_inactive_parameters_are_absent_and_rules_hold_in_every_draw() -> None:
    space = Space.from_matrix(BOOSTER)
    for params in space.sample_many(0, 2000):
        tree = params["booster"] in ("gbtree", "dart")
        assert ("max_depth" in params) == tree and ("tree_method" in params) == tree
        assert ("rate_drop" in params) == (params["booster"] == "dart")
        assert not (params["booster"] == "dart" and params.get("tree_method") == "hist")
        space.validate(params)


def test_forbidden_draws_follow_the_prior_conditioned_on_validity() -> None:
    space = Space.from_matrix(BOOSTER)
    boosters = [p["booster"] for p in space.sample_many(1, 6000)]
    # dart keeps 2 of its 3 tree methods: P(dart) = (1/3 * 2/3) / (1/3 + 1/3 + 2/9) = 0.25
    assert abs(boosters.count("dart") / 6000 - 0.25) < 0.03


def test_draws_do_not_depend_on_the_interpreter_hash_seed() -> None:
    """Redrawing a forbidden combination once went through a set of names, whose order
    changes with PYTHONHASHSEED: the same seed gave other draws in another process."""
    script = (
        "import json, sys; from hypersweep.space import Space; "
        "print(json.dumps(Space.from_matrix(json.loads(sys.argv[1])).sample_many(3, 300)))"
    )
    outputs = set()
    for hash_seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
        done = subprocess.run([sys.executable, "-c", script, json.dumps(BOOSTER)], env=env,
                              capture_output=True, text=True, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_dependent_bound_holds_by_construction_and_covers_the_range() -> None:
    space = Space.from_matrix({"k1": {"range": [5, 60, 1], "max": "k2"}, "k2": {"range": [5, 60, 1]}})
    draws = space.sample_many(0, 3000)
    assert all(p["k1"] <= p["k2"] for p in draws)
    assert {p["k1"] for p in draws} >= set(range(5, 50))  # k1 = 59 needs k2 = 59 too: rare
    assert space.grid_size == 55 * 56 // 2 == len(space.grid())


def test_continuous_bounds_both_sides() -> None:
    space = Space.from_matrix({
        "lo": {"uniform": [0, 1]}, "hi": {"uniform": [2, 3]},
        "x": {"loguniform": [1e-3, 10], "min": "lo", "max": "hi"},
    })
    for p in space.sample_many(0, 500):
        assert p["lo"] <= p["x"] <= p["hi"]
    projected = space.from_unit(np.array([0.5, 0.5, 1.0]))
    assert projected["x"] == projected["hi"]


def test_grid_lists_exactly_the_valid_combinations() -> None:
    space = Space.from_matrix({**BOOSTER, "k1": {"range": [1, 4, 1], "max": "k2"}, "k2": {"range": [1, 4, 1]}})
    grid = space.grid()
    keys = {json.dumps(p, sort_keys=True) for p in grid}
    assert len(keys) == len(grid) == space.grid_size
    assert keys == {json.dumps(p, sort_keys=True) for p in brute_force(space.to_matrix())}
    # gblinear 1, gbtree 6*3, dart 6*2*3 tree configurations; times 6 (k1 <= k2 in 1..3)
    assert space.grid_size == (1 + 18 + 36) * 6


def test_grid_count_does_not_list_independent_parameters() -> None:
    matrix = {**BOOSTER, **{f"x{i}": {"range": [0, 100, 1]} for i in range(6)}}
    assert Space.from_matrix(matrix).grid_size == (1 + 6 * 3 + 6 * 2 * 3) * 100**6


def test_encoding_gives_inactive_parameters_one_dedicated_value() -> None:
    space = Space.from_matrix(BOOSTER)
    a = space.to_unit({"booster": "gblinear"})
    b = space.to_unit_many([{"booster": "gblinear"}])[0]
    assert np.array_equal(a, b)
    tm = space.column_slice("tree_method")
    assert np.all(a[tm] == 0.0)  # no level hot: distinct from every real level
    assert a[space.column_slice("max_depth")][0] == -0.5  # outside [0, 1]: no active value
    x = np.random.default_rng(0).random((200, space.n_columns))
    for params, row in zip(space.from_unit_many(x), space.canonical_unit(x)):
        space.validate(params)
        assert space.from_unit(row) == params and np.array_equal(space.to_unit(params), row)


def test_projection_of_a_forbidden_point_changes_as_little_as_possible() -> None:
    space = Space.from_matrix(BOOSTER)
    row = space.to_unit({"booster": "dart", "max_depth": 3, "tree_method": "exact", "rate_drop": 0.25})
    hist = space.column_slice("tree_method")
    row[hist] = [0.0, 1.0, 0.0]  # dart with hist: forbidden
    params = space.from_unit(row)
    assert params["booster"] == "dart" and params["max_depth"] == 3 and params["tree_method"] != "hist"


def test_validate_names_the_problem() -> None:
    space = Space.from_matrix({**BOOSTER, "k1": {"range": [1, 4, 1], "max": "k2"}, "k2": {"range": [1, 4, 1]}})
    base = {"booster": "gblinear", "k1": 1, "k2": 2}
    assert space.validate(base) == base
    with pytest.raises(ParamsError, match=r"params.max_depth: inactive unless booster in \['gbtree', 'dart'\]"):
        space.validate({**base, "max_depth": 3})
    with pytest.raises(ParamsError, match="missing 'max_depth'.*active while"):
        space.validate({**base, "booster": "gbtree", "tree_method": "exact"})
    with pytest.raises(ParamsError, match=r"params.k1: got 3; needs k1 <= k2 \(2\)"):
        space.validate({**base, "k1": 3})
    with pytest.raises(ParamsError, match=r"forbidden \(matrix.forbidden\[0\]\)"):
        space.validate({"booster": "dart", "max_depth": 2, "tree_method": "hist", "rate_drop": 0.0, "k1": 1, "k2": 1})


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ({"a": {"uniform": [0, 1], "when": {"b": 1}}}, r"matrix.a.when: parent 'b' is not a parameter"),
        ({"a": {"values": [1, 2], "when": {"b": 1}}, "b": {"values": [1, 2], "when": {"a": 1}}},
         r"matrix.a: the conditions and bounds form a cycle a -> b -> a"),
        ({"a": {"values": [1, 2], "when": {"a": 1}}}, "cannot be conditional on itself"),
        ({"a": {"values": [1, 2]}, "b": {"uniform": [0, 1], "when": {"a": 3}}}, r"matrix.b.when.a: 3 is not a value of 'a'"),
        ({"a": {"uniform": [0, 1]}, "b": {"uniform": [0, 1], "when": {"a": 0.5}}}, "the parent must be discrete"),
        ({"k1": {"range": [5, 60, 1], "max": "k2"}, "k2": {"range": [1, 60, 1]}}, r"matrix.k1.max: 'k2' can be 1"),
        ({"k1": {"values": ["a", "b"], "max": "k2"}, "k2": {"range": [1, 60, 1]}}, "max needs numeric parameters"),
        ({"k1": {"range": [1, 9, 1], "max": "k2"}, "k2": {"range": [1, 9, 1], "max": "k1"}}, "cycle"),
        ({"a": {"values": [1, 2]}, "forbidden": [{"a": 1}, {"a": 2}]}, "the rules exclude every configuration of a"),
        ({"a": {"values": [1, 2]}, "forbidden": [{"a": 3}]}, r"matrix.forbidden\[0\].a: 3 is not a value"),
        ({"a": {"uniform": [0, 1]}, "forbidden": [{"a": 0.5}]}, "discrete parameters only"),
        ({"a": {"values": [1, 2]}, "forbidden": {"a": 1}}, "forbidden combinations are a list"),
    ],
)
def test_bad_relations_are_refused_at_load(matrix: dict, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        Space.from_matrix(matrix)


def test_nested_condition_needs_the_whole_chain() -> None:
    space = Space.from_matrix({
        "model": {"values": ["tree", "linear"]},
        "booster": {"values": ["gbtree", "dart"], "when": {"model": "tree"}},
        "rate_drop": {"uniform": [0, 1], "when": {"booster": "dart"}},
    })
    assert space.validate({"model": "linear"}) == {"model": "linear"}
    with pytest.raises(ParamsError, match="rate_drop: inactive"):
        space.validate({"model": "linear", "rate_drop": 0.5})
    assert all(("rate_drop" in p) == (p.get("booster") == "dart") for p in space.sample_many(0, 300))


def test_polyaxon_v1_entries_take_relations_too() -> None:
    space = Space.from_matrix({
        "booster": {"kind": "choice", "value": ["gbtree", "gblinear"]},
        "depth": {"kind": "range", "value": [1, 5, 1], "when": {"booster": "gbtree"}, "default": 0},
    })
    assert space.conditions == {"depth": {"booster": ["gbtree"]}} and space.defaults == {"depth": 0}
    assert space.to_matrix()["depth"] == {"range": [1, 5, 1], "when": {"booster": "gbtree"}, "default": 0}


def test_relations_with_a_parameter_named_forbidden_are_refused() -> None:
    with pytest.raises(SpecError, match="names both a parameter and the forbidden combinations"):
        Space({"forbidden": hs.values([1, 2])}, forbidden=[{"forbidden": 1}])
