"""Hypothesis strategies for matrix specs (valid and invalid, mixed) and the property check.

Shared by ``test_space_properties.py`` and the ``python -O`` subprocess, so the checks use
``_expect`` (raises AssertionError) rather than ``assert``, which ``-O`` strips.
"""
from __future__ import annotations

import json
import math
import sys
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypersweep.exceptions import ParamsError, SpecError
from hypersweep.space import KINDS, Space
from hypersweep.space.warps import LinearWarp, LogNormalWarp, LogWarp, NormalWarp

ARGS = {
    "range": ("start", "stop", "step"),
    "linspace": ("start", "stop", "num"),
    "logspace": ("start", "stop", "num", "base"),
    "geomspace": ("start", "stop", "num"),
    "uniform": ("low", "high"),
    "quniform": ("low", "high", "q"),
    "loguniform": ("low", "high"),
    "qloguniform": ("low", "high", "q"),
    "normal": ("loc", "scale"),
    "qnormal": ("loc", "scale", "q"),
    "lognormal": ("loc", "scale"),
    "qlognormal": ("loc", "scale", "q"),
}
EDGE = [0, 0.0, -0.0, 1, -1, 2, 0.1, 0.5, 1e-300, 1e-310, 5e-324, 1e300, 1e301, 1.7e308, -1e300,
        float("nan"), float("inf"), -float("inf"), 10**400]


def _expect(condition: Any, message: str) -> None:
    if not condition:
        raise AssertionError(message)


# -- strategies -------------------------------------------------------------------------------
numbers = st.one_of(
    st.integers(-10, 10),
    st.integers(-(10**6), 10**6),
    st.floats(-100, 100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(EDGE),
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=4),
    st.lists(st.integers(-3, 3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
entries = st.one_of(numbers, numbers, numbers, junk, numbers.map(repr))
small_pos = st.floats(1e-6, 1e4)
quanta = st.one_of(st.sampled_from([1, 2, 5, 0.1, 0.25, 0.5, 0.01, 1e-3, 3, 0.3]), st.floats(1e-4, 50))
json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 100), st.floats(-10, 10), st.text(max_size=4)),
    lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=2), inner, max_size=2)),
    max_leaves=4,
)


@st.composite
def plausible_args(draw: st.DrawFn, kind: str) -> list[Any]:
    """Numbers that are often valid for ``kind`` (boundary cases included)."""
    if kind == "range":
        if draw(st.booleans()):
            start, step = draw(st.integers(-50, 50)), draw(st.integers(-7, 7))
            return [start, start + step * draw(st.integers(-2, 30)) + draw(st.integers(-1, 1)), step]
        start, step = draw(st.floats(-10, 10)), draw(st.sampled_from([0.1, -0.1, 0.25, 0.05, 1.5, 0.3]))
        return [start, start + step * draw(st.floats(-1, 40)), step]
    if kind in ("linspace", "geomspace", "logspace"):
        lo = draw(st.one_of(st.floats(-6, 6), st.integers(-5, 5)))
        hi = draw(st.one_of(st.floats(-6, 6), st.integers(-5, 5)))
        args = [lo, hi, draw(st.integers(0, 40))]
        if kind == "logspace" and draw(st.booleans()):
            args.append(draw(st.sampled_from([2, 10, math.e, 0.5, 1, -2, 0])))
        return args
    if kind in ("uniform", "quniform"):
        lo = draw(st.one_of(st.floats(-1e3, 1e3), st.integers(-100, 100)))
        args = [lo, lo + draw(st.one_of(small_pos, st.integers(0, 100)))]
    elif kind in ("loguniform", "qloguniform"):
        lo = draw(st.one_of(st.floats(1e-8, 1e3), st.integers(0, 20)))
        args = [lo, lo * draw(st.floats(0.5, 1e4))]
    elif kind in ("normal", "qnormal"):
        args = [draw(st.one_of(st.floats(-1e3, 1e3), st.integers(-5, 5))), draw(st.one_of(small_pos, st.integers(0, 5)))]
    else:  # lognormal, qlognormal
        args = [draw(st.floats(-10, 10)), draw(st.one_of(st.floats(0.0, 5.0), st.integers(0, 3)))]
    if kind.startswith("q"):
        args.append(draw(quanta))
    return args


