"""Pruning callbacks against the real libraries: each reports every epoch/round and stops training.

Every sweep prunes past step 2 (a loss is never below -1), so a trial stored with exactly three
reports shows both halves: the values reached the pruner, and its answer stopped the training.
Keras and Lightning run through ``Sweep.run`` (forked workers). XGBoost and LightGBM run in this
process through ask/tell: once a process has trained with them, their OpenMP thread pool makes a
forked child that trains with them hang (a libgomp limitation), and the test session is such a process.
"""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import pytest

import hypersweep as hs

ROUNDS = 10
RNG = np.random.default_rng(0)
X = RNG.normal(size=(120, 4)).astype("float32")
Y = (X @ np.array([1.0, -2.0, 0.5, 0.0], dtype="float32") + 0.1 * RNG.normal(size=120)).astype("float32")


def _xgboost(params, trial):
    import xgboost

    from hypersweep.integration.xgboost import XGBoostPruningCallback

    model = xgboost.XGBRegressor(n_estimators=ROUNDS, learning_rate=params["lr"], n_jobs=1,
                                 callbacks=[XGBoostPruningCallback(trial, "validation_0-rmse")])
    model.fit(X[:80], Y[:80], eval_set=[(X[80:], Y[80:])], verbose=False)
    return model.evals_result()["validation_0"]["rmse"][-1]


def _lightgbm(params, trial):
    import lightgbm

    from hypersweep.integration.lightgbm import LightGBMPruningCallback

    data = lightgbm.Dataset(X[:80], Y[:80])
    valid = lightgbm.Dataset(X[80:], Y[80:], reference=data)
    booster = lightgbm.train({"learning_rate": params["lr"], "verbose": -1, "num_threads": 1, "min_data_in_leaf": 5},
                             data, num_boost_round=ROUNDS, valid_sets=[valid], valid_names=["valid"],
                             callbacks=[LightGBMPruningCallback(trial, "valid-l2")])
    return booster.best_score["valid"]["l2"] if booster.best_score else 0.0


def _keras(params, trial):
    import keras

    from hypersweep.integration.keras import KerasPruningCallback

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(params["lr"]), loss="mse")
    history = model.fit(X, Y, validation_split=0.25, epochs=ROUNDS, batch_size=40, verbose=0,
                        callbacks=[KerasPruningCallback(trial, "val_loss")])
    return history.history["val_loss"][-1]


def _lightning(params, trial):
    import lightning.pytorch as pl
    import torch

    from hypersweep.integration.lightning import LightningPruningCallback

    class Linear(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        def _loss(self, batch):
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x).squeeze(-1), y)

        def training_step(self, batch, _):
            return self._loss(batch)

        def validation_step(self, batch, _):
            self.log("val_loss", self._loss(batch))

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=params["lr"])

    def loader(rows):
        return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(X[rows]), torch.tensor(Y[rows])), batch_size=40)

    trainer = pl.Trainer(max_epochs=ROUNDS, logger=False, enable_checkpointing=False, enable_progress_bar=False,
                         enable_model_summary=False, num_sanity_val_steps=0, accelerator="cpu",
                         callbacks=[LightningPruningCallback(trial, "val_loss")])
    trainer.fit(Linear(), loader(slice(0, 80)), loader(slice(80, None)))
    return float(trainer.callback_metrics["val_loss"])


class _Handle:
    """The ask/tell stand-in for the trial handle: reports through the sweep, remembers a stop."""

    def __init__(self, sweep, trial):
        self.sweep, self.trial, self.stopped = sweep, trial, False

    def report(self, step, value):
        self.stopped = self.sweep.report(self.trial, step, value) or self.stopped
        return self.stopped


def _in_process(objective, sweep):
    trial = sweep.ask()
    handle = _Handle(sweep, trial)
    try:
        result = objective(trial.params, handle)
    except Exception as exc:
        result = exc
    sweep.tell(trial, hs.TrialPruned() if handle.stopped else result)


def _forked(objective, sweep):
    sweep.run(objective, n_trials=1, progress=False)


CASES = [(_xgboost, _in_process), (_lightgbm, _in_process), (_keras, _forked), (_lightning, _forked)]


@pytest.mark.parametrize(("objective", "run"), CASES, ids=lambda f: f.__name__[1:])
def test_pruned_trial_stops_training_and_keeps_its_curve(objective, run):
    sweep = hs.Sweep({"lr": {"values": [0.1]}}, algorithm="grid", metric="loss",
                     pruner=hs.ThresholdPruner(lower=-1.0, upper=-0.5, n_warmup_steps=2))
    run(objective, sweep)
    (trial,) = sweep.trials
    assert trial.state is hs.TrialState.PRUNED, trial.error
    assert [r.step for r in trial.reports] == [0, 1, 2]
    assert all(r.value >= 0 for r in trial.reports)


def test_without_a_pruner_every_round_is_reported():
    sweep = hs.Sweep({"lr": {"values": [0.1]}}, algorithm="grid", metric="loss")
    _in_process(_xgboost, sweep)
    (trial,) = sweep.trials
    assert trial.state is hs.TrialState.COMPLETED and len(trial.reports) == ROUNDS
    assert trial.value == pytest.approx(trial.reports[-1].value, rel=1e-5)


def test_a_metric_that_was_not_logged_is_named():
    def objective(params, trial):
        import xgboost

        from hypersweep.integration.xgboost import XGBoostPruningCallback

        xgboost.XGBRegressor(n_estimators=2, n_jobs=1, callbacks=[XGBoostPruningCallback(trial, "valid-rmse")]).fit(
            X, Y, eval_set=[(X, Y)], verbose=False)
        return 0.0

    sweep = hs.Sweep({"lr": {"values": [0.1]}}, algorithm="grid", metric="loss")
    _in_process(objective, sweep)
    assert "monitor: 'valid-rmse' was not logged (logged: validation_0-rmse)" in sweep.trials[0].error
