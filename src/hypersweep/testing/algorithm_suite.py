"""Conformance suite every search algorithm passes (needs pytest: a test-time dependency).

Use it by subclassing :class:`AlgorithmSuite` in a test module; every registered algorithm
(``hypersweep.algorithms.available()``, read at collection time, so algorithms added later are
covered without touching the tests) is run on every suite space that fits it::

    from hypersweep.testing.algorithm_suite import AlgorithmSuite

    class TestAllAlgorithms(AlgorithmSuite):
        pass

    class TestTPEOnly(AlgorithmSuite):
        algorithms = ["tpe"]
        options = {"tpe": {"n_startup_trials": 3}}

What it checks, for each (algorithm, space) case:

* suggestions are legal: ``space.validate`` accepts them and the suite's own per-space checks
  pass (bounds, log scale, quantization steps, integer/float types, categorical levels, every
  name present, plain JSON-friendly Python values);
* ``ask(4)`` with pending trials returns 4 points, distinct and different from the pending;
* the same seed gives the same suggestions, another seed different ones;
* a fresh instance told the whole history (in any order) asks exactly what the live one asks;
* ``tell`` is idempotent (repeats, overlapping batches, unfinished trials are no-ops);
* minimize and maximize both work: minimizing ``f`` suggests what maximizing ``-f`` suggests;
* failed and pruned trials in the history, ``ask(0)``, and ``budget`` are honoured.

Suggestions are taken through ``suggest`` and pending/finished trials carry their ``meta``, so
multi-fidelity algorithms (whose state lives in trial meta) are checked too; their resource
parameter is left out of the params the checks look at.

Algorithm classes may declare two class attributes the suite reads:

* ``requires_discrete = True``: run only on the fully discrete spaces (e.g. grid search);
* ``uses_seed = False``: the suggestions do not depend on the seed (skip "other seed differs").
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import pytest

from hypersweep.algorithms import algorithm_class, available, make_algorithm
from hypersweep.algorithms.base import Algorithm
from hypersweep.algorithms.history import params_key
from hypersweep.records import Direction, Params, Report, Suggestion, Trial, TrialState
from hypersweep.space import Space

Check = Callable[[Params], None]

_PLAIN = (bool, int, float, str, type(None))


def _expect(condition: Any, message: str) -> None:
    """Fail with ``message`` unless ``condition`` (works under ``python -O``, unlike assert)."""
    if not condition:
        raise AssertionError(message)


# -- spaces ---------------------------------------------------------------------------------
def _close_to_multiple(value: float, q: float, base: float = 0.0) -> bool:
    steps = (value - base) / q
    return abs(steps - round(steps)) <= 1e-6 * max(1.0, abs(steps))


def _number(params: Params, name: str) -> float:
    value = params[name]
    _expect(
        isinstance(value, (int, float)) and not isinstance(value, bool),
        f"{name}: expected a number, got {value!r} ({type(value).__name__})",
    )
    _expect(math.isfinite(value), f"{name}: not finite: {value!r}")
    return float(value)


def _check_continuous(p: Params) -> None:
    u = _number(p, "u")
    _expect(-2.0 <= u <= 3.0, f"u={u} outside uniform [-2, 3]")
    lu = _number(p, "lu")
    _expect(1e-4 <= lu <= 1e-1, f"lu={lu} outside loguniform [1e-4, 0.1]")
    _number(p, "n")
    ln = _number(p, "ln")
    _expect(ln > 0, f"ln={ln}: lognormal must be positive")
    _expect(isinstance(p["u"], float) and isinstance(p["lu"], float), "continuous values must be floats")


def _check_quantized(p: Params) -> None:
    qu = _number(p, "qu")
    _expect(_close_to_multiple(qu, 0.5), f"qu={qu} not a multiple of q=0.5")
    _expect(-0.25 <= qu <= 10.25, f"qu={qu} outside quniform [0, 10]")
    qlu = _number(p, "qlu")
    _expect(_close_to_multiple(qlu, 5.0), f"qlu={qlu} not a multiple of q=5")
    _expect(0 <= qlu <= 1002.5, f"qlu={qlu} outside qloguniform [1, 1000]")
    qn = _number(p, "qn")
    _expect(_close_to_multiple(qn, 0.25), f"qn={qn} not a multiple of q=0.25")
    qln = _number(p, "qln")
    _expect(_close_to_multiple(qln, 0.5) and qln >= 0, f"qln={qln} not a non-negative multiple of 0.5")
    r = p["r"]
    _expect(isinstance(r, int) and not isinstance(r, bool), f"r={r!r}: range values are ints")
    _expect(r in range(0, 20, 3), f"r={r} not in range(0, 20, 3)")


def _check_categorical(p: Params) -> None:
    _expect(p["act"] in ("relu", "tanh", "sigmoid"), f"act={p['act']!r}")
    _expect(p["flag"] is True or p["flag"] is False, f"flag={p['flag']!r}: must be a bool")
    _expect(p["opt"] in ("adam", "sgd", None), f"opt={p['opt']!r}")
    lr = _number(p, "lr")
    _expect(1e-5 <= lr <= 1.0, f"lr={lr} outside loguniform [1e-5, 1]")
    units = p["units"]
    _expect(
        isinstance(units, int) and not isinstance(units, bool) and units in (16, 32, 64, 128),
        f"units={units!r} is not one of the int levels 16, 32, 64, 128",
    )


def _check_conditional(p: Params) -> None:
    """The rules of the conditional spaces, checked without ``space.validate``."""
    booster = p["booster"]
    _expect(booster in ("gbtree", "gblinear", "dart"), f"booster={booster!r}")
    tree = booster in ("gbtree", "dart")
    for name in ("max_depth", "tree_method"):
        _expect((name in p) == tree, f"{name} must exist exactly when booster is gbtree or dart; got {p}")
    _expect(("rate_drop" in p) == (booster == "dart"), f"rate_drop must exist exactly when booster is dart; got {p}")
    _expect(not (booster == "dart" and p.get("tree_method") == "hist"), f"forbidden booster=dart, tree_method=hist: {p}")
    _expect(not (p.get("max_depth") == 1 and p.get("tree_method") == "exact"), f"forbidden max_depth=1, tree_method=exact: {p}")
    _expect(p["k1"] <= p["k2"], f"k1={p['k1']} must be <= k2={p['k2']}")
    if "tree_method" in p:
        _expect(p["tree_method"] in ("exact", "hist", "approx"), f"tree_method={p['tree_method']!r}")
    if "max_depth" in p:
        _expect(p["max_depth"] in range(1, 7), f"max_depth={p['max_depth']!r}")
    if "rate_drop" in p:
        _expect(0.0 <= _number(p, "rate_drop") <= 0.5, f"rate_drop={p['rate_drop']} outside [0, 0.5]")


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
            _expect(
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


# -- driving an algorithm ----------------------------------------------------------------------
def objective(params: Params) -> float:
    """A deterministic toy objective over any params dict (lower is better)."""
    total = 0.0
    for i, name in enumerate(sorted(params)):
        total += math.sin((i + 1) * 1.7 + _scalar(params[name]))
    return total


def _scalar(value: Any) -> float:
    if value is None:
        return 0.3
    if isinstance(value, bool):
        return 1.1 if value else -0.4
    if isinstance(value, (int, float)):
        return math.log1p(abs(float(value))) * (1 if value >= 0 else -1)
    if isinstance(value, str):
        return sum(ord(c) for c in value) / 37.0
    if isinstance(value, (list, tuple)):
        return sum(_scalar(v) for v in value)
    return 0.0


@dataclass
class History:
    """What a simulated sweep has seen: finished and pending trials, and every batch asked."""

    finished: list[Trial] = field(default_factory=list)
    pending: list[Trial] = field(default_factory=list)
    batches: list[list[Params]] = field(default_factory=list)
    next_id: int = 0

    @property
    def suggestions(self) -> list[Params]:
        return [p for batch in self.batches for p in batch]


StepHook = Callable[[Algorithm, History, list[Params]], None]


def drive(
    algo: Algorithm,
    *,
    steps: int = 6,
    batch: int = 2,
    sign: float = 1.0,
    sim_seed: int = 12345,
    on_step: StepHook | None = None,
) -> History:
    """Run a simulated asynchronous sweep: ask ``batch`` with the pending trials, then finish
    a random subset of the pending ones (some fail, some are pruned) and tell them.

    ``sign`` multiplies the objective (``-1`` with direction maximize mirrors a minimization).
    ``on_step(algo, history_before_this_ask, suggestions)`` runs after every ask.
    """
    sim = np.random.default_rng(sim_seed)
    history = History()
    for _ in range(steps):
        full = algo.suggest(batch, pending=list(history.pending))
        suggestions = [space_params(algo, x.params) for x in full]
        if on_step is not None:
            on_step(algo, history, suggestions)
        history.batches.append(suggestions)
        history.pending.extend(as_trials(full, history.next_id))
        history.next_id += len(full)
        if not history.pending:
            break
        k = int(sim.integers(1, len(history.pending) + 1))
        chosen = set(sim.permutation(len(history.pending))[:k].tolist())
        newly: list[Trial] = []
        for j in sorted(chosen):
            newly.append(_finish(history.pending[j], float(sim.random()), sign))
        history.pending = [t for j, t in enumerate(history.pending) if j not in chosen]
        history.finished.extend(newly)
        algo.tell(newly)
    return history


def space_params(algo: Algorithm, params: Params) -> Params:
    """``params`` without a multi-fidelity algorithm's resource (the budget it assigns)."""
    if algo.resource is None:
        return params
    return {k: v for k, v in params.items() if k != algo.resource.name}


