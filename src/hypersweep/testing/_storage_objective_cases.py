"""Storage conformance cases: several metrics, constraints and feasibility."""
from __future__ import annotations

from dataclasses import replace

from hypersweep.records import Constraint, Metric
from hypersweep.storage.base import Storage
from hypersweep.testing._storage_common import C, F, make_spec


def _multi_spec(name: str):  # type: ignore[no-untyped-def]
    first = Metric("error", "minimize", reference=1.0)
    return replace(
        make_spec(name),
        metric=first,
        metrics=(first, Metric("latency_ms", "minimize"), Metric("accuracy", "maximize", reference=0.5)),
        constraints=(Constraint("memory_mb", max=512), Constraint("params_m", min=1.0, max=20.5)),
    )


class ObjectiveCases:
    """Metrics lists, references and constraints round-trip; feasibility is kept per trial."""

    def test_metrics_and_constraints_round_trip(self, storage: Storage, opener) -> None:  # type: ignore[no-untyped-def]
        spec = _multi_spec("mo")
        created = storage.create_sweep(spec)
        assert created.metrics == spec.metrics and created.constraints == spec.constraints
        got = opener().get_sweep("mo")  # another handle reads what was stored
        assert got.metric == Metric("error", "minimize", 1.0)
        assert got.metrics == spec.metrics
        assert got.constraints == spec.constraints

    def test_single_metric_sweep_reads_back_one_metric_and_no_constraints(self, storage: Storage) -> None:
        storage.create_sweep(make_spec("one"))
        got = storage.get_sweep("one")
        assert got.metrics == (got.metric,) and got.constraints == ()

    def test_feasibility_is_stored_with_the_finished_trial(self, storage: Storage, opener) -> None:  # type: ignore[no-untyped-def]
        storage.create_sweep(_multi_spec("mo"))
        metrics = {"error": 0.1, "latency_ms": 3.0, "accuracy": 0.9, "memory_mb": 600.0}
        done = storage.finish_trial("mo", storage.create_trial("mo", {}).id, C, value=0.1, metrics=metrics, feasible=False)
        assert done.feasible is False and done.metrics == metrics
        storage.finish_trial("mo", storage.create_trial("mo", {}).id, C, value=0.2, metrics=metrics, feasible=True)
        storage.finish_trial("mo", storage.create_trial("mo", {}).id, F, error="boom")
        reread = opener().get_trials("mo")
        assert [t.feasible for t in reread] == [False, True, None]
        assert reread[0].metrics == metrics

    def test_an_infeasible_trial_is_never_the_best_value(self, storage: Storage) -> None:
        storage.create_sweep(replace(make_spec("s"), constraints=(Constraint("memory_mb", max=512),)))
        for value, feasible in ((0.5, True), (0.1, False), (0.3, True)):
            storage.finish_trial("s", storage.create_trial("s", {}).id, C, value=value, feasible=feasible)
        (summary,) = storage.list_sweeps()
        assert summary.best_value == 0.3
