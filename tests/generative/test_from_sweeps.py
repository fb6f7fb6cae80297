"""``hypersweep meta-train --from-sweeps``: the user's own finished sweeps as meta-training tasks,
on a real SQLite file and PostgreSQL server."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import hypersweep as hs
from hypersweep.cli.main import cli
from hypersweep.storage import open_storage

SPACE = {"lr": {"loguniform": [1e-4, 1e-1]}, "width": {"quniform": [8, 64, 8]}}


def _finished_sweep(storage: str, name: str, optimum: float, n: int = 12, *, space: dict | None = None,
                    metric: str = "loss") -> None:
    """A finished sweep of ``n`` random trials minimizing a bowl around ``lr = optimum``."""
    sweep = hs.Sweep(space or SPACE, algorithm="random", metric=metric, storage=storage, name=name, seed=1)
    for _ in range(n):
        trial = sweep.ask()
        assert trial is not None
        sweep.tell(trial, float((np.log10(trial.params["lr"]) - np.log10(optimum)) ** 2))


@pytest.fixture
def store(storage_url: str) -> str:
    for k, optimum in enumerate([1e-3, 3e-3, 1e-2]):
        _finished_sweep(storage_url, f"past{k}", optimum)
    return storage_url


def test_tasks_are_the_sweeps_completed_trials_turned_to_maximize(store: str) -> None:
    from hypersweep.algorithms.generative.sweeps import tasks_from_sweeps

    with open_storage(store) as storage:
        space, tasks = tasks_from_sweeps(storage, ["past0", "past2"])
        trials = storage.get_trials("past2")
    assert list(tasks) == ["past0", "past2"] and space.names == ["lr", "width"]
    X, y = tasks["past2"]
    assert X.shape == (12, 2) and np.all((X >= 0) & (X <= 1))
    assert np.allclose(y, [-t.value for t in trials])  # the sweeps minimized: larger y is better
    assert np.allclose(X, space.to_unit_many([t.params for t in trials]))


def test_meta_train_from_sweeps_writes_a_checkpoint_a_new_sweep_uses(store: str, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    out = tmp_path / "mine.pt"
    result = CliRunner().invoke(cli, ["meta-train", "--from-sweeps", "past0", "past1", "past2",
                                      "--storage", store, "-o", str(out), "--steps", "3"])
    assert result.exit_code == 0, result.output
    assert "3 tasks" in result.output and out.is_file()
    from hypersweep.algorithms.generative.training import load_checkpoint

    assert load_checkpoint(out).config.d == 2
    sweep = hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new", seed=0,
                     options={"checkpoint": str(out), "n_initial": 2, "gp_after": 50})
    for _ in range(4):
        trial = sweep.ask()
        assert trial is not None
        sweep.tell(trial, float(trial.params["lr"]))
    assert sweep.algorithm.checkpoint == str(out)
    assert sweep.algorithm._base is not None  # the network proposed the trials after n_initial


def test_sweeps_on_different_spaces_are_refused_in_one_line(store: str, tmp_path: Path) -> None:
    _finished_sweep(store, "other", 1e-3, space={"lr": {"loguniform": [1e-5, 1.0]}})
    out = tmp_path / "x.pt"
    result = CliRunner().invoke(cli, ["meta-train", "--from-sweeps", "past0", "other", "--storage", store,
                                      "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: --from-sweeps: sweep 'other' searches a different space from 'past0'; "
        "meta-train only on sweeps that share one search space"
    ]
    assert not out.exists()


def test_unusable_sweeps_and_usage_are_refused(store: str, tmp_path: Path) -> None:
    _finished_sweep(store, "short", 1e-3, n=2)
    out = tmp_path / "x.pt"
    short = CliRunner().invoke(cli, ["meta-train", "--from-sweeps", "past0", "short", "--storage", store,
                                     "-o", str(out)])
    assert short.exit_code == 2 and "sweep 'short' has 2 completed trials" in short.output
    missing = CliRunner().invoke(cli, ["meta-train", "--from-sweeps", "nope", "--storage", store, "-o", str(out)])
    assert missing.exit_code == 2 and "nope" in missing.output
    neither = CliRunner().invoke(cli, ["meta-train", "-o", str(out)])
    assert neither.exit_code == 2 and "--from-sweeps" in neither.output
    assert not out.exists()
