"""The kriging believer ``bo`` and ``bohb_gp`` share."""
from __future__ import annotations

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms.gp.believer import Believer
from hypersweep.algorithms.gp.kernels import Kernel
from hypersweep.algorithms.gp.model import Posterior, default_theta
from hypersweep.algorithms.multifidelity.bohb_gp import BOHBGP
from hypersweep.records import Trial, TrialState


def parabola() -> Believer:
    """A parabola sampled around its minimum: the posterior mean at 0.5 is below every observation."""
    x = np.array([[0.1], [0.3], [0.45], [0.55], [0.7], [0.9]])
    return Believer(Kernel.matern(), default_theta(1), x, (x[:, 0] - 0.5) ** 2 * 10.0)


def test_believed_value_is_capped_at_the_best_observation() -> None:
    model = parabola()
    point = np.array([0.5])
    expected = float(model.posterior.predict(point[None, :])[0][0])
    assert expected < model.observed_best
    model.believe(point)
    assert model.y[-1] == pytest.approx(model.observed_best)  # conditioned on the cap, not the optimistic mean
    assert model.best == pytest.approx(expected)  # the incumbent counts what the point is expected to reach
    mean, var = model.posterior.predict(point[None, :])
    assert mean[0] == pytest.approx(model.observed_best, abs=1e-3) and var[0] < 1e-4


def test_believing_is_a_rank_one_update_of_the_posterior() -> None:
    model = parabola()
    points = [np.array([0.2]), np.array([0.8])]
    for point in points:
        model.believe(point)
    x = np.vstack([model.x_obs, *points])
    rebuilt = Posterior.build(Kernel.matern(), default_theta(1), x, model.y)
    grid = np.linspace(0, 1, 11)[:, None]
    assert np.allclose(model.posterior.predict(grid)[0], rebuilt.predict(grid)[0], atol=1e-3)
    assert model.posterior.x.shape == (8, 1)


def test_bohb_gp_believes_pending_trials_with_the_shared_model(monkeypatch: pytest.MonkeyPatch) -> None:
    believed: list[np.ndarray] = []
    original = Believer.believe

    def spy(self: Believer, point: np.ndarray) -> None:
        believed.append(point)
        original(self, point)

    monkeypatch.setattr(Believer, "believe", spy)
    space = hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})
    algo = BOHBGP(space, seed=0, max_iter=9, min_points=4, random_fraction=0.0, brackets="hyperband")
    for i in range(9):  # bracket 2's rung 0 (9 configurations at budget 1), then its rung 1 is promoted
        (s,) = algo.suggest(1)
        value = (s.params["x"] - 0.2) ** 2 + s.params["y"]
        algo.tell([Trial(id=i, params=s.params, meta=s.meta, state=TrialState.COMPLETED, value=value)])
    running = [Trial(id=9 + k, params=s.params, meta=s.meta, state=TrialState.RUNNING)
               for k, s in enumerate(algo.suggest(3))]  # bracket 2's rung 1
    believed.clear()
    batch = algo.suggest(5, pending=running)  # bracket 1's new configurations, from the model
    assert {s.meta["rung"] for s in batch} == {0}
    assert len(believed) == len(running) + len(batch)