def asked(algo: Algorithm, n: int, pending: Sequence[Trial] = ()) -> list[Params]:
    """``algo.suggest(n, pending=...)`` as params of the space."""
    return [space_params(algo, x.params) for x in algo.suggest(n, pending=pending)]


def as_trials(suggestions: Sequence[Suggestion], first_id: int) -> list[Trial]:
    """RUNNING trials for ``suggestions``, with ids from ``first_id`` and their meta."""
    return [
        Trial(id=first_id + i, params=x.params, state=TrialState.RUNNING, meta=x.meta)
        for i, x in enumerate(suggestions)
    ]


def _finish(trial: Trial, u: float, sign: float) -> Trial:
    value = sign * objective(trial.params)
    if u < 0.1:
        return replace(trial, state=TrialState.FAILED, error="boom")
    if u < 0.2:
        return replace(trial, state=TrialState.PRUNED, value=value, reports=(Report(step=1, value=value),))
    return replace(trial, state=TrialState.COMPLETED, value=value)


def same_params(a: Params, b: Params, rel: float = 1e-9) -> bool:
    """Equal params, floats to ``rel`` relative tolerance."""
    if set(a) != set(b):
        return False
    for name in a:
        x, y = a[name], b[name]
        if isinstance(x, float) and isinstance(y, float):
            if not math.isclose(x, y, rel_tol=rel, abs_tol=1e-12):
                return False
        elif x != y or type(x) is not type(y):
            return False
    return True


