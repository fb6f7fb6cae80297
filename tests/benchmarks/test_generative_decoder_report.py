"""benchmarks.generative_decoder: the pick-rate and ablation report from recorded runs."""
from __future__ import annotations

from benchmarks.generative_decoder import as_hpob, report


def test_report_counts_sources_by_phase_and_pairs_the_ablation() -> None:
    full = {f"t/test{i}": [0.5] * 10 + [0.9] * 41 for i in range(3)}
    ablated = {f"t/test{i}": [0.5] * 10 + [0.8 - 0.01 * i] * 41 for i in range(3)}
    sources = {k: ["decoder", "perturbed", "uniform", "decoder", "perturbed"] + ["gp-search"] * 45 for k in full}
    text = report({"full": full, "ablated": ablated, "sources": sources}, gp_after=10, trials=50)
    assert "decoder pick rate: network phase 6/15, GP phase 0/135" in text
    assert "| 10 | 0.1000 | 0.2100 | +0.1100" in text  # ablated - full at 10, paired over 3 runs
    assert as_hpob(full)["lcbench"]["t"]["test2"] == full["t/test2"]
