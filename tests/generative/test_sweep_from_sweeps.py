"""The ``from_sweeps`` option of ``generative``: a new sweep meta-trains once, at creation, on
finished sweeps of the same store; a resumed sweep or another worker reuses the checkpoint. On a
real SQLite file and PostgreSQL server, through the Python API and the CLI."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import hypersweep as hs
from hypersweep.algorithms.generative.sweeps import CHECKPOINT_FILE
from hypersweep.cli.main import cli
from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.runner.run_dirs import runs_root_for
from hypersweep.storage import open_storage

pytest.importorskip("torch")

SPACE = {"lr": {"loguniform": [1e-4, 1e-1]}, "width": {"quniform": [8, 64, 8]}}
PAST = ["past0", "past1", "past2"]
OPTIONS = {"from_sweeps": PAST, "meta_train_steps": 25, "n_initial": 2, "gp_after": 50}


def _bowl(params: dict, optimum: float) -> float:
    return float((np.log10(params["lr"]) - np.log10(optimum)) ** 2 + 0.001 * params.get("width", 0))


def _finished_sweep(storage: str, name: str, optimum: float, *, space: dict = SPACE) -> None:
    """A finished sweep of 12 random trials minimizing a bowl around ``lr = optimum``."""
    sweep = hs.Sweep(space, algorithm="random", metric="loss", storage=storage, name=name, seed=1)
    for _ in range(12):
        trial = sweep.ask()
        assert trial is not None
        sweep.tell(trial, _bowl(trial.params, optimum))


@pytest.fixture
def store(storage_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Three finished sweeps; the working directory (run folders of a server store) is tmp_path."""
    monkeypatch.chdir(tmp_path)
    for k, optimum in enumerate([1e-3, 3e-3, 1e-2]):
        _finished_sweep(storage_url, PAST[k], optimum)
    return storage_url


def _checkpoint(store: str, name: str) -> Path:
    with open_storage(store) as storage:
        return runs_root_for(storage) / name / CHECKPOINT_FILE


def _run(sweep: hs.Sweep, n: int) -> list[dict]:
    params = []
    for _ in range(n):
        trial = sweep.ask()
        assert trial is not None
        sweep.tell(trial, _bowl(trial.params, 2e-3))
        params.append(trial.params)
    return params


def test_a_new_sweep_trains_once_and_a_resumed_one_reuses_the_checkpoint(
    store: str, capfd: pytest.CaptureFixture[str]
) -> None:
    sweep = hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new", seed=0, options=OPTIONS)
    shown = capfd.readouterr().err
    path = _checkpoint(store, "new")
    assert "meta-training generative on 3 sweeps" in shown and "25/25" in shown  # the progress bar
    assert path.is_file() and sweep.algorithm.checkpoint == str(path)
    stored = sweep.spec.options["from_sweeps"]
    assert stored == {"sweeps": PAST, "checkpoint": str(path)}
    with open_storage(store) as storage:
        assert storage.get_sweep("new").options["from_sweeps"] == stored
    first = _run(sweep, 4)
    assert sweep.algorithm._base is not None and "random" not in sweep.algorithm.sources[2:]
    trained_at = path.stat().st_mtime_ns

    resumed = hs.Sweep.load("new", storage=store)
    again = hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new", options=OPTIONS)
    assert "meta-training" not in capfd.readouterr().err
    assert path.stat().st_mtime_ns == trained_at  # neither retrained
    assert resumed.algorithm.checkpoint == again.algorithm.checkpoint == str(path)
    more = _run(resumed, 2)
    assert len({tuple(p.values()) for p in first + more}) == 6 and len(resumed.trials) == 6

    random = hs.Sweep(SPACE, algorithm="random", metric="loss", storage=store, name="baseline", seed=0)
    assert _run(random, 4)[2:] != first[2:]  # the network's suggestions are not random search's


def test_sweeps_of_another_space_are_refused_before_anything_is_stored(store: str) -> None:
    _finished_sweep(store, "other", 1e-3, space={"lr": {"loguniform": [1e-5, 1.0]}})
    with pytest.raises(SpecError) as caught:
        hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new",
                 options={"from_sweeps": ["past0", "other"]})
    assert str(caught.value) == (
        "generative.from_sweeps: sweep 'other' searches a different space from this sweep; name finished "
        "sweeps of this sweep's search space, or meta-train elsewhere and set checkpoint"
    )
    with pytest.raises(SpecError, match="generative.from_sweeps: no sweep 'nope' in this store"):
        hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new", options={"from_sweeps": ["nope"]})
    with open_storage(store) as storage:
        assert "new" not in {s.name for s in storage.list_sweeps()}
    assert not _checkpoint(store, "new").exists()


