"""``RayExecutor``: each trial is a Ray task; reports travel through one mailbox actor.

The objective is put once in Ray's object store. Each task runs ``run_task`` on a Ray worker and
returns its terminal event; ``trial.report`` sends ``Reported`` to the mailbox actor (placed on the
driver's node, so that losing a worker node does not lose it) and waits there (up to ``ANSWER_SECONDS``) for the Runner's answer. Ray's own task retries are off, so a
dead worker gives ``Lost`` and the Runner decides about the retry. Ray is imported only here,
and only when the executor starts.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Any

from hypersweep.runner.executor import Errored, Event, Lost, Objective, Reported, TerminalEvent, TrialTask
from hypersweep.runner.remote import ANSWER_SECONDS, CANCEL_GRACE_SECONDS, ClusterExecutor, require
from hypersweep.runner.resources import Resources
from hypersweep.runner.run_task import run_task


class RayExecutor(ClusterExecutor):
    """Runs trials as tasks of a Ray cluster.

    Args:
        address: the cluster to join (``"auto"``, ``"ray://host:10001"``); None starts a local
            one. When Ray is already initialized in this process, that session is used.
        resources: what each trial asks for (``{"cpus": 1, "gpus": 0, "memory_mb": 2048}``).
        init_options: more keyword arguments for ``ray.init`` (e.g. ``num_cpus=4``).
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        resources: Resources | Mapping[str, Any] | None = None,
        **init_options: Any,
    ) -> None:
        super().__init__(address, resources=resources, **init_options)
        self._ray: Any = None
        self._owns_session = False
        self._slots = 0
        self._running: dict[Any, TrialTask] = {}  # task ref -> its task
        self._cancelled: dict[Any, float] = {}  # task ref -> when its worker gets killed
        self._mailbox: Any = None
        self._mail: Any = None  # the pending ``wait_events`` call
        self._task: Any = None
        self._objective: Any = None

    def start(self, objective: Objective, *, slots: int) -> None:
        ray = self._ray = require("ray", executor="ray", extra="ray")
        if not ray.is_initialized():
            ray.init(address=self.address, include_dashboard=False, **self.engine_options)
            self._owns_session = True
        self._slots = slots
        self._objective = ray.put(objective)
        here = ray.util.scheduling_strategies.NodeAffinitySchedulingStrategy(ray.get_runtime_context().get_node_id(), soft=True)
        self._mailbox = ray.remote(_Mailbox).options(num_cpus=0, max_concurrency=1000, scheduling_strategy=here).remote()
        ray.get(self._mailbox.drain.remote())  # the actor is up before the first trial needs it
        self._mail = self._mailbox.wait_events.remote()
        request = self.resources
        self._task = ray.remote(_run_on_ray).options(
            num_cpus=request.cpus,
            num_gpus=request.gpus,
            memory=None if request.memory_mb is None else request.memory_mb * 1024 * 1024,
            max_retries=0,
        )

    @property
    def free_slots(self) -> int:
        return self._slots - len(self._running)

    def submit(self, task: TrialTask) -> None:
        self._running[self._task.remote(self._objective, task, self._mailbox)] = task

    def poll(self, timeout: float) -> list[Event]:
        ray = self._ray
        self._reap_cancelled()
        ray.wait([*self._running, self._mail], num_returns=1, timeout=timeout)
        done = ray.wait(list(self._running), num_returns=len(self._running), timeout=0)[0] if self._running else []
        events: list[Event] = self._reports(drain=bool(done))  # a task's reports all arrived before it ended
        events.extend(self._terminal(ref) for ref in done)
        return events

    def _reports(self, *, drain: bool) -> list[Event]:
        ray = self._ray
        events: list[Event] = []
        if ray.wait([self._mail], timeout=0)[0]:
            events.extend(ray.get(self._mail))
            self._mail = self._mailbox.wait_events.remote()
        if drain:
            events.extend(ray.get(self._mailbox.drain.remote()))
        return events

    def _terminal(self, ref: Any) -> TerminalEvent:
        task = self._running.pop(ref)
        exceptions = self._ray.exceptions
        try:
            return self._ray.get(ref)
        except exceptions.RayTaskError as exc:  # the objective raised past Exception (SystemExit, ...)
            return Errored(task.trial_id, task.attempt, str(exc))
        except exceptions.RayError as exc:  # the worker or its node died
            return Lost(task.trial_id, task.attempt, f"Ray worker lost while running the trial: {type(exc).__name__}")

    def answer(self, report: Reported, stop: bool) -> None:
        self._mailbox.answer.remote(report.trial_id, report.attempt, report.step, stop)

    def cancel(self, trial_id: int) -> None:
        for ref, task in list(self._running.items()):
            if task.trial_id == trial_id:
                del self._running[ref]
                self._ray.cancel(ref, force=False)  # KeyboardInterrupt in the trial: a command kills its group
                self._cancelled[ref] = time.monotonic() + CANCEL_GRACE_SECONDS

    def _reap_cancelled(self) -> None:
        """Kill the workers of cancelled trials that did not stop within the grace period."""
        now = time.monotonic()
        for ref, kill_at in list(self._cancelled.items()):
            if self._ray.wait([ref], timeout=0)[0]:
                del self._cancelled[ref]
            elif now >= kill_at:
                self._ray.cancel(ref, force=True)
                del self._cancelled[ref]

    def shutdown(self, *, kill: bool) -> None:
        ray = self._ray
        if ray is None:
            return
        for ref in [*self._running, *self._cancelled] if kill else self._cancelled:
            ray.cancel(ref, force=True)
        self._running, self._cancelled = {}, {}
        if self._mailbox is not None:  # None when start failed before making it
            ray.kill(self._mailbox)
        if self._owns_session:
            ray.shutdown()
        self._ray = None


