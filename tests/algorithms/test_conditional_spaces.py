"""Algorithms on conditional spaces: a small one used up exactly, and inactive parameters
modelled explicitly (tpe's groups, the dedicated encoding the GP and the forest score)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from hypersweep.algorithms import make_algorithm
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.tpe.groups import groups_of
from hypersweep.records import Trial, TrialState
from hypersweep.space import Space

SMALL = {  # gblinear: 1, gbtree: 3 depths x 2 methods - 1 forbidden = 5; times k1 <= k2 in 1..2 (3)
    "booster": {"values": ["gbtree", "gblinear"]},
    "depth": {"range": [1, 4, 1], "when": {"booster": "gbtree"}},
    "method": {"values": ["exact", "hist"], "when": {"booster": "gbtree"}},
    "k1": {"range": [1, 3, 1], "max": "k2"},
    "k2": {"range": [1, 3, 1]},
    "forbidden": [{"depth": 3, "method": "hist"}],
}


def loss(params: dict) -> float:
    return params.get("depth", 0) * 0.3 + params["k2"] - params["k1"] * 0.5 + (params["booster"] == "gblinear")


@pytest.mark.parametrize("algorithm", ["grid", "random", "tpe", "bo", "smac"])
def test_a_small_conditional_space_is_used_up_exactly(algorithm):
    space = Space.from_matrix(SMALL)
    assert space.grid_size == 18
    algo = make_algorithm(algorithm, space, seed=1)
    seen = []
    for i in range(40):
        batch = algo.ask(1)
        if not batch:
            break
        params = batch[0]
        space.validate(params)
        seen.append(json.dumps(params, sort_keys=True))
        algo.tell([Trial(id=i, params=params, state=TrialState.COMPLETED, value=loss(params))])
    assert len(seen) == len(set(seen)) == 18
    assert set(seen) == {json.dumps(p, sort_keys=True) for p in space.grid()}


def test_tpe_groups_follow_the_conditions():
    space = Space.from_matrix({
        "model": {"values": ["tree", "linear"]},
        "booster": {"values": ["gbtree", "dart"], "when": {"model": "tree"}},
        "depth": {"range": [1, 9, 1], "when": {"model": "tree"}},
        "rate_drop": {"uniform": [0, 1], "when": {"booster": "dart"}},
        "alpha": {"loguniform": [1e-4, 1], "when": {"model": "linear"}},
        "lr": {"uniform": [0, 1]},
    })
    assert [g.names for g in groups_of(space)] == [("model", "lr"), ("booster", "depth"), ("rate_drop",), ("alpha",)]


def test_tpe_fits_a_branch_only_on_the_trials_where_it_exists():
    """Good linear trials all have alpha near 1e-3; tree trials (no alpha) are many and bad.
    Suggestions in the linear branch must concentrate near the good alpha."""
    space = Space.from_matrix({
        "model": {"values": ["tree", "linear"]},
        "depth": {"range": [1, 9, 1], "when": {"model": "tree"}},
        "alpha": {"loguniform": [1e-6, 1], "when": {"model": "linear"}},
    })
    rng = np.random.default_rng(0)
    trials = []
    for i in range(60):
        if i % 3 == 0:
            alpha = float(10 ** rng.uniform(-6, 0))
            params, value = {"model": "linear", "alpha": alpha}, abs(np.log10(alpha) + 3)
        else:
            params, value = {"model": "tree", "depth": int(rng.integers(1, 9))}, 10.0
        trials.append(Trial(id=i, params=params, state=TrialState.COMPLETED, value=value))
    tpe = make_algorithm("tpe", space, seed=0, options={"n_startup_trials": 5})
    tpe.tell(trials)
    batch = tpe.ask(8)
    for params in batch:
        space.validate(params)
    alphas = [p["alpha"] for p in batch if p["model"] == "linear"]
    assert len(alphas) >= 6
    assert np.median(np.abs(np.log10(alphas) + 3)) < 1.0


def test_the_gp_scores_candidates_at_their_valid_encoding():
    space = Space.from_matrix(SMALL)
    geometry = Geometry(space)
    x = np.random.default_rng(0).random((300, space.n_columns))
    snapped = geometry.snap(x)
    for row, params in zip(snapped, space.from_unit_many(snapped)):
        assert np.array_equal(row, space.to_unit(params))  # inactive columns at their dedicated value
    linear = snapped[[p["booster"] == "gblinear" for p in space.from_unit_many(snapped)]]
    assert len(linear) and np.all(linear[:, space.column_slice("depth")] == -0.5)
    assert np.all(linear[:, space.column_slice("method")] == 0.0)
