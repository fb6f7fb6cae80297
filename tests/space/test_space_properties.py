"""Property tests: thousands of generated specs, valid and invalid, mixed.

Each spec is either rejected with SpecError (one line, naming the parameter) or accepted, and
then samples only legal values, validate() accepts them unchanged, to_unit/from_unit round-trip,
from_unit of random points in [0, 1]^D is legal, the matrix and YAML rebuild the space and a
small grid enumerates legal, distinct points. Any other exception fails the test.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import _space_props as props



def sized(n: int) -> settings:
    """n examples, no deadline (CI machines are slow and shared)."""
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@sized(3000)
@given(props.matrices, st.integers(0, 2**32 - 1))
def test_mixed_specs_accepted_or_spec_error(matrix: Any, seed: int) -> None:
    props.check_matrix(matrix, seed)


@sized(3000)
@given(props.plausible_matrices, st.integers(0, 2**32 - 1))
def test_plausible_specs_accepted_or_spec_error(matrix: Any, seed: int) -> None:
    props.check_matrix(matrix, seed)


@sized(400)
@given(st.lists(props.plausible_matrices, min_size=2, max_size=4), st.integers(0, 2**32 - 1))
def test_multi_parameter_specs(parts: list[dict[str, Any]], seed: int) -> None:
    matrix: dict[str, Any] = {}
    for i, part in enumerate(parts):
        matrix.update({f"{name}{i}": spec for name, spec in part.items()})
    props.check_matrix(matrix, seed)


def test_generators_produce_both_outcomes() -> None:
    """Guard against a strategy that silently stopped producing valid (or invalid) specs."""
    outcomes = props.run(300, plausible=True)
    assert outcomes["accepted"] > 150 and outcomes["rejected"] > 20, outcomes
    outcomes = props.run(300, plausible=False)
    assert outcomes["rejected"] > 150 and outcomes["accepted"] > 5, outcomes


@pytest.mark.timeout(120)
def test_properties_hold_under_python_O() -> None:
    """The same property, run by ``python -O`` (asserts stripped): validation must not rely on assert."""
    here = Path(__file__).resolve().parent
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); import _space_props as p; "
        "r = {'optimize': sys.flags.optimize, 'mixed': p.run(800), 'plausible': p.run(800, plausible=True)}; "
        "print(json.dumps(r))"
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", code, str(here)], capture_output=True, text=True, timeout=110
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["optimize"] == 1
    assert result["mixed"]["rejected"] > 300 and result["plausible"]["accepted"] > 300, result
