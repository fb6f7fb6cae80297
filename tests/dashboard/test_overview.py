"""What the sweep page draws from: exact lines from every value, a stated sample of records."""
from __future__ import annotations

import gc
import math
import random

import pytest

from hypersweep.dashboard import overview as ov
from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage import open_storage
from hypersweep.storage.memory import MemoryStorage

SPACE = {"x": {"uniform": [0, 1]}, "y": {"uniform": [0, 1]}}


@pytest.fixture(scope="module")
def big():
    """A sweep of 1,500 trials (more than the stratified sample; in memory: the SQL backends pass
    the same storage suite): mostly completed, some pruned (with reports), some failed, one running."""
    store = MemoryStorage()
    store.create_sweep(SweepSpec("big", SPACE, Metric("loss", "maximize")))
    rng = random.Random(0)
    for i in range(1500):
        params = {"x": rng.random(), "y": rng.random()}
        trial = store.create_trial("big", params)
        if i == 1499:
            break
        if i % 37 == 5:
            store.add_report("big", trial.id, 0, 0.25)
            store.finish_trial("big", trial.id, TrialState.PRUNED)
        elif i % 101 == 7:
            store.finish_trial("big", trial.id, TrialState.FAILED, error="boom")
        else:
            store.finish_trial("big", trial.id, TrialState.COMPLETED, value=params["x"] * 3 - params["y"] + rng.random() * 0.1)
    yield store
    store.close()


def test_lines_are_exact_and_the_sample_is_the_stated_one(big):
    data = ov.overview(big, "big")
    trials = big.get_trials("big", with_reports=False)
    done = [(t.id, t.value) for t in trials if t.state is TrialState.COMPLETED]
    stride = math.ceil(1500 / ov.STRATIFIED)
    assert stride > 1 and data["total"] == 1500 and data["stride"] == stride and data["cursor"] == big.get_trials_changed("big").cursor
    assert data["counts"]["running"] == 1 and sum(data["counts"].values()) == 1500
    best, steps = -1e9, []
    for i, v in done:  # maximize
        if v > best:
            best = v
            steps.append([i, v])
    assert data["best_line"] == steps + [[done[-1][0], best]]
    values = sorted(v for _, v in done)
    assert len(data["edf"]) == ov.EDF_POINTS and data["edf"][0] == [values[0], 1 / len(values)] and data["edf"][-1] == [values[-1], 1.0]

    sampled = {t["i"]: t for t in data["trials"]}
    top = sorted(done, key=lambda pair: -pair[1])[: ov.BEST]
    assert {i for i, _ in top} <= set(sampled)
    assert set(range(0, 1500, stride)) | set(range(1500 - ov.LATEST, 1500)) <= set(sampled)
    assert len(sampled) < 1500
    assert data["sample"] == sorted(set(range(0, 1500, stride)) | {i for i, _ in top})  # what plots of parameters draw
    pruned = [t for t in sampled.values() if t["s"] == "pruned"]
    assert pruned and all(t["r"] == [[0, 0.25]] for t in pruned)  # drawn at their last report
    assert set(map(int, data["curves"])) == {t.id for t in trials[-ov.LATEST:] if t.state is TrialState.PRUNED}
    strata = [t for t in trials if t.id % stride == 0 and t.state is TrialState.COMPLETED]
    assert data["importance"]["n"] == len(strata) and data["importance"]["of"] == len(done)
    assert data["importance"]["scores"]["x"] > data["importance"]["scores"]["y"]


def test_a_small_sweep_is_drawn_whole(tmp_path):
    store = open_storage(str(tmp_path / "small.db"))
    store.create_sweep(SweepSpec("small", SPACE, Metric("loss")))
    for i in range(5):
        store.create_trial("small", {"x": i / 5, "y": 0.5})
        store.finish_trial("small", i, TrialState.COMPLETED, value=float(5 - i) if i != 2 else 9.0)
    data = ov.overview(store, "small")
    assert data["stride"] == 1 and [t["i"] for t in data["trials"]] == [0, 1, 2, 3, 4] and data["sample"] == [0, 1, 2, 3, 4]
    assert data["best_line"] == [[0, 5.0], [1, 4.0], [3, 2.0], [4, 1.0]]
    assert data["edf"] == [[1.0, 0.2], [2.0, 0.4], [4.0, 0.6], [5.0, 0.8], [9.0, 1.0]]
    assert data["importance"]["scores"] == {}  # fewer than 10 completed trials


def test_the_overview_is_built_with_the_garbage_collector_paused(big):
    seen = []

    class Watched(MemoryStorage):
        def get_trial_values(self, name):
            seen.append(gc.isenabled())
            return big.get_trial_values(name)

        def get_sweep(self, name):
            return big.get_sweep(name)

        def get_trials(self, name, **kwargs):
            return big.get_trials(name, **kwargs)

    assert gc.isenabled()
    assert ov.overview(Watched(), "big")["total"] == 1500
    assert seen == [False] and gc.isenabled()
    with ov.gc_paused():
        with ov.gc_paused():  # overlapping requests: on again only when the last is done
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with ov.gc_paused():
            pass
        assert not gc.isenabled()  # a collector switched off elsewhere stays off
    finally:
        gc.enable()