@st.composite
def argument(draw: st.DrawFn, kind: str, plausible: bool = False) -> Any:
    """A kind's argument in one of its forms: list, 'a:b:c' string, mapping; or junk."""
    names = ARGS[kind]
    if not plausible and draw(st.integers(0, 3)) == 0:
        args = draw(st.lists(entries, min_size=0, max_size=5))
    else:
        args = draw(plausible_args(kind))
    forms = ["list", "string", "mapping", "tuple"] if plausible else ["list", "list", "string", "mapping", "tuple", "junk"]
    form = draw(st.sampled_from(forms))
    if form == "string":
        return ":".join(repr(a) if not isinstance(a, str) else a for a in args)
    if form == "mapping":
        keys = list(names[: len(args)])
        if len(args) > len(names) or (not plausible and draw(st.integers(0, 9)) == 0):
            keys = [draw(st.text(max_size=4)) for _ in args]
        return dict(zip(keys, args))
    if form == "tuple":
        return tuple(args)
    if form == "junk":
        return draw(junk)
    return args


@st.composite
def values_argument(draw: st.DrawFn, kind: str, plausible: bool = False) -> Any:
    levels = draw(st.one_of(
        st.lists(st.integers(-5, 200), max_size=8),
        st.lists(st.one_of(st.floats(-10, 10), st.sampled_from([float("nan"), float("inf")])), max_size=6),
        st.lists(st.text(max_size=3), max_size=6),
        st.lists(json_like, max_size=5),
    ))
    if kind == "values":
        if plausible:
            return levels
        return draw(st.one_of(st.just(levels), st.just(tuple(levels)), junk))
    weights = draw(st.lists(st.floats(0, 1), min_size=len(levels), max_size=len(levels)))
    total = sum(weights)
    if total > 0 and (plausible or draw(st.integers(0, 3)) > 0):
        weights = [w / total for w in weights]
    pairs = [[v, w] for v, w in zip(levels, weights)]
    if not plausible and draw(st.integers(0, 9)) == 0:
        pairs = draw(st.lists(st.one_of(junk, st.lists(entries, max_size=3)), max_size=3))
    return pairs


@st.composite
def entry(draw: st.DrawFn, plausible: bool = False) -> Any:
    """One matrix entry: mostly known kinds, sometimes unknown kinds or malformed entries."""
    roll = draw(st.integers(0, 19)) if not plausible else 99
    kind = draw(st.sampled_from(KINDS))
    make = values_argument if kind in ("values", "pvalues") else argument
    arg = draw(make(kind, plausible))
    if roll == 0:
        kind = draw(st.one_of(st.text(max_size=8), st.sampled_from(["Uniform", "logunifrom", "choice", "pchoice"])))
    if roll == 1:
        return draw(st.one_of(junk, st.lists(entries, max_size=3)))
    if roll == 2:
        return {kind: arg, draw(st.sampled_from(KINDS)): arg}
    if roll == 3:
        return {}
    if roll == 4:
        return {"kind": kind, "value": arg}
    return {kind: arg}


names = st.one_of(st.text(min_size=1, max_size=5), st.text(min_size=1, max_size=5), st.sampled_from([1, None, "", 2.5]))
matrices = st.dictionaries(names, entry(), min_size=0, max_size=3)
plain_names = st.text("abcdefxyz_", min_size=1, max_size=4)
#: Mostly-valid single-parameter matrices, so that many specs are accepted and exercised.
plausible_matrices = st.dictionaries(plain_names, entry(plausible=True), min_size=1, max_size=1)


