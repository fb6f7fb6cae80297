"""Each kind's semantics on known values, and the forms every kind accepts."""
from __future__ import annotations

import math

import numpy as np
import pytest

import hypersweep.space as sp
from hypersweep.space import Space, parse_dimension


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def exact(a, b) -> bool:
    """Equal with identical types, element by element."""
    return len(a) == len(b) and all(x == y and type(x) is type(y) for x, y in zip(a, b))


# -- discrete kinds ------------------------------------------------------------------------------
def test_values_keep_order_and_types():
    assert exact(sp.values([32, 64, 128]).levels(), [32, 64, 128])
    assert sp.values(["relu", None, True, 1.5]).levels() == ["relu", None, True, 1.5]
    assert sp.values([(32,), (64, 64)]).levels() == [[32], [64, 64]]  # tuples become JSON lists
    assert sp.values(np.array([1, 2])).levels() == [1, 2]


def test_values_sampling_is_uniform_over_levels():
    draws = sp.values(["a", "b", "c", "d"]).sample(rng(), 8000)
    counts = {v: draws.count(v) for v in "abcd"}
    assert all(1700 < c < 2300 for c in counts.values()), counts


def test_pvalues_forms_and_frequencies():
    a = sp.pvalues([["adam", 0.7], ["sgd", 0.3]])
    assert a == sp.pvalues({"adam": 0.7, "sgd": 0.3}) == sp.pvalues((("adam", 0.7), ("sgd", 0.3)))
    assert a.levels() == ["adam", "sgd"]
    draws = a.sample(rng(), 10000)
    assert 0.67 < draws.count("adam") / 10000 < 0.73
    assert sp.pvalues([[1, 0.5], [2, 0.5 - 1e-7]]).probabilities[1] == pytest.approx(0.5)  # 1e-6 tolerance


def test_pvalues_zero_probability_is_legal_but_never_drawn():
    d = sp.pvalues([["a", 1.0], ["b", 0]])
    assert set(d.sample(rng(), 200)) == {"a"}
    assert d.validate("b", "p") == "b"


@pytest.mark.parametrize(
    "arg, expected",
    [
        ("0:10:2", [0, 2, 4, 6, 8]),
        ([0, 10, 3], [0, 3, 6, 9]),
        ([10, 0, -3], [10, 7, 4, 1]),
        ([0, 1, 0.25], [0.0, 0.25, 0.5, 0.75]),
        ([1, 1.3, 0.1], [1.0, 1.1, 1.2]),  # stop excluded exactly (numpy's float arange gives 4 here)
        ({"start": 5, "stop": 6, "step": 1}, [5]),
        ([-1.5, 1, 0.5], [-1.5, -1.0, -0.5, 0.0, 0.5]),
    ],
)
def test_range_is_arange_with_exact_stop_exclusion(arg, expected):
    assert exact(sp.range(arg).levels(), expected)


def test_range_float_levels_have_no_float_noise():
    levels = sp.range(0, 1, 0.1).levels()
    assert len(levels) == 10 and levels[3] == 0.3 and levels[7] == 0.7
    assert np.allclose(levels, np.arange(0, 1, 0.1))


def test_range_is_lazy():
    big = sp.range(0, 10**12, 1)
    assert big.n_levels == 10**12 and big.value_at(10**12 - 1) == 10**12 - 1
    assert big.validate(123456789, "r") == 123456789


@pytest.mark.parametrize(
    "arg, expected",
    [
        ("0:1:5", [0.0, 0.25, 0.5, 0.75, 1.0]),
        ([1, 0, 3], [1.0, 0.5, 0.0]),
        ([2, 7, 1], [2.0]),
        ({"start": 0, "stop": 10, "num": 3}, [0.0, 5.0, 10.0]),
    ],
)
def test_linspace_matches_numpy(arg, expected):
    levels = sp.linspace(arg).levels()
    assert exact(levels, expected)


def test_linspace_levels_are_clean_decimals():
    levels = sp.linspace(0, 1, 11).levels()
    assert levels[3] == 0.3 and levels[7] == 0.7  # numpy gives 0.30000000000000004
    assert np.allclose(levels, np.linspace(0, 1, 11))


