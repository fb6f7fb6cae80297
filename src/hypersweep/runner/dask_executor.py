"""``DaskExecutor``: each trial is a Dask task; reports and answers travel through Dask queues.

Every task says on the sweep's event queue (on the scheduler) when it starts and where, puts each
report there before it waits for the answer on its own answer queue, and ends by putting its
terminal event there (pickled), so a trial's messages reach the driver in order. A
driver thread blocks on the event queue, so a report or a finished trial wakes ``poll`` at once
(and no queue read ever times out on the scheduler, which would log an error each time). Dask
re-runs a task whose worker died; the driver sees the worker gone (or the task start again) and
gives ``Lost`` once, then lets the Runner decide about the retry. Dask is imported only here, and
only when the executor starts.
"""
from __future__ import annotations

import pickle
import queue
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hypersweep.exceptions import SpecError
from hypersweep.runner import trial_processes
from hypersweep.runner.executor import Errored, Event, Lost, Objective, Reported, TerminalEvent, TrialTask
from hypersweep.runner.remote import ANSWER_SECONDS, ClusterExecutor, require
from hypersweep.runner.resources import Resources
from hypersweep.runner.run_task import run_task

LIVENESS_SECONDS = 1.0  # how often the driver checks that running trials' tasks and workers are alive
JOIN_SECONDS = 5.0
STARTED, REPORT, ENDED, QUIT = "started", "report", "ended", "quit"


@dataclass(eq=False)
class _Held:
    """A submitted attempt: its future, the worker it started on, and the driver's answer queue."""

    task: TrialTask
    future: Any
    worker: str | None = None
    answers: Any = None


