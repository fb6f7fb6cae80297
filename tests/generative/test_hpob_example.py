"""examples/hpob: the generative optimizer as an HPO-B method module, run by a script over seeds and
datasets with ``HPOBHandler.evaluate_continuous`` on HPO-B's layout (data and XGBoost surrogates
in separate folders), saving HPO-B's nested result dictionary."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _hpob_layout(folder: Path, xgb: object) -> tuple[Path, Path]:
    """``hpob-data/`` and ``saved-surrogates/`` with two 2-d tasks of space ``s``."""
    data, surrogates = folder / "hpob-data", folder / "saved-surrogates"
    data.mkdir()
    surrogates.mkdir()
    rng = np.random.default_rng(0)
    tasks, inits, stats = {}, {}, {}
    for name in ("a", "b"):
        X = rng.random((40, 2))
        y = -np.sum((X - rng.uniform(0.2, 0.8, 2)) ** 2, axis=1)
        tasks[name] = {"X": X.tolist(), "y": y[:, None].tolist()}
        inits[name] = {f"test{i}": rng.choice(40, 5, replace=False).tolist() for i in range(5)}
        booster = xgb.train({"max_depth": 3}, xgb.DMatrix(X, label=y), 20)  # type: ignore[attr-defined]
        booster.save_model(str(surrogates / f"surrogate-s-{name}.json"))
        stats[f"surrogate-s-{name}"] = {"y_min": float(y.min()), "y_max": float(y.max())}
    (data / "meta-test-dataset.json").write_text(json.dumps({"s": tasks}))
    (data / "bo-initializations.json").write_text(json.dumps({"s": inits}))
    (surrogates / "summary-stats.json").write_text(json.dumps(stats))
    return data, surrogates


@pytest.mark.slow
def test_the_example_runs_the_generative_method_and_saves_hpob_results(tmp_path: Path) -> None:
    xgb = pytest.importorskip("xgboost")
    pytest.importorskip("torch")
    from hypersweep.algorithms.generative.training import load_hpob_tasks, meta_train, save_checkpoint

    data, surrogates = _hpob_layout(tmp_path, xgb)
    tasks = load_hpob_tasks(json.loads((data / "meta-test-dataset.json").read_text()), "s")
    model, info = meta_train(tasks, steps=5, seed=0, batch=8, max_context=20, n_query=8)
    checkpoint = str(save_checkpoint(model, tmp_path / "s.pt", info))
    out = tmp_path / "results" / "generative-C.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "hpob" / "run_generative.py"), "--checkpoint", checkpoint,
         "--root", str(data), "--surrogates-dir", str(surrogates), "--trials", "7", "--out", str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    assert {s: sorted(d) for s, d in results.items()} == {"s": ["a", "b"]}
    for runs in results["s"].values():
        assert sorted(runs) == [f"test{i}" for i in range(5)]
        for incumbents in runs.values():
            assert len(incumbents) == 8 and incumbents == sorted(incumbents)
            assert all(0.0 <= v <= 1.0 for v in incumbents)
    assert "s a test4" in done.stdout and f"wrote {out}" in done.stdout
