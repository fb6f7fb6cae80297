"""The spaces the algorithm conformance suite runs on, each with checks that do not rely on ``space.validate``."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hypersweep.records import Params
from hypersweep.space import Space

Check = Callable[[Params], None]


def expect(condition: Any, message: str) -> None:
    """Fail with ``message`` unless ``condition`` (works under ``python -O``, unlike assert)."""
    if not condition:
        raise AssertionError(message)


def _close_to_multiple(value: float, q: float, base: float = 0.0) -> bool:
    steps = (value - base) / q
    return abs(steps - round(steps)) <= 1e-6 * max(1.0, abs(steps))


def _number(params: Params, name: str) -> float:
    value = params[name]
    expect(
        isinstance(value, (int, float)) and not isinstance(value, bool),
        f"{name}: expected a number, got {value!r} ({type(value).__name__})",
    )
    expect(math.isfinite(value), f"{name}: not finite: {value!r}")
    return float(value)


def _check_continuous(p: Params) -> None:
    u = _number(p, "u")
    expect(-2.0 <= u <= 3.0, f"u={u} outside uniform [-2, 3]")
    lu = _number(p, "lu")
    expect(1e-4 <= lu <= 1e-1, f"lu={lu} outside loguniform [1e-4, 0.1]")
    _number(p, "n")
    ln = _number(p, "ln")
    expect(ln > 0, f"ln={ln}: lognormal must be positive")
    expect(isinstance(p["u"], float) and isinstance(p["lu"], float), "continuous values must be floats")


def _check_quantized(p: Params) -> None:
    qu = _number(p, "qu")
    expect(_close_to_multiple(qu, 0.5), f"qu={qu} not a multiple of q=0.5")
    expect(-0.25 <= qu <= 10.25, f"qu={qu} outside quniform [0, 10]")
    qlu = _number(p, "qlu")
    expect(_close_to_multiple(qlu, 5.0), f"qlu={qlu} not a multiple of q=5")
    expect(0 <= qlu <= 1002.5, f"qlu={qlu} outside qloguniform [1, 1000]")
    qn = _number(p, "qn")
    expect(_close_to_multiple(qn, 0.25), f"qn={qn} not a multiple of q=0.25")
    qln = _number(p, "qln")
    expect(_close_to_multiple(qln, 0.5) and qln >= 0, f"qln={qln} not a non-negative multiple of 0.5")
    r = p["r"]
    expect(isinstance(r, int) and not isinstance(r, bool), f"r={r!r}: range values are ints")
    expect(r in range(0, 20, 3), f"r={r} not in range(0, 20, 3)")


def _check_categorical(p: Params) -> None:
    expect(p["act"] in ("relu", "tanh", "sigmoid"), f"act={p['act']!r}")
    expect(p["flag"] is True or p["flag"] is False, f"flag={p['flag']!r}: must be a bool")
    expect(p["opt"] in ("adam", "sgd", None), f"opt={p['opt']!r}")
    lr = _number(p, "lr")
    expect(1e-5 <= lr <= 1.0, f"lr={lr} outside loguniform [1e-5, 1]")
    units = p["units"]
    expect(
        isinstance(units, int) and not isinstance(units, bool) and units in (16, 32, 64, 128),
        f"units={units!r} is not one of the int levels 16, 32, 64, 128",
    )


def _check_conditional(p: Params) -> None:
    """The rules of the conditional spaces, checked without ``space.validate``."""
    booster = p["booster"]
    expect(booster in ("gbtree", "gblinear", "dart"), f"booster={booster!r}")
    tree = booster in ("gbtree", "dart")
    for name in ("max_depth", "tree_method"):
        expect((name in p) == tree, f"{name} must exist exactly when booster is gbtree or dart; got {p}")
    expect(("rate_drop" in p) == (booster == "dart"), f"rate_drop must exist exactly when booster is dart; got {p}")
    expect(not (booster == "dart" and p.get("tree_method") == "hist"), f"forbidden booster=dart, tree_method=hist: {p}")
    expect(not (p.get("max_depth") == 1 and p.get("tree_method") == "exact"), f"forbidden max_depth=1, tree_method=exact: {p}")
    expect(p["k1"] <= p["k2"], f"k1={p['k1']} must be <= k2={p['k2']}")
    if "tree_method" in p:
        expect(p["tree_method"] in ("exact", "hist", "approx"), f"tree_method={p['tree_method']!r}")
    if "max_depth" in p:
        expect(p["max_depth"] in range(1, 7), f"max_depth={p['max_depth']!r}")
    if "rate_drop" in p:
        expect(0.0 <= _number(p, "rate_drop") <= 0.5, f"rate_drop={p['rate_drop']} outside [0, 0.5]")


def _check_in_grid(space: Space) -> Check:
    """Every value must be one of its dimension's grid levels (the grid is the truth)."""
    levels: dict[str, list[Any]] = {name: [] for name in space.names}
    for point in space.grid():
        for name in point:
            if point[name] not in levels[name]:
                levels[name].append(point[name])

    def check(p: Params) -> None:
        for name in p:
            value = p[name]
            expect(
                any(value == lv and type(value) is type(lv) for lv in levels[name]),
                f"{name}={value!r} is not one of its levels {levels[name]}",
            )

    return check


