"""Bad specs raise SpecError with one line naming the parameter, the kind, what was received
and the fix; bad params raise ParamsError naming the parameter, the value and what is allowed."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import hypersweep.space as sp
from hypersweep.exceptions import HypersweepError, ParamsError, SpecError
from hypersweep.space import Space

NAN, INF = float("nan"), float("inf")

# (entry for parameter "p", substrings the message must contain)
BAD_ENTRIES = [
    # low >= high and non-positive log bounds
    ({"uniform": [1, 0]}, ["uniform needs low < high", "got low=1, high=0"]),
    ({"uniform": [1, 1]}, ["uniform needs low < high", "low=1, high=1"]),
    ({"quniform": [5, 1, 1]}, ["quniform needs low < high", "low=5, high=1"]),
    ({"loguniform": [0.0, 0.1]}, ["loguniform needs 0 < low < high; got low=0.0, high=0.1"]),
    ({"loguniform": [-1, 10]}, ["loguniform needs 0 < low < high", "low=-1"]),
    ({"qloguniform": [0, 10, 1]}, ["qloguniform needs 0 < low < high", "low=0"]),
    ({"loguniform": [0.1, 0.01]}, ["loguniform needs 0 < low < high", "low=0.1, high=0.01"]),
    # empty / duplicate values, probabilities
    ({"values": []}, ["values needs at least one value", "got []"]),
    ({"values": [1, 2, 1.0]}, ["values needs distinct values", "entries 0 and 2"]),
    ({"values": "abc"}, ["values needs a non-empty list", "'abc' (str)"]),
    ({"pvalues": []}, ["pvalues needs", "got []"]),
    ({"pvalues": [["a", 0.5], ["b", 0.4]]}, ["pvalues needs probabilities summing to 1", "0.9"]),
    ({"pvalues": [["a", 1.5], ["b", -0.5]]}, ["pvalues needs probabilities in [0, 1]", "1.5"]),
    ({"pvalues": [["a", "x"]]}, ["pvalues needs a number for the probability of entry 0", "'x' (str)"]),
    ({"pvalues": [["a", 0.5, 1]]}, ["pvalues needs each entry as [value, probability]", "entry 0"]),
    ({"pvalues": [["a", 0.5], ["a", 0.5]]}, ["pvalues needs distinct values", "'a'"]),
    # unknown kind, arity, forms
    ({"logunifrom": [1e-4, 0.1]}, ["unknown kind 'logunifrom'", "did you mean 'loguniform'"]),
    ({"Uniform": [0, 1]}, ["unknown kind 'Uniform'", "did you mean 'uniform'"]),
    ({"gaussian": [0, 1]}, ["unknown kind 'gaussian'", "kinds: values, pvalues, range"]),
    ({1: [0, 1]}, ["needs a kind name", "1 (int)"]),
    ({"uniform": [0, 1, 2]}, ["uniform needs 2 numbers [low, high]; got 3: [0, 1, 2]"]),
    ({"range": "0:10"}, ["range needs 3 numbers [start, stop, step]; got 2: '0:10'"]),
    ({"logspace": [0, 1, 2, 10, 5]}, ["logspace needs 3 or 4 numbers [start, stop, num, base]; got 5"]),
    ({"normal": 5}, ["normal needs [loc, scale] as a list, a 'loc:scale' string", "5 (int)"]),
    ({"uniform": {"lo": 0, "hi": 1}}, ["uniform has unknown key 'lo'; allowed keys: low, high"]),
    ({"quniform": {"low": 0, "high": 1}}, ["quniform needs key 'q'"]),
    # NaN / inf / huge / non-numeric / bool
    ({"uniform": [NAN, 1]}, ["uniform needs a finite number for low", "nan"]),
    ({"normal": "0:inf"}, ["normal needs a finite number for scale", "'inf'"]),
    ({"uniform": [0, INF]}, ["uniform needs a finite number for high", "inf"]),
    ({"uniform": [0, 1e308]}, ["uniform needs |high| <= 1e300", "1e+308"]),
    ({"values": [1.0, NAN]}, ["values needs finite values", "nan"]),
    ({"uniform": ["a", 1]}, ["uniform needs a number for low; got 'a' (str)"]),
    ({"uniform": [None, 1]}, ["uniform needs a number for low; got None (NoneType)"]),
    ({"uniform": [True, 2]}, ["uniform needs a number for low, not a bool; got True (bool)"]),
    ({"linspace": [0, 1, True]}, ["linspace needs a number for num, not a bool"]),
    ({"values": [object()]}, ["values needs JSON-like values", "object"]),
    ({"values": [{1: "a"}]}, ["values needs string keys", "1 (int)"]),
    # q, num, step, scale
    ({"quniform": [0, 1, 0]}, ["quniform needs q > 0; got q=0"]),
    ({"qnormal": [0, 1, -0.5]}, ["qnormal needs q > 0; got q=-0.5"]),
    ({"quniform": [0.1, 0.2, 1]}, ["quniform needs at least one multiple of q within [low, high]", "q=1"]),
    ({"quniform": [0, 1, 1e-13]}, ["quniform needs a coarser q", "q=1e-13"]),
    ({"linspace": [0, 1, 0]}, ["linspace needs num >= 1; got num=0"]),
    ({"geomspace": "1:10:-2"}, ["geomspace needs num >= 1; got num=-2"]),
    ({"logspace": [0, 1, 2.5]}, ["logspace needs a whole number for num", "2.5"]),
    ({"range": [0, 10, 0]}, ["range needs step != 0; got start=0, stop=10, step=0"]),
    ({"range": [0, 10, -1]}, ["range is empty: needs start > stop for a negative step", "step=-1"]),
    ({"range": [10, 0, 1]}, ["range is empty: needs start < stop for a positive step", "start=10, stop=0, step=1"]),
    ({"range": [5, 5, 1]}, ["range is empty"]),
    ({"normal": [0, 0]}, ["normal needs scale > 0; got loc=0, scale=0"]),
    ({"lognormal": [0, -1]}, ["lognormal needs scale > 0", "scale=-1"]),
    ({"qlognormal": [0, 0, 1]}, ["qlognormal needs scale > 0"]),
    ({"lognormal": [700, 1]}, ["lognormal needs |loc| + 8*scale <= 700", "loc=700"]),
    # kind-specific
    ({"linspace": [1, 1, 3]}, ["linspace needs start != stop when num > 1"]),
    ({"geomspace": [0, 10, 3]}, ["geomspace needs start and stop non-zero with the same sign", "start=0"]),
    ({"geomspace": [-1, 10, 3]}, ["geomspace needs start and stop non-zero with the same sign"]),
    ({"logspace": [0, 2, 3, 1]}, ["logspace needs base > 0 and base != 1; got base=1"]),
    ({"logspace": [0, 400, 3]}, ["logspace needs base**start and base**stop within [1e-300, 1e300]", "exponents"]),
    # dimension dicts
    ({}, ["needs exactly one kind", "got 0 keys"]),
    ({"uniform": [0, 1], "values": [1]}, ["needs exactly one kind", "got 2 keys: 'uniform', 'values'"]),
    ([0, 1], ["needs a mapping with exactly one kind", "[0, 1] (list)"]),
    ("uniform", ["needs a mapping with exactly one kind", "'uniform' (str)"]),
    ({"kind": "uniform"}, ["needs a 'value' next to kind 'uniform'"]),
    ({"kind": "uniform", "value": [0, 1], "extra": 1}, ["unknown key 'extra' next to 'kind'"]),
]


@pytest.mark.parametrize("entry, parts", BAD_ENTRIES, ids=[str(i) for i in range(len(BAD_ENTRIES))])
def test_bad_entry_message(entry, parts):
    with pytest.raises(SpecError) as info:
        Space.from_matrix({"lr": {"uniform": [0, 1]}, "p": entry})
    text = str(info.value)
    assert text.startswith("matrix.p: "), text
    assert "\n" not in text
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"


def test_spec_error_is_a_value_error_and_a_hypersweep_error():
    with pytest.raises(ValueError):
        sp.uniform(1, 0)
    assert issubclass(SpecError, HypersweepError)


def test_factories_name_the_kind():
    with pytest.raises(SpecError, match=r"^loguniform needs 0 < low < high; got low=0.0, high=0.1"):
        sp.loguniform(0.0, 0.1)
    with pytest.raises(SpecError, match=r"^uniform needs a number for high; got None"):
        sp.uniform(0)
    with pytest.raises(SpecError, match=r"^values needs at least one value"):
        sp.values([])


@pytest.mark.parametrize(
    "matrix, part",
    [
        ({1: {"uniform": [0, 1]}}, "matrix: needs parameter names that are non-empty strings; got 1 (int)"),
        ({"": {"uniform": [0, 1]}}, "non-empty strings; got '' (str)"),
        ({None: {"uniform": [0, 1]}}, "got None (NoneType)"),
        ({}, "matrix: needs at least one parameter"),
        ([("x", {"uniform": [0, 1]})], "matrix: needs a mapping of parameter name -> kind"),
    ],
)
def test_bad_matrix_shape(matrix, part):
    with pytest.raises(SpecError) as info:
        Space.from_matrix(matrix)
    assert part in str(info.value)


def test_odd_names_are_quoted_on_one_line():
    with pytest.raises(SpecError) as info:
        Space.from_matrix({"a\nb": {"uniform": [1, 0]}})
    assert str(info.value).startswith("matrix['a\\nb']: uniform needs low < high")
    with pytest.raises(SpecError) as info:
        Space.from_matrix({"lr\n": {}})
    assert str(info.value).startswith("matrix['lr\\n']: needs exactly one kind")


def test_grid_names_first_non_discrete_dimension():
    space = Space.from_matrix({"a": {"values": [1, 2]}, "lr": {"loguniform": [1e-4, 0.1]}, "u": {"uniform": [0, 1]}})
    with pytest.raises(SpecError, match=r"^matrix\.lr: grid needs every parameter discrete .*'lr' is loguniform"):
        space.grid()
    assert space.grid_size is None and not space.is_discrete


# -- params ---------------------------------------------------------------------------------------
SPACE = Space.from_matrix(
    {
        "lr": {"loguniform": [1e-4, 0.1]},
        "units": {"values": [32, 64]},
        "act": {"values": ["relu", "tanh"]},
        "q": {"quniform": [0, 1, 0.1]},
        "r": {"range": [0, 10, 2]},
    }
)
GOOD = {"lr": 0.01, "units": 32, "act": "relu", "q": 0.3, "r": 4}


@pytest.mark.parametrize(
    "change, parts",
    [
        ({"lr": 0.5}, ["params.lr: got 0.5 (float); allowed: a float in [0.0001, 0.1] (loguniform"]),
        ({"lr": "0.01"}, ["params.lr: got '0.01' (str)"]),
        ({"lr": float("nan")}, ["params.lr: got nan"]),
        ({"units": 48}, ["params.units: got 48 (int); allowed: one of [32, 64] (values)"]),
        ({"units": True}, ["params.units: got True (bool)"]),
        ({"act": "gelu"}, ["params.act: got 'gelu' (str); allowed: one of ['relu', 'tanh']"]),
        ({"q": 0.35}, ["params.q: got 0.35 (float); allowed: a number k*0.1 for whole k in [0.0, 1.0]"]),
        ({"q": 1.1}, ["params.q: got 1.1"]),
        ({"r": 3}, ["params.r: got 3 (int); allowed: one of the 5 levels [0, 2, 4, 6, ..., 8] (range"]),
        ({"r": 10}, ["params.r: got 10"]),
    ],
)
def test_params_errors(change, parts):
    with pytest.raises(ParamsError) as info:
        SPACE.validate({**GOOD, **change})
    text = str(info.value)
    assert "\n" not in text
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"


def test_params_missing_unknown_and_not_a_mapping():
    with pytest.raises(ParamsError, match=r"params: missing 'units'; the space has: \['lr', 'units'"):
        SPACE.validate({k: v for k, v in GOOD.items() if k != "units"})
    with pytest.raises(ParamsError, match=r"params: unknown parameter 'extra'"):
        SPACE.validate({**GOOD, "extra": 1})
    with pytest.raises(ParamsError, match=r"params: needs a mapping"):
        SPACE.validate([1, 2])


def test_validate_normalises():
    out = SPACE.validate({"lr": np.float64(0.01), "units": 64.0, "act": "tanh", "q": 0.30000000000000004, "r": np.int64(4)})
    assert out == {"lr": 0.01, "units": 64, "act": "tanh", "q": 0.3, "r": 4}
    assert [type(v) for v in out.values()] == [float, int, str, float, int]
    assert sp.linspace(0, 1, 11).validate(np.linspace(0, 1, 11)[3], "x") == 0.3
    assert sp.values([[32], [64, 64]]).validate((64, 64), "h") == [64, 64]
    assert sp.quniform(0, 10, 2).validate(4.0, "k") == 4 and type(sp.quniform(0, 10, 2).validate(4.0, "k")) is int
    assert sp.range(0, 10, 2).validate(4.0, "r") == 4


def test_from_unit_rejects_bad_shapes_and_nan():
    with pytest.raises(ParamsError, match=r"needs shape \(6,\); got \(3,\)"):
        SPACE.from_unit([0.5, 0.5, 0.5])
    with pytest.raises(ParamsError, match="NaN"):
        SPACE.from_unit([float("nan")] * SPACE.n_columns)
    with pytest.raises(ParamsError, match=r"needs shape \(n, 6\)"):
        SPACE.from_unit_many(np.zeros((2, 3)))


def test_library_never_uses_assert():
    package = Path(sp.__file__).parent
    offenders = [
        f"{path.name}:{node.lineno}"
        for path in package.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Assert)
    ]
    assert offenders == []
