"""Log a sweep to MLflow: one run per trial, nested under the sweep's run (pip install hypersweep[mlflow]).

Runs land in ./mlflow.db; look at them with `mlflow ui --backend-store-uri sqlite:///mlflow.db`.
"""
import hypersweep as hs
from hypersweep.integration.mlflow import MLflowCallback


def objective(params, trial):
    loss = (params["x"] - 0.3) ** 2 + params["y"] ** 2
    for step in range(5):
        trial.report(step, loss * (1 + 1 / (step + 1)))
    return {"loss": loss, "distance": loss ** 0.5}


space = hs.Space({"x": hs.uniform(-1, 1), "y": hs.uniform(-1, 1)})
sweep = hs.Sweep(space, algorithm="tpe", metric="loss", storage="sweeps.db", name="quadratic", seed=0)
sweep.run(objective, n_trials=4, concurrency=2, progress=False,
          callbacks=[MLflowCallback(tracking_uri="sqlite:///mlflow.db")])
print(f"best loss {sweep.best.value:.4f}; {len(sweep.trials)} trials logged to MLflow experiment 'quadratic'")
