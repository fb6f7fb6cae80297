"""``ProcessExecutor``: trials in local worker processes, one trial per process at a time.

Workers are forked where the platform allows, so closures and lambdas work as objectives; each
talks to the executor over a duplex pipe (messages in ``runner/worker.py``). A worker that dies
mid-trial gives ``Lost`` and is replaced; its process group and its command's group are killed
first, so nothing the trial started outlives it.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from hypersweep.exceptions import HypersweepError
from hypersweep.runner import trial_processes
from hypersweep.runner.executor import Event, Executor, Lost, Objective, Reported, TrialTask
from hypersweep.runner.worker import Decision, worker_main

JOIN_SECONDS = 5.0


@dataclass(eq=False)
class _Worker:
    """One process, its pipe end, the command group it publishes, and its task (None when idle)."""

    process: Any
    channel: Connection
    command_group: Any
    task: TrialTask | None = None

    def kill(self) -> None:
        """SIGKILL the worker with everything its trial started, and reap it."""
        trial_processes.kill_group(self.command_group.value)
        trial_processes.kill_group(self.process.pid)
        self.process.kill()  # in case it had not made its own group yet
        self.process.join(JOIN_SECONDS)


class ProcessExecutor(Executor):
    """Runs each trial in a worker process of this machine (``fork`` where available).

    Args:
        start_method: a ``multiprocessing`` start method; by default ``fork`` (``spawn`` on
            Windows, where objectives must then be importable functions).
    """

    def __init__(self, *, start_method: str | None = None) -> None:
        method = start_method or ("fork" if sys.platform != "win32" else "spawn")
        self._context = mp.get_context(method)
        self._objective: Objective | None = None
        self._workers: list[_Worker] = []

    def start(self, objective: Objective, *, slots: int) -> None:
        self._objective = objective
        self._workers = [self._spawn() for _ in range(slots)]

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        command_group = self._context.Value("i", 0, lock=False)
        process = self._context.Process(
            target=worker_main, args=(self._objective, child_end, command_group), daemon=True
        )
        process.start()
        try:  # also from this side, so a kill right after start reaches the whole group
            os.setpgid(process.pid, process.pid)
        except OSError:
            pass
        child_end.close()
        return _Worker(process, parent_end, command_group)

    @property
    def free_slots(self) -> int:
        return sum(worker.task is None for worker in self._workers)

    def submit(self, task: TrialTask) -> None:
        worker = next((w for w in self._workers if w.task is None), None)
        if worker is None:
            raise HypersweepError(f"trial {task.trial_id}: submitted with no free worker; wait for free_slots")
        worker.task = task
        worker.channel.send(task)

    def poll(self, timeout: float) -> list[Event]:
        by_handle: dict[Any, _Worker] = {}
        for worker in self._workers:
            by_handle[worker.process.sentinel] = worker
            if worker.task is not None:
                by_handle[worker.channel] = worker
        events: list[Event] = []
        dead: list[_Worker] = []
        for handle in wait(list(by_handle), timeout=timeout):
            worker = by_handle[handle]
            if worker in dead:
                continue
            if handle is worker.channel:
                try:
                    events.append(self._received(worker, worker.channel.recv()))
                    continue
                except (EOFError, OSError):
                    pass
            events.extend(self._drain(worker))  # what it sent before dying comes first
            dead.append(worker)
        for worker in dead:
            events.extend(self._replace(worker))
        return events

    def _received(self, worker: _Worker, event: Event) -> Event:
        if not isinstance(event, Reported):
            worker.task = None
        return event

    def _drain(self, worker: _Worker) -> list[Event]:
        events = []
        try:
            while worker.task is not None and worker.channel.poll():
                events.append(self._received(worker, worker.channel.recv()))
        except (EOFError, OSError):
            pass
        return events

    def _replace(self, worker: _Worker) -> list[Event]:
        """Swap a dead worker for a fresh one; ``Lost`` for the trial it was running."""
        worker.kill()
        code = worker.process.exitcode
        worker.channel.close()
        self._workers[self._workers.index(worker)] = self._spawn()
        if worker.task is None:
            return []
        task = worker.task
        return [Lost(task.trial_id, task.attempt, f"worker process died (exit code {code}) while running the trial")]

    def answer(self, report: Reported, stop: bool) -> None:
        for worker in self._workers:
            task = worker.task
            if task is not None and (task.trial_id, task.attempt) == (report.trial_id, report.attempt):
                try:
                    worker.channel.send(Decision(stop))
                except (BrokenPipeError, OSError):  # it died meanwhile: poll reports that
                    pass
                return

    def cancel(self, trial_id: int) -> None:
        for index, worker in enumerate(self._workers):
            if worker.task is not None and worker.task.trial_id == trial_id:
                worker.kill()
                worker.channel.close()
                self._workers[index] = self._spawn()
                return

    def shutdown(self, *, kill: bool) -> None:
        for worker in self._workers:
            if worker.task is None:
                try:
                    worker.channel.send(None)
                except (BrokenPipeError, OSError):
                    pass
            elif kill:
                worker.kill()
        for worker in self._workers:
            worker.process.join(JOIN_SECONDS)
            if worker.process.is_alive():
                worker.kill()
            worker.channel.close()
        self._workers = []
