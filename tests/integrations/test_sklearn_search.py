"""SweepSearchCV against scikit-learn itself: cv_results_, refit, multi-metric, clone, pickle, Pipeline."""
import os
import pickle

import numpy as np
import pandas as pd
import pytest
from scipy.stats import expon, loguniform, randint, uniform
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import KFold, RandomizedSearchCV, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

import hypersweep as hs
from hypersweep.sklearn import SweepSearchCV
from hypersweep.sklearn.space import search_space

X, Y = load_iris(return_X_y=True)
SPACE = {"max_depth": randint(1, 6), "min_samples_split": uniform(0.01, 0.3), "criterion": ["gini", "entropy"]}


def search(**kwargs):
    settings = dict(n_trials=4, algorithm="random", cv=3, random_state=0)
    return SweepSearchCV(DecisionTreeClassifier(random_state=0), kwargs.pop("space", SPACE), **{**settings, **kwargs})


def randomized(**kwargs):
    return RandomizedSearchCV(DecisionTreeClassifier(random_state=0), SPACE, n_iter=3, cv=3, random_state=0, **kwargs)


@pytest.mark.parametrize("return_train_score", [False, True])
def test_cv_results_have_exactly_randomized_search_keys(return_train_score):
    ours = search(return_train_score=return_train_score).fit(X, Y)
    theirs = randomized(return_train_score=return_train_score).fit(X, Y)
    assert sorted(ours.cv_results_) == sorted(theirs.cv_results_)
    frame = pd.DataFrame(ours.cv_results_)
    assert len(frame) == 4 and frame["rank_test_score"].min() == 1
    assert [t.value for t in ours.trials_] == pytest.approx(list(ours.cv_results_["mean_test_score"]))
    assert ours.best_params_ == ours.cv_results_["params"][ours.best_index_]
    assert ours.best_estimator_.get_params()["max_depth"] == ours.best_params_["max_depth"]


def test_multi_metric_optimizes_refit_metric_and_records_others():
    scoring = {"acc": "accuracy", "f1": "f1_macro"}
    ours = search(scoring=scoring, refit="f1").fit(X, Y)
    theirs = randomized(scoring=scoring, refit="f1").fit(X, Y)
    assert sorted(ours.cv_results_) == sorted(theirs.cv_results_)
    trial = ours.trials_[0]
    assert trial.value == pytest.approx(ours.cv_results_["mean_test_f1"][0])
    assert trial.metrics["acc"] == pytest.approx(ours.cv_results_["mean_test_acc"][0])
    assert ours.best_score_ == max(ours.cv_results_["mean_test_f1"])


def test_callable_refit_picks_the_index():
    def fastest(results):
        return int(np.argmin(results["mean_fit_time"]))

    fitted = search(refit=fastest).fit(X, Y)
    assert fitted.best_index_ == fastest(fitted.cv_results_)
    assert not hasattr(fitted, "best_score_")


def test_clone_params_and_pickle():
    estimator = search(n_trials=3)
    copy = clone(estimator)
    assert copy.get_params(deep=False).keys() == estimator.get_params(deep=False).keys()
    assert copy.set_params(n_trials=2, estimator__max_depth=2).get_params()["estimator__max_depth"] == 2
    fitted = copy.fit(X, Y)
    loaded = pickle.loads(pickle.dumps(fitted))
    assert (loaded.predict(X) == fitted.predict(X)).all() and loaded.trials_ == fitted.trials_


def test_pipeline_with_object_choices_and_nested_cross_validate():
    pipe = Pipeline([("scale", StandardScaler()), ("tree", DecisionTreeClassifier(random_state=0))])
    space = {"scale": [StandardScaler(), MinMaxScaler(), "passthrough"], "tree__max_depth": [1, 2, 3]}
    fitted = SweepSearchCV(pipe, space, n_trials=4, algorithm="random", cv=3, random_state=0).fit(X, Y)
    assert isinstance(fitted.best_params_["scale"], (StandardScaler, MinMaxScaler, str))
    assert fitted.trials_[0].params["scale"].split(":")[0] in {"0", "1", "2"}  # stored as a label
    scores = cross_validate(search(n_trials=2), X, Y, cv=2)
    assert len(scores["test_score"]) == 2


