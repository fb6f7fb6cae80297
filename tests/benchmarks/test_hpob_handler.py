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
    y = np.array(h.meta_test_data["ss1"]["e"]["y"])[:, 0]
    init = h.bo_initializations["ss1"]["e"]["test0"]
    first = float(np.clip((y[init] + 10.0) / 10.0, 0, 1).max())
    # the point 0.3 is the surrogate's optimum (y_max = 0): HPO-B stops calling the method, records
    # the incumbent before that evaluation once more, then pads with 1.0
    assert out == [pytest.approx(first), pytest.approx(first), 1.0, 1.0]
    assert len(rec.calls) == 1
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
    with pytest.raises(ParamsError, match="seed must be a key of bo-initializations.json for ss1/d"):
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


# -- exactly HPO-B's protocol ------------------------------------------------------------------
class Scripted:
    """Answers fixed points (continuous) or fixed indices (discrete), and counts its calls."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = list(answers)
        self.calls = 0

    def observe_and_suggest(self, X: np.ndarray, y: np.ndarray, X_pen: Any = None) -> Any:
        self.calls += 1
        answer = self.answers[min(self.calls, len(self.answers)) - 1]
        return answer if X_pen is not None else np.asarray(answer, dtype=float).reshape(1, -1)


def _bowl(space: str, dataset: str) -> Any:
    return lambda X: -np.sum((np.asarray(X) - 0.3) ** 2, axis=1) * 5.0  # y_max 0 at x = 0.3


def test_continuous_stops_at_y_max_and_pads_with_one(root: Path) -> None:
    h = HPOBHandler(root_dir=root, surrogates_dir=root, surrogates=_bowl)
    far, near, top = [0.9, 0.9], [0.35, 0.3], [0.3, 0.3]
    method = Scripted([far, near, top, far])
    out = h.evaluate_continuous(method, "ss1", "e", "test0", n_trials=6)
    assert method.calls == 3  # not called again after the surrogate reached y_max
    incumbents = [out[0], out[1], out[2]]
    assert incumbents == sorted(incumbents) and out[2] == pytest.approx(1 - 0.05**2 * 5 / 10)
    assert out[3] == out[2]  # the incumbent before the evaluation that reached y_max
    assert out[4:] == [1.0, 1.0, 1.0] and len(out) == 7
    never = Scripted([far])
    plain = h.evaluate_continuous(never, "ss1", "e", "test0", n_trials=4)
    assert never.calls == 4 and len(plain) == 5 and plain[4] == plain[3] and 1.0 not in plain


def test_discrete_stops_once_the_optimum_is_found(root: Path) -> None:
    h = HPOBHandler(root_dir=root)
    y = np.array(h.meta_test_data["ss1"]["d"]["y"])[:, 0]
    init = h.bo_initializations["ss1"]["d"]["test0"]
    pending = [i for i in range(len(y)) if i not in init]
    assert pending[0] != int(np.argmax(y))
    best = pending[1:].index(int(np.argmax(y)))  # its index once the first pick left the pending rows
    method = Scripted([0, best, 0])
    out = h.evaluate(method, "ss1", "d", "test0", n_trials=6)
    assert method.calls == 2  # the second pick is the task's best row: HPO-B stops calling
    assert out[2:] == [1.0] * 5 and len(out) == 7 and out[1] < 1.0


def test_discrete_with_the_optimum_in_the_initial_design_calls_once(root: Path) -> None:
    data = json.loads((root / "bo-initializations.json").read_text())
    y = np.array(json.loads((root / "meta-test-dataset.json").read_text())["ss1"]["d"]["y"])[:, 0]
    data["ss1"]["d"]["test0"] = [int(np.argmax(y)), 0, 1, 2, 3]
    (root / "bo-initializations.json").write_text(json.dumps(data))
    method = Scripted([0])
    out = HPOBHandler(root_dir=root).evaluate(method, "ss1", "d", "test0", n_trials=4)
    assert method.calls == 1 and out == [1.0] * 5  # HPO-B checks only after the first call


def test_any_seed_key_and_all_its_ids_are_used(root: Path) -> None:
    data = json.loads((root / "bo-initializations.json").read_text())
    data["ss1"]["d"]["test7"] = [0, 1, 2, 3, 4, 5, 6]
    (root / "bo-initializations.json").write_text(json.dumps(data))
    h = HPOBHandler(root_dir=root, surrogates_dir=root, surrogates=_bowl)
    rec = Recorder()
    h.evaluate(rec, "ss1", "d", "test7", n_trials=2)
    assert [len(c[0]) for c in rec.calls] == [7, 8]
    rec = Recorder()
    h.evaluate_continuous(rec, "ss1", "d", "test7", n_trials=1)
    assert len(rec.calls[0][0]) == 7


def test_result_files_match_hpob_published_format(tmp_path: Path) -> None:
    from hypersweep.hpob import load_results, save_results

    fixture = Path(__file__).parent.parent / "data" / "hpob" / "published-results-format.json"
    published = load_results(fixture)
    for space, datasets in published.items():
        for dataset, runs in datasets.items():
            assert set(runs) == {f"test{i}" for i in range(5)}
            assert all(len(v) == len(runs["test0"]) for v in runs.values())
    ours = {space: {dataset: {seed: [np.float64(v) for v in r] for seed, r in runs.items()}
                    for dataset, runs in datasets.items()} for space, datasets in published.items()}
    path = save_results(ours, tmp_path / "method.json")
    assert json.loads(path.read_text()) == json.loads(fixture.read_text())  # same nesting, keys, values
    # read the way HPO-B's BenchmarkPlotter does: results[space][task][seed] -> 1 - incumbent
    regret = [1 - x for x in load_results(path)["5971"]["10093"]["test0"]]
    assert regret == pytest.approx([1 - x for x in published["5971"]["10093"]["test0"]])
    (tmp_path / "bad.json").write_text(json.dumps({"5971": [0.5]}))
    with pytest.raises(ParamsError, match="not an HPO-B result file"):
        load_results(tmp_path / "bad.json")
