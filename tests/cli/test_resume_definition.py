"""The CLI stores the registered algorithm name and the pruner with a sweep, and `resume`, `worker`
and `copy` continue from what is stored, even after the default algorithm changed."""
import textwrap

import pytest
from click.testing import CliRunner

from hypersweep import algorithms
from hypersweep.cli.main import cli
from hypersweep.records import TrialState
from hypersweep.storage import open_storage

NO_ALGORITHM = textwrap.dedent(
    """\
    name: plain
    metric: {name: loss, optimization: minimize}
    settings:
      seed: 1
      max_trials: 4
      pruner: {threshold: {upper: 1.0}}
    matrix:
      x: {uniform: [-2, 2]}
    run:
      function: curve_objective:objective
    """
)

OBJECTIVE = textwrap.dedent(
    """
    def objective(params, trial):
        for step in range(3):
            trial.report(step, params["x"] ** 2 + step / 10)
        return params["x"] ** 2
    """
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "sweep.yaml").write_text(NO_ALGORITHM)
    (tmp_path / "curve_objective.py").write_text(OBJECTIVE)
    (tmp_path / "space.yaml").write_text("x: {uniform: [0, 1]}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("HYPERSWEEP_STORAGE", raising=False)
    return tmp_path


def invoke(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def stored(workdir, name):
    with open_storage(workdir / "hypersweep.db") as store:
        return store.get_sweep(name), store.get_trials(name), store.get_sweep_attrs(name)


def _registered_default() -> str:
    return algorithms.algorithm_class(algorithms.DEFAULT_ALGORITHM).name


def _other_than_default() -> str:
    return "random" if _registered_default() != "random" else "tpe"


def test_resume_and_worker_keep_the_stored_algorithm_when_the_default_changes(workdir, change_default_algorithm):
    invoke("run", "sweep.yaml", "--no-progress", "--n-trials", "2")
    default = _registered_default()
    assert stored(workdir, "plain")[0].algorithm == default

    change_default_algorithm(_other_than_default())  # a later release
    invoke("worker", "plain", "--n-trials", "1")
    invoke("resume", "plain", "--no-progress")  # to max_trials: 4
    spec, trials, _ = stored(workdir, "plain")
    assert spec.algorithm == default and len(trials) == 4


def test_resume_prunes_with_the_stored_pruner(workdir):
    invoke("run", "sweep.yaml", "--no-progress", "--n-trials", "1")
    spec = stored(workdir, "plain")[0]
    assert spec.pruner == {"threshold": {"lower": None, "upper": 1.0, "n_warmup_steps": 0}}
    invoke("resume", "plain", "--no-progress")
    trials = stored(workdir, "plain")[1]
    assert len(trials) == 4
    for trial in trials:  # stopped at the first report above 1.0, and only then
        over = trial.params["x"] ** 2 + 0.2 > 1.0  # the last report is the highest
        assert trial.state is (TrialState.PRUNED if over else TrialState.COMPLETED)


def test_run_without_an_algorithm_stores_the_default_it_resolved(workdir, change_default_algorithm):
    run = ("run", "--space", "space.yaml", "--objective", "curve_objective:objective", "--n-trials", "1", "--no-progress")
    invoke(*run, "--name", "a")
    invoke(*run, "--name", "b", "--algorithm", "random_search")
    default, other = _registered_default(), _other_than_default()
    change_default_algorithm(other)  # a later release
    invoke(*run, "--name", "c")
    invoke(*run, "--name", "a")  # continues a with its stored algorithm
    assert [stored(workdir, name)[0].algorithm for name in "abc"] == [default, "random", other]
    assert len(stored(workdir, "a")[1]) == 2


def test_a_copy_with_new_options_keeps_the_source_algorithm_in_its_file(workdir, change_default_algorithm):
    invoke("run", "sweep.yaml", "--no-progress", "--n-trials", "2")
    default = _registered_default()
    change_default_algorithm(_other_than_default())
    invoke("copy", "plain", "--to", "plain2", "--options", "{}")
    spec, trials, attrs = stored(workdir, "plain2")
    assert spec.algorithm == default and len(trials) == 2
    settings = attrs["sweep_file"]["settings"]
    assert default in settings or f"{default}_search" in settings
    assert "random_search" not in settings or default == "random"
    invoke("resume", "plain2", "--no-progress")
    assert len(stored(workdir, "plain2")[1]) == 4
