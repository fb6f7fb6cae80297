"""bo on categorical spaces: tied length scales per categorical parameter, the training-set cap,
and an acquisition search that walks through categories."""
from __future__ import annotations

import numpy as np
import pytest

import hypersweep.space as sp
from hypersweep.algorithms.gp.algorithm import GPBO, MAX_TRAINING, training_subset
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import default_theta, fit_theta, log_marginal_likelihood, log_prior
from hypersweep.records import Params, Trial, TrialState


def run(bo: GPBO, loss, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    """``n`` sequential ask/tell rounds; the losses in order."""
    out = []
    for i in range(n):
        params: Params = bo.ask(1)[0]
        out.append(float(loss(params)))
        bo.tell([Trial(id=i, params=params, state=TrialState.COMPLETED, value=out[-1])])
    return out


def mixed_space() -> sp.Space:
    return sp.Space({"x": sp.uniform(0, 1), "c": sp.values(["a", "b", "c"]), "d": sp.values(["u", "v"])})


def test_one_length_scale_index_per_categorical_parameter() -> None:
    space = mixed_space()
    tie = Geometry(space).length_scale_tie()
    assert tie.shape == (space.n_columns,)
    for name in ("c", "d"):
        cols = tie[space.column_slice(name)]
        assert len(set(cols.tolist())) == 1  # one-hot columns of one parameter share an index
    x_col = tie[space.column_slice("x")][0]
    assert x_col not in set(tie[space.column_slice("c")]) | set(tie[space.column_slice("d")])
    assert sorted(set(tie.tolist())) == [0, 1, 2]


def test_tied_fit_gives_equal_length_scales_and_is_a_local_optimum() -> None:
    space = mixed_space()
    rng = np.random.default_rng(0)
    x = space.to_unit_many(space.sample_many(rng, 30))
    y = np.sin(5 * x[:, 0]) + 2.0 * x[:, 1] - x[:, 3]
    y = (y - y.mean()) / y.std()
    tie = Geometry(space).length_scale_tie()
    theta = fit_theta(Kernel.matern(), x, y, [default_theta(3)], tie=tie)
    assert theta.shape == (space.n_columns + 2,)
    for name in ("c", "d"):
        assert np.ptp(theta[:-2][space.column_slice(name)]) == 0.0
    # a one-hot column carries half its parameter's lam: a category mismatch adds lam to r2
    half = np.where(np.bincount(tie)[tie] > 1, np.log(0.5), 0.0)

    def packed_objective(z: np.ndarray) -> float:
        full = np.concatenate([z[:3][tie] + half, z[3:]])
        return log_marginal_likelihood(full, Kernel.matern(), x, y)[0] + log_prior(z)[0]

    z = np.concatenate([[(theta[:-2] - half)[tie == k][0] for k in range(3)], theta[-2:]])
    best = packed_objective(z)
    for i in range(z.size):  # no coordinate step improves the tied MAP objective (within bounds)
        for step in (-0.05, 0.05):
            moved = z.copy()
            moved[i] += step
            if -9.0 < moved[i] < 9.0 and (i < 3 or -18 < moved[i] < 5):
                assert packed_objective(moved) <= best + 1e-3


def test_training_subset_keeps_the_best_half_and_the_most_recent() -> None:
    y = np.arange(10.0)[::-1]  # the newest is the best
    assert training_subset(y, cap=20).tolist() == list(range(10))
    keep = training_subset(np.array([0.0, 5, 6, 7, 1, 8, 9, 2, 10, 11]), cap=4)
    assert keep.tolist() == [0, 4, 8, 9]  # best two (ids 0, 4) + the two newest others


def test_long_sweep_conditions_on_at_most_max_training_points() -> None:
    space = sp.Space({"x": sp.uniform(0, 1), "y": sp.uniform(0, 1)})
    bo = GPBO(space, seed=0, n_initial_trials=MAX_TRAINING + 20)
    run(bo, lambda p: (p["x"] - 0.3) ** 2 + (p["y"] - 0.6) ** 2, MAX_TRAINING + 20)
    model = bo._model(sorted(bo._x), [], warped=False)
    assert model.x_obs.shape[0] == MAX_TRAINING
    assert len(bo.ask(1)) == 1  # the model-based ask works on the capped set


def test_bo_finds_the_best_category_combination() -> None:
    """12 categorical parameters with 4 levels, loss = number of wrong levels: within 40 trials
    bo gets within 3 of the target and beats random search's best."""
    names = [f"s{i}" for i in range(12)]
    space = sp.Space({n: sp.values(["a", "b", "c", "d"]) for n in names})
    target = ["b", "d", "a", "c"] * 3
    def loss(p: Params) -> int:
        return sum(p[n] != t for n, t in zip(names, target, strict=True))

    losses = run(GPBO(space, seed=1), loss, 40)
    random_best = min(loss(p) for p in space.sample_many(np.random.default_rng(1), 40))
    assert min(losses) <= 3
    assert min(losses) < random_best


def test_mostly_categorical_spaces_keep_a_zero_prior_mean() -> None:
    from hypersweep.algorithms.gp.algorithm import mostly_categorical
    from hypersweep.algorithms.gp.model import Posterior

    assert mostly_categorical(mixed_space())  # 2 of 3 parameters are unordered choices
    assert not mostly_categorical(sp.Space({"x": sp.uniform(0, 1), "n": sp.values([1, 2, 4]), "c": sp.values(["a", "b"])}))
    x = np.array([[0.0], [1.5], [3.0]])
    y = np.array([-1.0, -1.2, -0.9])
    far = np.array([[50.0]])
    estimated = Posterior.build(Kernel.matern(), default_theta(1), x, y)
    fixed = Posterior.build(Kernel.matern(), default_theta(1), x, y, prior_mean=0.0)
    assert estimated.predict(far)[0][0] == pytest.approx(estimated.mean_const) and estimated.mean_const < -0.8
    assert fixed.predict(far)[0][0] == pytest.approx(0.0, abs=1e-9)  # far from the data: the prior mean
    grown = fixed.condition(np.array([4.5]), np.append(y, -1.0), noise=1e-3 + 1e-6)  # the theta's own noise
    assert grown.mean_const == 0.0 and grown.fixed_mean
    rebuilt = Posterior.build(Kernel.matern(), default_theta(1), np.vstack([x, [[4.5]]]), np.append(y, -1.0), 0.0)
    assert grown.predict(np.array([[2.0]]))[0] == pytest.approx(rebuilt.predict(np.array([[2.0]]))[0], rel=1e-6)


def test_fixed_prior_mean_likelihood_and_its_gradient() -> None:
    """With ``prior_mean`` the likelihood is the fixed-mean one (not the profiled one) and the
    gradient matches finite differences."""
    from scipy.optimize import approx_fprime

    rng = np.random.default_rng(3)
    x = rng.random((12, 2))
    y = 4.0 + np.sin(4 * x[:, 0])  # far from zero mean: the two likelihoods differ
    theta = np.array([0.3, -0.2, 0.1, np.log(1e-2)])
    profiled = log_marginal_likelihood(theta, Kernel.matern(), x, y)[0]
    fixed, grad = log_marginal_likelihood(theta, Kernel.matern(), x, y, prior_mean=0.0)
    assert fixed < profiled - 1.0  # profiling the mean fits a level of 4 the fixed mean cannot
    numeric = approx_fprime(theta, lambda t: log_marginal_likelihood(t, Kernel.matern(), x, y, prior_mean=0.0)[0], 1e-7)
    assert np.allclose(grad, numeric, rtol=1e-4, atol=1e-4)


def test_lam_scale_moves_the_length_scale_prior_mode() -> None:
    theta = np.array([0.0, 0.0, 0.0, np.log(1e-3)])
    grid = np.linspace(-4, 2, 601)

    def best_log_lam(scale: float) -> float:
        values = [log_prior(np.array([g, 0.0, 0.0, np.log(1e-3)]), np.array([scale, 1.0]))[0] for g in grid]
        return float(grid[int(np.argmax(values))])

    assert best_log_lam(1.0) == pytest.approx(0.0, abs=0.01)
    assert best_log_lam(5.0) == pytest.approx(-np.log(5.0), abs=0.01)  # mode at lam = 1/5
    _, grad = log_prior(theta, np.array([5.0, 1.0]))
    from scipy.optimize import approx_fprime

    numeric = approx_fprime(theta, lambda t: log_prior(t, np.array([5.0, 1.0]))[0], 1e-7)
    assert np.allclose(grad, numeric, rtol=1e-4, atol=1e-4)


def test_many_categorical_parameters_get_longer_length_scales() -> None:
    """On a space of 16 categorical parameters bo's categorical length-scale prior favours
    ``lam`` near 1/4 (one over the square root of their number), not 1: with few data the fitted
    categorical ``lam`` are smaller than under the unscaled prior."""
    names = [f"s{i}" for i in range(16)]
    space = sp.Space({n: sp.values(["a", "b", "c"]) for n in names})
    bo = GPBO(space, seed=0)
    assert bo._lam_scale.tolist() == [4.0] * 16
    rng = np.random.default_rng(0)
    x = space.to_unit_many(space.sample_many(rng, 12))
    y = rng.standard_normal(12)
    tie = bo._tie
    scaled = fit_theta(Kernel.matern(), x, y, [default_theta(16)], tie=tie, prior_mean=0.0, lam_scale=bo._lam_scale)
    plain = fit_theta(Kernel.matern(), x, y, [default_theta(16)], tie=tie, prior_mean=0.0)
    assert np.median(scaled[:-2]) < 0.5 * np.median(plain[:-2])
    mixed = GPBO(mixed_space(), seed=0)  # continuous length scales keep the unscaled prior
    x_index = int(Geometry(mixed_space()).length_scale_tie()[mixed_space().column_slice("x")][0])
    assert mixed._lam_scale[x_index] == 1.0 and sorted(mixed._lam_scale.tolist()) == [1.0, 2 ** 0.5, 2 ** 0.5]
