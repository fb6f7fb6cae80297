"""Issue 21, case 16: a sweep without a seed gets a fresh one, stored with it."""
import pytest

import hypersweep as hs
from hypersweep.exceptions import SweepExistsError

from .conftest import invoke, sweep_file

SPACE = {"x": hs.uniform(0, 1), "k": hs.values(list(range(100)))}


def test_two_sweeps_without_a_seed_try_different_trials(tmp_path):
    a = hs.Sweep(SPACE, algorithm="random", storage=tmp_path / "s.db", name="a")
    b = hs.Sweep(SPACE, algorithm="random", storage=tmp_path / "s.db", name="b")
    assert a.spec.seed != b.spec.seed
    assert a.ask().params != b.ask().params


def test_reopening_without_a_seed_continues_with_the_stored_one(tmp_path):
    first = hs.Sweep(SPACE, algorithm="random", storage=tmp_path / "s.db", name="a")
    seed = first.spec.seed
    first.ask()
    again = hs.Sweep(SPACE, algorithm="random", storage=tmp_path / "s.db", name="a")
    assert again.spec.seed == seed and again.algorithm.seed == seed
    loaded = hs.Sweep.load("a", storage=tmp_path / "s.db")
    assert loaded.algorithm.seed == seed
    assert hs.Sweep(SPACE, algorithm="random", storage=tmp_path / "s.db", name="a", seed=seed).spec.seed == seed
    with pytest.raises(SweepExistsError, match="seed"):
        hs.Sweep(SPACE, algorithm="random", storage=tmp_path / "s.db", name="a", seed=seed + 1)


def test_the_cli_stores_and_shows_the_fresh_seed(workdir):
    (workdir / "s.yaml").write_text(sweep_file().replace("  seed: 1\n", ""))
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0
    shown = invoke("show", "quad").stdout
    seed = int(shown.split("seed ")[1].split(",")[0])
    assert seed == hs.Sweep.load("quad", storage=workdir / "hypersweep.db").spec.seed
    (workdir / "other.yaml").write_text(sweep_file(name="other").replace("  seed: 1\n", ""))
    assert invoke("run", "other.yaml", "--no-progress").exit_code == 0
    assert hs.Sweep.load("other", storage=workdir / "hypersweep.db").spec.seed != seed
    (workdir / "s.yaml").write_text(sweep_file(settings="random_search: {n_experiments: 4}").replace("  seed: 1\n", ""))
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0  # continues with the stored seed
