"""BOHB's KDEs: coordinates of a space, normal-reference bandwidths, Aitchison-Aitken categories."""
from __future__ import annotations

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms.multifidelity.kde import KDESpace, ProductKDE

MIXED = hs.Space({
    "lr": hs.loguniform(1e-4, 1), "units": hs.values([16, 32, 64]), "act": hs.values(["relu", "tanh"]),
    "layers": hs.range(1, 6, 1), "drop": hs.quniform(0, 0.5, 0.1),
})


def test_coordinates_round_trip_and_mark_the_categories():
    kde_space = KDESpace(MIXED)
    configs = MIXED.sample_many(np.random.default_rng(0), 20)
    x = kde_space.encode(configs)
    assert x.shape == (20, 5)
    assert kde_space.decode(x) == configs
    categorical = dict(zip(MIXED.names, kde_space.levels))
    assert categorical["act"] == 2 and categorical["lr"] == 0
    assert np.all((x >= 0) & (x <= 1) | (kde_space.levels > 0))


def test_bandwidths_are_the_normal_reference_rule_floored_at_min_bandwidth():
    data = np.array([[0.1, 0.5], [0.3, 0.5], [0.5, 0.5], [0.7, 0.5]])
    kde = ProductKDE(data, levels=np.array([0, 0]), min_bandwidth=1e-3)
    expected = 1.06 * np.std(data[:, 0]) * 4 ** (-1 / 6)
    assert kde.bandwidth == pytest.approx([expected, 1e-3])


def test_aitchison_aitken_kernel_is_a_distribution_over_the_levels():
    data = np.array([[0.0], [0.0], [2.0], [1.0]])
    kde = ProductKDE(data, levels=np.array([4]), min_bandwidth=1e-3)
    h = kde.bandwidth[0]
    assert 1e-3 <= h <= 0.75
    mass = np.exp(kde.log_pdf(np.arange(4.0)[:, None]))
    assert mass.sum() == pytest.approx(1.0)
    assert mass[0] == pytest.approx((2 * (1 - h) + 2 * h / 3) / 4)


def test_a_wide_categorical_bandwidth_is_capped_at_the_uniform_kernel():
    data = np.array([[0.0], [2.0], [0.0], [2.0]])  # std 1: the rule gives h = 0.8 > 2/3
    kde = ProductKDE(data, levels=np.array([3]), min_bandwidth=1e-3)
    assert kde.bandwidth[0] == pytest.approx(2 / 3)
    assert np.exp(kde.log_pdf(np.array([[0.0], [1.0], [2.0]]))) == pytest.approx([1 / 3] * 3)


def test_samples_stay_legal_and_the_bandwidth_factor_widens_them():
    data = np.array([[0.5, 0.0], [0.52, 1.0], [0.48, 2.0]])
    kde = ProductKDE(data, levels=np.array([0, 3]), min_bandwidth=1e-3)
    narrow = kde.sample(np.random.default_rng(0), 2000, bandwidth_factor=1)
    wide = kde.sample(np.random.default_rng(0), 2000, bandwidth_factor=3)
    assert np.all((wide[:, 0] >= 0) & (wide[:, 0] <= 1))
    assert set(np.unique(wide[:, 1])) <= {0.0, 1.0, 2.0}
    assert np.std(wide[:, 0]) > 2 * np.std(narrow[:, 0])
