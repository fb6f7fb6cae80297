"""SIGTERM re-queues running trials and exits 143; a runner paused past the grace keeps its trial."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hypersweep.records import TrialState
from hypersweep.storage import open_storage
from hypersweep.testing.processes import subprocess_env

OBJECTIVE = textwrap.dedent(
    """
    import time

    def objective(params):
        time.sleep(params["pause"])
        return params["pause"]
    """
)

SWEEP = textwrap.dedent(
    """\
    name: sig
    metric: {name: loss, optimization: minimize}
    settings:
      concurrency: 2
      heartbeat_grace: 1
      grid_search: {}
    matrix:
      pause: {values: PAUSE}
    run:
      function: sig_objective:objective
    """
)

API_SCRIPT = textwrap.dedent(
    """
    import sys
    import hypersweep as hs
    from sig_objective import objective

    sweep = hs.Sweep({"pause": {"values": [30, 31]}}, algorithm="grid", metric="loss", storage="hypersweep.db", name="sig")
    sweep.run(objective, n_trials=2, concurrency=2, progress=False)
    print("run returned", flush=True)
    """
)


def start(workdir, pauses: str, *args):
    (workdir / "sig_objective.py").write_text(OBJECTIVE)
    (workdir / "sweep.yaml").write_text(SWEEP.replace("PAUSE", pauses))
    (workdir / "api.py").write_text(API_SCRIPT)
    return subprocess.Popen(
        [sys.executable, *args], cwd=workdir, env=subprocess_env(workdir), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def trials_once_running(workdir, process, n: int) -> list:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if (workdir / "hypersweep.db").exists():
            with open_storage(workdir / "hypersweep.db") as store:
                names = {s.name for s in store.list_sweeps()}
                trials = store.get_trials("sig") if "sig" in names else []
            if sum(t.state is TrialState.RUNNING for t in trials) == n:
                return trials
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"no {n} running trials: {process.communicate()}")


@pytest.mark.slow
@pytest.mark.parametrize("face", ["cli", "api"])
def test_sigterm_requeues_running_trials_and_exits_143(tmp_path, face):
    args = ["-m", "hypersweep.cli", "run", "sweep.yaml", "--no-progress"] if face == "cli" else ["api.py"]
    process = start(tmp_path, "[30, 31]", *args)
    trials_once_running(tmp_path, process, 2)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)  # as docker stop, scancel or a pod's deletion do
    out, err = process.communicate(timeout=30)
    assert process.returncode == 143, (out, err)
    assert "run returned" not in out
    with open_storage(tmp_path / "hypersweep.db") as store:
        trials = store.get_trials("sig")
    assert [t.state for t in trials] == [TrialState.WAITING] * 2
    assert "2 running trial(s) re-queued" in out + err


@pytest.mark.slow
def test_a_runner_paused_longer_than_the_grace_keeps_its_trial(tmp_path):
    process = start(tmp_path, "[3]", "-m", "hypersweep.cli", "run", "sweep.yaml", "--no-progress")
    trials_once_running(tmp_path, process, 1)
    os.killpg(process.pid, signal.SIGSTOP)  # a suspended laptop, a paused VM: everything stops
    time.sleep(2.5)  # longer than heartbeat_grace: 1
    os.killpg(process.pid, signal.SIGCONT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    with open_storage(tmp_path / "hypersweep.db") as store:
        trials = store.get_trials("sig")
    assert [(t.state, t.value) for t in trials] == [(TrialState.COMPLETED, 3.0)], [t.error for t in trials]
