"""Worker processes that hammer one store at once, for concurrency tests.

Workers live in an importable module so ``multiprocessing``'s *spawn* start method can run
them. Each worker opens its own ``SQLStorage`` on the URL, waits for the common start signal,
does its work, and sends back a result dict; any exception is caught and returned as text in
``result["errors"]`` so the test can assert that none reached the workers' code.
"""
from __future__ import annotations

import multiprocessing
import queue as queue_module
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from hypersweep.records import TrialState


def ask_tell_worker(
    url: str, sweep: str, worker: int, n_trials: int, n_reports: int, ready: Any, start: Any, results: Any
) -> None:
    """Create ``n_trials`` trials, each with ``n_reports`` reports, and complete them."""
    result: dict[str, Any] = {"worker": worker, "ids": [], "errors": [], "seconds": None}
    store = None
    try:
        from hypersweep.storage.sql import SQLStorage

        store = SQLStorage(url)
        ready.put(worker)
        start.wait(120)
        began = time.perf_counter()
        for i in range(n_trials):
            trial = store.create_trial(sweep, {"worker": worker, "i": i}, worker=f"w{worker}")
            for step in range(n_reports):
                store.add_report(sweep, trial.id, step, float(step) + i / 1000)
            store.finish_trial(sweep, trial.id, TrialState.COMPLETED, value=float(i), metrics={"w": worker})
            result["ids"].append(trial.id)
        result["seconds"] = time.perf_counter() - began
    except BaseException:
        result["errors"].append(traceback.format_exc())
        ready.put(worker)
    finally:
        if store is not None:
            store.close()
        results.put(result)


def claim_worker(url: str, sweep: str, worker: int, ready: Any, start: Any, results: Any) -> None:
    """Claim waiting trials until none is left, completing each one."""
    result: dict[str, Any] = {"worker": worker, "ids": [], "errors": [], "seconds": None}
    store = None
    try:
        from hypersweep.storage.sql import SQLStorage

        store = SQLStorage(url)
        ready.put(worker)
        start.wait(120)
        began = time.perf_counter()
        while (trial := store.claim_waiting_trial(sweep, worker=f"w{worker}")) is not None:
            result["ids"].append(trial.id)
            store.add_report(sweep, trial.id, 0, float(worker))
            store.finish_trial(sweep, trial.id, TrialState.COMPLETED, value=float(worker))
        result["seconds"] = time.perf_counter() - began
    except BaseException:
        result["errors"].append(traceback.format_exc())
        ready.put(worker)
    finally:
        if store is not None:
            store.close()
        results.put(result)


def run_workers(
    target: Callable[..., None],
    args: Sequence[tuple[Any, ...]],
    *,
    timeout: float = 600.0,
    start_method: str = "spawn",
) -> tuple[list[dict[str, Any]], float]:
    """Start one process per ``args`` entry, release them together, collect their results.

    ``target(*entry, ready, start, results)`` is called in each process. Returns the results
    (one dict per process, in finishing order) and the wall time in seconds from the common
    start to the last result.
    """
    ctx = multiprocessing.get_context(start_method)
    ready, results, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    processes = [ctx.Process(target=target, args=(*entry, ready, start, results), daemon=True) for entry in args]
    for process in processes:
        process.start()
    deadline = time.monotonic() + timeout
    try:
        for _ in processes:
            ready.get(timeout=max(1.0, deadline - time.monotonic()))
        began = time.perf_counter()
        start.set()
        collected = []
        for _ in processes:
            collected.append(results.get(timeout=max(1.0, deadline - time.monotonic())))
        elapsed = time.perf_counter() - began
    except queue_module.Empty:
        raise TimeoutError(f"workers did not finish within {timeout:g}s") from None
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()
    return collected, elapsed
