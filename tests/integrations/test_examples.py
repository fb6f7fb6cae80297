"""Every integration example runs, on its tiny data, as a user would run it (so none can rot)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ["sklearn_search", "xgboost_pruning", "lightgbm_pruning", "pytorch_pruning", "lightning_pruning",
            "keras_pruning", "mlflow_tracking"]


@pytest.mark.slow
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_runs(name, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "KERAS_BACKEND": "torch"}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / f"{name}.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "best" in done.stdout
