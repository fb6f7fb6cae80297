"""EI, log-EI, PI and UCB against independent scipy.stats.norm computations."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from hypersweep.algorithms.gp.acquisition import (
    Acquisition,
    expected_improvement,
    log_expected_improvement,
    log_h,
    probability_of_improvement,
    upper_confidence_bound,
)

MEAN = np.array([0.0, 0.5, -0.3, 2.0, 1.0])
STD = np.array([1.0, 0.2, 0.7, 0.5, 3.0])
BEST = 0.25


def reference_ei(mean: np.ndarray, std: np.ndarray, best: float, eps: float) -> np.ndarray:
    """EI of a minimization by numerical integration of max(best - eps - f, 0) under N(mean, std)."""
    out = []
    for m, s in zip(mean, std):
        grid = np.linspace(m - 12 * s, m + 12 * s, 200_001)
        gain = np.maximum(best - eps - grid, 0.0) * norm.pdf(grid, loc=m, scale=s)
        out.append(np.trapezoid(gain, grid))
    return np.array(out)


@pytest.mark.parametrize("eps", [0.0, 0.1])
def test_expected_improvement_known_values(eps: float) -> None:
    z = (BEST - eps - MEAN) / STD
    closed_form = (BEST - eps - MEAN) * norm.cdf(z) + STD * norm.pdf(z)
    np.testing.assert_allclose(expected_improvement(MEAN, STD, BEST, eps), closed_form, rtol=1e-12)
    np.testing.assert_allclose(expected_improvement(MEAN, STD, BEST, eps), reference_ei(MEAN, STD, BEST, eps), rtol=1e-6)
    np.testing.assert_allclose(np.exp(log_expected_improvement(MEAN, STD, BEST, eps)), closed_form, rtol=1e-10)


def test_ei_hand_value() -> None:
    # mean = best, std = 1: EI = phi(0) = 1 / sqrt(2 pi)
    assert expected_improvement(np.array([1.0]), np.array([1.0]), 1.0)[0] == pytest.approx(1 / math.sqrt(2 * math.pi))


def test_log_h_is_accurate_far_below_the_incumbent() -> None:
    z = np.array([-0.5, -1.0, -3.0, -10.0, -30.0, -1e3, -1e9])
    # h(z) = phi(z) + z Phi(z) = phi(z) (1 - |z| R(|z|)) with R the Mills ratio; for large |z|
    # its asymptotic series gives log h ~ log phi(z) - 2 log|z| + log(1 - 3/z^2 + 15/z^4)
    direct = np.log(norm.pdf(z[:3]) + z[:3] * norm.cdf(z[:3]))
    np.testing.assert_allclose(log_h(z[:3]), direct, rtol=1e-9)
    big = z[4:]
    series = norm.logpdf(big) - 2 * np.log(np.abs(big)) + np.log1p(-3 / big**2 + 15 / big**4 - 105 / big**6)
    np.testing.assert_allclose(log_h(big), series, rtol=1e-9)
    assert np.all(np.isfinite(log_h(z)))
    assert np.all(np.diff(log_h(np.sort(z))) > 0)  # increasing in z


@pytest.mark.parametrize("eps", [0.0, 0.05])
def test_probability_of_improvement_known_values(eps: float) -> None:
    expected = norm.cdf(BEST - eps, loc=MEAN, scale=STD)
    np.testing.assert_allclose(probability_of_improvement(MEAN, STD, BEST, eps), expected, rtol=1e-12)
    score = Acquisition("poi", best=BEST, eps=eps).score(MEAN, STD)
    np.testing.assert_allclose(score, norm.logcdf(BEST - eps, loc=MEAN, scale=STD), rtol=1e-10)


def test_upper_confidence_bound_known_values() -> None:
    kappa = 1.96
    lower = norm.ppf(0.025, loc=MEAN, scale=STD)  # mean - 1.96 std
    np.testing.assert_allclose(upper_confidence_bound(MEAN, STD, kappa), -lower, rtol=1e-4)
    np.testing.assert_allclose(Acquisition("ucb", best=BEST, kappa=kappa).score(MEAN, STD), kappa * STD - MEAN)


@pytest.mark.parametrize("kind", ["ei", "poi", "ucb"])
def test_score_gradients(kind: str) -> None:
    acq = Acquisition(kind, best=BEST, kappa=2.0, eps=0.01)
    value, d_mean, d_std = acq.score_and_grads(MEAN, STD)
    np.testing.assert_allclose(value, acq.score(MEAN, STD))
    h = 1e-6
    np.testing.assert_allclose(d_mean, (acq.score(MEAN + h, STD) - acq.score(MEAN - h, STD)) / (2 * h), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(d_std, (acq.score(MEAN, STD + h) - acq.score(MEAN, STD - h)) / (2 * h), rtol=1e-5, atol=1e-7)


def test_log_ei_gradient_far_below_incumbent() -> None:
    acq = Acquisition("ei", best=0.0)
    mean, std = np.array([40.0]), np.array([0.5])  # z = -80: EI underflows, log EI does not
    assert expected_improvement(mean, std, 0.0)[0] == 0.0
    value, d_mean, _ = acq.score_and_grads(mean, std)
    assert np.isfinite(value[0]) and d_mean[0] < 0
    h = 1e-5
    numeric = (acq.score(mean + h, std) - acq.score(mean - h, std)) / (2 * h)
    np.testing.assert_allclose(d_mean, numeric, rtol=1e-4)
