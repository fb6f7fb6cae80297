"""The base class: declared options, the ``ask`` template, the budget and enumeration helpers."""
from __future__ import annotations

from typing import ClassVar

import pytest

import hypersweep.space as sp
from hypersweep.algorithms import algorithm_class
from hypersweep.algorithms.base import ENUMERATION_LIMIT, Algorithm
from hypersweep.exceptions import AlgorithmError
from hypersweep.options import OptionSet, integer
from hypersweep.records import Params, Trial, TrialState

SPACE = sp.Space({"x": sp.uniform(0, 1)})


class Counting(Algorithm):
    """Proposes ``{"x": 0.5}`` and records what ``_ask`` was given."""

    name: ClassVar[str] = "counting"
    OPTIONS: ClassVar[OptionSet] = OptionSet("counting", integer("cap", None, minimum=0, optional=True))

    def __init__(self, space: sp.Space, **options: object) -> None:
        super().__init__(space, **options)
        self.calls: list[tuple[int, list[int], int]] = []

    def _trial_cap(self) -> int | None:
        return self.options["cap"]

    def _ask(self, n: int, waiting: list[Trial], n_seen: int) -> list[Params]:
        self.calls.append((n, [t.id for t in waiting], n_seen))
        return [{"x": 0.5}] * n


def _trial(i: int, state: TrialState = TrialState.COMPLETED) -> Trial:
    return Trial(id=i, params={"x": 0.1 * i}, state=state, value=1.0 if state is TrialState.COMPLETED else None)


def test_options_are_parsed_into_options_and_settings_lists_the_changed_ones() -> None:
    assert Counting(SPACE).options == {"cap": None} and Counting(SPACE).settings() == {}
    assert Counting(SPACE, cap=3.0).settings() == {"cap": 3}
    with pytest.raises(AlgorithmError, match=r"^counting: unknown option 'cpa' \(did you mean 'cap'\?\); options are: cap$"):
        Counting(SPACE, cpa=3)


def test_ask_checks_n_and_never_calls_the_hook_for_zero() -> None:
    algo = Counting(SPACE)
    assert algo.ask(0) == [] and algo.calls == []
    with pytest.raises(AlgorithmError, match="ask: n must be a non-negative integer"):
        algo.ask(-1)


def test_ask_hands_the_hook_unfinished_pending_trials_once_and_the_count_seen() -> None:
    algo = Counting(SPACE)
    algo.tell([_trial(0), _trial(1)])
    running = _trial(2, TrialState.RUNNING)
    algo.ask(2, pending=[_trial(1, TrialState.RUNNING), running, running])
    assert algo.calls == [(2, [2], 3)]


def test_ask_stops_at_the_trial_cap() -> None:
    algo = Counting(SPACE, cap=3)
    algo.tell([_trial(0)])
    assert len(algo.ask(5, pending=[_trial(1, TrialState.RUNNING)])) == 1
    algo.tell([_trial(1), _trial(2)])
    assert algo.ask(5) == [] and len(algo.calls) == 1


def test_budgets_are_capped_by_the_grid_on_discrete_spaces_only() -> None:
    discrete = Counting(sp.Space({"a": sp.values([1, 2, 3])}))
    assert discrete._within_grid(None) == 3 and discrete._within_grid(2) == 2 and discrete._within_grid(7) == 3
    assert Counting(SPACE)._within_grid(7) == 7 and Counting(SPACE)._within_grid(None) is None


def test_one_enumeration_limit() -> None:
    assert Counting(sp.Space({"a": sp.range(0, ENUMERATION_LIMIT, 1)}))._enumerable()
    assert not Counting(sp.Space({"a": sp.range(0, ENUMERATION_LIMIT + 1, 1)}))._enumerable()
    assert not Counting(SPACE)._enumerable()
    for name in ("random", "bo", "smac"):
        assert algorithm_class(name)._enumerable is Algorithm._enumerable
