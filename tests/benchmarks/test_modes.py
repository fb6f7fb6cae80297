"""Harness modes: simulated parallel workers, SQLite storage, and the overhead comparison."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("optuna")

from benchmarks import harness, overhead, report
from benchmarks.problems import get_problem, resolve


def test_workers_add_parallel_runs_with_their_own_labels(tmp_path):
    rc = harness.main(["--algorithms", "random", "--peers", "random", "--problems", "branin", "--seeds", "1",
                       "--n-trials", "8", "--workers", "1", "4", "--no-progress", "--jobs", "1", "--out", str(tmp_path)])
    assert rc == 0
    names = [t.optimizer for t in report.load_traces(tmp_path)]
    assert names == ["hypersweep:random", "hypersweep:random x4", "random", "random x4"]
    meta = json.loads((tmp_path / "meta.json").read_text())
    assert meta["workers"] == [1, 4] and meta["optimizers"] == names
    assert "| hypersweep:random x4 |" in (tmp_path / "table.md").read_text()


def test_storage_sqlite_suffixes_algorithms_and_optuna_peers(tmp_path):
    assert harness.with_sqlite(["tpe", "random", "smac@sqlite"], peers=False) == [
        "tpe@sqlite", "random@sqlite", "smac@sqlite"]
    assert harness.with_sqlite(["optuna-tpe", "random", "hyperopt-tpe"], peers=True) == [
        "optuna-tpe@sqlite", "random", "hyperopt-tpe"]
    rc = harness.main(["--algorithms", "random", "--peers", "optuna-tpe", "--problems", "branin", "--seeds", "1",
                       "--n-trials", "3", "--storage", "sqlite", "--no-progress", "--jobs", "1", "--out", str(tmp_path)])
    assert rc == 0
    assert [t.optimizer for t in report.load_traces(tmp_path)] == ["hypersweep:random@sqlite", "optuna:tpe@sqlite"]


def test_cheap_problem_is_ten_dimensional_and_not_in_all():
    problem = get_problem("sphere10")
    assert len(problem.space) == 10 and problem.evaluate({f"x{i}": 1.0 for i in range(10)}) == 0.0
    assert "sphere10" not in resolve(["all"]) and resolve(["cheap"]) == ["sphere10"]


def test_overhead_mode_writes_a_ratio_table(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(overhead, "GROUPS", (overhead.Group(("random", "no-such-algo"), "optuna-tpe", (5, 10)),))
    assert overhead.main(["--out", str(tmp_path), "--storage", "memory"]) == 0
    table = (tmp_path / "table.md").read_text()
    assert "| random | memory | 5-9 |" in table and "| optuna-tpe |" in table
    assert "no-such-algo" not in table and "not a registered algorithm" in capsys.readouterr().err
    assert len(report.load_traces(tmp_path)) == 2
