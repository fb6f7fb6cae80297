"""Sweep files: the issue's example, every algorithm block, YAML pitfalls, path + line errors."""
import textwrap

import pytest

from hypersweep.algorithms import available
from hypersweep.config import load_sweep_file, parse_sweep_file, sweep_file_from_data
from hypersweep.exceptions import SpecError
from hypersweep.records import Direction

EXAMPLE = textwrap.dedent(
    """\
    name: mnist-lr
    metric: {name: loss, optimization: minimize}
    settings:
      concurrency: 2
      seed: 0
      random_search: {n_experiments: 30}     # or grid_search / tpe / ...
      early_stopping:
        - {metric: accuracy, value: 0.9, optimization: maximize}
    matrix:
      lr: {logspace: "0.01:0.1:5"}
      dropout: {values: [0.25, 0.3, 0.5]}
      activation: {pvalues: [[relu, 0.2], [sigmoid, 0.8]]}
      wd: {loguniform: [1e-5, 1e-3]}
    run:
      cmd: python train.py --lr {{ lr }} --dropout={{dropout}} --activation "{{ activation }}"
    """
)


def test_the_issue_example_is_read_whole():
    spec = parse_sweep_file(EXAMPLE)
    assert spec.name == "mnist-lr"
    assert (spec.metric.name, spec.metric.direction) == ("loss", Direction.MINIMIZE)
    assert (spec.algorithm, dict(spec.options), spec.budget, spec.limit) == ("random", {"n_experiments": 30}, 30, 30)
    assert (spec.concurrency, spec.seed) == (2, 0)
    assert spec.space.names == ["lr", "dropout", "activation", "wd"]
    assert spec.space.to_matrix()["wd"] == {"loguniform": [1e-5, 1e-3]}  # 1e-5 read as a number
    rule = spec.early_stopping[0]
    assert rule.reached({"accuracy": 0.95}) and not rule.reached({"accuracy": 0.5}) and not rule.reached({})
    assert rule.describe() == "accuracy >= 0.9"
    assert spec.run.cmd == (
        "python", "train.py", "--lr", "{{lr}}", "--dropout={{dropout}}", "--activation", "{{activation}}",
    )
    assert spec.storage is None and spec.run.function is None


def test_the_stored_copy_reads_back_equal(tmp_path):
    path = tmp_path / "sweep.yaml"
    path.write_text(EXAMPLE)
    spec = load_sweep_file(path)
    again = sweep_file_from_data(spec.data)
    assert (again.name, again.space, again.run, again.options) == (spec.name, spec.space, spec.run, spec.options)


def test_a_stored_copy_keeps_loading_with_words_older_versions_accepted():
    block = "bo: {n_iterations: 20.0, utility_function: {acquisition_function: ' EI', gaussian_process: {kernel: RBF}}}"
    text = EXAMPLE.replace("random_search: {n_experiments: 30}", block)
    with pytest.raises(SpecError, match=r"acquisition_function: .*\(did you mean 'ei'\?\)"):
        parse_sweep_file(text)  # new input: exact spelling only
    data = dict(parse_sweep_file(EXAMPLE).data)
    data["settings"] = {"seed": 0, "bo": {"n_iterations": 20.0, "utility_function": {
        "acquisition_function": " EI", "gaussian_process": {"kernel": "RBF"}}}}
    stored = sweep_file_from_data(data)
    assert stored.options == {"n_iterations": 20.0, "utility_function": {
        "acquisition_function": "ei", "gaussian_process": {"kernel": "rbf"}}}
    assert stored.budget == 30


@pytest.mark.parametrize("name", available())
def test_every_registered_algorithm_has_a_settings_block(name):
    key = f"{name}_search" if name in ("random", "grid") else name
    text = EXAMPLE.replace("random_search: {n_experiments: 30}", f"{key}: {{}}")
    if name == "grid":
        text = text.replace("wd: {loguniform: [1e-5, 1e-3]}", "wd: {values: [0.1, 0.2]}")
    spec = parse_sweep_file(text)
    assert spec.algorithm == name