def assert_same_batches(a: Sequence[Params], b: Sequence[Params], what: str) -> None:
    _expect(len(a) == len(b), f"{what}: {len(a)} suggestions vs {len(b)}: {a} vs {b}")
    for i, (x, y) in enumerate(zip(a, b)):
        _expect(same_params(x, y), f"{what}: suggestion {i} differs: {x} vs {y}")


# -- the suite ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One algorithm on one suite space."""

    algorithm: str
    space_def: SuiteSpace
    options: Mapping[str, Any]

    @property
    def id(self) -> str:
        return f"{self.algorithm}-{self.space_def.name}"

    def space(self) -> Space:
        return self.space_def.build()

    def make(self, *, seed: int = 0, direction: Direction | str = Direction.MINIMIZE,
             space: Space | None = None) -> Algorithm:
        return make_algorithm(
            self.algorithm, space if space is not None else self.space(),
            direction=direction, seed=seed, options=dict(self.options),
        )

    @property
    def cls(self) -> type[Algorithm]:
        return algorithm_class(self.algorithm)


def cases(
    algorithms: Sequence[str] | None = None,
    spaces: Sequence[SuiteSpace] = SPACES,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Case]:
    """Every (algorithm, fitting space) pair."""
    registered = available()  # also loads the built-ins
    names = list(algorithms) if algorithms is not None else registered
    out: list[Case] = []
    for name in names:
        algo_options = dict((options or {}).get(name, {}))
        discrete_only = bool(getattr(algorithm_class(name), "requires_discrete", False))
        for sdef in spaces:
            if discrete_only and not sdef.build().is_discrete:
                continue
            out.append(Case(name, sdef, algo_options))
    return out


