"""kill -9 of a runner of shell-command trials leaves no command behind, and resume re-runs them."""
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.processes import alive

TRIAL = textwrap.dedent(
    """
    import os, sys, time
    open(os.path.join(os.environ["HYPERSWEEP_RUN_DIR"], "pid"), "w").write(str(os.getpid()))
    if os.environ.get("SLOW") == "1":
        time.sleep(60)
    print('hypersweep.metric {"loss": %s}' % os.environ["HYPERSWEEP_PARAM_X"])
    """
)


def sweep(slow: str) -> str:
    return textwrap.dedent(
        f"""\
        name: cmdkill
        metric: {{name: loss, optimization: minimize}}
        settings:
          concurrency: 2
          grid_search: {{}}
        matrix:
          x: {{values: [1, 2]}}
        run:
          cmd: {sys.executable} trial.py
          env: {{SLOW: "{slow}"}}
        """
    )


@pytest.mark.slow
def test_kill_9_of_the_runner_kills_its_commands_and_resume_reruns_them(tmp_path):
    (tmp_path / "trial.py").write_text(TRIAL)
    (tmp_path / "sweep.yaml").write_text(sweep("1"))
    runner = subprocess.Popen([sys.executable, "-m", "hypersweep.cli", "run", "sweep.yaml", "--no-progress"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pid_files = [tmp_path / "hypersweep-runs" / "cmdkill" / f"trial-0000{i}" / "pid" for i in (0, 1)]
    deadline = time.monotonic() + 60
    while not all(p.exists() and p.read_text() for p in pid_files) and time.monotonic() < deadline:
        time.sleep(0.1)
    pids = [int(p.read_text()) for p in pid_files]
    assert all(alive(pid) for pid in pids)
    runner.send_signal(signal.SIGKILL)
    runner.communicate(timeout=60)
    deadline = time.monotonic() + 20
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in pids), "a command outlived its killed runner"

    (tmp_path / "sweep.yaml").write_text(sweep("0"))  # the same sweep, now with fast trials
    rerun = subprocess.run([sys.executable, "-m", "hypersweep.cli", "run", "sweep.yaml", "--no-progress"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "re-queued trial(s) 0, 1" in rerun.stdout
    with open_storage(tmp_path / "hypersweep.db") as store:
        trials = store.get_trials("cmdkill")
    assert [(t.id, t.state, t.value) for t in trials] == [(0, TrialState.COMPLETED, 1.0), (1, TrialState.COMPLETED, 2.0)]