def test_function_runs_and_extras():
    text = EXAMPLE.replace(
        'run:\n  cmd: python train.py --lr {{ lr }} --dropout={{dropout}} --activation "{{ activation }}"',
        "run:\n  function: mypackage.train:objective\n  timeout: 30\n  env: {OMP_NUM_THREADS: 1}",
    ) + "storage: sqlite:///other.db\n"
    spec = parse_sweep_file(text.replace("  seed: 0\n", "  seed: 0\n  max_trials: 5\n  max_retries: 0\n  pruner: {median: {n_startup_trials: 2}}\n"))
    assert type(spec.make_pruner()).__name__ == "MedianPruner" and spec.pruner == {"median": {"n_startup_trials": 2}}
    assert spec.run.function == "mypackage.train:objective" and spec.run.cmd is None
    assert (spec.run.timeout, dict(spec.run.env)) == (30.0, {"OMP_NUM_THREADS": "1"})
    assert (spec.storage, spec.max_trials, spec.limit, spec.max_retries) == ("sqlite:///other.db", 5, 5, 0)


def test_command_as_a_list_keeps_words():
    text = EXAMPLE.replace(
        'cmd: python train.py --lr {{ lr }} --dropout={{dropout}} --activation "{{ activation }}"',
        'cmd: [python, "my script.py", "--lr={{ lr }}"]',
    )
    assert parse_sweep_file(text).run.cmd == ("python", "my script.py", "--lr={{ lr }}")


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("n_experiments: 30", "n_experiments: 0", r"^settings\.random_search\.n_experiments: .*got 0 \(sweep\.yaml:6\)$"),
        ("n_experiments: 30", "n_experiments: 3, eta: 1", r"^settings\.random_search\.eta: unknown option .*\(sweep\.yaml:6\)$"),
        ("random_search: {n_experiments: 30}", "smac: {n_tres: 5}",
         r"^settings\.smac\.n_tres: unknown option of 'smac' \(did you mean 'n_trees'\?\); allowed: n_initial_trials, .*\(sweep\.yaml:6\)$"),
        ("random_search: {n_experiments: 30}", "bo: {utility_function: {acquisition_function: EI}}",
         r"^settings\.bo\.utility_function\.acquisition_function: must be one of ei, poi, ucb .*\(did you mean 'ei'\?\); got 'EI'.*\(sweep\.yaml:6\)$"),
        ("  seed: 0\n", "  seed: 0\n  pruner: {median: {n_startup_trial: 3}}\n",
         r"^settings\.pruner\.median\.n_startup_trial: unknown option of the median pruner \(did you mean 'n_startup_trials'\?\); allowed: n_startup_trials, n_warmup_steps, n_min_trials \(sweep\.yaml:6\)$"),
        ("  seed: 0\n", "  seed: 0\n  pruner: {median: {n_startup_trials: 2.5}}\n",
         r"^settings\.pruner\.median\.n_startup_trials: must be an integer >= 0; got 2\.5; e\.g\. n_startup_trials: 5 \(sweep\.yaml:6\)$"),
        ("random_search:", "hyperband_searchx:", r"^settings\.hyperband_searchx: unknown setting or algorithm.*\(sweep\.yaml:6\)$"),
        ("wd: {loguniform: [1e-5, 1e-3]}", "wd: {loguniform: [1e-3, 1e-5]}", r"^matrix\.wd: loguniform needs 0 < low < high.*\(sweep\.yaml:13\)$"),
        ("  seed: 0\n", "  seed: 0\n  seeds: 1\n", r"^settings\.seeds: unknown setting.*\(sweep\.yaml:6\)$"),
        ("value: 0.9", "value: high", r"^settings\.early_stopping\[0\]\.value: must be a finite number.*\(sweep\.yaml:8\)$"),
        ("name: mnist-lr", "name: mnist-lr\nname: again", r"^name: duplicate key \(first at line 1\).*\(sweep\.yaml:2\)$"),
        ("{{ lr }}", "{{ learning_rate }}", r"^run\.cmd: unknown placeholder \{\{ learning_rate \}\}.*\(sweep\.yaml:15\)$"),
        ("name: mnist-lr", "name: !!python/object/apply:os.system [id]", r"^yaml: explicit tag .*not allowed.*\(sweep\.yaml:1\)$"),
    ],
)
def test_errors_name_the_path_and_the_line(old, new, message):
    with pytest.raises(SpecError, match=message):
        parse_sweep_file(EXAMPLE.replace(old, new, 1))


def test_yaml_12_scalars():
    text = EXAMPLE.replace("wd: {loguniform: [1e-5, 1e-3]}", "wd: {values: [1e-3, 017, on, 1:2]}")
    spec = parse_sweep_file(text)
    assert spec.space.to_matrix()["wd"] == {"values": [0.001, 17, "on", "1:2"]}


def test_no_budget_needs_max_trials_or_n_trials_at_run_time():
    spec = parse_sweep_file(EXAMPLE.replace("random_search: {n_experiments: 30}", "random_search: {}"))
    assert spec.budget is None and spec.limit is None
