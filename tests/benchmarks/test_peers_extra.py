"""Hyperopt and SMAC3 peers, the neutral unit-space mapping, and simulated parallel runs."""
from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

import hypersweep.space as sp
from benchmarks.peers import make_peer
from benchmarks.peers.base import ask_tell_loop
from benchmarks.peers.unit_space import UnitSpace
from benchmarks.problems import get_problem


def test_unit_space_decodes_every_kind_to_legal_params():
    space = sp.Space({
        "lr": sp.loguniform(1e-4, 1e-1), "q": sp.quniform(0, 10, 0.5), "n": sp.values([1, 2, 4, 8]),
        "act": sp.values(["relu", "tanh"]), "r": sp.range(0, 10, 2),
    })
    mapping = UnitSpace(space)
    kinds = {v.name: (v.kind, v.n) for v in mapping.variables}
    assert kinds == {"lr": ("float", 1), "q": ("float", 1), "n": ("rank", 4), "act": ("choice", 2), "r": ("rank", 5)}
    params = mapping.decode({"lr": 0.5, "q": 0.33, "n": 3, "act": 1, "r": 0})
    space.validate(params)
    assert params["n"] == 8 and params["act"] == "tanh" and params["r"] == 0
    assert math.isclose(params["lr"], math.sqrt(1e-4 * 1e-1), rel_tol=1e-9)


@pytest.mark.skipif(importlib.util.find_spec("hyperopt") is None, reason="hyperopt not installed")
def test_hyperopt_tpe_runs_past_its_startup_and_is_seeded():
    problem = get_problem("branin")
    a = make_peer("hyperopt-tpe").run(problem, 25, seed=3)
    b = make_peer("hyperopt-tpe").run(problem, 25, seed=3)
    assert a.optimizer == "hyperopt:tpe" and len(a.values) == 25 and a.values == b.values
    assert np.isfinite(a.values).all() and min(a.values) < np.median(a.values)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("smac") is None, reason="SMAC3 not installed (pip install smac)")
def test_smac3_hpo_facade_runs():
    problem = get_problem("branin")
    trace = make_peer("smac3").run(problem, 15, seed=0)
    assert trace.optimizer == "smac3:hpo" and len(trace.values) == 15 and np.isfinite(trace.values).all()


def test_async_loop_keeps_workers_in_flight_and_tells_in_finishing_order():
    problem = get_problem("branin")
    rng = np.random.default_rng(0)
    in_flight: list[int] = []
    state = {"open": 0, "next": 0}
    told: list[int] = []

    def ask():
        in_flight.append(state["open"])
        state["open"] += 1
        state["next"] += 1
        return (state["next"] - 1, problem.space.sample(rng))

    def tell(handle, value):
        state["open"] -= 1
        told.append(handle[0])

    trace = ask_tell_loop("fake", problem, 12, 0, ask, tell, params=lambda h: h[1], workers=4)
    assert len(trace.values) == len(trace.overhead) == len(trace.overhead_cpu) == 12
    assert in_flight[:4] == [0, 1, 2, 3] and max(in_flight) == 3 and all(n == 3 for n in in_flight[4:])
    assert sorted(told) == list(range(12)) and told != list(range(12))  # finishing order, not asking order


def test_parallel_hypersweep_run_sees_pending_trials():
    problem = get_problem("hartmann6")
    from benchmarks.peers import make_algorithm

    a = make_algorithm("random").run(problem, 10, 1, workers=4)
    b = make_algorithm("random").run(problem, 10, 1, workers=4)
    assert a.values == b.values and len(set(a.values)) == 10
