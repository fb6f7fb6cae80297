"""The Ray and Dask executors under the real Runner, on a real local Ray and a real Dask LocalCluster.

Each engine starts once for this module (Ray with 2 CPUs, a LocalCluster of 2 worker processes).
Covered on both: Python functions and shell commands, reports answered in time for the pruner,
a worker killed mid-trial (failed once, retried per max_retries), Dask's re-run of the killed
attempt ignored, a trial timeout that stops the trial (a command's process too), a PostgreSQL store, and a driver killed
with kill -9 whose running trials the next run re-queues.
"""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import hypersweep as hs
from hypersweep.config import parse_sweep_file
from hypersweep.config.launch import run_sweep_file
from hypersweep.records import TrialState
from hypersweep.storage import open_storage

SPACE = hs.Space({"x": hs.uniform(0.0, 1.0)})


@pytest.fixture(scope="module", params=["ray", "dask"])
def engine(request):
    """``(name, make, address)``: ``make(**kwargs)`` builds an executor on this module's cluster."""
    saved = os.environ.get("PYTHONPATH")  # workers import this module's objectives: put it on their path
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (os.path.dirname(__file__), saved) if p)
    if request.param == "ray":
        ray = pytest.importorskip("ray")
        ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False)
        yield "ray", lambda **kwargs: hs.RayExecutor(**kwargs), ray.get_runtime_context().gcs_address
        ray.shutdown()
    else:
        distributed = pytest.importorskip("distributed")
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as cluster:
            address = cluster.scheduler_address
            yield "dask", lambda **kwargs: hs.DaskExecutor(address, **kwargs), address
    if saved is None:
        os.environ.pop("PYTHONPATH")
    else:
        os.environ["PYTHONPATH"] = saved


def sweep(storage, **kwargs):
    return hs.Sweep(SPACE, algorithm="random", metric="loss", storage=storage, name="remote", seed=1, **kwargs)


def curve(params, trial):
    for step in range(3):
        trial.report(step, params["x"] + step)
    return {"loss": params["x"], "pid": os.getpid()}


def too_high(params, trial):
    for step in range(5):
        if trial.report(step, 10.0):
            return 10.0
    return 10.0


def test_function_trials_run_remotely_with_their_reports(engine, tmp_path):
    name, make, _ = engine
    s = sweep(f"sqlite:///{tmp_path / 'hs.db'}")
    summary = s.run(curve, n_trials=4, concurrency=2, executor=make(), progress=False)
    trials = s.storage.get_trials("remote")
    assert summary.finished == {TrialState.COMPLETED: 4}
    assert all(len(t.reports) == 3 for t in trials)
    assert {t.metrics["pid"] for t in trials}.isdisjoint({float(os.getpid())})  # ran on the engine's workers


def test_the_pruner_answers_each_report_before_the_next(engine, tmp_path):
    name, make, _ = engine
    s = sweep(f"sqlite:///{tmp_path / 'hs.db'}", pruner=hs.ThresholdPruner(upper=5.0))
    s.run(too_high, n_trials=2, concurrency=2, executor=make(), progress=False)
    trials = s.storage.get_trials("remote")
    assert [t.state for t in trials] == [TrialState.PRUNED] * 2
    assert [len(t.reports) for t in trials] == [1, 1]


def test_a_killed_worker_fails_the_trial_once_and_it_is_retried(engine, tmp_path):
    name, make, _ = engine
    marker = tmp_path / "killed"

    def dies_once(params, trial):
        trial.report(0, 1.0)
        if trial.attempt == 0 and not marker.exists():  # a re-run of attempt 0 (Dask) completes
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.5)
        return params["x"]

    s = sweep(f"sqlite:///{tmp_path / 'hs.db'}")
    summary = s.run(dies_once, n_trials=2, concurrency=1, max_retries=1, executor=make(), progress=False)
    first, retry = s.storage.get_trials("remote")
    assert first.state is TrialState.FAILED and ("died" in first.error or "lost" in first.error)
    assert len(first.reports) == 1  # the re-run's report and result were ignored
    assert retry.state is TrialState.COMPLETED and retry.params == first.params and retry.meta["attempt"] == 1
    assert summary.finished == {TrialState.FAILED: 1, TrialState.COMPLETED: 1}
    time.sleep(1.5 if name == "dask" else 0)  # Dask's re-run ends: still nothing recorded for it
    assert s.storage.get_trial("remote", first.id).state is TrialState.FAILED
    assert len(s.storage.get_trials("remote")) == 2


def test_a_trial_past_its_timeout_is_stopped_and_the_run_goes_on(engine, tmp_path):
    name, make, _ = engine

    def sleeps_first(params, trial):
        if trial.id == 0:
            time.sleep(60)
        return params["x"]

    s = sweep(f"sqlite:///{tmp_path / 'hs.db'}")
    started = time.monotonic()
    s.run(sleeps_first, n_trials=3, concurrency=1, trial_timeout=6.0, executor=make(), progress=False)
    states = [t.state for t in s.storage.get_trials("remote")]
    assert states == [TrialState.FAILED, TrialState.COMPLETED, TrialState.COMPLETED]
    assert time.monotonic() - started < 40


