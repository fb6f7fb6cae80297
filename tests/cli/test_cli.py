"""The hypersweep command line, on a real SQLite file."""
import json
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from hypersweep.cli.main import cli

SPACE_YAML = """
x: {uniform: [-2, 2]}
k: {values: [1, 2, 3]}
"""

OBJECTIVE = textwrap.dedent(
    """
    def loss(params):
        return (params["x"] - 0.5) ** 2 + params["k"]

    def broken(params):
        raise ValueError("no good")
    """
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "space.yaml").write_text(SPACE_YAML)
    (tmp_path / "objectives.py").write_text(OBJECTIVE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def run_sweep(*extra):
    return invoke(
        "run", "--space", "space.yaml", "--objective", "objectives:loss", "--n-trials", "6",
        "--concurrency", "2", "--name", "demo", "--no-progress", *extra,
    )


def test_run_ls_show_export_plot(workdir):
    result = run_sweep()
    assert result.exit_code == 0, result.output
    assert "6 completed" in result.output and "best trial" in result.output
    assert (workdir / "hypersweep.db").exists()

    listing = invoke("ls")
    assert listing.exit_code == 0
    row = next(line for line in listing.output.splitlines() if line.startswith("demo"))
    assert row.split()[:7] == ["demo", "idle", "bo", "value", "(minimize)", "6", "-"]  # bo: no budget of its own

    shown = invoke("show", "demo")
    assert shown.exit_code == 0 and "best: trial" in shown.output
    assert len([l for l in shown.output.splitlines() if l.split()[1:2] == ["completed"]]) == 6

    exported = invoke("export", "demo", "--format", "json")
    records = json.loads(exported.output)
    assert [r["id"] for r in records] == list(range(6))
    for record in records:
        assert record["state"] == "completed"
        assert record["value"] == pytest.approx((record["params"]["x"] - 0.5) ** 2 + record["params"]["k"])

    csv_out = invoke("export", "demo", "--format", "csv", "-o", "t.csv")
    assert csv_out.exit_code == 0
    lines = (workdir / "t.csv").read_text().splitlines()
    assert lines[0].startswith("id,state,value,params.x,params.k") and len(lines) == 7

    plotted = invoke("plot", "demo", "-o", "h.png")
    assert plotted.exit_code == 0
    assert (workdir / "h.png").read_bytes()[:4] == b"\x89PNG"


def test_running_again_continues_the_sweep(workdir):
    assert run_sweep().exit_code == 0
    assert run_sweep().exit_code == 0
    records = json.loads(invoke("export", "demo").output)
    assert [r["id"] for r in records] == list(range(12))


def test_failing_objective_is_stored_not_fatal(workdir):  # exit 1: trials ran, none completed
    result = invoke("run", "--space", "space.yaml", "--objective", "objectives:broken", "--n-trials", "2",
                    "--name", "bad", "--no-progress")
    assert result.exit_code == 1 and "2 failed" in result.output
    records = json.loads(invoke("export", "bad").output)
    assert all("ValueError: no good" in r["error"] for r in records)


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "nope"], "no store at"),
        (["export", "nope"], "no store at"),
        (["run", "--space", "space.yaml", "--objective", "objectives:missing", "--n-trials", "1"], "missing"),
        (["run", "--space", "space.yaml", "--objective", "nomodule:f", "--n-trials", "1"], "nomodule"),
        (["run", "--space", "space.yaml", "--objective", "no_colon", "--n-trials", "1"], "module:function"),
        (["run", "--space", "bad.yaml", "--objective", "objectives:loss", "--n-trials", "1"], "matrix.x"),
    ],
)
def test_errors_are_one_line_without_traceback(workdir, args, message):
    (workdir / "bad.yaml").write_text("x: {uniform: [2, 1]}\n")
    process = subprocess.run(
        [sys.executable, "-m", "hypersweep.cli", *args], capture_output=True, text=True, cwd=workdir, timeout=60
    )
    assert process.returncode != 0
    assert "Traceback" not in process.stderr
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]