def test_from_sweeps_with_a_checkpoint_or_other_sweeps_later_is_refused(store: str, tmp_path: Path) -> None:
    other = tmp_path / "model.pt"
    other.write_bytes(b"x")
    with pytest.raises(AlgorithmError, match="give from_sweeps or checkpoint, not both"):
        hs.Sweep(SPACE, algorithm="generative", storage=store, name="new",
                 options={"from_sweeps": PAST, "checkpoint": str(other)})
    with pytest.raises(AlgorithmError, match="must be a list of names of finished sweeps"):
        hs.Sweep(SPACE, algorithm="generative", storage=store, name="new", options={"from_sweeps": "past0"})
    hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new", seed=0, options=OPTIONS)
    with pytest.raises(SpecError, match="already exists and was not meta-trained on"):
        hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new",
                 options={**OPTIONS, "from_sweeps": PAST[:2]})
    alone = hs.algorithms.make_algorithm("generative", hs.Space(SPACE), options={"from_sweeps": PAST})
    with pytest.raises(AlgorithmError, match="only a sweep with a store meta-trains"):
        alone.ask(1)


def test_a_missing_checkpoint_is_one_clear_error_when_the_sweep_is_loaded(store: str) -> None:
    hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name="new", seed=0, options=OPTIONS)
    path = _checkpoint(store, "new")
    os.remove(path)
    with pytest.raises(AlgorithmError) as caught:
        hs.Sweep.load("new", storage=store)
    assert str(caught.value) == (
        f"generative.from_sweeps: the checkpoint {path} meta-trained when this sweep was created is missing; "
        "restore the file, or start a new sweep (from_sweeps trains once, at creation)"
    )


SWEEP_FILE = textwrap.dedent(
    """\
    name: {name}
    metric: {{name: loss, optimization: minimize}}
    settings:
      seed: 3
      max_trials: 5
      generative: {{from_sweeps: [{sweeps}], meta_train_steps: 20, n_initial: 2}}
    matrix:
      lr: {{loguniform: [0.0001, 0.1]}}
      width: {{quniform: [8, 64, 8]}}
    run:
      function: bowl_objective:objective
    """
)


def test_the_cli_runs_and_resumes_a_from_sweeps_sweep_training_once(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bowl_objective.py").write_text(
        "import math\n\ndef objective(params):\n    return (math.log10(params['lr']) + 2.7) ** 2\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "sweep.yaml").write_text(SWEEP_FILE.format(name="mine", sweeps="past0, past1, past2"))
    runner = CliRunner()
    first = runner.invoke(cli, ["run", "sweep.yaml", "--storage", store, "--no-progress", "--n-trials", "3"])
    assert first.exit_code == 0, first.output
    assert "meta-training" not in first.output  # --no-progress: no bar of the training steps either
    path = _checkpoint(store, "mine")
    trained_at = path.stat().st_mtime_ns
    resumed = runner.invoke(cli, ["resume", "mine", "--storage", store, "--no-progress"])
    assert resumed.exit_code == 0, resumed.output
    assert "meta-training" not in resumed.output and path.stat().st_mtime_ns == trained_at
    with open_storage(store) as storage:
        assert len(storage.get_trials("mine")) == 5
        assert storage.get_sweep("mine").options["from_sweeps"]["checkpoint"] == str(path)

    _finished_sweep(store, "other", 1e-3, space={"lr": {"loguniform": [1e-5, 1.0]}})
    (tmp_path / "bad.yaml").write_text(SWEEP_FILE.format(name="bad", sweeps="past0, other"))
    bad = runner.invoke(cli, ["run", "bad.yaml", "--storage", store, "--no-progress"])
    assert bad.exit_code == 2
    assert bad.output.strip().splitlines()[-1].startswith(
        "error: generative.from_sweeps: sweep 'other' searches a different space from this sweep;"
    )
    with open_storage(store) as storage:
        assert "bad" not in {s.name for s in storage.list_sweeps()}


def test_the_same_seed_trains_the_same_network(store: str) -> None:
    import torch

    options = {**OPTIONS, "meta_train_steps": 5}
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        hs.Sweep(SPACE, algorithm="generative", metric="loss", storage=store, name=name, seed=seed, options=options)
    weights = {name: torch.load(_checkpoint(store, name), weights_only=True)["state"] for name in "abc"}
    assert all(torch.equal(weights["a"][k], weights["b"][k]) for k in weights["a"])
    assert not all(torch.equal(weights["a"][k], weights["c"][k]) for k in weights["a"])
