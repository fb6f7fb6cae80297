"""The user's own finished sweeps as meta-training tasks, and ``from_sweeps`` (no torch import
at module level).

Each sweep becomes one task: its completed trials encoded on the space's unit hypercube
(``Space.to_unit_many``) with responses turned so that larger is better. All sweeps must share
one search space (the same stored space definition), since a checkpoint is trained for one
encoding; a sweep with fewer than 3 completed trials or a constant metric teaches nothing and is
refused by name.

``from_sweeps`` (the ``generative`` option) meta-trains once, when a sweep is created, on sweeps
of the same store that share the new sweep's space, writes the checkpoint into the new sweep's
run folder (:data:`CHECKPOINT_FILE`) and stores the option resolved as ``{sweeps: [...],
checkpoint: PATH}``, so a resumed sweep or another worker loads that file and never retrains.
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from hypersweep.algorithms.creation import CreationContext, SweepStore
from hypersweep.exceptions import AlgorithmError, SpecError, SweepNotFoundError
from hypersweep.options import OptionValueError
from hypersweep.records import Direction, SweepSpec, TrialState
from hypersweep.space import Space

#: a task: unit points ``(n, d)`` and responses ``(n,)`` to maximize
Task = tuple[np.ndarray, np.ndarray]
MIN_TRIALS = 3
CHECKPOINT_FILE = "generative-from-sweeps.pt"
FROM_SWEEPS_RULE = "must be a list of names of finished sweeps in the same store, or null"
FIELD = "generative.from_sweeps"


def _canonical(space: Any) -> str:
    return json.dumps(space, sort_keys=True, default=str)


def _spec(storage: SweepStore, name: str, field: str) -> SweepSpec:
    try:
        return storage.get_sweep(name)
    except SweepNotFoundError:
        raise SpecError(f"{field}: no sweep {name!r} in this store; name finished sweeps of the same store") from None


def tasks_from_sweeps(
    storage: SweepStore, names: Sequence[str], *, field: str = "--from-sweeps", space: Space | None = None
) -> tuple[Space, dict[str, Task]]:
    """The shared space and ``{sweep name: (X, y)}`` of the named sweeps in ``storage``.

    ``field`` starts every error message; with ``space``, every sweep must search exactly it.

    Raises:
        SpecError: no names, a missing sweep, sweeps on different spaces (or not on ``space``),
            or a sweep with fewer than 3 completed trials (or a constant metric); the message
            names the sweep.
    """
    if not names:
        raise SpecError(f"{field}: name at least one finished sweep")
    specs = [_spec(storage, name, field) for name in dict.fromkeys(names)]
    first = specs[0]
    for spec in specs:
        if space is not None and _canonical(spec.space) != _canonical(space.to_matrix()):
            raise SpecError(
                f"{field}: sweep {spec.name!r} searches a different space from this sweep; name finished "
                "sweeps of this sweep's search space, or meta-train elsewhere and set checkpoint"
            )
        if _canonical(spec.space) != _canonical(first.space):
            raise SpecError(
                f"{field}: sweep {spec.name!r} searches a different space from {first.name!r}; "
                "meta-train only on sweeps that share one search space"
            )
    shared = Space.from_matrix(first.space)
    tasks: dict[str, Task] = {}
    for spec in specs:
        done = [t for t in storage.get_trials(spec.name, states=[TrialState.COMPLETED], with_reports=False)
                if t.value is not None and math.isfinite(float(t.value))]
        y = np.array([float(t.value) for t in done], dtype=np.float32)  # type: ignore[arg-type]
        if len(done) < MIN_TRIALS or np.ptp(y) == 0:
            raise SpecError(
                f"{field}: sweep {spec.name!r} has {len(done)} completed trials with "
                f"{'a constant' if len(done) >= MIN_TRIALS else 'too few'} values; "
                f"each sweep needs >= {MIN_TRIALS} completed trials with varying {spec.metric.name}"
            )
        X = shared.to_unit_many([t.params for t in done]).astype(np.float32)
        tasks[spec.name] = (X, y if spec.metric.direction is Direction.MAXIMIZE else -y)
    return shared, tasks


# -- the from_sweeps option ---------------------------------------------------------------------
def parse_from_sweeps(value: Any, field: str) -> list[str] | dict[str, Any]:
    """A list of sweep names (meta-train at creation), or the resolved ``{sweeps, checkpoint}``
    a sweep stores once trained (its checkpoint must exist)."""
    if isinstance(value, Mapping):
        sweeps, checkpoint = value.get("sweeps"), value.get("checkpoint")
        if set(value) != {"sweeps", "checkpoint"} or not isinstance(checkpoint, str):
            raise OptionValueError(FROM_SWEEPS_RULE)
        if not Path(checkpoint).is_file():
            raise AlgorithmError(
                f"{field}: the checkpoint {checkpoint} meta-trained when this sweep was created is missing; "
                "restore the file, or start a new sweep (from_sweeps trains once, at creation)"
            )
        return {"sweeps": _names(sweeps), "checkpoint": checkpoint}
    return _names(value)


def _names(value: Any) -> list[str]:
    if (isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value
            or not all(isinstance(v, str) and v for v in value)):
        raise OptionValueError(FROM_SWEEPS_RULE)
    return list(value)


def resolve_from_sweeps(names: list[str], space: Space, seed: int, steps: int,
                        context: CreationContext) -> list[str] | dict[str, Any]:
    """The resolved ``from_sweeps`` of the sweep ``context`` creates or continues.

    A stored sweep keeps the checkpoint it was created with (the same names required); a new one
    is meta-trained on ``names`` here, before its record exists, so a refused or interrupted
    training leaves no sweep behind. A stored sweep of another algorithm gets ``names`` back
    unresolved (the sweep's own definition check refuses it).
    """
    stored = context.existing()
    if stored is not None:
        previous = stored.options.get("from_sweeps") if stored.algorithm == "generative" else None
        if isinstance(previous, Mapping) and list(previous.get("sweeps", [])) == names:
            return {"sweeps": names, "checkpoint": str(previous["checkpoint"])}
        if stored.algorithm == "generative":
            raise SpecError(
                f"{FIELD}: sweep {context.sweep!r} already exists and was not meta-trained on {names} "
                "(from_sweeps trains once, when a sweep is created); continue it as stored, or give a new sweep name"
            )
        return names
    _, tasks = tasks_from_sweeps(context.store, names, field=FIELD, space=space)
    path = _meta_train(tasks, seed, steps, context)
    return {"sweeps": names, "checkpoint": str(path)}


def _meta_train(tasks: dict[str, Task], seed: int, steps: int, context: CreationContext) -> Path:
    """Meta-train on ``tasks`` with a progress display and write the checkpoint atomically."""
    try:
        from hypersweep.algorithms.generative.training import meta_train, save_checkpoint
    except ImportError:  # pragma: no cover - depends on the environment
        raise AlgorithmError(f"{FIELD}: meta-training needs PyTorch; pip install 'hypersweep[generative]'") from None
    bar = context.progress(steps, f"meta-training generative on {len(tasks)} sweeps")

    def step(done: int, bce: float) -> None:
        bar.update(1)
        if done % 20 == 0:
            bar.set_postfix_str(f"bce {bce:.3f}")

    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as 'hypersweep meta-train' trains by default: the same seed, the same network
    try:
        model, summary = meta_train(tasks, steps=steps, seed=seed, on_step=step)
    finally:
        torch.set_num_threads(threads)
        bar.close()
    summary.update(sweeps=list(tasks), seed=seed)
    context.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = context.folder / CHECKPOINT_FILE
    partial = context.folder / f".{CHECKPOINT_FILE}.{os.getpid()}.tmp"
    try:
        save_checkpoint(model, partial, summary)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.resolve()


__all__ = [
    "CHECKPOINT_FILE", "FROM_SWEEPS_RULE", "MIN_TRIALS", "SweepStore", "Task", "parse_from_sweeps",
    "resolve_from_sweeps", "tasks_from_sweeps",
]
