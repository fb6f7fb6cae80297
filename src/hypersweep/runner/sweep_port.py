"""What the Runner needs from a sweep (``api.Sweep`` provides it), so runner never imports api."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from hypersweep.records import Metric, Objectives, Trial


class RunnableSweep(Protocol):
    """Ask, report and tell, plus the upkeep of a run: retries, re-queues, heartbeats, stop flag."""

    @property
    def name(self) -> str: ...

    @property
    def metric(self) -> Metric: ...

    @property
    def objectives(self) -> Objectives: ...

    @property
    def waiting(self) -> bool: ...

    @property
    def best(self) -> Trial | None: ...

    @property
    def best_trials(self) -> list[Trial]: ...

    def ask(
        self, *, max_trials: int | None = None, max_resource: float | None = None, queued_only: bool = False
    ) -> Trial | None: ...

    def report(self, trial: Trial | int, step: int, value: float) -> bool: ...

    def tell(self, trial: Trial | int, result: Any) -> Trial: ...

    def retry(self, trial: Trial | int, reason: str, *, max_retries: int) -> tuple[Trial, Trial | None]: ...

    def requeue(self, trial: Trial | int) -> Trial: ...

    def keep_alive(
        self, holding: Iterable[int], *, heartbeat_grace: float, max_retries: int
    ) -> tuple[list[int], list[tuple[int, int | None]]]: ...

    def recover_orphans(self) -> list[int]: ...

    def stop_requested(self) -> str | None: ...

    def completed_trials(self) -> list[Trial]: ...