@pytest.mark.parametrize(
    "arg, expected",
    [
        ("0:2:3", [1.0, 10.0, 100.0]),  # the bounds are EXPONENTS
        ([-3, -1, 3], [0.001, 0.01, 0.1]),
        ("0:3:4:2", [1.0, 2.0, 4.0, 8.0]),  # optional base
        ({"start": 2, "stop": 0, "num": 3}, [100.0, 10.0, 1.0]),
        ({"start": 0, "stop": 3, "num": 4, "base": 2}, [1.0, 2.0, 4.0, 8.0]),
    ],
)
def test_logspace_bounds_are_exponents(arg, expected):
    assert exact(sp.logspace(arg).levels(), expected)


def test_logspace_matches_numpy():
    assert np.allclose(sp.logspace(-4, -1, 7).levels(), np.logspace(-4, -1, 7), rtol=1e-14)
    assert np.allclose(sp.logspace(0, 5, 6, 3).levels(), np.logspace(0, 5, 6, base=3), rtol=1e-14)


@pytest.mark.parametrize(
    "arg, expected",
    [
        ([1, 1000, 4], [1.0, 10.0, 100.0, 1000.0]),  # the bounds are VALUES
        ("2:32:5", [2.0, 4.0, 8.0, 16.0, 32.0]),
        ([-1, -1000, 4], [-1.0, -10.0, -100.0, -1000.0]),
        ([0.001, 0.1, 3], [0.001, 0.01, 0.1]),
    ],
)
def test_geomspace_bounds_are_values(arg, expected):
    assert exact(sp.geomspace(arg).levels(), expected)


def test_geomspace_matches_numpy():
    assert np.allclose(sp.geomspace(3, 7, 9).levels(), np.geomspace(3, 7, 9), rtol=1e-14)


# -- distributions -----------------------------------------------------------------------------
def test_uniform_samples_floats_in_bounds():
    xs = sp.uniform(-2, 3).sample(rng(), 5000)
    assert all(type(x) is float and -2 <= x <= 3 for x in xs)
    assert abs(np.mean(xs) - 0.5) < 0.1


def test_loguniform_bounds_are_values_and_log_is_uniform():
    xs = np.array(sp.loguniform(1e-4, 1e-1).sample(rng(), 20000))
    assert xs.min() >= 1e-4 and xs.max() <= 1e-1
    logs = np.log10(xs)
    assert abs(logs.mean() - (-2.5)) < 0.03
    assert abs(np.mean(logs < -3.25) - 0.25) < 0.02  # uniform in log10: a quarter below -3.25


def test_normal_moments():
    xs = np.array(sp.normal(3, 2).sample(rng(), 20000))
    assert abs(xs.mean() - 3) < 0.06 and abs(xs.std() - 2) < 0.06
    assert xs.min() >= 3 - 16 and xs.max() <= 3 + 16  # truncated at 8 scales


def test_lognormal_is_exp_of_normal():
    xs = np.array(sp.lognormal(0, 0.5).sample(rng(), 20000))
    assert (xs > 0).all()
    assert abs(np.log(xs).mean()) < 0.02 and abs(np.log(xs).std() - 0.5) < 0.02


def test_quniform_values_on_grid_within_bounds():
    xs = sp.quniform(0, 1, 0.1).sample(rng(), 3000)
    allowed = {round(k * 0.1, 1) for k in range(11)}
    assert set(xs) <= allowed and len(set(xs)) == 11  # exact decimals: 0.3, not 0.30000000000000004
    ys = sp.quniform(0.05, 0.95, 0.1).sample(rng(), 3000)
    assert min(ys) == 0.1 and max(ys) == 0.9  # rounding never leaves [low, high]


def test_quniform_int_q_gives_ints():
    xs = sp.quniform(0, 10, 2).sample(rng(), 500)
    assert all(type(x) is int and x % 2 == 0 and 0 <= x <= 10 for x in xs)
    assert all(type(x) is float for x in sp.quniform(0, 10, 2.0).sample(rng(), 20))


def test_qloguniform_multiples_within_bounds():
    xs = sp.qloguniform(1, 1000, 5).sample(rng(), 3000)
    assert all(type(x) is int and x % 5 == 0 and 5 <= x <= 1000 for x in xs)
    small = sum(x <= 50 for x in xs) / len(xs)
    assert 0.54 < small < 0.61  # log scale: log(52.5) / log(1000) = 0.57 of the mass rounds to <= 50


