"""Issue 21, cases 11 and 12: exit codes as documented in docs/command_line.md, silent broken pipes."""
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hypersweep.storage import open_storage
from hypersweep.testing.processes import subprocess_env, wait_until

from .conftest import invoke, sweep_file


def run_objective(objective, *extra):
    return invoke("run", "--space", "space.yaml", "--objective", f"objectives21:{objective}", "--n-trials", "2",
                  "--name", "s", "--seed", "0", "--no-progress", *extra)


@pytest.mark.parametrize(
    "make, args",
    [
        (lambda d: None, ["ls", "--storage", "no_folder/x.db"]),
        (lambda d: (d / "x.db").write_text("hello"), ["ls", "--storage", "x.db"]),
        (lambda d: (d / "x.db").mkdir(), ["ls", "--storage", "x.db"]),
        (lambda d: (d / "x.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000), ["ls", "--storage", "x.db"]),
        (lambda d: None, ["show", "nope"]),
        (lambda d: None, ["show", "s", "--trial", "99"]),
        (lambda d: None, ["copy", "s", "--to", "s"]),
    ],
)
def test_bad_input_and_store_errors_exit_2(workdir, make, args):
    assert run_objective("good").exit_code == 0
    make(workdir)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("objective", ["broken", "nan"])
def test_a_run_in_which_every_trial_failed_exits_1(workdir, objective):
    result = run_objective(objective)
    assert result.exit_code == 1 and "2 failed" in result.stdout


def test_commands_that_never_report_or_time_out_exit_1(workdir):
    (workdir / "quiet.py").write_text("import sys, time\ntime.sleep(float(sys.argv[1]))\n")
    (workdir / "quiet.yaml").write_text(sweep_file(name="quiet", run=f"cmd: {sys.executable} quiet.py 0"))
    assert invoke("run", "quiet.yaml", "--no-progress").exit_code == 1
    (workdir / "slow.yaml").write_text(sweep_file(name="slow", run=f"cmd: {sys.executable} quiet.py 30"))
    assert invoke("run", "slow.yaml", "--no-progress", "--trial-timeout", "0.5").exit_code == 1


def test_a_missing_program_is_refused_before_any_trial(workdir):
    (workdir / "s.yaml").write_text(sweep_file(run="cmd: no-such-program-21 {{ x }}"))
    result = invoke("run", "s.yaml", "--no-progress")
    assert result.exit_code == 2 and "program 'no-such-program-21' not found" in result.stderr
    assert not (workdir / "hypersweep.db").exists()


def test_budget_already_spent_exits_0(workdir):
    (workdir / "s.yaml").write_text(sweep_file())
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0


SLOW = textwrap.dedent(
    """
    import time

    def slow(params):
        time.sleep(30)
        return 1.0
    """
)


@pytest.mark.slow
def test_ctrl_c_exits_130(workdir):
    (workdir / "slow21.py").write_text(SLOW)
    process = subprocess.Popen(
        [sys.executable, "-m", "hypersweep.cli", "run", "--space", "space.yaml", "--objective", "slow21:slow",
         "--n-trials", "2", "--name", "s", "--no-progress"],
        cwd=workdir, env=subprocess_env(workdir), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )

    def running() -> bool:
        if not (workdir / "hypersweep.db").exists():
            return False
        try:
            with open_storage(workdir / "hypersweep.db") as store:
                return any(t.state.value == "running" for t in store.get_trials("s"))
        except Exception:  # the sweep is not created yet
            return False

    try:
        assert wait_until(running, 60), process.communicate()
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        assert process.wait(60) == 130
    finally:
        process.kill()


@pytest.mark.parametrize("command", ["show s", "export s", "ls"])
def test_a_closed_pipe_is_silent(workdir, command):
    assert run_objective("good").exit_code == 0
    shell = f"{sys.executable} -m hypersweep.cli {command} | true"  # the reader is gone before the first write
    process = subprocess.run(["bash", "-o", "pipefail", "-c", shell], cwd=workdir, env=subprocess_env(workdir),
                             capture_output=True, text=True, timeout=120)
    assert process.stderr == "" and process.returncode == 0