@dataclass(frozen=True)
class SuiteSpace:
    """A named space for the suite, with checks that do not rely on ``space.validate``."""

    name: str
    matrix: Mapping[str, Any]
    check: Callable[[Space], Check] | None = None

    def build(self) -> Space:
        return Space.from_matrix(dict(self.matrix))

    def checker(self, space: Space) -> Check:
        if self.check is not None:
            return self.check(space)
        if space.is_discrete:
            return _check_in_grid(space)
        return lambda p: None


#: conditions (nested: rate_drop needs booster dart), a dependent bound and forbidden combinations
_CONDITIONAL: Mapping[str, Any] = {
    "booster": {"values": ["gbtree", "gblinear", "dart"]},
    "max_depth": {"range": [1, 7, 1], "when": {"booster": ["gbtree", "dart"]}},
    "tree_method": {"values": ["exact", "hist", "approx"], "when": {"booster": ["gbtree", "dart"]}},
    "rate_drop": {"linspace": [0, 0.5, 3], "when": {"booster": "dart"}},
    "k1": {"range": [1, 5, 1], "max": "k2"},
    "k2": {"range": [1, 5, 1]},
    "forbidden": [{"booster": "dart", "tree_method": "hist"}, {"max_depth": 1, "tree_method": "exact"}],
}

SPACES: tuple[SuiteSpace, ...] = (
    SuiteSpace(
        "continuous",
        {
            "u": {"uniform": [-2, 3]},
            "lu": {"loguniform": [1e-4, 1e-1]},
            "n": {"normal": [0, 1]},
            "ln": {"lognormal": [0, 0.5]},
        },
        lambda space: _check_continuous,
    ),
    SuiteSpace(
        "quantized",
        {
            "qu": {"quniform": [0, 10, 0.5]},
            "qlu": {"qloguniform": [1, 1000, 5]},
            "qn": {"qnormal": [0, 2, 0.25]},
            "qln": {"qlognormal": [0, 1, 0.5]},
            "r": {"range": [0, 20, 3]},
        },
        lambda space: _check_quantized,
    ),
    SuiteSpace(
        "categorical",
        {
            "act": {"values": ["relu", "tanh", "sigmoid"]},
            "flag": {"values": [True, False]},
            "opt": {"values": ["adam", "sgd", None]},
            "lr": {"loguniform": [1e-5, 1.0]},
            "units": {"values": [16, 32, 64, 128]},
        },
        lambda space: _check_categorical,
    ),
    SuiteSpace(  # 4 * 5 * 3 * 3 * 4 * 2 = 1440 points
        "discrete",
        {
            "v": {"values": [1, 2, 4, 8]},
            "r": {"range": [0, 10, 2]},
            "ls": {"linspace": [0, 1, 3]},
            "lg": {"logspace": [0, 2, 3]},
            "gs": {"geomspace": [1, 8, 4]},
            "c": {"values": ["a", "b"]},
        },
    ),
    SuiteSpace(  # 2 * 3 * 2 = 12 points: small enough to exhaust
        "small_discrete",
        {
            "a": {"values": [1, 2]},
            "b": {"values": ["x", "y", "z"]},
            "on": {"values": [True, False]},
        },
    ),
    SuiteSpace("conditional", {**_CONDITIONAL, "lr": {"loguniform": [1e-3, 1.0]}},
               lambda space: _check_conditional),
    SuiteSpace("conditional_discrete", _CONDITIONAL, lambda space: lambda p: (_check_in_grid(space)(p), _check_conditional(p))),
)
