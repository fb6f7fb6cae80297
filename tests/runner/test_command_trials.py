"""Shell-command trials: argv without a shell, env and params file, metric lines and
hypersweep.report, kept output, failures with the stderr tail, timeouts that kill the group."""
import json
import os
import sys
import textwrap
import time

import pytest
from click.testing import CliRunner

from hypersweep.cli.main import cli
from hypersweep.records import TrialState
from hypersweep.runner.command import build_argv
from hypersweep.runner.run_dirs import trial_dir
from hypersweep.runner.in_trial import parse_metric_line
from hypersweep.storage import open_storage

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    params = json.load(open(os.environ["HYPERSWEEP_PARAMS_FILE"]))
    with open(os.path.join(os.environ["HYPERSWEEP_RUN_DIR"], "seen.json"), "w") as f:
        json.dump({"argv": sys.argv[1:], "params": params,
                   "env": {k: v for k, v in os.environ.items() if k.startswith("HYPERSWEEP_")}}, f)
    x = float(os.environ["HYPERSWEEP_PARAM_X"])
    for step in range(3):
        print('hypersweep.metric {"step": %d, "loss": %r}' % (step, x + 3 - step), flush=True)
    print("some other output")
    if params["mode"] == "report":
        import hypersweep
        hypersweep.report(loss=x, accuracy=0.5)
    elif params["mode"] == "print":
        print('hypersweep.metric {"loss": %r}' % x)
    elif params["mode"] == "crash":
        print("bad things happened", file=sys.stderr)
        sys.exit(3)
    """
)


def sweep_yaml(cmd: str, mode_values: str, *, timeout: str = "", n: int = 3) -> str:
    return textwrap.dedent(
        f"""\
        name: cmds
        metric: {{name: loss, optimization: minimize}}
        settings:
          concurrency: 2
          grid_search: {{n_experiments: {n}}}
        matrix:
          x: {{values: [1.5]}}
          mode: {{values: {mode_values}}}
        run:
          cmd: {cmd}
        {timeout}"""
    )


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "trial.py").write_text(SCRIPT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, ["run", *args, "--no-progress"], catch_exceptions=False)


def test_argv_is_built_word_by_word_without_a_shell():
    argv = build_argv(("prog", "--a={{a}}", "{{b}}", "{{c}}"), {"a": "$(id); rm -rf /", "b": [32, 32], "c": 1e-3}, {})
    assert argv == ["prog", "--a=$(id); rm -rf /", "[32, 32]", "0.001"]


def test_metric_lines():
    assert parse_metric_line('hypersweep.metric {"step": 3, "loss": 0.41}') == {"step": 3, "loss": 0.41}
    assert parse_metric_line('hypersweep.metric {"loss": 1}') == {"loss": 1.0}
    for bad in ['hypersweep.metric {"loss": NaN}', "hypersweep.metric [1]", 'hypersweep.metric {"step": -1, "a": 1}',
                "hypersweep.metric nope", 'loss {"a": 1}', 'hypersweep.metric {"loss": "x"}']:
        assert parse_metric_line(bad) is None


def test_reports_env_params_file_and_kept_output(workdir):
    cmd = f'{sys.executable} trial.py --x "{{{{ x }}}}" --mode={{{{mode}}}}'
    (workdir / "sweep.yaml").write_text(sweep_yaml(cmd, "[report, print, crash]"))
    result = run("sweep.yaml")
    assert result.exit_code == 0, result.output
    store = open_storage(workdir / "hypersweep.db")
    trials = {t.params["mode"]: t for t in store.get_trials("cmds")}
    for mode in ("report", "print"):
        trial = trials[mode]
        assert trial.state is TrialState.COMPLETED and trial.value == 1.5
        assert [(r.step, r.value) for r in trial.reports] == [(0, 4.5), (1, 3.5), (2, 2.5)]
        folder = trial_dir(workdir / "hypersweep-runs", "cmds", trial.id)
        seen = json.loads((folder / "seen.json").read_text())
        assert seen["argv"] == ["--x", "1.5", f"--mode={mode}"]
        assert seen["params"] == {"x": 1.5, "mode": mode}
        assert seen["env"]["HYPERSWEEP_SWEEP"] == "cmds"
        assert seen["env"]["HYPERSWEEP_TRIAL_ID"] == str(trial.id)
        assert seen["env"]["HYPERSWEEP_STORAGE"] == "hypersweep.db"
        assert seen["env"]["HYPERSWEEP_PARAM_MODE"] == mode
        assert "some other output" in (folder / "stdout.log").read_text()
    assert trials["report"].metrics == {"loss": 1.5, "accuracy": 0.5}
    crashed = trials["crash"]
    assert crashed.state is TrialState.FAILED
    assert "exited with code 3" in crashed.error and "bad things happened" in crashed.error
    shown = CliRunner().invoke(cli, ["show", "cmds", "--trial", str(crashed.id)], catch_exceptions=False)
    assert "bad things happened" in shown.output and "stderr.log" in shown.output


def test_values_with_shell_syntax_stay_literal(workdir):
    script = "import sys, json; print('hypersweep.metric ' + json.dumps({'loss': len(sys.argv[1])})); open('argv.txt', 'a').write(sys.argv[1] + '\\n')"
    (workdir / "echo.py").write_text(script)
    text = sweep_yaml(f"{sys.executable} echo.py {{{{ mode }}}}", '["$(touch pwned)", "a; touch pwned2", "`touch pwned3`"]')
    (workdir / "sweep.yaml").write_text(text)
    assert run("sweep.yaml").exit_code == 0
    assert sorted((workdir / "argv.txt").read_text().splitlines()) == sorted(
        ["$(touch pwned)", "a; touch pwned2", "`touch pwned3`"]
    )
    assert not any((workdir / name).exists() for name in ("pwned", "pwned2", "pwned3"))


def test_exit_0_without_the_metric_fails_with_a_hint(workdir):
    (workdir / "quiet.py").write_text("print('done')\n")
    (workdir / "sweep.yaml").write_text(sweep_yaml(f"{sys.executable} quiet.py", "[a]", n=1))
    assert run("sweep.yaml").exit_code == 1  # every trial failed
    trial = open_storage(workdir / "hypersweep.db").get_trial("cmds", 0)
    assert trial.state is TrialState.FAILED and "never reported 'loss'" in trial.error


def test_timeout_kills_the_whole_process_group(workdir):
    (workdir / "slow.py").write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "open('child.pid', 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    (workdir / "sweep.yaml").write_text(sweep_yaml(f"{sys.executable} slow.py", "[a]", timeout="  timeout: 1.5\n", n=1))
    started = time.monotonic()
    assert run("sweep.yaml").exit_code == 1  # every trial failed
    assert time.monotonic() - started < 30
    trial = open_storage(workdir / "hypersweep.db").get_trial("cmds", 0)
    assert trial.state is TrialState.FAILED and "timed out after 1.5s" in trial.error
    pid = int((workdir / "child.pid").read_text())
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the command's child survived the timeout")


def test_report_outside_a_trial_is_a_clear_error(monkeypatch):
    import hypersweep
    from hypersweep.exceptions import HypersweepError

    monkeypatch.delenv("HYPERSWEEP_METRICS_FILE", raising=False)
    with pytest.raises(HypersweepError, match="inside a trial"):
        hypersweep.report(loss=1.0)


def test_a_pruned_command_is_killed_and_stored_as_pruned(workdir):
    (workdir / "long.py").write_text(
        "import time\n"
        "for step in range(100):\n"
        "    print('hypersweep.metric {\"step\": %d, \"loss\": 10.0}' % step, flush=True)\n"
        "    time.sleep(0.2)\n"
    )
    text = sweep_yaml(f"{sys.executable} long.py", "[a]", n=1).replace(
        "  concurrency: 2\n", "  concurrency: 1\n  pruner: {threshold: {upper: 5.0}}\n"
    )
    (workdir / "sweep.yaml").write_text(text)
    started = time.monotonic()
    assert run("sweep.yaml").exit_code == 0
    assert time.monotonic() - started < 15
    trial = open_storage(workdir / "hypersweep.db").get_trial("cmds", 0)
    assert trial.state is TrialState.PRUNED and "pruned at step 0" in trial.error


RESUMING_SCRIPT = """
import json, os, sys
from pathlib import Path
epochs, out, parent = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
start = json.loads((Path(parent) / "ckpt.json").read_text())["epochs"] if parent else 0
assert parent == os.environ.get("HYPERSWEEP_PARENT_RUN_DIR", "")
(out / "ckpt.json").write_text(json.dumps({"epochs": epochs}))
x = float(os.environ["HYPERSWEEP_PARAM_X"])
print("hypersweep.metric " + json.dumps({"loss": (x - 0.5) ** 2 + 1 / epochs, "start": start}))
"""


def test_a_command_gets_its_budget_and_resumes_from_the_parent_folder(workdir):
    (workdir / "resuming.py").write_text(RESUMING_SCRIPT)
    (workdir / "sweep.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: sh-cmd
            metric: {{name: loss, optimization: minimize}}
            settings:
              concurrency: 2
              successive_halving: {{max_iter: 9, eta: 3, resource: {{name: epochs, type: int}}, resume: true}}
            matrix:
              x: {{uniform: [0, 1]}}
            run:
              cmd: {sys.executable} resuming.py {{{{ epochs }}}} {{{{ run_dir }}}} "{{{{ parent_run_dir }}}}"
            """
        )
    )
    result = run("sweep.yaml")
    assert result.exit_code == 0, result.output
    trials = open_storage(workdir / "hypersweep.db").get_trials("sh-cmd")
    assert sorted(t.params["epochs"] for t in trials) == [1] * 9 + [3] * 3 + [9]
    assert all(t.state is TrialState.COMPLETED for t in trials), [t.error for t in trials]
    for trial in trials:
        assert trial.metrics["start"] == trial.meta.get("parent_budget", 0)


@pytest.mark.postgres
def test_a_command_never_sees_the_storage_password(workdir, postgres_url):
    from sqlalchemy.engine import make_url

    password = make_url(postgres_url).password
    cmd = f'{sys.executable} trial.py --x "{{{{ x }}}}" --mode={{{{mode}}}}'
    (workdir / "sweep.yaml").write_text(sweep_yaml(cmd, "[report]", n=1))
    result = run("sweep.yaml", "--storage", postgres_url)
    assert result.exit_code == 0, result.output
    assert password not in result.output
    seen = json.loads((trial_dir(workdir / "hypersweep-runs", "cmds", 0) / "seen.json").read_text())
    assert seen["env"]["HYPERSWEEP_STORAGE"].startswith("postgresql")
    leaked = [k for k, v in seen["env"].items() if f":{password}@" in v and k != "HYPERSWEEP_TEST_POSTGRES_URL"]
    assert not leaked  # (the test suite's own variable is inherited like any other)