def test_qnormal_and_qlognormal_on_grid():
    xs = sp.qnormal(0, 2, 0.25).sample(rng(), 2000)
    assert all(x == round(x * 4) / 4 for x in xs)
    ys = sp.qlognormal(0, 1, 0.5).sample(rng(), 2000)
    assert all(y >= 0 and y == round(y * 2) / 2 for y in ys)
    assert 0.0 in ys  # round(x / q) * q can be 0 for a lognormal draw below q / 2
    zs = sp.qlognormal(2, 0.5, 1).sample(rng(), 200)
    assert all(type(z) is int and z > 0 for z in zs)


def test_quantized_values_are_exact_decimals():
    xs = set(sp.qnormal(0, 1, 0.1).sample(rng(), 3000))
    assert all(x == float(f"{x:.1f}") for x in xs)


# -- forms ----------------------------------------------------------------------------------------
FORMS = [
    ("range", [0, 10, 2], "0:10:2", {"start": 0, "stop": 10, "step": 2}),
    ("linspace", [0, 1, 5], "0:1:5", {"start": 0, "stop": 1, "num": 5}),
    ("logspace", [0, 2, 3], "0:2:3", {"start": 0, "stop": 2, "num": 3}),
    ("geomspace", [1, 8, 4], "1:8:4", {"start": 1, "stop": 8, "num": 4}),
    ("uniform", [0, 1], "0:1", {"low": 0, "high": 1}),
    ("quniform", [0, 1, 0.1], "0:1:0.1", {"low": 0, "high": 1, "q": 0.1}),
    ("loguniform", [0.0001, 0.1], "1e-4:0.1", {"low": 0.0001, "high": 0.1}),
    ("qloguniform", [1, 100, 1], "1:100:1", {"low": 1, "high": 100, "q": 1}),
    ("normal", [0, 1], "0:1", {"loc": 0, "scale": 1}),
    ("qnormal", [0, 1, 0.5], "0:1:0.5", {"loc": 0, "scale": 1, "q": 0.5}),
    ("lognormal", [0, 1], "0:1", {"loc": 0, "scale": 1}),
    ("qlognormal", [0, 1, 1], "0:1:1", {"loc": 0, "scale": 1, "q": 1}),
]


@pytest.mark.parametrize("kind, as_list, as_string, as_mapping", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_builds_the_same_dimension(kind, as_list, as_string, as_mapping):
    factory = getattr(sp, kind)
    reference = factory(*as_list)
    for arg in (as_list, tuple(as_list), as_string, as_mapping):
        assert factory(arg) == reference
        assert parse_dimension({kind: arg}) == reference
        assert parse_dimension({"kind": kind, "value": arg}) == reference  # Polyaxon v1 form
    assert reference.kind == kind
    assert reference.to_matrix() == {kind: as_list}


def test_numeric_strings_inside_lists_are_numbers():
    assert sp.loguniform(["1e-4", "0.1"]) == sp.loguniform(1e-4, 0.1)
    assert sp.range(" 0 : 10 : 2 ") == sp.range(0, 10, 2)


def test_polyaxon_v1_aliases():
    assert parse_dimension({"choice": [1, 2]}) == sp.values([1, 2])
    assert parse_dimension({"kind": "pchoice", "value": [["a", 1.0]]}) == sp.pvalues([["a", 1.0]])


def test_factory_and_matrix_spaces_are_equal():
    a = Space({"lr": sp.loguniform(1e-4, 1e-1), "units": sp.values([32, 64]), "x": sp.linspace(0, 1, 5)})
    b = Space.from_matrix({"lr": {"loguniform": [1e-4, 0.1]}, "units": {"values": [32, 64]}, "x": {"linspace": "0:1:5"}})
    assert a == b and hash(a) == hash(b)


def test_int_and_float_specs_differ_where_types_differ():
    assert sp.quniform(0, 10, 2) != sp.quniform(0, 10, 2.0)
    assert sp.range(0, 3, 1) != sp.range(0.0, 3, 1)
    assert exact(sp.range(0.0, 3, 1).levels(), [0.0, 1.0, 2.0])


def test_repr_is_readable():
    assert repr(sp.loguniform(1e-4, 0.1)) == "loguniform(0.0001, 0.1)"
    assert repr(sp.values(["a", "b"])) == "values(['a', 'b'])"
    assert math.isclose(sp.logspace("0:2:3").levels()[1], 10.0)
