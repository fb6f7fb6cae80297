"""SweepHalvingSearchCV: HalvingRandomSearchCV's cv_results_, budgets from hyperband/asha, best at the top rung."""
import numpy as np
import pytest
from scipy.stats import randint
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingRandomSearchCV
from sklearn.tree import DecisionTreeClassifier

from hypersweep.sklearn import SweepHalvingSearchCV
from hypersweep.sklearn.subsample import SubsampleCV
from sklearn.model_selection import KFold

X, Y = load_iris(return_X_y=True)
SPACE = {"max_depth": randint(1, 8), "min_samples_leaf": randint(1, 6)}


def test_sample_budgets_follow_hyperband_and_cv_results_match_halving_random_search():
    ours = SweepHalvingSearchCV(DecisionTreeClassifier(random_state=0), SPACE, cv=3, eta=2, random_state=0).fit(X, Y)
    theirs = HalvingRandomSearchCV(DecisionTreeClassifier(random_state=0), SPACE, cv=3, factor=2, random_state=0).fit(X, Y)
    assert sorted(ours.cv_results_) == sorted(theirs.cv_results_)
    assert ours.min_resources_ == 18 and ours.max_resources_ == 150  # 2 rows x 3 folds x 3 classes, as scikit-learn
    resources = np.asarray(ours.cv_results_["n_resources"])
    assert 18 <= resources.min() < 20 and resources.max() == 150  # R = 150/18, eta 2: budgets R/8 .. R
    assert ours.cv_results_["n_resources"][ours.best_index_] == 150
    assert len(ours.trials_) == len(resources) == 35  # one Hyperband iteration: brackets of 8, 6, 4 and 4 (+ promotions)


def test_an_estimator_parameter_as_budget_with_asha():
    fitted = SweepHalvingSearchCV(RandomForestClassifier(random_state=0, n_jobs=1), SPACE, resource="n_estimators",
                                  max_resources=9, algorithm="asha", n_trials=8, cv=2, random_state=0).fit(X, Y)
    results = fitted.cv_results_
    assert list(results["param_n_estimators"]) == list(results["n_resources"])
    assert set(results["iter"]) >= {0, 1} and fitted.best_params_["n_estimators"] == max(results["n_resources"])


def test_subsample_cv_keeps_test_folds_and_cuts_training_folds():
    base = list(KFold(3).split(X))
    cut = list(SubsampleCV(KFold(3), 0.5, seed=0).split(X))
    assert [len(train) for train, _ in cut] == [50, 50, 50]
    assert all(set(c[0]) <= set(b[0]) and (c[1] == b[1]).all() for c, b in zip(cut, base))


def test_bad_settings_name_the_field():
    with pytest.raises(ValueError, match="resource: 'depth' is not a parameter of DecisionTreeClassifier"):
        SweepHalvingSearchCV(DecisionTreeClassifier(), SPACE, resource="depth", max_resources=4).fit(X, Y)
    with pytest.raises(ValueError, match="max_resources: give an int for resource='max_depth'"):
        SweepHalvingSearchCV(DecisionTreeClassifier(), {"min_samples_leaf": [1, 2]}, resource="max_depth").fit(X, Y)