class AlgorithmSuite:
    """Subclass as ``Test...`` to run the conformance suite; see the module docstring."""

    #: algorithm names to check; None: every registered algorithm
    algorithms: ClassVar[Sequence[str] | None] = None
    #: options per algorithm name (e.g. fewer startup trials to keep a model-based one quick)
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {}
    spaces: ClassVar[Sequence[SuiteSpace]] = SPACES
    #: how long the simulated sweeps run
    steps: ClassVar[int] = 6
    batch: ClassVar[int] = 2
    #: budgets above this are not exhausted by ``test_budget_is_respected``
    max_budget: ClassVar[int] = 60

    def pytest_generate_tests(self, metafunc: Any) -> None:
        if "case" in metafunc.fixturenames:
            found = cases(self.algorithms, self.spaces, self.options)
            metafunc.parametrize("case", found, ids=[c.id for c in found])

    # -- legality ---------------------------------------------------------------------------
    def test_suggestions_are_legal(self, case: Case) -> None:
        space = case.space()
        check = case.space_def.checker(space)
        history = drive(case.make(space=space), steps=self.steps + 2, batch=3)
        _expect(history.suggestions, "the algorithm proposed nothing")
        for params in history.suggestions:
            _expect(isinstance(params, dict), f"a suggestion must be a dict; got {type(params).__name__}")
            _expect(set(params) <= set(space.names), f"names {sorted(params)} not all in the space's {sorted(space.names)}")
            _expect(all(n in params for n in space.names if space.is_active(n, params)),
                    f"names {sorted(params)} miss an active parameter of {sorted(space.names)}")
            space.validate(params)
            check(params)
            for name, value in params.items():
                _assert_plain(name, value)
            json.dumps(params)

    def test_ask_zero_returns_empty(self, case: Case) -> None:
        _expect(case.make().ask(0) == [] and case.make().suggest(0) == [], "ask(0) must return []")

    # -- batches and pending ------------------------------------------------------------------
    def test_batch_with_pending_is_distinct(self, case: Case) -> None:
        space = case.space()
        algo = case.make(space=space)
        history = drive(algo, steps=2, batch=2)
        pending = list(history.pending)
        if not pending:  # make sure there is something pending
            pending = as_trials(algo.suggest(2, pending=[]), history.next_id)
        batch = asked(algo, 4, pending)
        _expect(len(batch) == 4, f"ask(4) returned {len(batch)} suggestions: {batch}")
        names = space.names
        keys = [params_key(p, names) for p in batch]
        _expect(len(set(keys)) == 4, f"ask(4) repeated a point: {batch}")
        pending_keys = {params_key(space_params(algo, t.params), names) for t in pending}
        _expect(not pending_keys & set(keys), "ask(4) returned a point that is pending")

    def test_first_batch_is_distinct(self, case: Case) -> None:
        names = case.space().names
        batch = asked(case.make(), 4)
        _expect(len(batch) == 4, f"ask(4) on a fresh algorithm returned {len(batch)} suggestions")
        _expect(len({params_key(p, names) for p in batch}) == 4, f"ask(4) repeated a point: {batch}")

    # -- determinism --------------------------------------------------------------------------
    def test_same_seed_same_suggestions(self, case: Case) -> None:
        a = drive(case.make(seed=7), steps=self.steps, batch=self.batch)
        b = drive(case.make(seed=7), steps=self.steps, batch=self.batch)
        for i, (x, y) in enumerate(zip(a.batches, b.batches)):
            assert_same_batches(x, y, f"seed 7, step {i}")
        _expect(len(a.batches) == len(b.batches), "the same seed ran for a different number of steps")

    def test_other_seed_other_suggestions(self, case: Case) -> None:
        if getattr(case.cls, "uses_seed", True) is False:
            pytest.skip(f"{case.algorithm} does not depend on the seed")
        a = drive(case.make(seed=1), steps=self.steps, batch=self.batch)
        b = drive(case.make(seed=2), steps=self.steps, batch=self.batch)
        _expect(
            any(not same_params(x, y) for x, y in zip(a.suggestions, b.suggestions)),
            "seeds 1 and 2 gave the same suggestions",
        )

    def test_rebuilt_from_history_continues_identically(self, case: Case) -> None:
        space = case.space()
        order = np.random.default_rng(99)

        def compare(live: Algorithm, history: History, suggestions: list[Params]) -> None:
            fresh = case.make(space=space)
            told = list(history.finished)
            order.shuffle(told)  # the order of telling must not matter
            half = len(told) // 2
            fresh.tell(told[:half])
            fresh.tell(told[half:])
            rebuilt = asked(fresh, self.batch, list(history.pending))
            assert_same_batches(
                rebuilt, suggestions,
                f"rebuilt after {len(history.finished)} finished / {len(history.pending)} pending",
            )

        drive(case.make(space=space), steps=self.steps, batch=self.batch, on_step=compare)

    def test_ask_does_not_change_state(self, case: Case) -> None:
        algo = case.make()
        history = drive(algo, steps=3, batch=2)
        first = asked(algo, 3, list(history.pending))
        again = asked(algo, 3, list(history.pending))
        assert_same_batches(first, again, "asking twice with the same history")

    # -- tell --------------------------------------------------------------------------------
    def test_tell_is_idempotent(self, case: Case) -> None:
        space = case.space()
        reference = case.make(space=space)
        history = drive(reference, steps=self.steps, batch=self.batch)
        finished = history.finished
        _expect(finished, "the simulated sweep finished nothing")
        other = case.make(space=space)
        other.tell(finished)
        other.tell(finished)
        other.tell(list(reversed(finished[: len(finished) // 2 + 1])))
        # a changed record for a known id and an unfinished trial are both no-ops
        first = finished[0]
        other.tell([replace(first, state=TrialState.COMPLETED, value=1e9)])
        other.tell([Trial(id=10_000, params=space.sample(0), state=TrialState.RUNNING)])
        _expect(
            [t.id for t in other.finished] == sorted(t.id for t in finished),
            "finished trials after repeated tells differ from the trials told",
        )
        pending = list(history.pending)
        assert_same_batches(
            asked(other, 3, pending), asked(reference, 3, pending), "after repeated tells"
        )

    def test_failed_and_pruned_history(self, case: Case) -> None:
        space = case.space()
        algo = case.make(space=space)
        trials = []
        for i, trial in enumerate(as_trials(algo.suggest(3), 0)):
            state = (TrialState.FAILED, TrialState.PRUNED, TrialState.COMPLETED)[i]
            value = None if state is TrialState.FAILED else objective(trial.params)
            error = "boom" if value is None else None
            trials.append(replace(trial, state=state, value=value, error=error))
        algo.tell(trials)
        for params in asked(algo, 2):
            space.validate(params)

    # -- direction ------------------------------------------------------------------------------
    def test_minimize_and_maximize_mirror(self, case: Case) -> None:
        low = drive(case.make(seed=3, direction="minimize"), steps=self.steps, batch=self.batch, sign=1.0)
        high = drive(case.make(seed=3, direction="maximize"), steps=self.steps, batch=self.batch, sign=-1.0)
        for i, (x, y) in enumerate(zip(low.batches, high.batches)):
            assert_same_batches(x, y, f"minimize f vs maximize -f, step {i}")
        _expect(len(low.batches) == len(high.batches), "minimize and maximize ran for different numbers of steps")

    # -- budget --------------------------------------------------------------------------------
    def test_budget_is_respected(self, case: Case) -> None:
        algo = case.make()
        budget = algo.budget
        if budget is None:
            pytest.skip(f"{case.algorithm} has no budget on {case.space_def.name}")
        _expect(isinstance(budget, int) and budget >= 0, f"budget must be None or an int >= 0; got {budget!r}")
        if budget > self.max_budget:
            pytest.skip(f"budget {budget} is too large to exhaust in a unit test")
        history = drive(algo, steps=budget + 5, batch=3)
        total = len(history.suggestions)
        _expect(total <= budget, f"proposed {total} trials with a budget of {budget}")
        names = case.space().names
        if algo.budget == len({params_key(p, names) for p in history.suggestions}):
            _expect(asked(algo, 3) == [], "ask after the budget is spent must return []")


def _assert_plain(name: str, value: Any) -> None:
    if isinstance(value, (list, tuple)):
        for item in value:
            _assert_plain(name, item)
        return
    _expect(
        isinstance(value, _PLAIN) and not isinstance(value, np.generic),
        f"{name}={value!r}: params must hold plain Python values, not {type(value).__name__}",
    )


__all__ = [
    "AlgorithmSuite", "Case", "History", "SPACES", "SuiteSpace", "algorithm_class", "as_trials", "asked",
    "assert_same_batches", "cases", "drive", "objective", "same_params", "space_params",
]
