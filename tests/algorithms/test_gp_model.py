"""GP model: kernels, posterior and marginal likelihood against textbook computations."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import approx_fprime
from scipy.stats import multivariate_normal

from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import (
    MIN_NOISE,
    Posterior,
    default_theta,
    fit_theta,
    log_marginal_likelihood,
    log_prior,
    unpack,
)

KERNELS = [Kernel.matern(2.5), Kernel.matern(1.5), Kernel.matern(0.5), Kernel.rbf()]


def textbook_kernel(kernel: Kernel, a: np.ndarray, b: np.ndarray, length: np.ndarray, scale: float) -> np.ndarray:
    """Direct formulas on r = ||(a - b) / length||."""
    r = np.sqrt((((a[:, None, :] - b[None, :, :]) / length) ** 2).sum(-1))
    if kernel.nu == math.inf:
        return scale * np.exp(-0.5 * r**2)
    if kernel.nu == 2.5:
        return scale * (1 + math.sqrt(5) * r + 5.0 / 3.0 * r**2) * np.exp(-math.sqrt(5) * r)
    if kernel.nu == 1.5:
        return scale * (1 + math.sqrt(3) * r) * np.exp(-math.sqrt(3) * r)
    return scale * np.exp(-r)


def small_case(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((7, 2))
    y = np.sin(6 * x[:, 0]) + 0.5 * x[:, 1]
    theta = np.array([math.log(4.0), math.log(0.5), math.log(0.8), math.log(0.01)])
    return x, y, theta


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: f"{k.name}-{k.nu}")
def test_posterior_matches_direct_inverse(kernel: Kernel) -> None:
    x, y, theta = small_case()
    lam, scale, noise = unpack(theta)
    length = 1.0 / np.sqrt(lam)
    k = textbook_kernel(kernel, x, x, length, scale) + noise * np.eye(len(x))
    k_inv = np.linalg.inv(k)
    ones = np.ones(len(x))
    mean_const = (ones @ k_inv @ y) / (ones @ k_inv @ ones)
    xs = np.array([[0.2, 0.3], [0.9, 0.1], [0.5, 0.5]])
    k_star = textbook_kernel(kernel, xs, x, length, scale)
    expected_mean = mean_const + k_star @ k_inv @ (y - mean_const)
    expected_var = scale - np.einsum("ij,jk,ik->i", k_star, k_inv, k_star)

    gp = Posterior.build(kernel, theta, x, y)
    mean, var = gp.predict(xs)
    np.testing.assert_allclose(mean, expected_mean, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(var, expected_var, rtol=1e-6, atol=1e-9)
    mean2, var2, _, _ = gp.predict_with_grad(xs)
    np.testing.assert_allclose(mean2, mean, rtol=1e-10)
    np.testing.assert_allclose(var2, var, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: f"{k.name}-{k.nu}")
def test_marginal_likelihood_matches_gaussian_density(kernel: Kernel) -> None:
    x, y, theta = small_case(1)
    lam, scale, noise = unpack(theta)
    k = textbook_kernel(kernel, x, x, 1.0 / np.sqrt(lam), scale) + noise * np.eye(len(x))
    ones = np.ones(len(x))
    k_inv = np.linalg.inv(k)
    mean_const = (ones @ k_inv @ y) / (ones @ k_inv @ ones)
    expected = multivariate_normal(mean=np.full(len(x), mean_const), cov=k).logpdf(y)
    value, _ = log_marginal_likelihood(theta, kernel, x, y)
    assert value == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: f"{k.name}-{k.nu}")
def test_marginal_likelihood_gradient(kernel: Kernel) -> None:
    x, y, _ = small_case(2)
    rng = np.random.default_rng(3)
    for _ in range(3):
        theta = rng.normal(0.0, 0.7, size=4) + np.array([1.0, 0.0, 0.0, -3.0])
        _, grad = log_marginal_likelihood(theta, kernel, x, y)
        numeric = approx_fprime(theta, lambda t: log_marginal_likelihood(t, kernel, x, y)[0], 1e-7)
        np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-4)


def test_log_prior_gradient() -> None:
    theta = np.array([0.3, -1.2, 0.4, -5.0])
    _, grad = log_prior(theta)
    numeric = approx_fprime(theta, lambda t: log_prior(t)[0], 1e-8)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-4)


def test_posterior_input_gradient() -> None:
    x, y, theta = small_case(4)
    xs = np.array([[0.31, 0.72], [0.05, 0.5]])
    for kernel in KERNELS[:2] + KERNELS[3:]:
        gp = Posterior.build(kernel, theta, x, y)
        _, _, g_mean, g_var = gp.predict_with_grad(xs)
        for d in range(2):
            step = np.zeros(2)
            step[d] = 1e-6
            m_hi, v_hi = gp.predict(xs + step)
            m_lo, v_lo = gp.predict(xs - step)
            np.testing.assert_allclose(g_mean[:, d], (m_hi - m_lo) / 2e-6, rtol=1e-4, atol=1e-6)
            np.testing.assert_allclose(g_var[:, d], (v_hi - v_lo) / 2e-6, rtol=1e-4, atol=1e-6)


def test_fit_recovers_relevant_dimension() -> None:
    rng = np.random.default_rng(5)
    x = rng.random((40, 3))
    y = np.sin(8 * x[:, 0])  # only the first column matters
    y = (y - y.mean()) / y.std()
    theta = fit_theta(Kernel.matern(), x, y, [default_theta(3)])
    lam, _, noise = unpack(theta)
    assert lam[0] > 10 * lam[1] and lam[0] > 10 * lam[2]
    assert MIN_NOISE <= noise < 0.05
    start_value = log_marginal_likelihood(default_theta(3), Kernel.matern(), x, y)[0]
    assert log_marginal_likelihood(theta, Kernel.matern(), x, y)[0] > start_value


def test_condition_matches_a_full_rebuild() -> None:
    x, y, theta = small_case()
    kernel = Kernel.matern(2.5)
    gp = Posterior.build(kernel, theta, x[:-1], y[:-1])
    _, _, noise = unpack(theta)
    grown = gp.condition(x[-1], y, noise)
    full = Posterior.build(kernel, theta, x, y)
    probe = np.random.default_rng(1).random((5, 2))
    for a, b in zip(grown.predict(probe), full.predict(probe)):
        np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-10)


def test_condition_without_noise_pins_the_point() -> None:
    x, y, theta = small_case()
    gp = Posterior.build(Kernel.matern(2.5), theta, x, y)
    point = np.array([0.31, 0.77])
    mean, var = gp.predict(point[None, :])
    pinned = gp.condition(point, np.append(y, mean[0]), MIN_NOISE)
    new_mean, new_var = pinned.predict(point[None, :])
    assert new_mean[0] == pytest.approx(mean[0], abs=1e-6)
    assert new_var[0] < 1e-4 * var[0]
