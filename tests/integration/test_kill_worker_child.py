"""kill -9 of one worker child: the shell command it ran dies with it, and the trial is retried once."""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.processes import alive, subprocess_env, wait_until

TRIAL = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    run_dir = os.environ["HYPERSWEEP_RUN_DIR"]
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with open(os.path.join(run_dir, "pids.json"), "w") as f:
        json.dump({"worker": os.getppid(), "command": os.getpid(), "grandchild": grandchild.pid}, f)
    release = os.path.join(os.path.dirname(run_dir), "release-" + os.environ["HYPERSWEEP_PARAM_X"])
    for _ in range(600):  # hold on until the test releases this trial
        if os.path.exists(release):
            break
        time.sleep(0.1)
    print('hypersweep.metric {"loss": %s}' % os.environ["HYPERSWEEP_PARAM_X"])
    """
)

SWEEP = textwrap.dedent(
    f"""\
    name: workerkill
    metric: {{name: loss, optimization: minimize}}
    settings:
      concurrency: 2
      max_retries: 1
      grid_search: {{}}
    matrix:
      x: {{values: [1, 2]}}
    run:
      cmd: {sys.executable} trial.py
    """
)


@pytest.mark.slow
def test_kill_9_of_a_worker_kills_its_command_and_the_trial_is_retried_once(tmp_path):
    (tmp_path / "trial.py").write_text(TRIAL)
    (tmp_path / "sweep.yaml").write_text(SWEEP)
    runner = subprocess.Popen(
        [sys.executable, "-m", "hypersweep.cli", "run", "sweep.yaml", "--no-progress"],
        cwd=tmp_path, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    runs = tmp_path / "hypersweep-runs" / "workerkill"
    try:
        pid_files = [runs / f"trial-0000{i}" / "pids.json" for i in (0, 1)]
        assert wait_until(lambda: all(p.exists() and p.read_text() for p in pid_files), 60)
        killed = json.loads(pid_files[0].read_text())
        os.kill(killed["worker"], signal.SIGKILL)
        assert wait_until(lambda: not alive(killed["command"]) and not alive(killed["grandchild"]), 10), (
            "the command of a killed worker outlived it"
        )
        for x in (1, 2):  # let the survivor and the retry finish
            (runs / f"release-{x}").write_text("")
        out, err = runner.communicate(timeout=120)
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
    assert runner.returncode == 0, err
    with open_storage(tmp_path / "hypersweep.db") as store:
        trials = store.get_trials("workerkill")
    assert len(trials) == 3, [(t.id, t.state, t.error) for t in trials]
    assert trials[0].state is TrialState.FAILED and "worker process died (exit code -9)" in trials[0].error
    assert trials[1].state is TrialState.COMPLETED
    assert (trials[2].state, trials[2].params, trials[2].meta) == (TrialState.COMPLETED, trials[0].params, {"attempt": 1})
