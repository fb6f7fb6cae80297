"""Choosing an executor: by name or object, per-trial resources, settings.executor in sweep files,
the one-line error naming a missing extra, and no engine imported by ``import hypersweep``."""
import subprocess
import sys
import textwrap

import pytest

import hypersweep as hs
from hypersweep.config import parse_sweep_file
from hypersweep.exceptions import HypersweepError, SpecError
from hypersweep.runner.executors import ExecutorChoice, make_executor
from hypersweep.runner.process_executor import ProcessExecutor
from hypersweep.runner.remote import require
from hypersweep.runner.resources import Resources


def test_names_and_objects_choose_the_executor():
    assert isinstance(make_executor(None), ProcessExecutor)
    ray = make_executor("ray", {"cpus": 0.5, "gpus": 1, "memory_mb": 2048})
    assert isinstance(ray, hs.RayExecutor) and ray.resources == Resources(0.5, 1, 2048)
    given = hs.DaskExecutor("tcp://127.0.0.1:8786")
    assert make_executor(given) is given


@pytest.mark.parametrize(
    ("executor", "resources", "message"),
    [
        ("spark", None, "executor: must be one of process, ray, dask or an Executor object; got 'spark'"),
        ("process", {"cpus": 2}, "executor.resources: only the ray and dask executors take one"),
        ("ray", {"cpu": 1}, "resources.cpu: unknown resource; allowed: cpus, gpus, memory_mb"),
        ("ray", {"cpus": 0}, "resources.cpus: must be > 0; got 0"),
        ("dask", {"memory_mb": 1.5}, "resources.memory_mb: must be an integer >= 1"),
        (hs.RayExecutor(), {"cpus": 1}, "resources: give them to the executor object"),
    ],
)
def test_bad_choices_fail_in_one_line_naming_the_field(executor, resources, message):
    with pytest.raises(HypersweepError, match="^" + message.replace(".", r"\.").replace("(", r"\(")):
        make_executor(executor, resources)


def test_a_missing_engine_names_its_extra():
    with pytest.raises(HypersweepError) as caught:
        require("hypersweep_no_such_engine", executor="ray", extra="ray")
    assert str(caught.value) == "executor: ray needs the ray extra: pip install 'hypersweep[ray]'"


def test_importing_hypersweep_imports_no_engine():
    code = "import sys, hypersweep as hs; hs.RayExecutor; hs.DaskExecutor; print(sorted({'ray', 'dask', 'distributed'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def sweep_text(executor: str) -> str:
    return textwrap.dedent(
        """\
        name: s
        metric: {name: loss}
        settings:
          random_search: {n_experiments: 2}
          executor: EXECUTOR
        matrix:
          x: {uniform: [0, 1]}
        run:
          cmd: python train.py
        """
    ).replace("EXECUTOR", executor)


@pytest.mark.parametrize(
    ("executor", "expected"),
    [
        ("ray", ExecutorChoice("ray")),
        ("{ray: {address: auto}, resources: {cpus: 2, gpus: 1, memory_mb: 2048}}", ExecutorChoice("ray", "auto", Resources(2, 1, 2048))),
        ("{dask: {address: 'tcp://scheduler.example:8786'}}", ExecutorChoice("dask", "tcp://scheduler.example:8786")),
        ("{process: {}}", ExecutorChoice()),
    ],
)
def test_sweep_files_choose_the_executor(executor, expected):
    assert parse_sweep_file(sweep_text(executor)).executor == expected
    assert parse_sweep_file(sweep_text("process").replace("  executor: process\n", "")).executor == ExecutorChoice()


@pytest.mark.parametrize(
    ("executor", "message"),
    [
        ("spark", "settings.executor: must be one of process, ray, dask, or a mapping such as {ray: {address: auto}}; got 'spark' (sweep.yaml:5)"),
        ("{ray: {}, dask: {}}", "settings.executor: needs one of process, ray, dask; got ray, dask (sweep.yaml:5)"),
        ("{ray: {adress: auto}}", "settings.executor.ray.adress: unknown key (did you mean 'address'?); allowed here: address (sweep.yaml:5)"),
        ("{ray: {}, resources: {gpus: -1}}", "settings.executor.resources.gpus: must be >= 0; got -1 (sweep.yaml:5)"),
        ("{ray: {}, resources: {disk: 1}}", "settings.executor.resources.disk: unknown key; allowed here: cpus, gpus, memory_mb (sweep.yaml:5)"),
        ("{resources: {cpus: 2}}", "settings.executor: only the ray and dask executors take one; set executor to ray or dask (sweep.yaml:5)"),
    ],
)
def test_bad_executor_settings_fail_naming_the_yaml_path(executor, message):
    with pytest.raises(SpecError) as caught:
        parse_sweep_file(sweep_text(executor))
    assert str(caught.value) == message


def test_the_cli_refuses_bad_executor_settings_with_exit_2(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from hypersweep.cli.main import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "sweep.yaml").write_text(sweep_text("{process: {}, resources: {cpus: 2}}"))
    result = CliRunner().invoke(cli, ["run", "sweep.yaml"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "error: settings.executor: only the ray and dask executors take one; set executor to ray or dask (sweep.yaml:5)"
    )
