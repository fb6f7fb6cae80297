"""Rung bookkeeping rebuilt from stored trials: which configuration ran where, and how it did.

A multi-fidelity algorithm stores its schedule in each trial's ``meta`` (``schedule``,
``bracket``, ``rung``, ``config``, ``budget``, ``parent``). Everything here is recomputed from
the trials, so a runner killed in the middle of a bracket continues where it stopped: a rung
whose trials finished is never run again, a re-queued or retried trial stands in for its slot.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from hypersweep.records import Direction, Params, Trial, TrialState

SlotKey = tuple[Hashable, ...]


@dataclass
class Slot:
    """One configuration at one rung: its params and the trials that ran it (retries too)."""

    params: Params
    completed: list[Trial] = field(default_factory=list)
    pending: list[Trial] = field(default_factory=list)
    failed: list[Trial] = field(default_factory=list)

    @property
    def loss(self) -> float | None:
        """The latest completed value as a loss (lower is better); None if none completed."""
        if not self.completed:
            return None
        return self.completed[-1].value  # already a loss: see collect_slots

    @property
    def trial_id(self) -> int | None:
        """The trial whose result counts (the latest completed), for a promotion's parent."""
        return self.completed[-1].id if self.completed else None

    @property
    def done(self) -> bool:
        """Completed, or every attempt failed with none left running."""
        return bool(self.completed) or (not self.pending and bool(self.failed))


def space_params(params: Mapping[str, Any], resource: str) -> Params:
    """The configuration of a trial: its params without the budget."""
    return {k: v for k, v in params.items() if k != resource}


def collect_slots(
    trials: Iterable[Trial],
    *,
    schedules: Collection[str],
    key_fields: tuple[str, ...],
    resource: str,
    direction: Direction,
) -> dict[SlotKey, Slot]:
    """Group trials written by one of ``schedules`` (meta tags) by the meta fields ``key_fields``.

    Completed trials are kept with their value turned into a loss; failed and pruned ones
    count as failed attempts; waiting and running ones are pending. Trials of another
    algorithm (no ``schedule`` in meta, or another) are ignored.
    """
    slots: dict[SlotKey, Slot] = {}
    sign = direction.sign()
    for trial in sorted(trials, key=lambda t: t.id):
        meta = trial.meta
        if meta.get("schedule") not in schedules or any(k not in meta for k in key_fields):
            continue
        key = tuple(meta[k] for k in key_fields)
        slot = slots.setdefault(key, Slot(space_params(trial.params, resource)))
        if trial.state is TrialState.COMPLETED and trial.value is not None and math.isfinite(trial.value):
            slot.completed.append(_as_loss(trial, sign))
        elif trial.is_finished:
            slot.failed.append(trial)
        else:
            slot.pending.append(trial)
    return slots


def best_first(candidates: Iterable[tuple[int, Slot]]) -> list[tuple[int, Slot]]:
    """Completed slots by config index, lowest loss first (ties: lower index first)."""
    done = [(c, slot) for c, slot in candidates if slot.loss is not None]
    return sorted(done, key=lambda item: (item[1].loss, item[0]))


def _as_loss(trial: Trial, sign: float) -> Trial:
    return replace(trial, value=sign * float(trial.value))  # type: ignore[arg-type]
