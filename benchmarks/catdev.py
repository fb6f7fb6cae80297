"""The categorical/mixed development suite, run through the harness.

Problems (development only: settings are chosen on these): HPOLib's four FCNet tables
(``hpolib/*``, categorical activations and schedule, ordinal sizes and rates), the categorical
synthetic problems (``contamination``, ``pest_control``, ``ackley_cat``; see
``categorical_problems``) and two scikit-learn pipelines (``sklearn/digits``,
``sklearn/breast_cancer``; see ``sklearn_problems``). NAS-Bench-201 and YAHPO's rbv2_*/iaml_*
are reserved for final checks and are not here.

Usage (every harness option works; ``catdev`` in ``--problems`` names the whole suite)::

    python benchmarks/catdev.py --algorithms bo --peers optuna-gp optuna-tpe \\
        --problems catdev --seeds 10 --n-trials 50 --out bench_results/catdev
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ax_peer import AxDefault  # noqa: E402
from categorical_problems import CATEGORICAL  # noqa: E402
from hebo_peer import HEBODefault  # noqa: E402
from sklearn_problems import SKLEARN  # noqa: E402

from hypersweep.benchmarks import harness  # noqa: E402
from hypersweep.benchmarks.peers import peer_names, register_peer  # noqa: E402
from hypersweep.benchmarks.problems import problem_names, register_problem  # noqa: E402

FAMILY = "catdev"


def register() -> list[str]:
    """Register the suite's new problems and the peers ``ax`` and ``hebo``; the suite's problem
    names, in table order."""
    if "ax" not in peer_names():
        register_peer("ax", AxDefault)
        register_peer("hebo", HEBODefault)
    hpolib = problem_names("hpolib")
    for name, factory in {**CATEGORICAL, **SKLEARN}.items():
        register_problem(name, factory, FAMILY)
    return [*hpolib, *CATEGORICAL, *SKLEARN]


def expand(argv: Sequence[str], suite: Sequence[str]) -> list[str]:
    """``argv`` with ``catdev`` among the ``--problems`` values replaced by the suite's names."""
    out: list[str] = []
    in_problems = False
    for arg in argv:
        if arg.startswith("--"):
            in_problems = arg == "--problems"
        if in_problems and arg == FAMILY:
            out.extend(suite)
        else:
            out.append(arg)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    suite = register()
    return harness.main(expand(list(sys.argv[1:] if argv is None else argv), suite))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
