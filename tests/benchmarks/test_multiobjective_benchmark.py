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


@pytest.mark.slow
def test_ax_multiobjective_runs_past_its_design_with_the_constraint_and_is_seeded():
    """Ax's default on C2-DTLZ2: the centre, 4 Sobol points, then one BoTorch (qLogNEHVI) trial with
    the outcome constraint; the same seed repeats the run, another seed does not."""
    pytest.importorskip("ax")
    from benchmarks.multiobjective.methods import METHODS

    problem = problems()["c2dtlz2"]()
    a, seconds = METHODS["ax-default"](problem, 6, 3)
    b, _ = METHODS["ax-default"](problem, 6, 3)
    other, _ = METHODS["ax-default"](problem, 2, 4)
    assert a == b and len(a) == len(seconds) == 6
    assert all(set(r) == {"f1", "f2", "f3", "c"} and all(np.isfinite(list(r.values()))) for r in a)
    assert a[0] == problem.evaluate(problem.space.from_unit(np.full(6, 0.5)))  # Ax starts at the centre
    assert other[1] != a[1]
    assert len({tuple(r.values()) for r in a}) == 6


def test_resuming_skips_finished_runs_and_refuses_other_settings(tmp_path, capsys):
    from benchmarks.multiobjective.run import main, read_rows

    out = tmp_path / "mo.jsonl"
    assert main(["--methods", "hypersweep-random", "--problems", "zdt1", "--seeds", "1", "--trials", "25",
                 "--out", str(out)]) == 0
    first = read_rows(out)
    assert main(["--methods", "hypersweep-random,optuna-nsga2", "--problems", "zdt1", "--seeds", "2",
                 "--trials", "25", "--out", str(out)]) == 0
    rows = read_rows(out)
    assert rows[0] == first[0] and len(rows) == 4  # seed 0 of random kept, three new runs
    assert sorted((r["method"], r["seed"]) for r in rows) == [
        ("hypersweep-random", 0), ("hypersweep-random", 1), ("optuna-nsga2", 0), ("optuna-nsga2", 1)]
    again = run_one("hypersweep-random", "zdt1", 1, 25)
    assert again["hv"] == next(r["hv"] for r in rows if r["seed"] == 1 and r["method"] == "hypersweep-random")
    capsys.readouterr()
    assert main(["--methods", "hypersweep-random", "--problems", "zdt1", "--seeds", "1", "--trials", "50",
                 "--out", str(out)]) == 2
    assert "--out" in capsys.readouterr().err and len(read_rows(out)) == 4


def test_the_table_names_its_file_and_the_seeds_of_every_cell():
    rows = [run_one(m, "zdt1", seed, 25) for m in ("hypersweep-random", "optuna-nsga2") for seed in (0, 1)]
    rows.append(run_one("hypersweep-nsga2", "zdt1", 1, 25))
    text = table(rows, "mo.jsonl")
    assert text.startswith("5 runs from mo.jsonl")
    assert "| hypersweep-nsga2 | 1 |" in text and "| hypersweep-random | 2 |" in text
    assert "**Every problem, 2 seeds**: hypersweep-random, optuna-nsga2" in text
    partial = text.split("**Only the seeds hypersweep-nsga2 finished**")[1]
    assert "| zdt1 | hypersweep-random | 1 |" in partial and "zdt1 [1]" in partial


def test_a_run_found_twice_counts_once_and_the_table_says_whether_it_repeated():
    rows = [run_one("hypersweep-random", "zdt1", seed, 25) for seed in (0, 1)]
    twice = table([*rows, dict(rows[1])], "mo.jsonl")
    assert "1 runs done twice (by two processes) are counted once; 1 of them repeated" in twice
    assert "| hypersweep-random | 2 |" in twice
    changed = dict(rows[1], hv={"25": 0.5})
    assert "0 of them repeated" in table([*rows, changed])
