"""Ctrl-C that lands only between steps, never in the middle of a store write."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


class DeferredInterrupt:
    """While installed, SIGINT raises KeyboardInterrupt only inside ``interruptible()``;
    elsewhere it is remembered and raised at the next ``checkpoint()``."""

    def __init__(self) -> None:
        self._pending = False
        self._interruptible = False
        self._previous: Any = None

    def __enter__(self) -> "DeferredInterrupt":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_signal)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._interruptible:
            raise KeyboardInterrupt
        self._pending = True

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        """A section (waiting on workers) that Ctrl-C may cut short at once."""
        self.checkpoint()
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False

    def checkpoint(self) -> None:
        """Raise KeyboardInterrupt if Ctrl-C arrived since the last check."""
        if self._pending:
            self._pending = False
            raise KeyboardInterrupt
