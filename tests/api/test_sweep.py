"""The ask/tell core on real stores."""
import sys

import pytest

import hypersweep as hs
from hypersweep.api import copy_sweep
from hypersweep.records import SweepSpec

SPACE = hs.Space({"lr": hs.loguniform(1e-4, 1e-1), "units": hs.values([32, 64, 128])})


def test_ask_tell_best_and_states():
    sweep = hs.Sweep(SPACE, metric=hs.Metric("acc", "maximize"), seed=3)
    values = [0.5, 0.9, 0.7]
    for value in values:
        trial = sweep.ask()
        assert trial.state is hs.TrialState.RUNNING
        SPACE.validate(trial.params)
        assert sweep.tell(trial, value).state is hs.TrialState.COMPLETED
    failed = sweep.tell(sweep.ask(), hs.Failed("oom"))
    assert failed.state is hs.TrialState.FAILED and failed.error == "oom"
    assert sweep.best.value == 0.9 and sweep.best.id == 1
    assert [t.id for t in sweep.trials] == [0, 1, 2, 3]


def test_tell_twice_is_refused_and_keeps_the_first_value():
    sweep = hs.Sweep(SPACE, metric="loss")
    trial = sweep.ask()
    sweep.tell(trial, 1.0)
    with pytest.raises(hs.TrialStateError):
        sweep.tell(trial, 0.0)
    assert sweep.trials[0].value == 1.0


def test_report_stores_intermediate_values():
    sweep = hs.Sweep(SPACE, metric="loss")
    trial = sweep.ask()
    assert sweep.report(trial, 1, 0.5) is False
    sweep.report(trial, 2, 0.4)
    sweep.tell(trial, {"loss": 0.3, "acc": 0.8})
    stored = sweep.trials[0]
    assert [(r.step, r.value) for r in stored.reports] == [(1, 0.5), (2, 0.4)]
    assert stored.metrics == {"loss": 0.3, "acc": 0.8}


def test_same_seed_same_suggestions_other_seed_different():
    def params(seed):
        sweep = hs.Sweep(SPACE, metric="loss", seed=seed)
        out = []
        for _ in range(5):
            trial = sweep.ask()
            out.append(trial.params)
            sweep.tell(trial, 1.0)
        return out

    assert params(0) == params(0)
    assert params(0) != params(1)


def test_sweep_by_name_continues_on_sqlite(tmp_path):
    db = tmp_path / "s.db"
    first = hs.Sweep(SPACE, metric="loss", storage=db, name="exp", seed=5)
    for value in (3.0, 2.0):
        first.tell(first.ask(), value)
    first.storage.close()

    again = hs.Sweep(SPACE, metric="loss", storage=db, name="exp", seed=5)
    assert [t.value for t in again.trials] == [3.0, 2.0]
    assert again.ask().id == 2
    loaded = hs.Sweep.load("exp", storage=db)
    assert loaded.space == SPACE and loaded.metric == again.metric and len(loaded.trials) == 3


def test_resumed_random_sweep_does_not_repeat_its_first_suggestions(tmp_path):
    db = tmp_path / "s.db"
    first = hs.Sweep(SPACE, metric="loss", storage=db, name="exp")
    seen = []
    for _ in range(3):
        trial = first.ask()
        seen.append(trial.params)
        first.tell(trial, 1.0)
    resumed = hs.Sweep.load("exp", storage=db)
    assert resumed.ask().params not in seen


def test_same_name_with_another_definition_is_refused(tmp_path):
    db = tmp_path / "s.db"
    hs.Sweep(SPACE, metric="loss", storage=db, name="exp")
    with pytest.raises(hs.SweepExistsError, match="space"):
        hs.Sweep(hs.Space({"lr": hs.uniform(0, 1)}), metric="loss", storage=db, name="exp")
    with pytest.raises(hs.SweepExistsError, match="metric"):
        hs.Sweep(SPACE, metric=hs.Metric("loss", "maximize"), storage=db, name="exp")


