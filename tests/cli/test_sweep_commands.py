"""`run sweep.yaml` and the commands that manage sweeps: show, compare, stop, resume, restart,
copy, rm, with the default store ``hypersweep.db`` in the current directory."""
import hashlib
import json
import textwrap

import pytest
from click.testing import CliRunner

import hypersweep as hs
from hypersweep.cli.main import cli
from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.workdir import prepare_workdir

SWEEP = textwrap.dedent(
    """\
    name: quad
    metric: {name: loss, optimization: minimize}
    settings:
      concurrency: 2
      seed: 1
      random_search: {n_experiments: 5}
    matrix:
      x: {uniform: [-2, 2]}
      k: {values: [1, 2]}
    run:
      function: quad_objective:objective
    """
)

OBJECTIVE = textwrap.dedent(
    """
    def objective(params, trial):
        for step in range(2):
            trial.report(step, params["x"] ** 2 + step)
        return {"loss": params["x"] ** 2 + params["k"], "accuracy": 1 / (1 + abs(params["x"]))}
    """
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    return prepare_workdir(tmp_path, monkeypatch, {"sweep.yaml": SWEEP, "quad_objective.py": OBJECTIVE})


def invoke(*args, input=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, input=input)


def trials(workdir, name="quad"):
    with open_storage(workdir / "hypersweep.db") as store:
        return store.get_trials(name)


def test_run_a_sweep_file_into_the_default_store(workdir):
    result = invoke("run", "sweep.yaml", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "sweep quad: 5 completed" in result.output
    done = trials(workdir)
    assert len(done) == 5 and all(t.state is TrialState.COMPLETED for t in done)
    assert all([r.step for r in t.reports] == [0, 1] for t in done)
    again = invoke("run", "sweep.yaml", "--no-progress")  # budget spent: nothing more
    assert again.exit_code == 0 and len(trials(workdir)) == 5


def test_storage_key_and_option(workdir):
    (workdir / "other.yaml").write_text(SWEEP + "storage: from_file.db\n")
    assert invoke("run", "other.yaml", "--no-progress", "--n-trials", "1").exit_code == 0
    assert (workdir / "from_file.db").exists() and not (workdir / "hypersweep.db").exists()
    assert invoke("run", "other.yaml", "--no-progress", "--n-trials", "1", "--storage", "cli.db").exit_code == 0
    assert (workdir / "cli.db").exists()


def test_early_stopping_says_which_threshold(workdir):
    text = SWEEP.replace("  seed: 1\n", "  seed: 1\n  early_stopping:\n    - {metric: accuracy, value: 0.01, optimization: maximize}\n")
    (workdir / "sweep.yaml").write_text(text.replace("concurrency: 2", "concurrency: 1"))
    result = invoke("run", "sweep.yaml", "--no-progress")
    assert "early stopping: accuracy >= 0.01 reached by trial 0" in result.output
    assert len(trials(workdir)) == 1


def test_stop_resume_restart(workdir):
    assert invoke("run", "sweep.yaml", "--no-progress", "--n-trials", "2").exit_code == 0
    assert "stop requested" in invoke("stop", "quad").output
    worker = invoke("worker", "quad")  # workers respect the stop flag
    assert "stop requested (stopped by user)" in worker.output and len(trials(workdir)) == 2
    resumed = invoke("resume", "quad", "--no-progress")  # resume clears it and runs to the budget
    assert resumed.exit_code == 0 and "3 completed" in resumed.output
    first = trials(workdir)[1]
    restarted = invoke("restart", "quad", "--trial", "1")
    assert restarted.exit_code == 0 and "queued trial 5" in restarted.output
    assert invoke("resume", "quad", "--no-progress").exit_code == 0
    again = trials(workdir)[5]
    assert again.state is TrialState.COMPLETED and again.params == first.params and again.value == first.value


def test_copy_compare_rm_and_show(workdir):
    assert invoke("run", "sweep.yaml", "--no-progress").exit_code == 0
    copied = invoke("copy", "quad", "--to", "quad-more", "--options", "{n_experiments: 7}")
    assert copied.exit_code == 0 and "copied 5 finished trial(s)" in copied.output
    source, copy = trials(workdir), trials(workdir, "quad-more")
    assert [(t.params, t.value, t.reports and [r.value for r in t.reports]) for t in copy] == [
        (t.params, t.value, t.reports and [r.value for r in t.reports]) for t in source
    ]
    assert "2 completed" in invoke("resume", "quad-more", "--no-progress").output  # warm start: 2 more
    assert invoke("copy", "quad", "--to", "quad-more").exit_code == 2  # the name is taken: bad input

    compared = invoke("compare", "quad", "quad-more", "-o", "cmp.png")
    assert compared.exit_code == 0, compared.output
    lines = compared.output.splitlines()
    assert lines[2].split()[:4] == ["quad", "random", "loss", "(minimize)"]
    assert lines[3].split()[0] == "quad-more" and lines[3].split()[4] == "7"
    assert (workdir / "cmp.png").read_bytes()[:4] == b"\x89PNG"

    assert "nothing deleted" in invoke("rm", "quad-more", input="n\n").output
    assert invoke("rm", "quad-more", "--yes").exit_code == 0
    assert "quad-more" not in invoke("ls").output
    assert invoke("show", "quad").exit_code == 0


def test_resume_of_a_sweep_without_a_file_is_a_clear_error(workdir):
    hs.Sweep({"x": hs.uniform(0, 1)}, storage=workdir / "hypersweep.db", name="plain", seed=0)  # made in Python
    result = invoke("resume", "plain")
    assert result.exit_code == 2 and "was not started from a sweep file" in result.output


def test_a_bad_spec_leaves_an_existing_store_byte_for_byte(workdir):
    assert invoke("run", "sweep.yaml", "--no-progress", "--n-trials", "1").exit_code == 0
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in workdir.glob("hypersweep.db*")}
    (workdir / "bad.yaml").write_text(SWEEP.replace("n_experiments: 5", "n_experiments: -1"))
    result = invoke("run", "bad.yaml")
    assert result.exit_code == 2 and "settings.random_search.n_experiments" in result.output
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in workdir.glob("hypersweep.db*")}
    assert after == before


def test_run_needs_a_file_or_space_and_objective(workdir):
    result = invoke("run")
    assert result.exit_code == 2 and "give a sweep file" in result.output
    result = invoke("run", "sweep.yaml", "--space", "x.yaml")
    assert result.exit_code == 2


def test_export_has_the_file_trials(workdir):
    assert invoke("run", "sweep.yaml", "--no-progress").exit_code == 0
    records = json.loads(invoke("export", "quad").output)
    assert [r["id"] for r in records] == list(range(5))
    assert all(set(r["metrics"]) == {"loss", "accuracy"} for r in records)
