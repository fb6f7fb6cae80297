"""GP-BO through the shared algorithm suite with a short initial design, so the model runs."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from hypersweep.testing.algorithm_suite import AlgorithmSuite


class TestGPBOConformance(AlgorithmSuite):
    """The suite's checks while the GP (not the Sobol initial design) makes the suggestions."""

    algorithms: ClassVar[Sequence[str] | None] = ("bo",)
    options: ClassVar[Mapping[str, Mapping[str, Any]]] = {"bo": {"n_initial_trials": 3}}
