"""Multi-fidelity benchmark: LCBench with the epoch as fidelity (issue 4).

Runs hypersweep's multi-fidelity algorithms (``hyperband``, ``successive_halving``, ``asha``,
``bohb``, ``bohb_gp``), full-fidelity baselines (``random``, ``bo``: 52 epochs per trial) and peers (Optuna
TPE with Hyperband / successive-halving pruners, DEHB, SMAC3 Hyperband) with budgets counted in
epochs, and reports the regret of the incumbent (best configuration trained to full fidelity)
against the budget, plus the utilization of simulated parallel workers.

- :mod:`~benchmarks.multifidelity.simulate`: cost accounting and the worker simulation;
- :mod:`~benchmarks.multifidelity.peers`: the peers' adapters;
- :mod:`~benchmarks.multifidelity.report`: tables and plots from ``runs.jsonl``;
- :mod:`~benchmarks.multifidelity.cli`: ``python -m benchmarks.multifidelity``.
"""
from benchmarks.multifidelity.simulate import (
    Ledger,
    MFRun,
    simulate,
    trial_cost,
    utilization,
)

__all__ = ["Ledger", "MFRun", "simulate", "trial_cost", "utilization"]
