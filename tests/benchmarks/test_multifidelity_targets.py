"""benchmarks/multifidelity/targets.py: budget to reach a regret, speed-ups, paired intervals."""
from __future__ import annotations

import numpy as np

from benchmarks.multifidelity.simulate import MFRun
from benchmarks.multifidelity.targets import budget_to_reach, paired_interval, report

INFO = {"optimum": 0.0, "reference_worst": 100.0, "reference_median": 50.0, "full_epoch": 52}


def run(method: str, seed: int, results: list[tuple[float, float]]) -> MFRun:
    """A run whose full-budget results ``(full trainings spent, value)`` arrived in that order."""
    return MFRun(method=method, problem="lcbench/1", seed=seed, workers=1, full_costs=[b * 52 for b, _ in results],
                 full_values=[v for _, v in results], n_trials=len(results), epochs=results[-1][0] * 52,
                 info=dict(INFO), cpu_s=2.0 if method == "bo" else 3.0)


def test_budget_to_reach_is_the_first_budget_at_or_below_the_regret_else_the_cap():
    r = run("ft", 0, [(5, 30.0), (12, 10.0), (40, 5.0)])
    assert budget_to_reach(r, 0.10, 52) == 12
    assert budget_to_reach(r, 0.05, 52) == 40
    assert budget_to_reach(r, 0.01, 52) == 200


def test_paired_interval_brackets_the_mean_difference():
    low, high = paired_interval(np.array([-0.1, -0.2, -0.15, -0.05]))
    assert low < -0.125 < high < 0


def test_report_reads_speed_up_ratio_and_cost():
    runs = []
    for seed in range(3):
        runs.append(run("bo", seed, [(10, 20.0), (50, 10.0)]))
        runs.append(run("ft", seed, [(5, 15.0), (25, 8.0)]))  # reaches bo's 50-training regret at 25
    text = report(runs, "ft", "bo", [])
    assert "| all | 3 | **2.00** |" in text  # 50 / 25
    assert "| 50 | 0.0800 | 0.1000 | 0.80 |" in text
    assert "ft/bo = 1.50" in text
