"""Prune LightGBM trainings round by round (pip install hypersweep[lightgbm])."""
import lightgbm
from sklearn.datasets import load_diabetes

import hypersweep as hs
from hypersweep.integration.lightgbm import LightGBMPruningCallback

X, y = load_diabetes(return_X_y=True)


def objective(params, trial):
    train = lightgbm.Dataset(X[:300], y[:300])
    valid = lightgbm.Dataset(X[300:], y[300:], reference=train)
    booster = lightgbm.train({**params, "verbose": -1, "num_threads": 1}, train, num_boost_round=30,
                             valid_sets=[valid], valid_names=["valid"],
                             callbacks=[LightGBMPruningCallback(trial, "valid-l2")])
    return booster.best_score["valid"]["l2"]


space = hs.Space({"learning_rate": hs.loguniform(0.01, 0.5), "num_leaves": hs.range(4, 32, 4)})
sweep = hs.Sweep(space, algorithm="tpe", metric="l2", pruner=hs.MedianPruner(n_startup_trials=2), seed=0)
summary = sweep.run(objective, n_trials=8, concurrency=2, progress=False)
print(f"best l2 {sweep.best.value:.1f} with {sweep.best.params}; { {state.value: n for state, n in summary.finished.items()} }")
