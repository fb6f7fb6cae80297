"""HPOBHandler on small HPO-B-format files written by the tests."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from hypersweep.hpob import HPOBHandler, HPOBMethod
from hypersweep.hpob import (
    average_rank,
    mean_regret,
    plot_curves,
    regret_matrix,
)
from hypersweep.exceptions import ParamsError


def task(seed: int, n: int = 30, d: int = 2) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = -np.sum((X - 0.3) ** 2, axis=1, keepdims=True) * (seed + 1)
    return {"X": X.round(6).tolist(), "y": y.tolist()}


def write_hpob(root: Path, n: int = 30) -> None:
    splits = {"train": {"ss1": {"a": task(1, n), "b": task(2, n)}},
              "validation": {"ss1": {"c": task(3, n)}},
              "test": {"ss1": {"d": task(4, n), "e": task(5, n)}}}
    names = {"train": "meta-train-dataset.json", "validation": "meta-validation-dataset.json",
             "test": "meta-test-dataset.json"}
    for split, data in splits.items():
        (root / names[split]).write_text(json.dumps(data))
    (root / "meta-train-dataset-augmented.json").write_text(json.dumps(splits["train"]))
    rng = np.random.default_rng(0)
    inits = {"ss1": {ds: {f"test{i}": rng.choice(n, 5, replace=False).tolist() for i in range(5)}
                     for ds in "abcde"}}
    (root / "bo-initializations.json").write_text(json.dumps(inits))
    stats = {f"surrogate-ss1-{ds}": {"y_min": -2.0 * (k + 1), "y_max": 0.0} for k, ds in enumerate("abcde")}
    (root / "summary-stats.json").write_text(json.dumps(stats))


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    write_hpob(tmp_path)
    return tmp_path


def test_modes_and_accessors(root: Path) -> None:
    h = HPOBHandler(root_dir=root, mode="v3-test", surrogates_dir=root)
    assert h.get_search_spaces() == ["ss1"]
    assert h.get_datasets("ss1") == ["d", "e"]
    assert h.get_seeds() == ["test0", "test1", "test2", "test3", "test4"]
    assert h.get_search_space_dim("ss1") == 2
    assert h.meta_train_data is None
    full = HPOBHandler(root_dir=root, mode="v3", surrogates_dir=root)
    assert list(full.meta_train_data["ss1"]) == ["a", "b"]  # type: ignore[index]
    merged = HPOBHandler(root_dir=root, mode="v2", surrogates_dir=root)
    assert sorted(merged.get_datasets("ss1")) == ["a", "b", "c", "d", "e"]
    assert merged.meta_train_data is None
    with pytest.raises(ParamsError, match="mode"):
        HPOBHandler(root_dir=root, mode="v4")


def test_discrete_protocol_matches_hpob(root: Path) -> None:
    h = HPOBHandler(root_dir=root, mode="v3-test")
    out = h.evaluate(HPOBMethod("random", seed=0), "ss1", "d", "test0", n_trials=10)
    assert len(out) == 11
    assert all(isinstance(v, float) for v in out)
    assert out == sorted(out) and 0.0 <= out[0] and out[-1] <= 1.0
    y = np.array(h.meta_test_data["ss1"]["d"]["y"])[:, 0]
    y = (y - y.min()) / (y.max() - y.min())
    init = h.bo_initializations["ss1"]["d"]["test0"]
    assert out[0] == pytest.approx(y[init].max())
    # exhaustive run: the method sees only pending rows and eventually finds the maximum
    full = h.evaluate(HPOBMethod("random", seed=1), "ss1", "d", "test1", n_trials=25)
    assert full[-1] == pytest.approx(1.0)


class Recorder:
    """A method that records its inputs and answers fixed choices."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, np.ndarray, Any]] = []

    def observe_and_suggest(self, X: np.ndarray, y: np.ndarray, X_pen: Any = None) -> Any:
        self.calls.append((X, y, X_pen))
        return 0 if X_pen is not None else np.full((1, X.shape[1]), 0.3)


