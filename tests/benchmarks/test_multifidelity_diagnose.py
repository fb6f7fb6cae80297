"""The freeze_thaw diagnosis: budget shares, proposal quality and regret from real LCBench runs."""
from __future__ import annotations

import pytest

from benchmarks.multifidelity import diagnose
from benchmarks.problems import lcbench

LCBENCH = lcbench.unavailable_reason()


@pytest.mark.skipif(LCBENCH is not None, reason=f"LCBench unavailable: {LCBENCH}")
def test_diagnosis_accounts_for_the_budget_and_reads_true_final_values() -> None:
    ft = diagnose.diagnose("freeze_thaw", "126026", 0, 12)
    bo = diagnose.diagnose("bo", "126026", 0, 12)
    assert sum(ft["share"].values()) == pytest.approx(1.0, abs=1e-3)
    assert set(ft["share"]) == {0, 1, 2}  # the 6 / 18 / 52 epoch ladder for R = 52, eta = 3
    assert ft["configurations"] > ft["full_trainings"] >= 1 and ft["trials"] > ft["configurations"]
    assert bo["trials"] == bo["full_trainings"] == 12
    for run in (ft, bo):
        assert len(run["regret"]) == 1  # only the 10-training check fits in 12
        low, high = run["proposal_median_regret"]
        assert 0 <= low <= 1 and 0 <= high <= 1  # clipped normalized regret
    for level in ft["extrapolation"].values():
        assert level["frozen_but_better"] <= level["frozen"] <= level["paused"]
    text = diagnose.summary([ft, bo])
    assert "freeze_thaw: 1 runs" in text and "budget share per level" in text and "bo: 1 runs" in text
