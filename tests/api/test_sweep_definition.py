"""What a sweep stores about its definition, and what loading it gives back: the registered
algorithm name (never an alias or "the default"), and the pruner."""
import pytest

import hypersweep as hs
from hypersweep import algorithms
from hypersweep.api import copy_sweep
from hypersweep.records import SweepSpec
from hypersweep.schedulers import MedianPruner, PercentilePruner

SPACE = hs.Space({"x": hs.uniform(0, 1)})


def _other_than_default() -> str:
    return "random" if algorithms.DEFAULT_ALGORITHM != "random" else "tpe"


def _curve(x: float) -> list[float]:
    return [x * (3 - step) for step in range(3)]


def _finish_with_curves(sweep: hs.Sweep, xs: list[float]) -> None:
    for x in xs:
        trial = sweep.ask()
        for step, value in enumerate(_curve(x)):
            sweep.report(trial, step, value)
        sweep.tell(trial, _curve(x)[-1])


# -- the pruner ----------------------------------------------------------------------------------
def test_a_loaded_sweep_prunes_like_the_one_that_made_it(tmp_path):
    db = tmp_path / "s.db"
    made = hs.Sweep(SPACE, algorithm="random", metric="loss", storage=db, name="p",
                    pruner=MedianPruner(n_startup_trials=2, n_warmup_steps=1))
    _finish_with_curves(made, [0.1, 0.2, 0.3])
    made.storage.close()

    loaded = hs.Sweep.load("p", storage=db)  # a fresh object, as in another process
    assert isinstance(loaded.pruner, MedianPruner)
    assert loaded.pruner.spec() == made.pruner.spec() == loaded.spec.pruner
    trial = loaded.ask()
    assert loaded.report(trial, 0, 9.0) is False  # warm-up step
    assert loaded.report(trial, 1, 9.0) is True  # worse than the median of finished trials at step 1
    other = loaded.ask()
    assert loaded.report(other, 1, 0.01) is False


def test_a_sweep_without_a_pruner_loads_without_one(tmp_path):
    hs.Sweep(SPACE, algorithm="random", metric="loss", storage=tmp_path / "s.db", name="p")
    loaded = hs.Sweep.load("p", storage=tmp_path / "s.db")
    assert loaded.pruner is None and loaded.spec.pruner is None


def test_continuing_with_another_pruner_is_refused_like_other_definition_changes(tmp_path):
    db = tmp_path / "s.db"
    hs.Sweep(SPACE, algorithm="random", metric="loss", storage=db, name="p", pruner=MedianPruner(n_startup_trials=2))
    same = hs.Sweep(SPACE, algorithm="random", metric="loss", storage=db, name="p", pruner=MedianPruner(n_startup_trials=2))
    assert same.pruner.spec() == same.spec.pruner
    for other in (None, MedianPruner(n_startup_trials=3), PercentilePruner(25, n_startup_trials=2)):
        with pytest.raises(hs.SweepExistsError, match="different pruner; use another name, or Sweep.load"):
            hs.Sweep(SPACE, algorithm="random", metric="loss", storage=db, name="p", pruner=other)


def test_a_stored_pruner_with_default_options_left_out_matches(tmp_path):
    store = hs.open_storage(tmp_path / "s.db")
    store.create_sweep(SweepSpec("p", SPACE.to_matrix(), hs.Metric("loss"), algorithm="random",
                                    options={"n_experiments": 5}, pruner={"median": {"n_startup_trials": 2}}))
    # what a sweep file's `pruner: {median: {n_startup_trials: 2}}` from before Alembic becomes
    continued = hs.Sweep(SPACE, algorithm="random", metric="loss", storage=store, name="p",
                         options={"n_experiments": 5}, pruner=MedianPruner(n_startup_trials=2))
    assert continued.spec.pruner == {"median": {"n_startup_trials": 2}}


def test_a_copy_keeps_the_pruner(tmp_path):
    db = tmp_path / "s.db"
    source = hs.Sweep(SPACE, algorithm="random", metric="loss", storage=db, name="a", pruner=MedianPruner())
    _finish_with_curves(source, [0.1])
    copy = copy_sweep("a", "b", storage=db, algorithm="tpe")
    assert copy.pruner.spec() == source.pruner.spec() == copy.spec.pruner


# -- the algorithm name ---------------------------------------------------------------------------
def test_the_default_algorithm_is_stored_under_its_registered_name_and_kept(tmp_path, change_default_algorithm):
    db = tmp_path / "s.db"
    made = hs.Sweep(SPACE, metric="loss", storage=db, name="d")
    default = algorithms.algorithm_class(algorithms.DEFAULT_ALGORITHM).name
    assert made.spec.algorithm == default == made.algorithm.name
    assert hs.open_storage(db).get_sweep("d").algorithm == default

    other = _other_than_default()
    change_default_algorithm(other)  # a later release
    loaded = hs.Sweep.load("d", storage=db)
    assert loaded.algorithm.name == loaded.spec.algorithm == default
    later = hs.Sweep(SPACE, metric="loss", storage=db, name="e")  # the default is read when used
    assert later.spec.algorithm == other
    with pytest.raises(hs.SweepExistsError, match="different algorithm"):  # never switched silently
        hs.Sweep(SPACE, metric="loss", storage=db, name="d")


def test_an_alias_is_stored_under_the_registered_name(tmp_path):
    sweep = hs.Sweep(SPACE, algorithm="random_search", metric="loss", storage=tmp_path / "s.db", name="r")
    assert sweep.spec.algorithm == "random"
    assert [s.algorithm for s in hs.open_storage(tmp_path / "s.db").list_sweeps()] == ["random"]
    assert hs.Sweep.load("r", storage=tmp_path / "s.db").algorithm.name == "random"


def test_a_copy_stores_the_registered_name(tmp_path):
    db = tmp_path / "s.db"
    hs.Sweep(SPACE, algorithm="tpe", metric="loss", storage=db, name="a")
    assert copy_sweep("a", "b", storage=db, algorithm="random_search").spec.algorithm == "random"
    assert copy_sweep("a", "c", storage=db).spec.algorithm == "tpe"
    assert {s.name: s.algorithm for s in hs.open_storage(db).list_sweeps()} == {"a": "tpe", "b": "random", "c": "tpe"}