def test_space_forms_give_the_same_space():
    as_scipy = search_space({"lr": loguniform(1e-3, 1), "n": randint(1, 4), "kind": ["a", "b"]}).space
    as_matrix = search_space({"lr": {"loguniform": [1e-3, 1]}, "n": {"range": [1, 4, 1]}, "kind": {"values": ["a", "b"]}}).space
    as_space = search_space(hs.Space({"lr": hs.loguniform(1e-3, 1), "n": hs.range(1, 4, 1), "kind": hs.values(["a", "b"])})).space
    assert as_scipy.to_matrix() == as_matrix.to_matrix() == as_space.to_matrix()
    with pytest.raises(hs.SpecError, match=r"space\.x: scipy.stats.expon has no hypersweep equivalent"):
        search_space({"x": expon()})


def test_same_random_state_same_candidates_and_storage_continues(tmp_path):
    first = search(algorithm="tpe", random_state=3).fit(X, Y).cv_results_["params"]
    assert search(algorithm="tpe", random_state=3).fit(X, Y).cv_results_["params"] == first
    db = str(tmp_path / "sweeps.db")
    kept = search(storage=db, name="tree").fit(X, Y)
    search(storage=db, name="tree").fit(X, Y)
    assert kept.sweep_name_ == "tree"
    assert len(hs.Sweep.load("tree", storage=db).trials) == 8


class _Fragile(ClassifierMixin, BaseEstimator):
    def __init__(self, depth=1):
        self.depth = depth

    def fit(self, X, y):
        if self.depth == 3 or (self.depth == 4 and 2 in y):
            raise ValueError("too deep")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_error_score_nan_fails_the_trial_and_raise_raises():
    space = {"depth": [1, 3]}
    with pytest.warns(FitFailedWarning, match="1 candidate\\(s\\) failed every fit"):
        fitted = SweepSearchCV(_Fragile(), space, n_trials=2, algorithm="grid", cv=2).fit(X, Y)
    states = {t.params["depth"]: t.state for t in fitted.trials_}
    assert states == {1: hs.TrialState.COMPLETED, 3: hs.TrialState.FAILED}
    assert "too deep" in next(t.error for t in fitted.trials_ if t.params["depth"] == 3)
    assert list(fitted.cv_results_["param_depth"]) == [1]
    with pytest.warns(FitFailedWarning, match="fits failed out of a total of 2"):  # one fold of two: scikit-learn's nan row
        partial = SweepSearchCV(_Fragile(), {"depth": [1, 4]}, n_trials=2, algorithm="grid", cv=KFold(2)).fit(X, Y)
    assert np.isnan(partial.cv_results_["mean_test_score"]).sum() == 1
    assert sum("mean_test_score is nan" in (t.error or "") for t in partial.trials_) == 1
    with pytest.raises(ValueError, match="all 1 candidates failed; the first: every fit failed"):
        SweepSearchCV(_Fragile(), {"depth": [3]}, n_trials=1, algorithm="grid", cv=2).fit(X, Y)
    with pytest.raises(ValueError, match="too deep"):
        SweepSearchCV(_Fragile(), space, n_trials=2, algorithm="grid", cv=2, error_score="raise").fit(X, Y)


def _pid(estimator, X, y):
    return float(os.getpid())


def test_n_jobs_fits_in_other_processes():
    fitted = search(n_trials=2, n_jobs=2, scoring=_pid).fit(X, Y)
    assert os.getpid() not in set(fitted.cv_results_["split0_test_score"])


def test_bad_arguments_name_the_field():
    with pytest.raises(InvalidParameterError, match="'n_trials' parameter"):
        search(n_trials=0).fit(X, Y)
    with pytest.raises(ValueError, match="algorithm: 'hyperband' gives each trial a budget; use SweepHalvingSearchCV"):
        search(algorithm="hyperband", options={"max_iter": 9}).fit(X, Y)
