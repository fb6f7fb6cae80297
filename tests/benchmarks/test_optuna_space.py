"""The hypersweep space -> Optuna distributions mapping, kind by kind."""
from __future__ import annotations

import numpy as np
import pytest

optuna = pytest.importorskip("optuna")

from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution  # noqa: E402

from benchmarks.peers.optuna_space import OptunaSpace  # noqa: E402
from hypersweep.space import Space  # noqa: E402

MATRIX = {
    "u": {"uniform": [-1.0, 2.0]},
    "lr": {"loguniform": [1e-4, 1e-1]},
    "units": {"values": [64, 16, 32]},
    "act": {"values": ["relu", "tanh"]},
    "q": {"quniform": [0, 10, 2]},
    "ql": {"qloguniform": [1, 1000, 10]},
    "n": {"normal": [0.0, 1.0]},
    "ln": {"lognormal": [0.0, 0.5]},
    "r": {"range": [0, 10, 5]},
    "lin": {"linspace": [0, 1, 3]},
    "pv": {"pvalues": [["a", 0.3], ["b", 0.7]]},
}


@pytest.fixture(scope="module")
def mapping():
    return OptunaSpace(Space.from_matrix(MATRIX))


def test_distribution_per_kind(mapping):
    d = mapping.distributions
    assert list(d) == list(MATRIX)
    assert d["u"] == FloatDistribution(-1.0, 2.0)
    assert d["lr"] == FloatDistribution(1e-4, 1e-1, log=True)
    assert d["units"] == IntDistribution(0, 2)  # ordinal index over sorted values
    assert isinstance(d["act"], CategoricalDistribution) and d["act"].choices == ("relu", "tanh")
    assert d["q"] == IntDistribution(0, 5)  # k with k * 2 in [0, 10]
    assert d["ql"] == FloatDistribution(1, 1000, log=True)
    assert d["n"] == FloatDistribution(-4.0, 4.0)
    assert d["ln"].log and d["ln"].low == pytest.approx(np.exp(-2.0))
    assert d["r"] == IntDistribution(0, 1)
    assert d["lin"] == IntDistribution(0, 2)
    assert d["pv"].choices == ("a", "b")


def test_decode_gives_valid_params(mapping):
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    space = mapping.space
    for _ in range(30):
        trial = study.ask(mapping.distributions)
        params = mapping.decode(trial.params)
        assert space.validate(params) == params
        assert params["units"] in (16, 32, 64) and params["q"] % 2 == 0 and params["ql"] % 10 == 0
        study.tell(trial, 0.0)


def test_ordinal_off_uses_categoricals():
    mapping = OptunaSpace(Space.from_matrix({"units": {"values": [64, 16, 32]}}), ordinal=False)
    assert mapping.distributions["units"] == CategoricalDistribution([64, 16, 32])
    assert mapping.decode({"units": 16}) == {"units": 16}
