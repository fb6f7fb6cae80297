"""Shared pieces of the issue-21 hardening tests: a working folder and a CLI runner."""
import textwrap

import pytest
from click.testing import CliRunner

from hypersweep.cli.main import cli
from hypersweep.testing.workdir import prepare_workdir

OBJECTIVES = textwrap.dedent(
    """
    import math

    def good(params):
        return params["x"] ** 2

    def broken(params):
        raise ValueError("no good")

    def nan(params):
        return math.nan
    """
)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    return prepare_workdir(tmp_path, monkeypatch, {"space.yaml": "x: {uniform: [-1, 1]}\n", "objectives21.py": OBJECTIVES})


def invoke(*args, input=None):
    """Run the CLI in this process; the result has ``exit_code``, ``stdout`` and ``stderr``."""
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, input=input)


def sweep_file(name="quad", run="function: objectives21:good", settings="random_search: {n_experiments: 3}",
               extra=""):
    """A small sweep file's text."""
    return textwrap.dedent(
        f"""\
        name: {name}
        metric: {{name: loss, optimization: minimize}}
        settings:
          seed: 1
          {settings}
        matrix:
          x: {{uniform: [-1, 1]}}
        run:
          {run}
        """
    ) + extra
