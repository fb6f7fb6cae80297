"""Prune Keras 3 trainings epoch by epoch, on the torch backend (pip install hypersweep[keras])."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # before importing keras; no TensorFlow needed

import keras
import numpy as np

import hypersweep as hs
from hypersweep.integration.keras import KerasPruningCallback

rng = np.random.default_rng(0)
X = rng.normal(size=(256, 8)).astype("float32")
Y = (X @ rng.normal(size=(8, 1)) + 0.1 * rng.normal(size=(256, 1))).astype("float32")


def objective(params, trial):
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(params["units"], activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(params["lr"]), loss="mse")
    history = model.fit(X, Y, validation_split=0.25, epochs=5, batch_size=32, verbose=0,
                        callbacks=[KerasPruningCallback(trial, "val_loss")])
    return history.history["val_loss"][-1]


space = hs.Space({"lr": hs.loguniform(1e-4, 1e-1), "units": hs.values([8, 32])})
sweep = hs.Sweep(space, algorithm="tpe", metric="val_loss", pruner=hs.MedianPruner(n_startup_trials=2, n_warmup_steps=2), seed=0)
summary = sweep.run(objective, n_trials=4, concurrency=2, progress=False)
print(f"best val_loss {sweep.best.value:.4f} with {sweep.best.params}; { {state.value: n for state, n in summary.finished.items()} }")
