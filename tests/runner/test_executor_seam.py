"""The Runner's side of the Executor contract, with a second executor that runs tasks in this process
and delivers events the way a remote engine may: late pruning answers, duplicates, stale attempts,
lost workers. Plus the same contract on the real ProcessExecutor: a dead worker's trial is retried."""
import os
from collections.abc import Callable

import hypersweep as hs
from hypersweep.runner.executor import Event, Executor, Finished, Lost, Reported, TrialTask
from hypersweep.runner.run_task import run_task

Rewrite = Callable[[TrialTask, list[Event]], list[Event]]


class InProcessExecutor(Executor):
    """Runs each submitted task at the next poll, in this process; ``rewrite`` changes its events.

    ``trial.report`` returns the decision known so far (False until the Runner answered), as a
    remote trial that cannot wait for the answer would see it.
    """

    def __init__(self, rewrite: Rewrite = lambda task, events: events) -> None:
        self.rewrite = rewrite
        self.answers: dict[tuple[int, int], list[bool]] = {}
        self.tasks: list[TrialTask] = []
        self._queued: list[TrialTask] = []
        self._slots = 0

    def start(self, objective, *, slots):
        self.objective, self._slots = objective, slots

    @property
    def free_slots(self):
        return self._slots - len(self._queued)

    def submit(self, task):
        self.tasks.append(task)
        self._queued.append(task)

    def poll(self, timeout):
        events: list[Event] = []
        for task in self._queued:
            reports: list[Event] = []

            def ask(step, value, task=task, reports=reports):
                reports.append(Reported(task.trial_id, task.attempt, step, value))
                return any(self.answers.get((task.trial_id, task.attempt), []))

            events += self.rewrite(task, reports + [run_task(self.objective, task, ask)])
        self._queued = []
        return events

    def answer(self, report, stop):
        self.answers.setdefault((report.trial_id, report.attempt), []).append(stop)

    def cancel(self, trial_id):
        self._queued = [t for t in self._queued if t.trial_id != trial_id]

    def shutdown(self, *, kill):
        self._queued = []


def curve(params, trial):
    value = params["x"]
    for step in range(3):
        if trial.report(step, value + 10 * (step == 0)):
            return value  # stopped: the Runner still records it as pruned at the step it said stop
    return value


def sweep_of(**kwargs):
    return hs.Sweep({"x": hs.values([1, 2, 3])}, algorithm="grid", metric="loss", **kwargs)


def test_each_trial_is_recorded_once_when_events_arrive_twice_or_from_stale_attempts():
    def twice_and_stale(task, events):
        *reports, end = events
        stale = Finished(task.trial_id, task.attempt + 7, -1000.0)
        return [*reports, *reports, stale, end, end]

    sweep = sweep_of()
    executor = InProcessExecutor(twice_and_stale)
    summary = sweep.run(curve, n_trials=3, progress=False, executor=executor)
    assert summary.finished == {hs.TrialState.COMPLETED: 3}
    assert sorted((t.params["x"], t.value) for t in sweep.trials) == [(1, 1.0), (2, 2.0), (3, 3.0)]
    assert all([r.step for r in t.reports] == [0, 1, 2] for t in sweep.trials)
    assert all(len(a) == 6 for a in executor.answers.values())  # every report is answered, duplicates too


def test_a_late_stop_answer_still_records_the_trial_as_pruned():
    sweep = sweep_of(pruner=hs.ThresholdPruner(upper=5.0))  # step 0 reports x + 10: above the threshold
    summary = sweep.run(curve, n_trials=3, progress=False, executor=InProcessExecutor())
    assert summary.finished == {hs.TrialState.PRUNED: 3}
    assert all(t.error == "stopped by the pruner at step 0" for t in sweep.trials)


def test_a_lost_trial_fails_once_and_is_retried_with_the_same_params_per_max_retries():
    def lose_trial_1(task, events):
        if task.trial_id == 1:
            return [*events[:-1], Lost(task.trial_id, task.attempt, "node 7 left the cluster")]
        return events

    sweep = hs.Sweep({"x": hs.uniform(0, 1)}, algorithm="random", metric="loss")
    executor = InProcessExecutor(lose_trial_1)
    summary = sweep.run(curve, n_trials=4, progress=False, executor=executor, max_retries=1)
    lost, retry = sweep.trials[1:3]
    assert (lost.state, lost.error) == (hs.TrialState.FAILED, "node 7 left the cluster")
    assert (retry.state, retry.params, retry.meta) == (hs.TrialState.COMPLETED, lost.params, {"attempt": 1})
    assert [(t.trial_id, t.attempt) for t in executor.tasks] == [(0, 0), (1, 0), (2, 1), (3, 0)]
    assert summary.finished == {hs.TrialState.COMPLETED: 3, hs.TrialState.FAILED: 1}


def test_a_trial_lost_after_the_pruner_said_stop_is_pruned_not_retried():
    def lose_all(task, events):
        return [*events[:-1], Lost(task.trial_id, task.attempt, "cancelled after the stop")]

    sweep = sweep_of(pruner=hs.ThresholdPruner(upper=5.0))
    sweep.run(curve, n_trials=3, progress=False, executor=InProcessExecutor(lose_all), max_retries=2)
    assert [t.state for t in sweep.trials] == [hs.TrialState.PRUNED] * 3


def dies_on_first_attempt(params, trial):
    if trial.attempt == 0:
        os._exit(9)
    return float(params["x"])


def test_the_process_executor_retries_the_trial_of_a_dead_worker():
    sweep = hs.Sweep({"x": hs.uniform(0, 1)}, algorithm="random", metric="loss")
    summary = sweep.run(dies_on_first_attempt, n_trials=4, concurrency=2, progress=False, max_retries=1)
    assert summary.finished == {hs.TrialState.FAILED: 2, hs.TrialState.COMPLETED: 2}
    dead = [t for t in sweep.trials if t.state is hs.TrialState.FAILED]
    retries = [t for t in sweep.trials if t.state is hs.TrialState.COMPLETED]
    assert all("worker process died (exit code 9)" in t.error for t in dead)
    assert sorted(t.params["x"] for t in retries) == sorted(t.params["x"] for t in dead)
    assert all(t.meta == {"attempt": 1} and t.value == t.params["x"] for t in retries)