class DaskExecutor(ClusterExecutor):
    """Runs trials as tasks of a Dask cluster.

    Args:
        address: the scheduler to join (``"tcp://host:8786"``); None starts a ``LocalCluster``
            of worker processes, one thread each, one per slot unless ``cluster_options`` say.
        resources: what each trial asks for; on Dask these are worker resources named ``CPU``,
            ``GPU`` and ``MEMORY`` (megabytes) that the workers must declare
            (``dask worker ADDRESS --resources "GPU=1"``); one CPU needs no declaration.
        cluster_options: more keyword arguments for ``LocalCluster`` (e.g. ``n_workers=4``).
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        resources: Resources | Mapping[str, Any] | None = None,
        **cluster_options: Any,
    ) -> None:
        super().__init__(address, resources=resources, **cluster_options)
        self._distributed: Any = None
        self._cluster: Any = None
        self._client: Any = None
        self._slots = 0
        self._held: dict[tuple[int, int], _Held] = {}
        self._prefix = f"hypersweep-{uuid.uuid4().hex}"
        self._events: Any = None
        self._inbox: queue.Queue[list[Any]] = queue.Queue()
        self._listener: threading.Thread | None = None
        self._objective = b""
        self._requests: dict[str, float] = {}
        self._next_liveness = 0.0

    def start(self, objective: Objective, *, slots: int) -> None:
        distributed = self._distributed = require("distributed", executor="dask", extra="dask")
        if self.address is None:
            options = {"n_workers": slots, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
            self._cluster = distributed.LocalCluster(**{**options, **self.engine_options})
            self._client = distributed.Client(self._cluster)
        else:
            self._client = distributed.Client(self.address)
        self._slots = slots
        self._requests = self._resource_requests()
        self._events = distributed.Queue(f"{self._prefix}-events", client=self._client)
        self._listener = threading.Thread(target=self._listen, name="hypersweep-dask-events", daemon=True)
        self._listener.start()
        self._objective = require("cloudpickle", executor="dask", extra="dask").dumps(objective)

    def _listen(self) -> None:
        """Move messages from the scheduler's event queue to ``_inbox`` until told to quit."""
        while True:
            message = self._events.get()
            if message[0] == QUIT:
                return
            self._inbox.put(message)

    def _resource_requests(self) -> dict[str, float]:
        """Dask worker resources for ``self.resources``, checked against what the workers declare."""
        request = self.resources
        wanted = {"CPU": request.cpus if request.cpus != 1 else 0, "GPU": request.gpus, "MEMORY": request.memory_mb or 0}
        field = {"CPU": "cpus", "GPU": "gpus", "MEMORY": "memory_mb"}
        workers = self._client.scheduler_info(n_workers=-1)["workers"].values()
        declared = {name for worker in workers for name in worker.get("resources", {})}
        for name, amount in wanted.items():
            if amount and workers and name not in declared:
                raise SpecError(
                    f"resources.{field[name]}: no Dask worker declares {name}; start workers with "
                    f"dask worker ADDRESS --resources \"{name}=N\""
                )
        return {name: amount for name, amount in wanted.items() if amount}

    @property
    def free_slots(self) -> int:
        return self._slots - len(self._held)

    def submit(self, task: TrialTask) -> None:
        future = self._client.submit(
            _run_on_dask, self._objective, task, self._prefix,
            key=f"{self._prefix}-{task.trial_id}-{task.attempt}", resources=self._requests or None, pure=False,
        )
        self._held[(task.trial_id, task.attempt)] = _Held(task, future)

    def poll(self, timeout: float) -> list[Event]:
        deadline = time.monotonic() + timeout
        while True:
            wait = max(0.0, min(deadline - time.monotonic(), LIVENESS_SECONDS))
            events = self._read(self._receive(wait))
            events.extend(self._check_held())
            if events or time.monotonic() >= deadline:
                return events

    def _receive(self, wait: float) -> list[list[Any]]:
        """Messages of the event queue: the first within ``wait`` seconds, then all that are there."""
        messages = []
        try:
            messages.append(self._inbox.get(timeout=wait) if wait > 0 else self._inbox.get_nowait())
            while True:
                messages.append(self._inbox.get_nowait())
        except queue.Empty:
            return messages

    def _read(self, messages: list[list[Any]]) -> list[Event]:
        events: list[Event] = []
        for kind, trial_id, attempt, *rest in messages:
            held = self._held.get((trial_id, attempt))
            if kind == REPORT:
                events.append(Reported(trial_id, attempt, rest[0], rest[1]))
            elif held is None:
                continue
            elif kind == STARTED and held.worker is not None:  # Dask ran it again: its first worker died
                events.append(self._lose(held, f"Dask worker {held.worker} died while running the trial"))
            elif kind == STARTED:
                held.worker = rest[0]
            elif kind == ENDED:
                self._release(held)
                events.append(pickle.loads(rest[0]))
        return events

    def _check_held(self) -> list[Event]:
        """Every second: trials whose task failed outside the objective, or whose worker left."""
        now = time.monotonic()
        if not self._held or now < self._next_liveness:
            return []
        self._next_liveness = now + LIVENESS_SECONDS
        events: list[Event] = []
        for held in [h for h in self._held.values() if h.future.status in ("error", "cancelled")]:
            events.append(self._failed(held))
        started = [held for held in self._held.values() if held.worker is not None]
        alive = self._client.scheduler_info(n_workers=-1)["workers"] if started else {}
        for held in started:
            if held.worker not in alive:
                events.append(self._lose(held, f"Dask worker {held.worker} died while running the trial"))
        return events

    def _failed(self, held: _Held) -> TerminalEvent:
        """The event of a task that failed before it could say how its trial ended."""
        task = held.task
        self._release(held)
        exc = held.future.exception() if held.future.status == "error" else None
        if exc is None or type(exc).__name__ == "KilledWorker":
            return Lost(task.trial_id, task.attempt, f"Dask lost the trial's task: {exc or 'cancelled'}")
        return Errored(task.trial_id, task.attempt, f"{type(exc).__name__}: {exc}")

    def _lose(self, held: _Held, reason: str) -> Lost:
        self._release(held)
        held.future.cancel()  # Dask would run it again; the Runner decides about the retry
        return Lost(held.task.trial_id, held.task.attempt, reason)

    def _release(self, held: _Held) -> None:
        self._held.pop((held.task.trial_id, held.task.attempt), None)
        if held.answers is not None:
            held.answers.close()

    def answer(self, report: Reported, stop: bool) -> None:
        name = _answer_queue(self._prefix, report.trial_id, report.attempt)
        held = self._held.get((report.trial_id, report.attempt))
        if held is None:  # a run of an attempt no longer held: tell it once, keep no queue for it
            queue = self._distributed.Queue(name, client=self._client)
            queue.put([report.step, stop])
            queue.close()
            return
        if held.answers is None:
            held.answers = self._distributed.Queue(name, client=self._client)
        held.answers.put([report.step, stop])

    def cancel(self, trial_id: int) -> None:
        for held in [h for h in self._held.values() if h.task.trial_id == trial_id]:
            self._release(held)
            held.future.cancel()
            if held.worker is not None:  # Dask cannot interrupt a running task: restart its worker
                self._client.run(trial_processes.kill_command_group, workers=[held.worker])
                self._client.restart_workers([held.worker], raise_for_error=False)

    def shutdown(self, *, kill: bool) -> None:
        if self._client is None:
            return
        held = list(self._held.values())
        for item in held:
            self._release(item)
            item.future.cancel()
        if kill and held and self._cluster is None:
            workers = sorted({item.worker for item in held if item.worker is not None})
            if workers:
                self._client.restart_workers(workers, raise_for_error=False)
        if self._events is not None:  # None when start failed before making it
            self._events.put([QUIT])
            if self._listener is not None:
                self._listener.join(timeout=JOIN_SECONDS)
            self._events.close()
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


