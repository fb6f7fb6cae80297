"""Issue 21, cases 6 and 7: any grid size works, huge discrete dimensions are never enumerated.

Timings are in ``python -m benchmarks.input_limits``; here only the mechanisms.
"""
import tracemalloc

import pytest

import hypersweep as hs

from .conftest import invoke

BIG_GRID = {f"p{i}": {"values": list(range(100))} for i in range(30)}  # 100**30 > 2**63 points


def test_a_grid_above_2_63_points_asks_in_order():
    sweep = hs.Sweep(BIG_GRID, algorithm="grid", seed=0)
    firsts = [sweep.ask().params for _ in range(3)]
    assert [p["p29"] for p in firsts] == [0, 1, 2] and all(p["p0"] == 0 for p in firsts)
    assert sweep.algorithm.budget == 100**30


def test_a_grid_above_2_63_points_runs_from_a_sweep_file(workdir):
    lines = "\n".join(f"  p{i}: {{values: [{', '.join(map(str, range(100)))}]}}" for i in range(30))
    (workdir / "objectives_grid.py").write_text("def f(params):\n    return params['p0']\n")
    (workdir / "g.yaml").write_text(
        "name: big\nmetric: {name: loss, optimization: minimize}\nsettings:\n  grid_search: {}\n"
        f"matrix:\n{lines}\nrun:\n  function: objectives_grid:f\n"
    )
    result = invoke("run", "g.yaml", "--n-trials", "2", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "2 completed" in result.stdout


def peak_bytes(algorithm: str, levels: int) -> int:
    """Peak traced memory of 12 ask + tell rounds (past the initial design) on one huge dimension."""
    sweep = hs.Sweep({"seed": {"range": [0, levels, 1]}, "x": {"uniform": [0, 1]}}, algorithm=algorithm, seed=0)
    tracemalloc.start()
    try:
        for _ in range(12):
            trial = sweep.ask()
            assert 0 <= trial.params["seed"] < levels
            sweep.tell(trial, trial.params["x"])
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("algorithm", ["bo", "tpe"])
def test_memory_does_not_grow_with_the_number_of_levels(algorithm):
    small, huge = peak_bytes(algorithm, 10**7), peak_bytes(algorithm, 10**10)
    assert huge < 20e6  # 10**10 levels listed would take 80 GB
    assert huge < 2 * small + 1e6
