"""The unit-hypercube encoding: columns, positions, clipping and exact round trips."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.special import expit

import hypersweep.space as sp
from hypersweep.exceptions import ParamsError
from hypersweep.space import Space

ALL_KINDS = Space.from_matrix(
    {
        "num": {"values": [64, 32, 128]},
        "cat": {"values": ["relu", "tanh", None]},
        "pv": {"pvalues": [[1, 0.5], [2, 0.5]]},
        "r": {"range": [0, 10, 3]},
        "ls": {"linspace": [1, 0, 5]},
        "lg": {"logspace": [0, 3, 4]},
        "gs": {"geomspace": [1, 1000, 4]},
        "u": {"uniform": [-2, 3]},
        "qu": {"quniform": [0, 1, 0.1]},
        "lu": {"loguniform": [1e-4, 1e-1]},
        "qlu": {"qloguniform": [1, 1000, 5]},
        "n": {"normal": [1, 2]},
        "qn": {"qnormal": [0, 2, 0.25]},
        "ln": {"lognormal": [0, 0.5]},
        "qln": {"qlognormal": [0, 1, 0.5]},
    }
)


def test_columns_describe_the_encoding():
    cols = ALL_KINDS.columns
    assert ALL_KINDS.n_columns == len(cols) == 1 + 3 + 2 + 12  # ordinal, 3 one-hot, 2 one-hot, 12 single
    assert [c.index for c in cols] == list(range(len(cols)))
    by_param: dict[str, list] = {}
    for c in cols:
        by_param.setdefault(c.param, []).append(c)
    assert [(c.kind, c.n_levels) for c in by_param["num"]] == [("ordinal", 3)]
    assert [(c.kind, c.level) for c in by_param["cat"]] == [("onehot", "relu"), ("onehot", "tanh"), ("onehot", None)]
    assert [c.kind for c in by_param["pv"]] == ["onehot", "onehot"]  # pvalues are categorical even if numeric
    for name in ("r", "ls", "lg", "gs"):
        assert by_param[name][0].kind == "ordinal"
    assert by_param["lg"][0].log and by_param["gs"][0].log and not by_param["r"][0].log
    for name, log in (("u", False), ("lu", True), ("n", False), ("ln", True)):
        assert (by_param[name][0].kind, by_param[name][0].log) == ("continuous", log)
    assert (by_param["qu"][0].kind, by_param["qu"][0].n_levels) == ("integer", 11)
    assert (by_param["qlu"][0].kind, by_param["qlu"][0].n_levels, by_param["qlu"][0].log) == ("integer", 200, True)
    assert ALL_KINDS.column_slice("cat") == slice(1, 4)


def test_ordinal_positions_are_bin_centres_ordered_by_value():
    space = Space({"num": sp.values([64, 32, 128])})
    assert space.to_unit({"num": 32})[0] == pytest.approx(1 / 6)
    assert space.to_unit({"num": 64})[0] == pytest.approx(3 / 6)
    assert space.to_unit({"num": 128})[0] == pytest.approx(5 / 6)
    assert [space.from_unit([x])["num"] for x in (0.0, 0.33, 0.34, 0.66, 0.67, 1.0)] == [32, 32, 64, 64, 128, 128]


def test_descending_sequences_are_ordered_by_value():
    space = Space({"ls": sp.linspace(1, 0, 5)})
    assert space.to_unit({"ls": 0.0})[0] == pytest.approx(0.1)
    assert space.to_unit({"ls": 1.0})[0] == pytest.approx(0.9)


def test_logspace_and_geomspace_are_evenly_spaced_in_index():
    for dim in (sp.logspace(0, 3, 4), sp.geomspace(1, 1000, 4)):
        space = Space({"x": dim})
        xs = [space.to_unit({"x": v})[0] for v in (1.0, 10.0, 100.0, 1000.0)]
        assert np.allclose(np.diff(xs), 0.25)


def test_continuous_positions():
    assert Space({"u": sp.uniform(-2, 3)}).to_unit({"u": 0.5})[0] == pytest.approx(0.5)
    assert Space({"lu": sp.loguniform(1e-4, 1e-2)}).to_unit({"lu": 1e-3})[0] == pytest.approx(0.5)
    normal = Space({"n": sp.normal(1, 2)})
    assert normal.to_unit({"n": 1.0})[0] == 0.5
    assert normal.to_unit({"n": 3.0})[0] == pytest.approx(expit(1.702))  # logistic approx of the CDF
    assert Space({"ln": sp.lognormal(0, 1)}).to_unit({"ln": 1.0})[0] == 0.5


def test_logistic_is_close_to_the_normal_cdf():
    from scipy.stats import norm

    z = np.linspace(-8, 8, 2001)
    assert np.max(np.abs(expit(1.702 * z) - norm.cdf(z))) < 0.0095


def test_onehot_argmax_and_ties():
    space = Space({"cat": sp.values(["a", "b", "c"])})
    assert space.to_unit({"cat": "b"}).tolist() == [0.0, 1.0, 0.0]
    assert space.from_unit([0.2, 0.9, 0.4]) == {"cat": "b"}
    assert space.from_unit([0.5, 0.5, 0.5]) == {"cat": "a"}  # ties: the first level


def test_from_unit_corners_and_out_of_range_points_are_legal():
    d = ALL_KINDS.n_columns
    for x in (np.zeros(d), np.ones(d), np.full(d, -5.0), np.full(d, 7.0), np.full(d, 0.5)):
        p = ALL_KINDS.from_unit(x)
        assert ALL_KINDS.validate(p) == p


def test_corner_values():
    lo = ALL_KINDS.from_unit(np.zeros(ALL_KINDS.n_columns))
    hi = ALL_KINDS.from_unit(np.ones(ALL_KINDS.n_columns))
    assert (lo["u"], hi["u"]) == (-2.0, 3.0)
    assert (lo["lu"], hi["lu"]) == (1e-4, 1e-1)
    assert (lo["qu"], hi["qu"]) == (0.0, 1.0)
    assert (lo["qlu"], hi["qlu"]) == (5, 1000)
    assert (lo["n"], hi["n"]) == (1 - 16.0, 1 + 16.0)  # truncated at loc +- 8 scale
    assert (lo["num"], hi["num"]) == (32, 128)


def test_exact_round_trip_of_every_grid_point():
    space = Space.from_matrix(
        {
            "num": {"values": [64, 32, 128]},
            "cat": {"values": ["relu", [1, 2], None, True]},
            "pv": {"pvalues": [[1, 0.5], [2.5, 0.5]]},
            "r": {"range": [0, 1, 0.1]},
            "ls": {"linspace": [1, 0, 7]},
            "lg": {"logspace": [-3, 0, 4]},
            "gs": {"geomspace": [-2, -64, 6]},
        }
    )
    grid = space.grid()
    back = space.from_unit_many(space.to_unit_many(grid))
    assert json.dumps(back) == json.dumps(grid)


def test_round_trip_of_samples():
    samples = ALL_KINDS.sample_many(0, 500)
    back = ALL_KINDS.from_unit_many(ALL_KINDS.to_unit_many(samples))
    for p, b in zip(samples, back):
        for name in ALL_KINDS.names:
            if ALL_KINDS.columns[ALL_KINDS.column_slice(name).start].kind == "continuous":
                assert math.isclose(p[name], b[name], rel_tol=1e-9, abs_tol=1e-12)
            else:
                assert p[name] == b[name] and type(p[name]) is type(b[name])


def test_round_trip_at_the_tails_of_quantized_normals():
    space = Space({"qn": sp.qnormal(0, 1, 1e-6), "qln": sp.qlognormal(0, 1, 0.001)})
    for x in (0.0, 1e-12, 1e-6, 0.5, 1 - 1e-6, 1 - 1e-12, 1.0):
        p = space.from_unit([x, x])
        assert space.from_unit(space.to_unit(p)) == p


def test_random_points_decode_to_legal_params_that_round_trip():
    points = np.random.default_rng(0).random((300, ALL_KINDS.n_columns))
    for p in ALL_KINDS.from_unit_many(points):
        assert ALL_KINDS.validate(p) == p
        again = ALL_KINDS.from_unit(ALL_KINDS.to_unit(p))
        for name in ("num", "cat", "pv", "r", "ls", "lg", "gs", "qu", "qlu", "qn", "qln"):
            assert again[name] == p[name]


def test_many_shapes():
    assert ALL_KINDS.to_unit_many([]).shape == (0, ALL_KINDS.n_columns)
    assert ALL_KINDS.from_unit_many(np.zeros((0, ALL_KINDS.n_columns))) == []
    assert ALL_KINDS.to_unit_many(ALL_KINDS.sample_many(0, 3)).shape == (3, ALL_KINDS.n_columns)


def test_to_unit_validates_first():
    with pytest.raises(ParamsError, match=r"^params\.u: got 99\.0"):
        ALL_KINDS.to_unit({**ALL_KINDS.sample(0), "u": 99.0})