# -- the property -------------------------------------------------------------------------------
def _same(a: Any, b: Any) -> bool:
    """Equal including types (1 vs 1.0 vs True), via canonical JSON."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _close(dim: Any, a: Any, b: Any) -> bool:
    """Round-trip tolerance of a continuous dimension (see docs/search_spaces.md)."""
    if not isinstance(b, float):
        return False
    slack = 4 * max(math.ulp(a), math.ulp(b))
    warp = dim.warp
    if isinstance(warp, LogNormalWarp):
        return abs(a - b) <= 1e-9 * max(1.0, warp.scale) * abs(a) + slack
    if isinstance(warp, NormalWarp):
        return abs(a - b) <= 1e-9 * warp.scale + slack
    if isinstance(warp, LogWarp):
        return abs(a - b) <= 1e-9 * abs(a) + slack
    if isinstance(warp, LinearWarp):
        return abs(a - b) <= 1e-9 * (warp.hi - warp.lo) + slack
    return False


def _round_trips(space: Space, params: dict[str, Any], label: str) -> None:
    x = space.to_unit(params)
    if x.shape != (space.n_columns,) or not np.all((x >= 0) & (x <= 1)):
        raise AssertionError(f"{label}: to_unit gave {x!r} for {params!r}")
    back = space.from_unit(x)
    for name in space.names:
        dim, a, b = space[name], params[name], back[name]
        if dim.columns(name, 0)[0].kind == "continuous":
            ok = _close(dim, a, b)
        else:
            ok = _same(a, b)
        if not ok:
            raise AssertionError(f"{label}: {name} round trip {a!r} -> {b!r} ({dim!r})")


def _legal(space: Space, params: dict[str, Any], label: str) -> None:
    if not _same(space.validate(params), params):
        raise AssertionError(f"{label}: validate changed {params!r}")


def check_matrix(matrix: Any, seed: int = 0) -> str:
    """Either SpecError (one line, naming where) or a fully working space. Returns the outcome."""
    try:
        space = Space.from_matrix(matrix)
    except SpecError as exc:
        text = str(exc)
        _expect(text and "\n" not in text, f"SpecError message not one line: {text!r}")
        _expect(text.startswith("matrix"), f"SpecError does not name the parameter: {text!r}")
        return "rejected"
    samples = space.sample_many(seed, 4)
    _expect(samples == space.sample_many(seed, 4), "same seed, different samples")
    for p in samples:
        _legal(space, p, "sample")
        _round_trips(space, p, "sample")
    unit = np.random.default_rng(seed).random((3, space.n_columns))
    points = np.vstack([unit, np.zeros(space.n_columns), np.ones(space.n_columns)])
    for p in space.from_unit_many(points):
        _legal(space, p, "from_unit")
        _round_trips(space, p, "from_unit")
    matrix_json = json.loads(json.dumps(space.to_matrix()))
    _expect(Space.from_matrix(matrix_json) == space, "to_matrix does not rebuild the space")
    _expect(Space.from_yaml(space.to_yaml()) == space, "to_yaml does not rebuild the space")
    size = space.grid_size
    if space.is_discrete and size is not None and size <= 200:
        grid = space.grid()
        _expect(len(grid) == size, f"grid has {len(grid)} points, grid_size says {size}")
        _expect(len({json.dumps(g, sort_keys=True) for g in grid}) == size, "grid points repeat")
        for p in grid:
            _legal(space, p, "grid")
    try:
        space.validate({**samples[0], "__surplus__": 1})
    except ParamsError:
        pass
    else:
        raise AssertionError("validate accepted an unknown parameter")
    return "accepted"


def run(max_examples: int, plausible: bool = False) -> dict[str, int]:
    """Run the property outside pytest (used for the ``python -O`` check)."""
    outcomes = {"accepted": 0, "rejected": 0}

    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(plausible_matrices if plausible else matrices, st.integers(0, 2**32 - 1))
    def prop(matrix: Any, seed: int) -> None:
        outcomes[check_matrix(matrix, seed)] += 1

    prop()
    return outcomes


if __name__ == "__main__":  # pragma: no cover - run by the -O subprocess test
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(json.dumps({"optimize": sys.flags.optimize, **result}))
