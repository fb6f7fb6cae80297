"""Ctrl-C and SIGTERM that land only between steps, never in the middle of a store write.

SIGTERM is what Docker, Slurm and Kubernetes send to stop a job; it is treated like Ctrl-C.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class DeferredInterrupt:
    """While installed, SIGINT and SIGTERM raise KeyboardInterrupt only inside ``interruptible()``;
    elsewhere they are remembered and raised at the next ``checkpoint()``. ``received`` is the
    last such signal (None before any)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._pending = False
        self._interruptible = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> "DeferredInterrupt":
        if threading.current_thread() is threading.main_thread():
            self._previous = {signum: signal.signal(signum, self._on_signal) for signum in SIGNALS}
        return self

    def __exit__(self, *exc: Any) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum
        if self._interruptible:
            raise KeyboardInterrupt
        self._pending = True

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        """A section (waiting on trials) that a signal may cut short at once."""
        self.checkpoint()
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False

    def checkpoint(self) -> None:
        """Raise KeyboardInterrupt if a signal arrived since the last check."""
        if self._pending:
            self._pending = False
            raise KeyboardInterrupt