COMMAND = textwrap.dedent(
    """\
    import os
    x = float(os.environ["HYPERSWEEP_PARAM_X"])
    for step in range(3):
        print('hypersweep.metric {"step": %d, "loss": %r}' % (step, x + 2 - step), flush=True)
    print('hypersweep.metric {"loss": %r}' % x)
    """
)


def command_sweep(script, engine_name, address, *, trials, timeout=""):
    """A sweep file running ``script`` on the module's cluster, two trials at a time."""
    return parse_sweep_file(
        textwrap.dedent(
            f"""\
            name: cmds
            metric: {{name: loss}}
            settings:
              concurrency: 2
              random_search: {{n_experiments: {trials}}}
              executor:
                {engine_name}: {{address: '{address}'}}
                resources: {{cpus: 1}}
            matrix:
              x: {{uniform: [0, 1]}}
            run:
              cmd: {sys.executable} {script}
              {timeout}
            """
        )
    )


def test_shell_commands_run_on_the_engine_from_a_sweep_file(engine, tmp_path):
    name, _, address = engine
    (tmp_path / "train.py").write_text(COMMAND)
    sweep_file = command_sweep(tmp_path / "train.py", name, address, trials=3)
    store = open_storage(tmp_path / "hs.db")
    _, summary = run_sweep_file(sweep_file, store, storage_text="hs.db", progress=False)
    trials = store.get_trials("cmds")
    assert summary.finished == {TrialState.COMPLETED: 3}
    assert all(len(t.reports) == 3 and t.value == t.params["x"] for t in trials)


HANGS = textwrap.dedent(
    """\
    import os, time
    with open(os.path.join(os.environ["HYPERSWEEP_RUN_DIR"], "pid"), "w") as f:
        f.write(str(os.getpid()))
    time.sleep(120)
    """
)


def test_a_command_past_its_timeout_is_killed_on_the_worker(engine, tmp_path):
    name, _, address = engine
    (tmp_path / "hangs.py").write_text(HANGS)
    sweep_file = command_sweep(tmp_path / "hangs.py", name, address, trials=1, timeout="timeout: 5")
    store = open_storage(tmp_path / "hs.db")
    run_sweep_file(sweep_file, store, storage_text="hs.db", progress=False)
    assert store.get_trial("cmds", 0).state is TrialState.FAILED
    pid = int(next((tmp_path / "hypersweep-runs").rglob("pid")).read_text())
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.2)
    assert not alive(pid)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.postgres
def test_the_driver_store_can_be_postgresql(engine, postgres_url):
    name, make, _ = engine
    s = sweep(postgres_url)
    summary = s.run(curve, n_trials=3, concurrency=2, executor=make(), progress=False)
    assert summary.finished == {TrialState.COMPLETED: 3}
    assert all(len(t.reports) == 3 for t in s.storage.get_trials("remote"))


def slow_trial(params):
    time.sleep(3)
    return params["x"]


DRIVER = """
import sys
import hypersweep as hs
sys.path.insert(0, {tests!r})
from test_remote_executors import SPACE, slow_trial
executor = hs.RayExecutor({address!r}) if {name!r} == "ray" else hs.DaskExecutor({address!r})
sweep = hs.Sweep(SPACE, algorithm="random", metric="loss", storage={url!r}, name="remote", seed=1)
sweep.run(slow_trial, n_trials=4, concurrency=2, executor=executor, progress=False)
"""


def running_trials(url):
    try:
        return len(open_storage(url).get_trials("remote", states=[TrialState.RUNNING]))
    except hs.HypersweepError:  # the driver has not made the sweep yet
        return 0


@pytest.mark.slow
def test_a_driver_killed_with_kill_9_loses_and_duplicates_nothing(engine, tmp_path):
    name, make, address = engine
    url = f"sqlite:///{tmp_path / 'hs.db'}"
    script = DRIVER.format(tests=os.path.dirname(__file__), address=address, name=name, url=url)
    driver = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and driver.poll() is None:
            if running_trials(url) == 2:
                break
            time.sleep(0.2)
        assert driver.poll() is None, "the driver ended before it ran two trials"
    finally:
        driver.kill()
        driver.wait()
    s = hs.Sweep.load("remote", storage=url)
    summary = s.run(slow_trial, n_trials=4, concurrency=2, executor=make(), progress=False)
    trials = s.storage.get_trials("remote")
    assert len(summary.recovered) == 2
    assert [t.state for t in trials] == [TrialState.COMPLETED] * 4
    assert len({t.params["x"] for t in trials}) == 4


def test_dask_refuses_a_resource_no_worker_declares(engine, tmp_path):
    name, make, _ = engine
    if name != "dask":
        pytest.skip("Ray queues such trials until a node with the resource joins (autoscaling)")
    s = sweep(f"sqlite:///{tmp_path / 'hs.db'}")
    with pytest.raises(hs.HypersweepError, match=r'^resources\.gpus: no Dask worker declares GPU; start workers with dask worker ADDRESS --resources "GPU=N"$'):
        s.run(curve, n_trials=1, executor=make(resources={"gpus": 1}), progress=False)
