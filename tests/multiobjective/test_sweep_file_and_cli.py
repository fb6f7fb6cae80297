"""Multi-objective sweep files through the CLI: run, show, ls, export, plot, and one-line errors (exit 2)."""
import json
import textwrap

import pytest
from click.testing import CliRunner

from hypersweep.cli.main import cli
from hypersweep.config.sweep_file import parse_sweep_file
from hypersweep.exceptions import SpecError
from hypersweep.records import Constraint, Metric
from hypersweep.storage import open_storage
from hypersweep.testing.workdir import prepare_workdir

SWEEP = textwrap.dedent(
    """\
    name: trade
    metric:
      - {name: error, optimization: minimize, reference: 2.0}
      - {name: speed, optimization: maximize}
    constraints:
      - {metric: memory_mb, max: 600}
    settings:
      seed: 1
      random_search: {n_experiments: 12}
    matrix:
      x: {uniform: [0, 1]}
      y: {uniform: [0, 1]}
    run:
      function: trade_objective:objective
    """
)

OBJECTIVE = textwrap.dedent(
    """
    def objective(params):
        x, y = params["x"], params["y"]
        return {"error": x + 0.1 * y, "speed": x - 0.5 * y, "memory_mb": 1000 * y}
    """
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    return prepare_workdir(tmp_path, monkeypatch, {"sweep.yaml": SWEEP, "trade_objective.py": OBJECTIVE})


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_sweep_file_reads_metrics_references_and_constraints():
    parsed = parse_sweep_file(SWEEP)
    assert parsed.metrics == (Metric("error", "minimize", 2.0), Metric("speed", "maximize"))
    assert parsed.constraints == (Constraint("memory_mb", max=600),)
    assert parsed.metric == parsed.metrics[0]


def test_default_algorithm_of_a_multi_objective_file_is_mobo():
    parsed = parse_sweep_file(SWEEP.replace("  random_search: {n_experiments: 12}\n", ""))
    assert parsed.algorithm == "mobo"


def test_a_multi_objective_file_may_choose_tpe():
    parsed = parse_sweep_file(SWEEP.replace("random_search: {n_experiments: 12}", "tpe: {n_startup_trials: 5}"))
    assert parsed.algorithm == "tpe"


@pytest.mark.parametrize(
    "old, new, where",
    [
        ("- {metric: memory_mb, max: 600}", "- {metric: memory_mb}", "constraints[0]"),
        ("- {metric: memory_mb, max: 600}", "- {metric: memory_mb, max: big}", "constraints[0].max"),
        ("- {metric: memory_mb, max: 600}", "- {metric: memory_mb, maximum: 600}", "constraints[0]"),
        ("reference: 2.0", "reference: far", "metric[0].reference"),
        ("optimization: maximize}", "optimization: up}", "metric[1].optimization"),
        ("random_search: {n_experiments: 12}", "hyperband: {max_iter: 9}", "settings.hyperband"),
        ("random_search: {n_experiments: 12}", "bo: {}", "settings.bo"),
        ("  seed: 1\n", "  seed: 1\n  pruner: {median: {}}\n", "settings.pruner"),
    ],
)
def test_bad_multi_objective_files_fail_in_one_line_naming_the_field(old, new, where):
    assert old in SWEEP
    with pytest.raises(SpecError) as info:
        parse_sweep_file(SWEEP.replace(old, new))
    message = str(info.value)
    assert message.startswith(where) and "\n" not in message


def test_cli_run_show_ls_export_and_plot(workdir):
    assert invoke("run", "sweep.yaml", "--no-progress").exit_code == 0
    with open_storage(workdir / "hypersweep.db") as store:
        spec = store.get_sweep("trade")
        trials = store.get_trials("trade")
    assert spec.constraints == (Constraint("memory_mb", max=600),) and len(trials) == 12
    assert {t.feasible for t in trials} == {True, False}

    shown = invoke("show", "trade")
    assert "minimize error, maximize speed, subject to memory_mb <= 600" in shown.output
    assert "Pareto front:" in shown.output and "feasible" in shown.output
    record = json.loads(invoke("show", "trade", "--json").output)
    front = set(record["best_trials"])
    assert front and record["best"] is None
    assert all(trials[i].feasible for i in front)
    assert {t["id"] for t in record["trials"] if t["pareto_optimal"]} == front

    listed = json.loads(invoke("ls", "--json").output)[0]
    assert listed["front_size"] == len(front) and listed["best"] is None
    assert "front of" in invoke("ls").output

    exported = json.loads(invoke("export", "trade").output)
    assert {t["id"] for t in exported if t["pareto_optimal"]} == front
    assert [t["feasible"] for t in exported] == [t.feasible for t in trials]
    csv_text = invoke("export", "trade", "--format", "csv").output
    assert "pareto_optimal" in csv_text.splitlines()[0] and "feasible" in csv_text.splitlines()[0]

    plotted = invoke("plot", "trade", "-o", "front.png")
    assert plotted.exit_code == 0 and (workdir / "front.png").stat().st_size > 10_000


def test_cli_refuses_a_bad_file_with_exit_code_2(workdir):
    (workdir / "bad.yaml").write_text(SWEEP.replace("max: 600", "min: 700, max: 600"))
    result = CliRunner().invoke(cli, ["run", "bad.yaml", "--no-progress"])
    assert result.exit_code == 2
    assert "constraints[0]" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (workdir / "hypersweep.db").exists()
