"""Normalized regret and best-so-far traces."""
from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks.peers.base import Trace
from benchmarks.problems import normalized_regret
from benchmarks.report import run_regret
from hypersweep.records import Direction


def test_normalized_regret_minimize():
    assert normalized_regret(5.0, optimum=0.0, reference=10.0) == 0.5
    assert normalized_regret(0.0, optimum=0.0, reference=10.0) == 0.0
    assert normalized_regret(-1.0, optimum=0.0, reference=10.0) == 0.0  # clipped
    assert normalized_regret(25.0, optimum=0.0, reference=10.0) == 1.0  # clipped
    arr = normalized_regret(np.array([1.0, 3.0]), optimum=1.0, reference=5.0)
    assert np.allclose(arr, [0.0, 0.5])


def test_normalized_regret_maximize_and_degenerate():
    assert normalized_regret(0.8, optimum=1.0, reference=0.0, direction="maximize") == pytest.approx(0.2)
    assert normalized_regret(1.0, optimum=1.0, reference=1.0) == 0.0
    assert normalized_regret(1.5, optimum=1.0, reference=1.0) == 1.0


def _trace(values, direction=Direction.MINIMIZE, **info):
    base = {"optimum": 0.0, "reference_worst": 10.0, "reference_median": 4.0}
    base.update(info)
    return Trace("opt", "p", 0, list(values), [0.001] * len(values), direction=direction, info=base)


def test_best_so_far_skips_failures():
    trace = _trace([5.0, math.nan, 7.0, 2.0, 3.0])
    assert np.allclose(trace.best, [5, 5, 5, 2, 2])
    assert math.isnan(_trace([math.nan, 4.0]).best[0])
    up = _trace([1.0, 3.0, 2.0], direction=Direction.MAXIMIZE)
    assert np.allclose(up.best, [1, 3, 3])


def test_run_regret_uses_budget_and_reference():
    trace = _trace([8.0, 6.0, 2.0])
    assert run_regret(trace, 1) == pytest.approx(0.8)
    assert run_regret(trace, 3) == pytest.approx(0.2)
    assert run_regret(trace, 50) == pytest.approx(0.2)  # shorter run: its last best
    assert run_regret(trace, 2, "median") == 1.0  # 6 > median 4: clipped
    assert run_regret(_trace([math.nan]), 1) == 1.0


def test_trace_round_trip():
    trace = _trace([3.0, math.nan, 1.0])
    again = Trace.from_dict(trace.to_dict())
    assert again.optimizer == trace.optimizer and again.info == trace.info
    assert np.allclose(again.best, trace.best) and math.isnan(again.values[1])
