"""The ask/tell core on real stores."""
import pytest

import hypersweep as hs

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
