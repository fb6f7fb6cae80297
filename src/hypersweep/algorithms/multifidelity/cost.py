"""What trials cost in resource units (epochs, data fraction, ...): a sweep's ``max_resource`` budget.

A trial trained to budget ``b`` costs ``b``; one that resumes its parent's training (meta ``resume``
and ``parent``) costs only the new part, ``b - b_parent``. Running and queued trials count at
their full cost (they are committed), as do failed and pruned ones (how far they got is not known).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypersweep.records import Trial, is_finite_number


def trial_cost(trial: Trial, by_id: Mapping[int, Trial], resource: str) -> float:
    """Resource units ``trial`` trains: its budget, minus its parent's when it resumes the parent."""
    budget = _budget(trial, resource)
    parent = trial.meta.get("parent")
    if trial.meta.get("resume") and parent in by_id:
        return max(0.0, budget - _budget(by_id[parent], resource))
    return budget


def resource_spent(trials: Sequence[Trial], resource: str) -> float:
    """Total resource units of ``trials`` (each counted once; parents looked up among them)."""
    by_id = {t.id: t for t in trials}
    return sum(trial_cost(t, by_id, resource) for t in by_id.values())


def _budget(trial: Trial, resource: str) -> float:
    value = trial.params.get(resource)
    return float(value) if is_finite_number(value) else 0.0


__all__ = ["resource_spent", "trial_cost"]
