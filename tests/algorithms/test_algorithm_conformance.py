"""Every registered algorithm passes the shared conformance suite."""
from __future__ import annotations

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
