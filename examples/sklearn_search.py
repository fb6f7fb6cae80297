"""SweepSearchCV: RandomizedSearchCV's interface, hypersweep's algorithms (pip install hypersweep[sklearn]).

Tunes a scaler + decision tree pipeline on a slice of the digits data with TPE; the sweep is kept
in sweeps.db, so running the script again continues it.
"""
import pandas as pd
from scipy.stats import randint, uniform
from sklearn.datasets import load_digits
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from hypersweep.sklearn import SweepSearchCV

X, y = load_digits(return_X_y=True)
X, y = X[:400], y[:400]
pipeline = Pipeline([("scale", StandardScaler()), ("tree", DecisionTreeClassifier(random_state=0))])
space = {
    "scale": [StandardScaler(), MinMaxScaler(), "passthrough"],  # any objects, as in scikit-learn
    "tree__max_depth": randint(2, 12),  # scipy.stats distributions ...
    "tree__min_samples_leaf": {"range": [1, 10, 1]},  # ... or hypersweep matrix entries
    "tree__max_features": uniform(0.3, 0.7),
}
search = SweepSearchCV(pipeline, space, n_trials=6, algorithm="tpe", cv=3, n_jobs=2, random_state=0,
                       scoring={"acc": "accuracy", "f1": "f1_macro"}, refit="acc",
                       storage="sweeps.db", name="digits-tree")
search.fit(X, y)
print(f"best accuracy {search.best_score_:.3f} with {search.best_params_}")
print(pd.DataFrame(search.cv_results_)[["params", "mean_test_acc", "mean_test_f1", "rank_test_acc"]].head())
