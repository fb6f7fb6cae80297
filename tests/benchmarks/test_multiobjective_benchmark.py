"""The multi-objective benchmark's problems and its run/table code (a short run; figures are in docs)."""
import numpy as np
import pytest

from benchmarks.multiobjective.problems import problems
from benchmarks.multiobjective.run import run_one, table


def _params(x):
    return {f"x{i}": v for i, v in enumerate(x)}


def test_zdt_and_dtlz2_fronts_are_where_the_definitions_put_them():
    zdt1 = problems()["zdt1"]()
    assert zdt1.evaluate(_params([0.25, 0, 0, 0, 0, 0])) == pytest.approx({"f1": 0.25, "f2": 0.5})
    dtlz2 = problems()["dtlz2"]()
    f = dtlz2.evaluate(_params([0.3, 0.7, 0.5, 0.5, 0.5, 0.5]))
    assert sum(v**2 for v in f.values()) == pytest.approx(1.0)  # the optimal front is the unit sphere


def test_c2dtlz2_is_feasible_only_near_the_corners_and_the_centre():
    problem = problems()["c2dtlz2"]()
    centre = problem.evaluate(_params([np.arcsin(1 / np.sqrt(3)) * 2 / np.pi, 0.5, 0.5, 0.5, 0.5, 0.5]))
    assert problem.feasible(centre)
    between = problem.evaluate(_params([0.0, 0.5, 0.5, 0.5, 0.5, 0.5]))  # (0.71, 0.71, 0): far from all
    assert not problem.feasible(between)


def test_normalized_hypervolume_counts_only_feasible_points_inside_the_box():
    problem = problems()["zdt1"]()
    assert problem.normalized_hypervolume([{"f1": 0.0, "f2": 0.0}]) == pytest.approx(1.0)
    assert problem.normalized_hypervolume([{"f1": 0.55, "f2": 0.55}]) == pytest.approx(0.25)
    assert problem.normalized_hypervolume([{"f1": 2.0, "f2": 0.0}]) == 0.0
    constrained = problems()["c2dtlz2"]()
    assert constrained.normalized_hypervolume([{"f1": 0.0, "f2": 0.0, "f3": 0.0, "c": 1.0}]) == 0.0


def test_a_short_run_and_its_table():
    rows = [run_one(method, "zdt1", seed, 25) for method in ("hypersweep-nsga2", "optuna-nsga2") for seed in (0, 1)]
    assert all(0.0 <= r["hv"]["25"] <= 1.0 and r["feasible_rate"] == 1.0 for r in rows)
    text = table(rows)
    assert "| hypersweep-nsga2 |" in text and "| optuna-nsga2 |" in text and "problems: zdt1" in text
