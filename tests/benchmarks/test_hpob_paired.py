"""benchmarks.hpob_paired: paired regret of HPO-B result files with 90% t-intervals."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from benchmarks.hpob_paired import main, paired, regrets
from hypersweep.hpob import save_results


def test_paired_interval_is_the_t_interval() -> None:
    diff = np.array([0.1, 0.2, 0.3, 0.4])
    mean, low, high = paired(diff)
    assert mean == pytest.approx(0.25)
    half = 2.3533634 * np.std(diff, ddof=1) / 2  # t(0.95, 3) * s / sqrt(4)
    assert (low, high) == (pytest.approx(0.25 - half), pytest.approx(0.25 + half))
    assert paired(np.zeros(5)) == (0.0, 0.0, 0.0)


def test_runs_pair_by_space_dataset_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = {"s": {"d1": {"test0": [0.5] * 12, "test1": [0.6] * 12}, "d2": {"test0": [0.9] * 12}}}
    b = {"s": {"d1": {"test1": [0.4] * 12, "test0": [0.3] * 12}}}  # d2 missing: left out
    save_results(a, tmp_path / "a.json")
    save_results(b, tmp_path / "b.json")
    r, n = regrets({"a": str(tmp_path / "a.json"), "b": str(tmp_path / "b.json")})
    assert n == 2 and r["a"][:, 10].tolist() == pytest.approx([0.5, 0.4])
    assert r["b"][:, 10].tolist() == pytest.approx([0.7, 0.6])
    assert main(["--reference", f"a={tmp_path / 'a.json'}", f"b={tmp_path / 'b.json'}"]) == 0
    out = capsys.readouterr().out
    assert "2 paired runs" in out and "@10" in out and "@25" not in out  # 11 entries reach only 10
    assert "| b | 0.6500 | +0.2000 [+0.2000, +0.2000] |" in out
