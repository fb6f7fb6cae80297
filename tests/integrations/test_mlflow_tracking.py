"""MLflowCallback against a real file-based MLflow store: nested runs with params, metrics, curves."""
import pytest
from mlflow.tracking import MlflowClient

import hypersweep as hs
from hypersweep.integration.mlflow import MLflowCallback


def objective(params, trial):
    loss = params["x"] ** 2
    for step in range(3):
        if trial.report(step, loss + 1.0 / (step + 1)):
            break
    return {"loss": loss, "abs_x": abs(params["x"])}


def test_trials_are_nested_runs_pruned_ones_killed_and_a_continued_sweep_keeps_its_parent(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"  # MLflow 3 refuses the ./mlruns file store
    db = str(tmp_path / "sweeps.db")
    sweep = hs.Sweep({"x": {"uniform": [-3, 3]}}, algorithm="random", metric="loss", storage=db, name="quad", seed=0,
                     pruner=hs.ThresholdPruner(upper=2.0))
    sweep.enqueue({"x": 0.5})
    sweep.enqueue({"x": 3.0})  # pruned at its first report
    sweep.run(objective, n_trials=2, progress=False, callbacks=[MLflowCallback(tracking_uri=uri)])
    hs.Sweep.load("quad", storage=db).run(objective, n_trials=1, progress=False, callbacks=[MLflowCallback(tracking_uri=uri)])

    client = MlflowClient(uri)
    experiment = client.get_experiment_by_name("quad").experiment_id
    runs = client.search_runs([experiment])
    (parent,) = [r for r in runs if r.data.tags["hypersweep.role"] == "sweep"]
    children = sorted((r for r in runs if r.data.tags["hypersweep.role"] == "trial"), key=lambda r: int(r.data.tags["hypersweep.trial"]))
    assert len(children) == 3 and all(r.data.tags["mlflow.parentRunId"] == parent.info.run_id for r in children)
    assert parent.data.params == {"algorithm": "random", "metric": "loss", "direction": "minimize", "seed": "0"}
    first = children[0]
    assert first.data.params == {"x": "0.5"} and first.info.status == "FINISHED"
    assert first.data.metrics == pytest.approx({"loss": 0.25, "abs_x": 0.5, "curve/loss": 0.25 + 1 / 3})
    assert [m.step for m in client.get_metric_history(first.info.run_id, "curve/loss")] == [0, 1, 2]
    assert "best_loss" in parent.data.metrics
    pruned = children[1]
    assert pruned.info.status == "KILLED" and pruned.data.tags["hypersweep.state"] == "pruned"
    assert [m.value for m in client.get_metric_history(pruned.info.run_id, "curve/loss")] == [10.0]
