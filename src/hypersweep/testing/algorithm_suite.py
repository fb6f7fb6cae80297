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
from hypersweep.testing.suite_spaces import SPACES, SuiteSpace, expect

_PLAIN = (bool, int, float, str, type(None))


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
    expect(len(a) == len(b), f"{what}: {len(a)} suggestions vs {len(b)}: {a} vs {b}")
    for i, (x, y) in enumerate(zip(a, b)):
        expect(same_params(x, y), f"{what}: suggestion {i} differs: {x} vs {y}")


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
        expect(history.suggestions, "the algorithm proposed nothing")
        for params in history.suggestions:
            expect(isinstance(params, dict), f"a suggestion must be a dict; got {type(params).__name__}")
            expect(set(params) <= set(space.names), f"names {sorted(params)} not all in the space's {sorted(space.names)}")
            expect(all(n in params for n in space.names if space.is_active(n, params)),
                    f"names {sorted(params)} miss an active parameter of {sorted(space.names)}")
            space.validate(params)
            check(params)
            for name, value in params.items():
                _assert_plain(name, value)
            json.dumps(params)

    def test_ask_zero_returns_empty(self, case: Case) -> None:
        expect(case.make().ask(0) == [] and case.make().suggest(0) == [], "ask(0) must return []")

    # -- batches and pending ------------------------------------------------------------------
    def test_batch_with_pending_is_distinct(self, case: Case) -> None:
        space = case.space()
        algo = case.make(space=space)
        history = drive(algo, steps=2, batch=2)
        pending = list(history.pending)
        if not pending:  # make sure there is something pending
            pending = as_trials(algo.suggest(2, pending=[]), history.next_id)
        batch = asked(algo, 4, pending)
        expect(len(batch) == 4, f"ask(4) returned {len(batch)} suggestions: {batch}")
        names = space.names
        keys = [params_key(p, names) for p in batch]
        expect(len(set(keys)) == 4, f"ask(4) repeated a point: {batch}")
        pending_keys = {params_key(space_params(algo, t.params), names) for t in pending}
        expect(not pending_keys & set(keys), "ask(4) returned a point that is pending")

    def test_first_batch_is_distinct(self, case: Case) -> None:
        names = case.space().names
        batch = asked(case.make(), 4)
        expect(len(batch) == 4, f"ask(4) on a fresh algorithm returned {len(batch)} suggestions")
        expect(len({params_key(p, names) for p in batch}) == 4, f"ask(4) repeated a point: {batch}")

    # -- determinism --------------------------------------------------------------------------
    def test_same_seed_same_suggestions(self, case: Case) -> None:
        a = drive(case.make(seed=7), steps=self.steps, batch=self.batch)
        b = drive(case.make(seed=7), steps=self.steps, batch=self.batch)
        for i, (x, y) in enumerate(zip(a.batches, b.batches)):
            assert_same_batches(x, y, f"seed 7, step {i}")
        expect(len(a.batches) == len(b.batches), "the same seed ran for a different number of steps")

    def test_other_seed_other_suggestions(self, case: Case) -> None:
        if getattr(case.cls, "uses_seed", True) is False:
            pytest.skip(f"{case.algorithm} does not depend on the seed")
        a = drive(case.make(seed=1), steps=self.steps, batch=self.batch)
        b = drive(case.make(seed=2), steps=self.steps, batch=self.batch)
        expect(
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
        expect(finished, "the simulated sweep finished nothing")
        other = case.make(space=space)
        other.tell(finished)
        other.tell(finished)
        other.tell(list(reversed(finished[: len(finished) // 2 + 1])))
        # a changed record for a known id and an unfinished trial are both no-ops
        first = finished[0]
        other.tell([replace(first, state=TrialState.COMPLETED, value=1e9)])
        other.tell([Trial(id=10_000, params=space.sample(0), state=TrialState.RUNNING)])
        expect(
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
        expect(len(low.batches) == len(high.batches), "minimize and maximize ran for different numbers of steps")

    # -- budget --------------------------------------------------------------------------------
    def test_budget_is_respected(self, case: Case) -> None:
        algo = case.make()
        budget = algo.budget
        if budget is None:
            pytest.skip(f"{case.algorithm} has no budget on {case.space_def.name}")
        expect(isinstance(budget, int) and budget >= 0, f"budget must be None or an int >= 0; got {budget!r}")
        if budget > self.max_budget:
            pytest.skip(f"budget {budget} is too large to exhaust in a unit test")
        history = drive(algo, steps=budget + 5, batch=3)
        total = len(history.suggestions)
        expect(total <= budget, f"proposed {total} trials with a budget of {budget}")
        names = case.space().names
        if algo.budget == len({params_key(p, names) for p in history.suggestions}):
            expect(asked(algo, 3) == [], "ask after the budget is spent must return []")


def _assert_plain(name: str, value: Any) -> None:
    if isinstance(value, (list, tuple)):
        for item in value:
            _assert_plain(name, item)
        return
    expect(
        isinstance(value, _PLAIN) and not isinstance(value, np.generic),
        f"{name}={value!r}: params must hold plain Python values, not {type(value).__name__}",
    )


__all__ = [
    "AlgorithmSuite", "Case", "History", "SPACES", "SuiteSpace", "algorithm_class", "as_trials", "asked",
    "assert_same_batches", "cases", "drive", "objective", "same_params", "space_params",
]