def _run_on_ray(objective: Objective, task: TrialTask, mailbox: Any) -> TerminalEvent:
    """The Ray task: run one trial here, its reports answered through ``mailbox``."""
    import ray

    def ask_pruner(step: int, value: float) -> bool:
        return bool(ray.get(mailbox.report.remote(Reported(task.trial_id, task.attempt, step, value))))

    return run_task(objective, task, ask_pruner)


class _Mailbox:
    """A Ray actor (async): reports wait here for their answers; the driver collects the reports."""

    def __init__(self) -> None:
        self._events: list[Reported] = []
        self._arrived = asyncio.Event()
        self._waiting: dict[tuple[int, int, int], asyncio.Future[bool]] = {}
        self._stopped: set[tuple[int, int]] = set()

    async def report(self, event: Reported) -> bool:
        """Queue ``event``; the answer to it, or False when none came within ``ANSWER_SECONDS``."""
        attempt = (event.trial_id, event.attempt)
        self._events.append(event)
        self._arrived.set()
        if attempt in self._stopped:
            return True
        key = (*attempt, event.step)
        answer = self._waiting[key] = asyncio.get_running_loop().create_future()
        try:
            return await asyncio.wait_for(answer, ANSWER_SECONDS)
        except asyncio.TimeoutError:
            return attempt in self._stopped
        finally:
            self._waiting.pop(key, None)

    async def answer(self, trial_id: int, attempt: int, step: int, stop: bool) -> None:
        if stop:
            self._stopped.add((trial_id, attempt))
        waiting = self._waiting.get((trial_id, attempt, step))
        if waiting is not None and not waiting.done():
            waiting.set_result(stop)

    async def wait_events(self) -> list[Reported]:
        """The reports queued since the last call, once there is at least one."""
        while not self._events:
            self._arrived.clear()
            await self._arrived.wait()
        return await self.drain()

    async def drain(self) -> list[Reported]:
        """The reports queued since the last call, maybe none."""
        events, self._events = self._events, []
        return events
