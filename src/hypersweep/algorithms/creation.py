"""What an algorithm may read when a sweep using it is created or continued (no storage import).

``Sweep`` hands every algorithm a :class:`CreationContext` before it creates (or matches) the
sweep record, through ``Algorithm.resolve_options``; ``generative``'s ``from_sweeps`` meta-trains
on other sweeps of the same store there. The store is seen only through :class:`SweepStore`, so
this layer never imports ``storage``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from hypersweep.exceptions import SweepNotFoundError
from hypersweep.records import SweepSpec, Trial, TrialState


class SweepStore(Protocol):
    """What an algorithm may read from a store (``hypersweep.storage.Storage`` has it)."""

    def get_sweep(self, name: str) -> SweepSpec: ...

    def get_trials(self, sweep: str, *, states: Iterable[TrialState] | None = None,
                   with_reports: bool = True) -> list[Trial]: ...


class Steps(Protocol):
    """A progress display of a fixed number of steps (a tqdm bar has this shape)."""

    def update(self, n: int = 1) -> None: ...

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class CreationContext:
    """The sweep being created or continued, as an algorithm sees it.

    Attributes:
        store: the sweep's store (read-only use: other sweeps' definitions and trials).
        sweep: the sweep's name.
        folder: where files of this sweep live (its run folder; may not exist yet).
        progress: ``progress(total, description)`` opens a display of ``total`` steps.
    """

    store: SweepStore
    sweep: str
    folder: Path
    progress: Callable[[int, str], Steps]

    def existing(self) -> SweepSpec | None:
        """The stored definition of this sweep, or None when it is being created."""
        try:
            return self.store.get_sweep(self.sweep)
        except SweepNotFoundError:
            return None


__all__ = ["CreationContext", "Steps", "SweepStore"]