def test_discrete_pending_rows_shrink(root: Path) -> None:
    rec = Recorder()
    HPOBHandler(root_dir=root).evaluate(rec, "ss1", "e", "test2", n_trials=4)
    assert [len(c[2]) for c in rec.calls] == [25, 24, 23, 22]
    assert [len(c[0]) for c in rec.calls] == [5, 6, 7, 8]


def test_continuous_protocol_with_a_surrogate(root: Path) -> None:
    def factory(space: str, dataset: str) -> Any:
        return lambda X: -np.sum((X - 0.3) ** 2, axis=1) * 5.0  # dataset e: scale 5

    h = HPOBHandler(root_dir=root, surrogates_dir=root, surrogates=factory)
    rec = Recorder()
    out = h.evaluate_continuous(rec, "ss1", "e", "test0", n_trials=3)
    assert len(out) == 4
    y = np.array(h.meta_test_data["ss1"]["e"]["y"])[:, 0]
    init = h.bo_initializations["ss1"]["e"]["test0"]
    assert out[0] == pytest.approx(np.clip((y[init] + 10.0) / 10.0, 0, 1).max())
    assert out[1] == pytest.approx(1.0)  # the point 0.3 is the optimum: -0 -> (0 + 10) / 10
    assert out[3] == out[2]  # HPO-B repeats the incumbent before the last evaluation
    assert np.all((rec.calls[-1][1] >= 0) & (rec.calls[-1][1] <= 1))
    with pytest.raises(ParamsError, match="summary-stats"):
        HPOBHandler(root_dir=root, surrogates_dir=root / "nope", surrogates=factory).evaluate_continuous(
            rec, "ss1", "e", "test0", n_trials=1
        )


def test_continuous_protocol_with_xgboost_files(root: Path) -> None:
    xgb = pytest.importorskip("xgboost")
    data = task(5)
    booster = xgb.train({"max_depth": 2}, xgb.DMatrix(np.array(data["X"]), label=np.array(data["y"])[:, 0]), 5)
    booster.save_model(str(root / "surrogate-ss1-e.json"))
    h = HPOBHandler(root_dir=root, surrogates_dir=root)
    out = h.evaluate_continuous(HPOBMethod("random", seed=0), "ss1", "e", "test1", n_trials=5)
    assert len(out) == 6 and all(0.0 <= v <= 1.0 for v in out)


def test_bad_arguments_name_what_is_wrong(root: Path) -> None:
    h = HPOBHandler(root_dir=root)
    with pytest.raises(ParamsError, match="observe_and_suggest"):
        h.evaluate(None, "ss1", "d", "test0")
    with pytest.raises(ParamsError, match="search space"):
        h.evaluate(Recorder(), "zz", "d", "test0")
    with pytest.raises(ParamsError, match="dataset"):
        h.evaluate(Recorder(), "ss1", "zz", "test0")
    with pytest.raises(ParamsError, match="seed"):
        h.evaluate(Recorder(), "ss1", "d", "train0")
    with pytest.raises(FileNotFoundError):
        HPOBHandler(root_dir=root / "missing")


def test_regret_ranks_and_plot(tmp_path: Path) -> None:
    a = {"s": {"d": {"test0": [0.5, 0.9, 1.0], "test1": [0.2, 0.2, 0.2]}}}
    b = {"s": {"d": {"test0": [0.5, 0.8, 0.8], "test1": [0.2, 0.4, 0.4]}}}
    np.testing.assert_allclose(regret_matrix(a), [[0.5, 0.1, 0.0], [0.8, 0.8, 0.8]])
    np.testing.assert_allclose(mean_regret({"a": a})["a"], [0.65, 0.45, 0.4])
    ranks = average_rank({"a": a, "b": b})
    np.testing.assert_allclose(ranks["a"], [1.5, 1.5, 1.5])
    np.testing.assert_allclose(ranks["a"] + ranks["b"], [3.0, 3.0, 3.0])
    path = plot_curves({"a": a, "b": b}, tmp_path / "curves.png", title="t")
    assert path.stat().st_size > 0
