"""A fixed set of worker processes, each with a duplex pipe, waited on together."""
from __future__ import annotations

import multiprocessing as mp
import sys
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from hypersweep.records import Trial
from hypersweep.runner.worker import worker_main


@dataclass
class Worker:
    """One process, its pipe end, and the trial it is running (None when idle)."""

    process: Any
    channel: Connection
    trial: Trial | None = None


@dataclass(frozen=True)
class Event:
    """Something a worker said (``message``) or the worker's death (``message`` is None)."""

    worker: Worker
    message: tuple | None


class WorkerPool:
    """``size`` processes running ``objective``; fork where available so closures work."""

    def __init__(self, objective: Callable[..., Any], size: int, *, start_method: str | None = None) -> None:
        method = start_method or ("fork" if sys.platform != "win32" else "spawn")
        self._context = mp.get_context(method)
        self._objective = objective
        self.workers = [self._start() for _ in range(size)]

    def _start(self) -> Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(target=worker_main, args=(self._objective, child_end), daemon=True)
        process.start()
        child_end.close()
        return Worker(process, parent_end)

    @property
    def idle(self) -> list[Worker]:
        return [w for w in self.workers if w.trial is None]

    @property
    def busy(self) -> list[Worker]:
        return [w for w in self.workers if w.trial is not None]

    def submit(self, worker: Worker, trial: Trial, where: dict[str, Any] | None = None) -> None:
        """Hand ``trial`` to an idle ``worker``; ``where``: its meta and folders (see worker.py)."""
        worker.trial = trial
        worker.channel.send(("run", trial.id, dict(trial.params), dict(where or {})))

    def wait(self, timeout: float) -> list[Event]:
        """Messages from busy workers, and deaths of any worker, within ``timeout`` seconds."""
        by_handle: dict[Any, Worker] = {}
        for worker in self.workers:
            by_handle[worker.process.sentinel] = worker
            if worker.trial is not None:
                by_handle[worker.channel] = worker
        events: list[Event] = []
        dead: set[int] = set()
        for handle in wait(list(by_handle), timeout=timeout):
            worker = by_handle[handle]
            if handle is worker.channel:
                try:
                    events.append(Event(worker, worker.channel.recv()))
                    continue
                except (EOFError, OSError):
                    pass
            if id(worker) not in dead:
                dead.add(id(worker))
                events.append(Event(worker, None))
        return events

    def replace(self, worker: Worker) -> None:
        """Swap a dead worker for a fresh process."""
        worker.process.join(timeout=1)
        worker.channel.close()
        self.workers[self.workers.index(worker)] = self._start()

    def shutdown(self, *, kill: bool) -> None:
        """Stop every worker: politely when idle, by SIGTERM then SIGKILL when ``kill``."""
        for worker in self.workers:
            if not kill and worker.trial is None:
                try:
                    worker.channel.send(None)
                except (BrokenPipeError, OSError):
                    pass
            else:
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.channel.close()