# options as versions before the one option checker stored them: smac's and generative's full
# settings(), bo's settings() (n_initial_trials always), raw user options in other spellings
OLD_SMAC_DEFAULTS = {
    "n_initial_trials": 10, "initial_design": "sobol", "n_trees": 10, "max_features": 1.0, "min_samples_split": 2,
    "min_samples_leaf": 1, "max_depth": 12, "bootstrap": True, "log_y": False, "acquisition_function": "ei",
    "xi": 0.0, "random_fraction": 0.0, "n_random_candidates": 500, "n_local_starts": 10, "max_local_steps": 8,
    "n_neighbours": 2, "refit_interval": None, "liar": "best",
}
OLD_GENERATIVE_DEFAULTS = {"checkpoint": None, "n_candidates": 512, "n_initial": 5, "finetune_steps": 0,
                           "gp_after": 10, "prior_weight": 0.3}


@pytest.mark.parametrize(
    "algorithm, stored, parsed",
    [
        ("smac", OLD_SMAC_DEFAULTS, {"liar": "best"}),
        ("smac", {"liar": "BEST", "acquisition_function": "EI"}, {"liar": "best", "acquisition_function": "ei"}),
        ("bo", {"n_initial_trials": 10}, {"n_initial_trials": 10}),
        ("bo", {"n_initial_trials": 3, "target_transform": "Standardize",
                "utility_function": {"acquisition_function": " EI", "gaussian_process": {"kernel": "Matern"}}},
         {"target_transform": "standardize"}),
        ("tpe", {"gamma": "SQRT"}, {"gamma": "sqrt"}),
        ("generative", OLD_GENERATIVE_DEFAULTS, {"n_candidates": 512}),
    ],
)
def test_sweeps_stored_by_earlier_versions_keep_loading(tmp_path, algorithm, stored, parsed):
    db = tmp_path / "s.db"
    spec = SweepSpec(name="old", space=SPACE.to_matrix(), metric=hs.Metric("loss"), algorithm=algorithm, options=stored)
    hs.open_storage(db).create_sweep(spec)
    loaded = hs.Sweep.load("old", storage=db)
    assert parsed.items() <= loaded.algorithm.options.items()
    loaded.tell(loaded.ask(), 1.0)
    reopened = hs.Sweep(SPACE, algorithm=algorithm, metric="loss", storage=db, name="old")  # default options
    assert reopened.spec.options == stored and len(reopened.trials) == 1
    copy = copy_sweep("old", "new", storage=db)
    assert copy.algorithm.options == loaded.algorithm.options


def test_load_unknown_sweep():
    with pytest.raises(hs.SweepNotFoundError):
        hs.Sweep.load("nope", storage=hs.open_storage(None))


def test_algorithm_options_and_unknown_algorithm():
    sweep = hs.Sweep(SPACE, algorithm="random", options={"n_experiments": 2}, metric="loss")
    for _ in range(2):
        sweep.tell(sweep.ask(), 1.0)
    assert sweep.ask() is None
    with pytest.raises(hs.HypersweepError, match="unknown name 'nope'"):
        hs.Sweep(SPACE, algorithm="nope")


def test_dataframe(tmp_path):
    sweep = hs.Sweep(SPACE, metric="loss")
    sweep.tell(sweep.ask(), 1.5)
    sweep.tell(sweep.ask(), hs.Failed("x"))
    frame = sweep.to_dataframe()
    assert list(frame["id"]) == [0, 1]
    assert list(frame["state"]) == ["completed", "failed"]
    assert {"params.lr", "params.units", "value", "error"} <= set(frame.columns)


def test_dataframe_without_pandas_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(hs.HypersweepError, match=r"pip install 'hypersweep\[pandas\]'"):
        hs.Sweep(SPACE, metric="loss").to_dataframe()
