"""The Storage base class: it validates every call once, and a backend must implement every hook."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from hypersweep.exceptions import InvalidRecordError, TrialStateError
from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage.base import Storage
from hypersweep.storage.memory import MemoryStorage

RUNNER_HOOKS = ["_create_trial_at", "_set_sweep_attr", "_get_sweep_attrs", "_requeue_orphans", "_reap_stale_trials"]


def _stub(self: Storage, *args: Any, **kwargs: Any) -> None:
    return None


def test_every_public_call_has_an_abstract_hook():
    public = {
        name for name, value in vars(Storage).items()
        if callable(value) and not name.startswith("_") and name != "close"
    }
    assert Storage.__abstractmethods__ == {f"_{name}" for name in public}


@pytest.mark.parametrize("missing", RUNNER_HOOKS)
def test_a_backend_missing_a_hook_cannot_be_instantiated(missing):
    hooks = {name: _stub for name in Storage.__abstractmethods__}
    partial = type("Partial", (Storage,), {k: v for k, v in hooks.items() if k != missing})
    with pytest.raises(TypeError, match=missing):
        partial()
    type("Complete", (Storage,), hooks)()  # with every hook it loads


class SpyStorage(MemoryStorage):
    """The memory backend, recording what its hooks receive."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattribute__(self, name: str) -> Any:
        value = super().__getattribute__(name)
        if name in Storage.__abstractmethods__:
            calls = super().__getattribute__("calls")

            def spy(*args: Any, **kwargs: Any) -> Any:
                calls.append((name, args, kwargs))
                return value(*args, **kwargs)

            return spy
        return value


@pytest.fixture
def spy() -> SpyStorage:
    store = SpyStorage()
    store.create_sweep(SweepSpec("s", {"x": {"uniform": [0, 1]}}, Metric("loss")))
    store.create_trial("s", {"x": 0.5})
    store.calls.clear()
    return store


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.create_sweep(SweepSpec("", {}, Metric("loss"))),
        lambda s: s.create_sweep(SweepSpec("p", {}, Metric("loss"), pruner=["median"])),  # type: ignore[arg-type]
        lambda s: s.create_trial("s", {"x": float("nan")}),
        lambda s: s.create_trial("s", {"x": 1}, state="completed"),
        lambda s: s.create_trial("s", {"x": 1}, worker="w\x00"),
        lambda s: s.create_trial_at("s", {"x": 1}, trial_id="1"),
        lambda s: s.create_trial("s", {"x": 1}, meta={"budget": float("inf")}),
        lambda s: s.claim_waiting_trial("s", worker=5),
        lambda s: s.add_report("s", 0, -1, 1.0),
        lambda s: s.add_report("s", 0, 0, float("nan")),
        lambda s: s.finish_trial("s", 0, "running"),
        lambda s: s.finish_trial("s", 0, TrialState.COMPLETED, metrics={"acc": "high"}),
        lambda s: s.finish_trial("s", 0, TrialState.COMPLETED, value=1.0, feasible="yes"),
        lambda s: s.get_trial("s", 1.5),
        lambda s: s.get_trials("s", ids=["x"]),
        lambda s: s.get_trials("s", states=["done"]),
        lambda s: s.set_sweep_attr("s", "k", {1: "non-string key"}),
        lambda s: s.reap_stale_trials("s", stale_before=datetime(2026, 1, 1), max_retries=1, reason="r"),
        lambda s: s.reap_stale_trials("s", stale_before=datetime.now(timezone.utc), max_retries=-1, reason="r"),
    ],
)
def test_invalid_arguments_never_reach_a_hook(spy, call):
    with pytest.raises((InvalidRecordError, TrialStateError)):
        call(spy)
    assert spy.calls == []


def test_hooks_receive_normalized_arguments(spy):
    spy.create_trial("s", {"u": (1, 2)}, state="waiting")
    spy.finish_trial("s", 0, "completed", value=1, metrics={"acc": 1}, error="bad\x00")
    spy.get_trials("s", ids=[3, 1, 1], states="completed")
    later = datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    spy.reap_stale_trials("s", stale_before=later, max_retries=0, reason="lost")
    spy.set_sweep_attr("s", "file", ("a", 1))
    assert spy.calls == [
        ("_create_trial", ("s", {"u": [1, 2]}), {"state": TrialState.WAITING, "worker": None, "meta": {}}),
        ("_finish_trial", ("s", 0, TrialState.COMPLETED), {"value": 1.0, "metrics": {"acc": 1.0}, "error": "bad\\x00", "feasible": None}),
        ("_get_trials", ("s",), {"states": (TrialState.COMPLETED,), "with_reports": True, "ids": (1, 3)}),
        ("_reap_stale_trials", ("s",), {"stale_before": later, "max_retries": 0, "reason": "lost"}),
        ("_set_sweep_attr", ("s", "file", '["a",1]'), {}),
    ]
    assert spy.calls[3][2]["stale_before"].tzinfo is timezone.utc
