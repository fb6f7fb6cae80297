"""The per-trial timeout kills and fails every kind of trial; ``run.env`` reaches Python functions too."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

import hypersweep as hs
from hypersweep.cli.main import cli
from hypersweep.storage import open_storage
from hypersweep.testing.processes import alive, subprocess_env, wait_until

HANGING = textwrap.dedent(
    """
    import os, subprocess, sys, time

    def hang(params, trial):
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        (trial.run_dir / "child.pid").write_text(str(child.pid))
        time.sleep(120)

    def scaled(params):
        return float(os.environ["SCALE"]) * params["x"]
    """
)


def sweep_file(function: str, run_extra: str) -> str:
    return textwrap.dedent(
        f"""\
        name: hangs
        metric: {{name: loss, optimization: minimize}}
        settings:
          concurrency: 2
          grid_search: {{}}
        matrix:
          x: {{values: [1, 2]}}
        run:
          function: hanging:{function}
        """
    ) + run_extra


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "hanging.py").write_text(HANGING)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_a_hanging_function_from_a_sweep_file_times_out_with_its_children(workdir):
    (workdir / "sweep.yaml").write_text(sweep_file("hang", "  timeout: 1\n"))
    process = subprocess.Popen(
        [sys.executable, "-m", "hypersweep.cli", "run", "sweep.yaml", "--no-progress"],
        cwd=workdir, env=subprocess_env(workdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the run never ended: the per-trial timeout was ignored")
    assert process.returncode == 1, err  # every trial failed
    with open_storage(workdir / "hypersweep.db") as store:
        trials = store.get_trials("hangs")
    assert [(t.state, "timed out after 1s" in (t.error or "")) for t in trials] == [(hs.TrialState.FAILED, True)] * 2
    for trial in trials:
        child = int((workdir / "hypersweep-runs" / "hangs" / f"trial-{trial.id:05d}" / "child.pid").read_text())
        assert wait_until(lambda: not alive(child), 10), "a trial's child process outlived its timeout"


def test_trial_timeout_of_the_python_api_kills_and_fails_the_trial(workdir):
    from hanging import hang

    sweep = hs.Sweep({"x": {"values": [1, 2]}}, algorithm="grid", metric="loss", storage=workdir / "s.db", name="api")
    started = time.monotonic()
    summary = sweep.run(hang, n_trials=2, concurrency=2, trial_timeout=0.5, progress=False)
    assert time.monotonic() - started < 30
    assert summary.finished == {hs.TrialState.FAILED: 2}
    assert all("timed out after 0.5s" in t.error for t in sweep.trials)


def test_trial_timeout_option_of_the_command_line(workdir):
    (workdir / "space.yaml").write_text("x: {values: [1]}\n")
    result = CliRunner().invoke(
        cli, ["run", "--space", "space.yaml", "--objective", "hanging:hang", "--n-trials", "1", "--trial-timeout", "0.5",
              "--name", "opt", "--no-progress"], catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output  # every trial failed
    assert "1 failed" in result.output
    (trial,) = open_storage(workdir / "hypersweep.db").get_trials("opt")
    assert "timed out after 0.5s" in trial.error


def test_run_env_reaches_a_python_function(workdir, monkeypatch):
    monkeypatch.delenv("SCALE", raising=False)
    (workdir / "sweep.yaml").write_text(sweep_file("scaled", "  env: {SCALE: 10}\n"))
    result = CliRunner().invoke(cli, ["run", "sweep.yaml", "--no-progress"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    trials = open_storage(workdir / "hypersweep.db").get_trials("hangs")
    assert sorted(t.value for t in trials) == [10.0, 20.0], [t.error for t in trials]
