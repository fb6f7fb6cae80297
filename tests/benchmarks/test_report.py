"""Report maths on a hand-made example: mean regret, average ranks with ties, overhead."""
from __future__ import annotations

import pytest

from benchmarks import report
from benchmarks.peers.base import Trace

INFO = {"optimum": 0.0, "reference_worst": 10.0, "reference_median": 5.0, "family": "toy"}
# problem -> optimizer -> values per trial
VALUES = {
    "P1": {"A": [5, 1], "B": [3, 3], "C": [4, 1]},
    "P2": {"A": [2, 2], "B": [1, 0], "C": [2, 0]},
}


def _traces():
    return [
        Trace(opt, prob, 0, [float(v) for v in vals], [0.001, 0.003], info=dict(INFO, problem=prob))
        for prob, per in VALUES.items()
        for opt, vals in per.items()
    ]


def test_average_ranks_by_hand():
    # budget 1: P1 bests A5 B3 C4 -> ranks 3,1,2; P2 bests A2 B1 C2 -> 2.5,1,2.5
    # budget 2: P1 bests A1 B3 C1 -> 1.5,3,1.5; P2 bests A2 B0 C0 -> 3,1.5,1.5
    ranks = report.average_ranks(_traces(), [1, 2])
    assert ranks == {
        "A": {1: 2.75, 2: 2.25},
        "B": {1: 1.0, 2: 2.25},
        "C": {1: 2.25, 2: 1.5},
    }


def test_mean_regret_by_hand():
    regret = report.mean_regret(_traces(), [1, 2])
    assert regret["A"] == pytest.approx({1: 0.35, 2: 0.15})
    assert regret["B"] == pytest.approx({1: 0.2, 2: 0.15})
    assert regret["C"] == pytest.approx({1: 0.3, 2: 0.05})
    assert report.mean_regret(_traces(), [2], reference="median")["A"] == pytest.approx({2: 0.3})


def test_overhead_median_and_window():
    assert report.overhead_ms(_traces()) == pytest.approx({"A": 2.0, "B": 2.0, "C": 2.0})
    assert report.overhead_ms(_traces(), window=(1, 2)) == pytest.approx({"A": 3.0, "B": 3.0, "C": 3.0})


def test_markdown_and_budgets_beyond_the_runs():
    summary = report.summarize(_traces(), budgets=[1, 2, 100])
    assert summary.budgets == [1, 2] and summary.n_problems == 2 and summary.n_seeds == 1
    table = report.render_markdown(summary)
    lines = table.splitlines()
    assert lines[0] == "| optimizer | regret@1 | regret@2 | rank@1 | rank@2 | ask+tell ms (median) wall | CPU |"
    assert lines[2] == "| A | 0.350 | 0.150 | 2.75 | 2.25 | 2.000 | — |"  # no CPU times stored
    assert len(lines) == 5


def test_store_and_remake(tmp_path, capsys):
    report.write_traces(_traces(), tmp_path / report.TRACES_FILE)
    assert report.main([str(tmp_path), "--budgets", "1", "2", "--by-family", "--per-problem"]) == 0
    out = capsys.readouterr().out
    assert "| C | 0.300 | 0.050 | 2.25 | 1.50 | 2.000 | — |" in out
    assert "Family toy" in out and "| P2 |" in out
    assert report.main([str(tmp_path / "missing")]) == 2


def test_later_runs_replace_earlier_traces(tmp_path, capsys):
    """A rerun of optimizer A on P1 joins the first run's table in place of A's old trace."""
    first, rerun = tmp_path / "first", tmp_path / "rerun"
    first.mkdir(), rerun.mkdir()
    report.write_traces(_traces(), first / report.TRACES_FILE)
    better = Trace("A", "P1", 0, [0.0, 0.0], [0.001, 0.003], info=dict(INFO, problem="P1"))
    report.write_traces([better], rerun / report.TRACES_FILE)
    merged = report.merge_runs([report.load_traces(first), report.load_traces(rerun)])
    assert len(merged) == 6
    assert report.mean_regret(merged, [1])["A"] == pytest.approx({1: 0.1})  # P1 0.0, P2 0.2
    assert report.main([str(first), str(rerun), "--budgets", "1"]) == 0
    assert "| A | 0.100 |" in capsys.readouterr().out


def test_complete_keeps_the_cells_every_optimizer_ran(tmp_path, capsys):
    extra = Trace("D", "P2", 0, [0.0, 0.0], [0.001, 0.003], info=dict(INFO, problem="P2"))
    cells = report.complete_cells([*_traces(), extra])
    assert sorted((t.optimizer, t.problem) for t in cells) == [("A", "P2"), ("B", "P2"), ("C", "P2"), ("D", "P2")]
    report.write_traces([*_traces(), extra], tmp_path / report.TRACES_FILE)
    assert report.main([str(tmp_path), "--budgets", "1", "--complete"]) == 0
    assert "| A | 0.200 |" in capsys.readouterr().out  # P2 only


def test_cpu_clock_column():
    traces = _traces()
    for t in traces:
        t.overhead_cpu = [0.002, 0.004]
    assert report.overhead_ms(traces, clock="cpu") == pytest.approx({"A": 3.0, "B": 3.0, "C": 3.0})
    summary = report.summarize(traces, budgets=[1], overhead_window=(0, 1))
    assert report.render_markdown(summary).splitlines()[2] == "| A | 0.350 | 2.75 | 1.000 | 2.000 |"
    with pytest.raises(ValueError, match="clock"):
        report.overhead_ms(traces, clock="sundial")