def _answer_queue(prefix: str, trial_id: int, attempt: int) -> str:
    return f"{prefix}-answer-{trial_id}-{attempt}"


@dataclass
class _CommandGroup:
    """Where ``trial_processes`` notes the process group of the trial's running command."""

    value: int = 0


_event_queues: dict[str, Any] = {}  # in a worker process: the event queue of each sweep run, made once


def _run_on_dask(pickled: bytes, task: TrialTask, prefix: str) -> None:
    """The Dask task: run one trial here, telling the driver through the sweep's queues."""
    from distributed import Queue, get_worker

    attempt = [task.trial_id, task.attempt]
    trial_processes.publish_through(_CommandGroup())  # so that cancel can kill the trial's command
    events = _event_queues.get(prefix)
    if events is None:
        events = _event_queues[prefix] = Queue(f"{prefix}-events")
    events.put([STARTED, *attempt, get_worker().address])
    answers: Any = None
    stopped = False

    def ask_pruner(step: int, value: float) -> bool:
        nonlocal stopped, answers
        if answers is None:
            answers = Queue(_answer_queue(prefix, task.trial_id, task.attempt))
        events.put([REPORT, *attempt, step, value])
        deadline = time.monotonic() + ANSWER_SECONDS
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                answered, stop = answers.get(timeout=remaining)
            except TimeoutError:
                break
            stopped = stopped or stop
            if answered >= step:
                break
        return stopped

    try:
        event = _run_pickled(pickled, task, ask_pruner)
    finally:
        if answers is not None:
            answers.close()
    events.put([ENDED, *attempt, pickle.dumps(event)])


def _run_pickled(pickled: bytes, task: TrialTask, ask_pruner: Callable[[int, float], bool]) -> TerminalEvent:
    """``run_task`` on the unpickled objective; an objective that cannot be unpickled here errs."""
    import cloudpickle

    try:
        objective = cloudpickle.loads(pickled)
    except Exception:  # noqa: BLE001 -- e.g. its module is not installed on this worker
        return Errored(task.trial_id, task.attempt, traceback.format_exc())
    return run_task(objective, task, ask_pruner)
