"""Prune XGBoost trainings round by round (pip install hypersweep[xgboost])."""
from sklearn.datasets import load_diabetes
import xgboost

import hypersweep as hs
from hypersweep.integration.xgboost import XGBoostPruningCallback

X, y = load_diabetes(return_X_y=True)


def objective(params, trial):
    model = xgboost.XGBRegressor(n_estimators=30, n_jobs=1, **params,
                                 callbacks=[XGBoostPruningCallback(trial, "validation_0-rmse")])
    model.fit(X[:300], y[:300], eval_set=[(X[300:], y[300:])], verbose=False)
    return model.evals_result()["validation_0"]["rmse"][-1]


space = hs.Space({"learning_rate": hs.loguniform(0.01, 0.5), "max_depth": hs.range(2, 8, 1)})
sweep = hs.Sweep(space, algorithm="tpe", metric="rmse", pruner=hs.MedianPruner(n_startup_trials=2), seed=0)
summary = sweep.run(objective, n_trials=8, concurrency=2, progress=False)
print(f"best rmse {sweep.best.value:.2f} with {sweep.best.params}; { {state.value: n for state, n in summary.finished.items()} }")
