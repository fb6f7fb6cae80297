"""The data of the dashboard's Pareto page: every completed trial on the sweep's metrics, the
feasible front and the hypervolume after each trial (read through ``Storage`` only)."""
from __future__ import annotations

from typing import Any

from hypersweep.best import front_reference, hypervolume_history, pareto_front
from hypersweep.records import TrialState, is_finite_number
from hypersweep.storage import Storage


def pareto_data(store: Storage, name: str) -> dict[str, Any]:
    """``{name, metrics, constraints, points, front, reference, hypervolume}``, JSON-ready.

    ``points``: one per completed trial (``id``, ``values`` per metric, ``feasible``, ``front``);
    ``hypervolume``: ``[trial id, hypervolume of the feasible front after it]`` for each finished
    trial, measured from ``reference`` (the metrics' own reference, else the worst value seen plus
    a tenth of the range, as losses: maximized metrics are negated).
    """
    spec = store.get_sweep(name)
    objectives = spec.objectives
    trials = store.get_trials(name, with_reports=False)
    front = {t.id for t in pareto_front(trials, objectives)}
    names = [m.name for m in objectives.metrics]
    points = [
        {
            "id": t.id,
            "values": {n: t.metrics[n] if is_finite_number(t.metrics.get(n)) else None for n in names},
            "feasible": t.feasible,
            "front": t.id in front,
        }
        for t in trials
        if t.state is TrialState.COMPLETED
    ]
    reference = front_reference(trials, objectives)
    history = [] if reference is None else hypervolume_history(trials, objectives, reference)
    return {
        "name": spec.name,
        "metrics": [m.spec() for m in objectives.metrics],
        "constraints": [c.spec() for c in objectives.constraints],
        "points": points,
        "front": sorted(front),
        "reference": None if reference is None else [float(r) for r in reference],
        "hypervolume": [[trial_id, volume] for trial_id, volume in history],
    }
