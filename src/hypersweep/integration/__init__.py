"""Integrations with training libraries and trackers, one module per library, each behind its extra.

``lightning``, ``keras``, ``xgboost``, ``lightgbm``: pruning callbacks that report a monitored
metric to the trial every epoch or iteration and stop training when the pruner says so;
``mlflow``: a tracker for ``Sweep.run(callbacks=[...])``. Import the module you need, e.g.
``from hypersweep.integration.xgboost import XGBoostPruningCallback``; nothing here is imported
by ``import hypersweep``.
"""
