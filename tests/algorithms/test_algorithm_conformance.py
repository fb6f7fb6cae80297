"""Every registered algorithm passes the shared conformance suite."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hypersweep.algorithms import available
from hypersweep.testing.algorithm_suite import SPACES, AlgorithmSuite, cases


# generative has no checkpoint here: it is random search and warns (tests/generative runs the
# suite on it with a meta-trained checkpoint)
@pytest.mark.filterwarnings("ignore:generative. no checkpoint:UserWarning")
class TestAlgorithmConformance(AlgorithmSuite):
    """All registered algorithms x every fitting suite space (see hypersweep.testing.algorithm_suite)."""

    # small multi-fidelity schedules, so the budget test exhausts them (22 trials for R = 9)
    options = {
        "hyperband": {"max_iter": 9},
        "successive_halving": {"max_iter": 9, "n_iterations": None},  # one bracket waits: let the next start
        "asha": {"max_iter": 9, "n_experiments": 30},
        "bohb_gp": {"max_iter": 9, "min_points": 4},  # the model proposes from the first bracket's rung 1
        "bohb": {"max_iter": 9, "min_points_in_model": 2},  # the KDEs propose once 4 results are in
        "freeze_thaw": {"max_iter": 9, "n_bootstrap": 3},  # the GP proposes from the fourth configuration
    }


def test_every_registered_algorithm_has_cases() -> None:
    covered = {c.algorithm for c in cases()}
    assert covered == set(available())
    assert {"grid", "random"} <= covered


def test_discrete_only_algorithms_get_only_discrete_spaces() -> None:
    grid_spaces = {c.space_def.name for c in cases(["grid"])}
    discrete = {s.name for s in SPACES if s.build().is_discrete}
    assert grid_spaces == discrete and discrete
    random_spaces = {c.space_def.name for c in cases(["random"])}
    assert random_spaces == {s.name for s in SPACES}


_DRIVE_EVERY_CASE = """
import json, sys, warnings
from hypersweep.testing.algorithm_suite import cases, drive
warnings.simplefilter("ignore")
options = json.loads(sys.argv[1])
print(json.dumps({c.id: drive(c.make(seed=7)).batches for c in cases(options=options)}, default=repr))
"""


def test_same_seed_same_suggestions_in_processes_with_other_hash_seeds() -> None:
    """Iterating a set of strings follows PYTHONHASHSEED: no algorithm may draw in that order."""
    outputs = []
    for hash_seed in ("1", "4"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([sys.executable, "-c", _DRIVE_EVERY_CASE, json.dumps(TestAlgorithmConformance.options)],
                              env=env, capture_output=True, text=True, check=True)
        outputs.append(json.loads(done.stdout))
    assert set(outputs[0]) == {c.id for c in cases()}
    assert [case for case in outputs[0] if outputs[0][case] != outputs[1][case]] == []
