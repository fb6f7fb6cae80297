"""What the sweep page draws from, read in two store queries whatever the sweep's size.

A sweep page must open fast at 100,000 trials, so plots do not get every trial's record:

- the best-so-far line, the empirical distribution (EDF) and the counts come from every trial's
  value (``Storage.get_trial_values``: ids, states and values only);
- the page gets the records of a sample: every ``stride``-th trial (a stratified sample over the
  sweep's course, at most ``STRATIFIED``), the ``BEST`` best completed ones and the ``LATEST``
  newest; below ``STRATIFIED`` trials that is every trial. Plots of parameters draw the
  ``sample`` (the stratified and the best ones: the newest alone would over-weight the sweep's
  last phase), the history and the timeline also the newest. The page says so;
- importance (PED-ANOVA) is computed on the stratified part only, so it is unbiased;
- learning curves are the reports of the ``MAX_CURVES`` newest trials.
"""
from __future__ import annotations

import gc
import heapq
import math
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypersweep.dashboard import importance
from hypersweep.dashboard.queries import MAX_CURVES, compact, curves, number
from hypersweep.records import TrialState
from hypersweep.storage import Storage

STRATIFIED = 400  # trials of the every-k-th sample
BEST = 150  # best completed trials always sampled
LATEST = MAX_CURVES  # newest trials always sampled (the timeline, the learning curves)
EDF_POINTS = 400  # points of the empirical distribution drawn
_paused = {"holders": 0, "was_enabled": True}
_pause_lock = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (process-wide, until the last overlapping caller is done).

    An overview allocates a few small objects per trial and none that form cycles; with the
    collector on, the full collections those allocations trigger each scan the whole heap and took
    about half of a 100,000-trial overview's time (``docs/design_notes.md``).
    """
    with _pause_lock:
        if _paused["holders"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["holders"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused["holders"] -= 1
            if _paused["holders"] == 0 and _paused["was_enabled"]:
                gc.enable()


def overview(store: Storage, name: str) -> dict[str, Any]:
    """Counts, exact best-so-far line and EDF, sampled trials (``sample``: the ids plots of parameters
    draw), learning curves, importance and the cursor."""
    with gc_paused():
        return _overview(store, name)


def _overview(store: Storage, name: str) -> dict[str, Any]:
    spec = store.get_sweep(name)
    names = spec.param_names
    maximize = spec.metric.direction.value == "maximize"
    columns = store.get_trial_values(name)
    total = len(columns.ids)
    stride = max(1, math.ceil(total / STRATIFIED))
    completed = TrialState.COMPLETED
    done = [(i, v) for i, s, v in zip(columns.ids, columns.states, columns.values) if s is completed and v is not None]
    best = (heapq.nlargest if maximize else heapq.nsmallest)(BEST, done, key=lambda pair: pair[1])
    sample = set(columns.ids[::stride]) | {i for i, _ in best}
    chosen = sample | set(columns.ids[-LATEST:])
    trials = store.get_trials(name, ids=sorted(chosen), with_reports=False) if chosen else []
    pruned = [t.id for t in trials if t.state is TrialState.PRUNED]  # drawn at their last report
    if pruned:
        reported = {t.id: t for t in store.get_trials(name, ids=pruned)}
        trials = [reported.get(t.id, t) for t in trials]
    strata = [t for t in trials if t.id % stride == 0 and t.state is TrialState.COMPLETED and t.value is not None]
    scores = importance.importances([[t.params.get(n) for n in names] for t in strata], [t.value for t in strata],  # type: ignore[misc]
                                    names, minimize=not maximize)
    tally = Counter(columns.states)
    counts = {state.value: tally[state] for state in TrialState}
    return {
        "cursor": columns.cursor, "names": names, "total": total, "stride": stride, "counts": counts,
        "best_line": best_so_far(done, maximize), "edf": edf([v for _, v in done]),
        "trials": [compact(t, names) for t in trials], "sample": sorted(sample),
        "curves": curves(store, name, columns.ids[-MAX_CURVES:]),
        "importance": {"method": importance.METHOD, "scores": scores, "n": len(strata), "of": len(done)},
    }


def best_so_far(done: list[tuple[int, float]], maximize: bool) -> list[list[float]]:
    """The best-so-far curve as its steps: ``[trial, best]`` where the best improves, and the last trial."""
    steps: list[list[float]] = []
    best: float | None = None
    for trial, value in done:
        if best is None or (value > best if maximize else value < best):
            best = value
            steps.append([trial, number(value)])
    if done and steps[-1][0] != done[-1][0]:
        steps.append([done[-1][0], number(best)])
    return steps


def edf(values: list[float]) -> list[list[float]]:
    """The empirical distribution function as ``[value, fraction <= value]``, at most ``EDF_POINTS``."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return []
    picks = range(n) if n <= EDF_POINTS else sorted({round(k * (n - 1) / (EDF_POINTS - 1)) for k in range(EDF_POINTS)})
    return [[number(ordered[k]), (k + 1) / n] for k in picks]
