"""The main job of `make demo`: tune scikit-learn's MLPClassifier on the digits data set.

Stored in the SQLite file ``hypersweep.db``; running it again continues the same sweep.
"""
from __future__ import annotations

import os
import sys
import warnings

# Two trials share two cores: one BLAS thread each avoids oversubscription (set before numpy loads).
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import hypersweep as hs  # noqa: E402

SPACE = hs.Space(
    {
        "learning_rate_init": hs.loguniform(1e-3, 1e-1),
        "hidden_layer_sizes": hs.values([[32], [64], [128], [256], [32, 32], [64, 64], [128, 128], [256, 256]]),
        "alpha": hs.loguniform(1e-4, 1e-2),
        "activation": hs.values(["identity", "logistic", "tanh", "relu"]),
    }
)


def cv_accuracy(params: dict) -> float:
    """Mean 3-fold cross-validated accuracy of an MLP with these hyperparameters."""
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import cross_val_score
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    features, labels = load_digits(return_X_y=True)
    model = make_pipeline(
        StandardScaler(),
        MLPClassifier(
            hidden_layer_sizes=tuple(params["hidden_layer_sizes"]),
            learning_rate_init=params["learning_rate_init"],
            alpha=params["alpha"],
            activation=params["activation"],
            max_iter=60,
            random_state=0,
        ),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return float(cross_val_score(model, features, labels, cv=3, n_jobs=1).mean())


def main(n_trials: int = 30) -> None:
    sweep = hs.Sweep(
        SPACE,  # no algorithm named: the default, GP-based Bayesian optimization ("bo")
        metric=hs.Metric("accuracy", "maximize"),
        storage="hypersweep.db",
        name="mlp-digits",
        seed=0,
    )
    before = len(sweep.trials)
    print(f"sweep {sweep.name!r} in hypersweep.db: {before} trials stored, running {n_trials} more, 2 at a time")
    summary = sweep.run(cv_accuracy, n_trials=n_trials, concurrency=2)
    best = sweep.best
    print(f"finished {sum(summary.finished.values())} trials in {summary.elapsed:.1f}s ({summary.stop_reason})")
    if best is not None:
        print(f"best trial {best.id}: accuracy={best.value:.4f}")
        for key, value in best.params.items():
            print(f"  {key} = {value}")
    path = sweep.plot("demo_history.png", title="MLP on digits: 3-fold CV accuracy")
    print(f"optimization history written to {path}")
    print("look around: .venv/bin/hypersweep ls; .venv/bin/hypersweep show mlp-digits")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
