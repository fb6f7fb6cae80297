"""Sweeps over conditional spaces end to end: sweep file, shell command with defaults, the
store (SQLite and PostgreSQL), resume, show, export and the dashboard's importance."""
from __future__ import annotations

import csv
import io
import json
import sys
import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

import hypersweep as hs
from hypersweep.cli.main import cli
from hypersweep.dashboard.importance import importances
from hypersweep.storage import open_storage
from hypersweep.testing.workdir import prepare_workdir

SWEEP = textwrap.dedent(
    f"""\
    name: boost
    metric: {{name: loss, optimization: minimize}}
    settings:
      tpe: {{n_startup_trials: 3}}
      max_trials: 8
      seed: 3
    matrix:
      booster: {{values: [gbtree, gblinear, dart]}}
      max_depth: {{range: [1, 20, 1], when: {{booster: [gbtree, dart]}}, default: 0}}
      tree_method: {{values: [exact, hist, approx], when: {{booster: [gbtree, dart]}}}}
      k1: {{range: [5, 60, 1], max: k2}}
      k2: {{range: [5, 60, 1]}}
      forbidden:
        - {{booster: dart, tree_method: hist}}
    run:
      cmd: {sys.executable} objective.py {{{{ max_depth }}}} {{{{ k1 }}}} {{{{ k2 }}}}
    """
)

OBJECTIVE = textwrap.dedent(
    """
    import json, sys
    depth, k1, k2 = (int(a) for a in sys.argv[1:4])
    print("hypersweep.metric " + json.dumps({"loss": depth + (k2 - k1) / 100, "depth_seen": depth}))
    """
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    return prepare_workdir(tmp_path, monkeypatch, {"sweep.yaml": SWEEP, "objective.py": OBJECTIVE})


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_conditional_sweep_file_runs_shows_and_exports(workdir):
    assert invoke("run", "sweep.yaml", "--no-progress").exit_code == 0
    with open_storage(workdir / "hypersweep.db") as store:
        done = store.get_trials("boost")
        spec = store.get_sweep("boost")
    space = hs.Space.from_matrix(spec.space)
    assert space.forbidden == [{"booster": "dart", "tree_method": "hist"}] and spec.param_names == ["booster", "max_depth", "tree_method", "k1", "k2"]
    assert len(done) == 8 and all(t.state.value == "completed" for t in done)
    for trial in done:
        space.validate(trial.params)
        # the command got max_depth's default (0) while it was inactive
        assert trial.metrics["depth_seen"] == trial.params.get("max_depth", 0)
    assert any("max_depth" not in t.params for t in done) and any("max_depth" in t.params for t in done)

    shown = invoke("show", "boost").output
    header = next(line for line in shown.splitlines() if line.startswith("id"))
    assert header.split()[3:8] == ["booster", "max_depth", "tree_method", "k1", "k2"]  # no "forbidden" column
    rows = list(csv.DictReader(io.StringIO(invoke("export", "boost", "--format", "csv").output)))
    linear = next(r for r in rows if r["params.booster"] == "gblinear")
    assert linear["params.max_depth"] == ""  # inactive: an empty cell
    columns = list(rows[0])
    params = [c for c in columns if c.startswith("params.")]
    assert columns[:3] == ["id", "state", "value"] and columns[3:3 + len(params)] == params  # params side by side
    assert {c.removeprefix("params.") for c in params} == set(spec.param_names)
    records = json.loads(invoke("export", "boost", "--format", "json").output)
    assert all(("max_depth" in r["params"]) == (r["params"]["booster"] != "gblinear") for r in records)

    sweep = hs.Sweep.load("boost", storage=str(workdir / "hypersweep.db"))
    frame = sweep.to_dataframe()
    assert frame["params.max_depth"].isna().sum() == sum("max_depth" not in t.params for t in done)
    assert isinstance(frame, pd.DataFrame)

    assert invoke("resume", "boost", "--no-progress").exit_code == 0  # the stored space rebuilds


def test_placeholder_of_a_conditional_parameter_needs_a_default(workdir):
    (workdir / "bad.yaml").write_text(SWEEP.replace(", default: 0", ""))
    result = CliRunner().invoke(cli, ["run", "bad.yaml", "--no-progress"])
    assert result.exit_code == 2
    assert "matrix.max_depth: is conditional and {{ max_depth }} is in run.cmd; give it a default:" in result.output
    assert not (workdir / "hypersweep.db").exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("when: {booster: [gbtree, dart]}, default", "when: {bostr: gbtree}, default"),
         "matrix.max_depth.when: parent 'bostr' is not a parameter of the matrix; did you mean 'booster'?"),
        (("k2: {range: [5, 60, 1]}", "k2: {range: [5, 60, 1], min: k1}"), "matrix.k1: the conditions and bounds form a cycle k1 -> k2 -> k1"),
        (("tree_method: hist}", "tree_method: histo}"), "matrix.forbidden[0].tree_method: 'histo' is not a value of 'tree_method'"),
        (("k2: {range: [5, 60, 1]}", "k2: {range: [1, 60, 1]}"), "matrix.k1.max: 'k2' can be 1, below 'k1''s smallest value 5"),
    ],
)
def test_bad_relations_exit_2_with_one_line(workdir, edit, message):
    (workdir / "bad.yaml").write_text(SWEEP.replace(*edit))
    result = CliRunner().invoke(cli, ["run", "bad.yaml", "--no-progress"])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not (workdir / "hypersweep.db").exists()


def test_stored_conditional_space_round_trips(storage_url):
    space = hs.Space(
        {"booster": hs.values(["gbtree", "gblinear"]), "depth": hs.range(1, 9, 1).when(booster="gbtree"),
         "k1": hs.range(1, 9, 1).bounded(max="depth")},
        forbidden=[{"booster": "gblinear", "k1": 8}],
    )
    sweep = hs.Sweep(space, name="rt", storage=storage_url, algorithm="random", metric=hs.Metric("loss"), seed=1)
    sweep.run(lambda p: p.get("depth", 0) - p["k1"], n_trials=6)
    again = hs.Sweep.load("rt", storage=storage_url)
    assert again.space == space and again.space.to_matrix() == space.to_matrix()
    for trial in again.trials:
        space.validate(trial.params)
    old_style = hs.Sweep(hs.Space({"x": hs.uniform(0, 1)}), name="plain", storage=storage_url, metric=hs.Metric("loss"))
    assert hs.Sweep.load("plain", storage=storage_url).space == old_style.space


def test_importance_treats_inactive_as_a_level_of_its_own():
    rows = [[("a" if i % 2 else "b"), (None if i % 2 else float(i))] for i in range(40)]
    values = [0.0 if i % 2 else 1.0 for i in range(40)]  # booster "a" (depth inactive) is best
    scores = importances(rows, values, ["booster", "depth"], minimize=True)
    # the best trials all lack depth: its inactive level tells as much as the booster does
    assert scores["depth"] == pytest.approx(0.5, abs=0.02) and scores["booster"] == pytest.approx(0.5, abs=0.02)
