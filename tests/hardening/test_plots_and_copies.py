"""Issue 21, case 19: pruned trials are drawn, empty sweeps say so, the best line stays at the top
budget, copied trials are marked as copies with their original durations."""
import json
from datetime import datetime, timedelta, timezone

import hypersweep as hs
from hypersweep.api import copy_sweep
from hypersweep.records import Direction, Metric, Report, Trial, TrialState
from hypersweep.viz import history_series, plot_history

from .conftest import invoke, sweep_file


def test_pruned_trials_are_drawn_at_their_last_report():
    trials = [
        Trial(0, {}, TrialState.COMPLETED, value=3.0),
        Trial(1, {}, TrialState.PRUNED, reports=(Report(0, 9.0), Report(1, 8.0))),
        Trial(2, {}, TrialState.PRUNED),  # pruned before any report: nothing to draw
    ]
    series = history_series(trials, Direction.MINIMIZE)
    assert series.pruned_ids == (1,) and series.pruned_values == (8.0,)
    assert series.ids == (0,) and series.has_values


def test_a_sweep_without_values_says_so(tmp_path, workdir):
    series = history_series([Trial(0, {}, TrialState.FAILED, error="x")], Direction.MINIMIZE)
    assert not series.has_values and series.failed_ids == (0,)
    assert plot_history({"a": series}, Metric("loss"), tmp_path / "a.png").exists()
    assert invoke("run", "--space", "space.yaml", "--objective", "objectives21:broken", "--n-trials", "1",
                  "--name", "bad", "--no-progress").exit_code == 1
    plotted = invoke("plot", "bad", "-o", "bad.png")
    assert plotted.exit_code == 0 and "no completed trial" in plotted.stdout


def test_the_best_line_of_a_multi_fidelity_sweep_is_at_the_top_budget():
    trials = [
        Trial(0, {}, TrialState.COMPLETED, value=0.1, meta={"budget": 1}),
        Trial(1, {}, TrialState.COMPLETED, value=0.5, meta={"budget": 9}),
        Trial(2, {}, TrialState.COMPLETED, value=0.05, meta={"budget": 3}),
        Trial(3, {}, TrialState.COMPLETED, value=0.4, meta={"budget": 9}),
    ]
    series = history_series(trials, Direction.MINIMIZE)
    assert series.best_ids == (1, 3) and series.best == (0.5, 0.4)
    assert series.ids == (0, 1, 2, 3)


def test_copied_trials_are_marked_with_their_original_durations(workdir):
    (workdir / "s.yaml").write_text(sweep_file())
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0
    assert invoke("copy", "quad", "--to", "quad2").exit_code == 0
    source = json.loads(invoke("export", "quad").stdout)
    copied = json.loads(invoke("export", "quad2").stdout)
    assert [c["copied_from"] for c in copied] == [
        {"sweep": "quad", "trial": s["id"], "duration": s["duration"]} for s in source
    ]
    assert [c["duration"] for c in copied] == [s["duration"] for s in source]
    assert "copied_from" in invoke("export", "quad2", "--format", "csv").stdout.splitlines()[0]
    shown = invoke("show", "quad2").stdout
    assert "copy of" in shown and "quad#0" in shown
    compared = invoke("compare", "quad", "quad2").stdout.splitlines()
    assert compared[0].split()[-1] == "copied" and compared[3].endswith("3 from quad")


def test_api_copies_know_their_source(tmp_path):
    sweep = hs.Sweep({"x": hs.uniform(0, 1)}, storage=tmp_path / "s.db", name="a", seed=0)
    trial = sweep.ask()
    sweep.tell(trial, 0.5)
    (copy,) = copy_sweep("a", "b", storage=tmp_path / "s.db").trials
    assert copy.copied_from["sweep"] == "a" and copy.copied_from["trial"] == 0
    assert copy.run_seconds == sweep.trials[0].duration
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert Trial(0, {}, started_at=start, finished_at=start + timedelta(seconds=2)).run_seconds == 2
