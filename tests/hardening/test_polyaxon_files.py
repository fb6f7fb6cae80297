"""Issue 21, cases 13-15: Polyaxon users' files (tuple pvalues, options inside the algorithm block,
logspace bounds that look like values)."""
import logging
import re
from pathlib import Path

import pytest

from hypersweep.config import parse_sweep_file
from hypersweep.exceptions import SpecError
from hypersweep.space import Space, load_yaml

README = Path(__file__).resolve().parents[2] / "README.md"


def test_pvalues_in_polyaxons_tuple_form():
    space = Space.from_matrix(load_yaml("a: {pvalues: [(relu, 0.2), (sigmoid, 0.8)]}\nb: {pvalues: [(1, 0.5), (2, 0.5)]}\n"))
    assert space.to_matrix() == {"a": {"pvalues": [["relu", 0.2], ["sigmoid", 0.8]]},
                                 "b": {"pvalues": [[1, 0.5], [2, 0.5]]}}


FILE = """\
name: poly
metric: {name: loss, optimization: minimize}
settings:
  SETTINGS
matrix:
  x: {uniform: [0, 1]}
run:
  function: obj:f
"""


def parsed(settings: str):
    return parse_sweep_file(FILE.replace("SETTINGS", settings))


def test_concurrency_and_metric_inside_the_algorithm_block():
    assert parsed("random_search: {n_experiments: 30, concurrency: 2}").concurrency == 2
    assert parsed("concurrency: 2\n  random_search: {n_experiments: 30, concurrency: 2}").options == {"n_experiments": 30}
    hyperband = parsed("hyperband: {max_iter: 9, eta: 3, metric: {name: loss, optimization: minimize}}")
    assert hyperband.algorithm == "hyperband" and "metric" not in hyperband.options
    assert parsed("bo: {metric: {name: loss}}").algorithm == "bo"


@pytest.mark.parametrize(
    "settings, message",
    [("concurrency: 3\n  random_search: {n_experiments: 30, concurrency: 2}",
      "settings.random_search.concurrency: 2 contradicts settings.concurrency: 3"),
     ("bo: {metric: {name: loss, optimization: maximize}}", "settings.bo.metric: contradicts the top-level metric")],
)
def test_only_a_contradiction_is_refused(settings, message):
    with pytest.raises(SpecError, match=re.escape(message)):
        parsed(settings)


def test_logspace_bounds_that_look_like_values_warn(caplog):
    with caplog.at_level(logging.WARNING, logger="hypersweep.space"):
        Space.from_matrix({"lr": {"logspace": "0.01:0.1:5"}})
    assert "use geomspace: 0.01:0.1:5" in caplog.text and "1.02..1.26" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="hypersweep.space"):
        Space.from_matrix({"lr": {"logspace": "-4:-1:4"}})
    assert caplog.text == ""


def test_the_readme_example_uses_logspace_as_exponents():
    matrix_lines = [line for line in README.read_text().splitlines() if "{logspace:" in line]
    assert matrix_lines, "the README's sweep file shows a logspace"
    for line in matrix_lines:
        bounds = line.split('"')[1].split(":")[:2]
        assert not all(0 < float(b) <= 1 for b in bounds), line
