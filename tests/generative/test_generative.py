"""The ``generative`` algorithm: lazy torch, checkpoints, HPO-B and sweep usage, determinism,
the random-search fallback, and the conformance suite with a (tiny) meta-trained checkpoint."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import hypersweep as hs
from hypersweep.algorithms import make_algorithm
from hypersweep.hpob import HPOBMethod, unit_space
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Trial, TrialState

if TYPE_CHECKING:
    from hypersweep.algorithms.generative import GenerativeSearch
from hypersweep.testing.algorithm_suite import SPACES, AlgorithmSuite, Case, assert_same_batches, cases, drive


def quadratic_tasks(n_tasks: int = 6, d: int = 2, rows: int = 60, seed: int = 0) -> dict[str, dict[str, list]]:
    """HPO-B-format tasks: y = -|x - c|^2 with a task-specific optimum c."""
    rng = np.random.default_rng(seed)
    out = {}
    for t in range(n_tasks):
        X = rng.random((rows, d))
        c = rng.uniform(0.2, 0.8, size=d)
        out[f"t{t}"] = {"X": X.tolist(), "y": (-np.sum((X - c) ** 2, axis=1, keepdims=True)).tolist()}
    return out


@pytest.fixture(scope="session")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], str]:
    """``checkpoints(d)``: a checkpoint meta-trained (5 steps) for ``d`` unit columns, made once."""
    pytest.importorskip("torch")
    from hypersweep.algorithms.generative.training import (
        load_hpob_tasks,
        meta_train,
        save_checkpoint,
    )

    folder = tmp_path_factory.mktemp("ckpt")
    made: dict[int, str] = {}

    def make(d: int) -> str:
        if d not in made:
            tasks = load_hpob_tasks({"q": quadratic_tasks(d=d)}, "q")
            model, info = meta_train(tasks, steps=5, seed=0, batch=8, max_context=20, n_query=8)
            made[d] = str(save_checkpoint(model, folder / f"d{d}.pt", info))
        return made[d]

    return make


@pytest.fixture(scope="module")
def checkpoint(checkpoints: Callable[[int], str]) -> str:
    return checkpoints(2)


def test_importing_hypersweep_does_not_import_torch() -> None:
    code = ("import sys, hypersweep, hypersweep.algorithms as a; a.available(); "
            "import hypersweep.algorithms.generative as g; "
            "g.GenerativeSearch(hypersweep.Space({'x': hypersweep.uniform(0, 1)})).ask(3); "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("space_def", SPACES, ids=[s.name for s in SPACES])
@pytest.mark.filterwarnings("ignore:generative. no checkpoint")
def test_without_a_checkpoint_it_is_random_search(space_def) -> None:  # type: ignore[no-untyped-def]
    # a whole simulated sweep (batches, pending, failed and pruned trials): the same suggestions
    for seed in (4, 5):
        gen = drive(make_algorithm("generative", space_def.build(), seed=seed), steps=8, batch=3)
        rnd = drive(make_algorithm("random", space_def.build(), seed=seed), steps=8, batch=3)
        assert len(gen.suggestions) == len(rnd.suggestions) >= 12
        assert_same_batches(gen.suggestions, rnd.suggestions, f"generative vs random, seed {seed}")
    assert make_algorithm("generative", space_def.build()).budget == make_algorithm("random", space_def.build()).budget


def test_without_a_checkpoint_it_warns_once_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    algo = make_algorithm("generative", unit_space(2), seed=0)
    caplog.set_level(logging.WARNING, logger="hypersweep.algorithms.generative")
    with pytest.warns(UserWarning, match=r"^generative: no checkpoint, so it suggests what random search would; "
                                          r"meta-train one with 'hypersweep meta-train .*checkpoint: model.pt$") as seen:
        algo.ask(2)
        algo.ask(1)
    assert len(seen) == 1 and "\n" not in str(seen[0].message)
    assert [r.getMessage() for r in caplog.records] == [str(seen[0].message)]


def test_with_a_checkpoint_it_does_not_warn(checkpoint: str) -> None:
    algo = make_algorithm("generative", unit_space(2), seed=0, options={"checkpoint": checkpoint})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(algo.ask(3)) == 3


def test_bad_options_are_refused(tmp_path: Path) -> None:
    space = unit_space(2)
    with pytest.raises(AlgorithmError, match="checkpoint"):
        make_algorithm("generative", space, options={"checkpoint": str(tmp_path / "none.pt")})
    with pytest.raises(AlgorithmError, match="n_candidates"):
        make_algorithm("generative", space, options={"n_candidates": 0})
    with pytest.raises(AlgorithmError, match="finetune_steps"):
        make_algorithm("generative", space, options={"finetune_steps": -1})


def run_continuous(method: HPOBMethod, steps: int = 6) -> np.ndarray:
    rng = np.random.default_rng(0)
    X = rng.random((5, 2))
    for _ in range(steps):
        y = -np.sum((X - 0.4) ** 2, axis=1, keepdims=True)
        X = np.vstack([X, method.observe_and_suggest(X, y)])
    return X


def test_hpob_continuous_is_deterministic_and_fresh_instances_continue(checkpoint: str) -> None:
    a = run_continuous(HPOBMethod("generative", seed=0, checkpoint=checkpoint))
    b = run_continuous(HPOBMethod("generative", seed=0, checkpoint=checkpoint))
    c = run_continuous(HPOBMethod("generative", seed=1, checkpoint=checkpoint))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert a.shape == (11, 2) and np.all((a >= 0) & (a <= 1))
    X, y = a[:8], -np.sum((a[:8] - 0.4) ** 2, axis=1, keepdims=True)
    live = HPOBMethod("generative", seed=0, checkpoint=checkpoint)
    live.observe_and_suggest(X[:7], y[:7])
    np.testing.assert_array_equal(
        live.observe_and_suggest(X, y),
        HPOBMethod("generative", seed=0, checkpoint=checkpoint).observe_and_suggest(X, y),
    )


def test_hpob_discrete_scores_the_candidates(checkpoint: str) -> None:
    rng = np.random.default_rng(3)
    X = rng.random((8, 2))
    y = -np.sum((X - 0.5) ** 2, axis=1, keepdims=True)
    pool = rng.random((300, 2))
    picks = {HPOBMethod("generative", seed=s, checkpoint=checkpoint).observe_and_suggest(X, y, pool) for s in (0, 0)}
    assert len(picks) == 1 and 0 <= picks.pop() < 300


def test_batches_are_distinct_and_avoid_pending(checkpoint: str) -> None:
    space = unit_space(2)
    algo = make_algorithm("generative", space, direction="maximize", seed=0, options={"checkpoint": checkpoint})
    rng = np.random.default_rng(0)
    trials = [Trial(id=i, params={"x0": float(a), "x1": float(b)}, state=TrialState.COMPLETED, value=float(-a - b))
              for i, (a, b) in enumerate(rng.random((6, 2)))]
    algo.tell(trials)
    pending = [Trial(id=10, params={"x0": 0.1, "x1": 0.1}, state=TrialState.RUNNING)]
    batch = algo.ask(4, pending=pending)
    keys = {tuple(p.values()) for p in batch}
    assert len(keys) == 4 and (0.1, 0.1) not in keys


def test_wrong_dimension_checkpoint_is_refused(checkpoint: str) -> None:
    X = np.random.default_rng(0).random((6, 3))
    with pytest.raises(AlgorithmError, match="d=2"):
        HPOBMethod("generative", seed=0, checkpoint=checkpoint).observe_and_suggest(X, X[:, :1])


@pytest.mark.parametrize("gp_after", [4, 100])
def test_a_sweep_uses_the_checkpoint_through_the_unit_encoding(checkpoint: str, gp_after: int) -> None:
    space = hs.Space({"lr": hs.loguniform(1e-4, 1e-1), "units": hs.values([32, 64, 128])})  # 2 unit columns
    sweep = hs.Sweep(space, algorithm="generative", metric=hs.Metric("acc", "maximize"), seed=0,
                     options={"checkpoint": checkpoint, "gp_after": gp_after})
    for _ in range(9):
        trial = sweep.ask()
        assert trial is not None
        sweep.tell(trial, -abs(np.log10(trial.params["lr"]) + 2.5) + trial.params["units"] / 128)
    assert sweep.best is not None


def test_online_finetuning_runs(checkpoint: str) -> None:
    X = run_continuous(HPOBMethod("generative", seed=0, checkpoint=checkpoint, finetune_steps=3), steps=2)
    assert X.shape == (7, 2)


def test_meta_train_command(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from click.testing import CliRunner

    from hypersweep.cli.main import cli

    data = tmp_path / "meta-train.json"
    data.write_text(json.dumps({"q": quadratic_tasks(3)}))
    out = tmp_path / "m.pt"
    result = CliRunner().invoke(cli, ["meta-train", "--data", str(data), "--search-space", "q",
                                      "--out", str(out), "--steps", "3"])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "3 steps" in result.output
    result = CliRunner().invoke(cli, ["meta-train", "--data", str(data), "--search-space", "zz", "--out", str(out)])
    assert result.exit_code != 0 and "search-space" in result.output
    assert HPOBMethod("generative", checkpoint=str(out)).observe_and_suggest(*_xy()).shape == (1, 2)


def _xy() -> tuple[np.ndarray, np.ndarray]:
    X = np.random.default_rng(1).random((6, 2))
    return X, X.sum(axis=1, keepdims=True)


# -- the current task's GP after ``gp_after`` trials (task_gp) ----------------------------------
class _CountingGP:
    """Wraps TaskGP and counts fits (to see when the GP takes part)."""

    fits = 0

    def __new__(cls, *args: object, **kwargs: object) -> object:
        from hypersweep.algorithms.generative.task_gp import TaskGP

        cls.fits += 1
        return TaskGP(*args, **kwargs)  # type: ignore[arg-type]


def test_the_gp_scores_candidates_only_from_gp_after(checkpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import hypersweep.algorithms.generative as gen

    monkeypatch.setattr(gen, "TaskGP", _CountingGP)
    _CountingGP.fits = 0
    rng = np.random.default_rng(0)
    X = rng.random((9, 2))
    y = -np.sum((X - 0.4) ** 2, axis=1, keepdims=True)
    method = HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=8)
    method.observe_and_suggest(X[:7], y[:7])
    assert _CountingGP.fits == 0
    with_gp = method.observe_and_suggest(X[:8], y[:8])
    assert _CountingGP.fits == 1
    without = HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=100).observe_and_suggest(X[:8], y[:8])
    assert not np.array_equal(with_gp, without)
    pool = rng.random((50, 2))
    HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=8).observe_and_suggest(X, y, pool)
    assert _CountingGP.fits == 2


def test_gp_phase_is_deterministic_and_fresh_instances_continue(checkpoint: str) -> None:
    a = run_continuous(HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=6), steps=4)
    b = run_continuous(HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=6), steps=4)
    c = run_continuous(HPOBMethod("generative", seed=1, checkpoint=checkpoint, gp_after=6), steps=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    y = -np.sum((a - 0.4) ** 2, axis=1, keepdims=True)
    live = HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=6)
    live.observe_and_suggest(a[:7], y[:7])
    np.testing.assert_array_equal(
        live.observe_and_suggest(a[:8], y[:8]),
        HPOBMethod("generative", seed=0, checkpoint=checkpoint, gp_after=6).observe_and_suggest(a[:8], y[:8]),
    )


def test_gp_phase_batches_are_distinct_and_avoid_pending(checkpoint: str) -> None:
    algo = make_algorithm("generative", unit_space(2), direction="maximize", seed=0,
                          options={"checkpoint": checkpoint, "gp_after": 4})
    rng = np.random.default_rng(0)
    algo.tell([Trial(id=i, params={"x0": float(a), "x1": float(b)}, state=TrialState.COMPLETED, value=float(-a - b))
               for i, (a, b) in enumerate(rng.random((6, 2)))])
    pending = [Trial(id=10, params={"x0": 0.1, "x1": 0.1}, state=TrialState.RUNNING)]
    batch = algo.ask(3, pending=pending)
    keys = {tuple(p.values()) for p in batch}
    assert len(keys) == 3 and (0.1, 0.1) not in keys


def test_gp_options_are_validated() -> None:
    space = unit_space(2)
    with pytest.raises(AlgorithmError, match="gp_after"):
        make_algorithm("generative", space, options={"gp_after": 1})
    with pytest.raises(AlgorithmError, match="prior_weight"):
        make_algorithm("generative", space, options={"prior_weight": -1.0})
    algo = make_algorithm("generative", space, options={"gp_after": 12, "prior_weight": 0.5})
    assert algo.settings()["gp_after"] == 12 and algo.settings()["prior_weight"] == 0.5


def test_task_gp_expected_improvement_and_prior() -> None:
    from hypersweep.algorithms.generative.task_gp import (
        TaskGP,
        combined,
        log_sigmoid,
        prior_beta,
    )

    rng = np.random.default_rng(0)
    X = rng.random((12, 2))
    y = -np.sum((X - 0.3) ** 2, axis=1)
    gp = TaskGP(X, y, np.random.default_rng(1))
    lei = gp.log_ei(np.array([[0.3, 0.3], [0.95, 0.95]]))
    assert lei[0] > lei[1]
    assert prior_beta(0.3, 10, 20) == pytest.approx(0.15) and prior_beta(0.3, 10, 40) < prior_beta(0.3, 10, 20)
    np.testing.assert_allclose(log_sigmoid(np.array([0.0, -800.0])), [np.log(0.5), -800.0])
    np.testing.assert_array_equal(combined(lei, np.array([5.0, -5.0]), 0.0), lei)
    assert np.argmax(combined(np.zeros(2), np.array([-3.0, 3.0]), 1.0)) == 1


# -- the conformance suite, with a meta-trained checkpoint ------------------------------------
class _WithACheckpoint(AlgorithmSuite):
    """The shared conformance suite on ``generative`` with a model: a tiny checkpoint per space,
    meta-trained for its unit encoding (the ``checkpoints`` fixture), added to each case."""

    algorithms = ["generative"]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "case" in metafunc.fixturenames:
            found = cases(self.algorithms, self.spaces, self.options)
            metafunc.parametrize("case", found, ids=[c.id for c in found], indirect=True)

    @pytest.fixture
    def case(self, request: pytest.FixtureRequest, checkpoints: Callable[[int], str]) -> Case:
        base: Case = request.param
        return replace(base, options={**base.options, "checkpoint": checkpoints(base.space().n_columns)})

    def test_the_model_is_used(self, case: Case) -> None:
        # the same sweep without the checkpoint is random search; with it, from the
        # ``n_initial``-th completed trial on, the suggestions differ
        with_model = drive(case.make(seed=0), steps=self.steps, batch=self.batch)
        options = {k: v for k, v in case.options.items() if k != "checkpoint"}
        with pytest.warns(UserWarning, match="no checkpoint"):
            plain = drive(replace(case, options=options).make(seed=0), steps=self.steps, batch=self.batch)
        n = case.options["n_initial"]
        assert with_model.batches[0] == plain.batches[0] and len(with_model.batches[0]) <= n
        assert with_model.suggestions[n:] != plain.suggestions[n:]


class TestConformanceWithTheNetwork(_WithACheckpoint):
    """Every suite space; the network proposes and scores from the 3rd completed trial."""

    options = {"generative": {"n_candidates": 32, "n_initial": 2, "gp_after": 1000}}


class TestConformanceWithTheNetworkAndTheGP(_WithACheckpoint):
    """The mixed space; the GP (times the network's prior) ranks from the 4th completed trial."""

    spaces = [s for s in SPACES if s.name == "categorical"]
    options = {"generative": {"n_candidates": 32, "n_initial": 2, "gp_after": 4}}
    steps = 4


# -- where suggestions come from, and the decoder ablation ------------------------------------
def _drive(checkpoint: str, trials: int, **options: object) -> GenerativeSearch:
    from hypersweep.algorithms.generative import GenerativeSearch

    space = hs.Space({"a": hs.uniform(0, 1), "b": hs.uniform(0, 1)})
    algo = GenerativeSearch(space, direction="maximize", seed=3, checkpoint=checkpoint, n_initial=3, **options)
    for i in range(trials):
        params = algo.ask(1)[0]
        algo.tell([Trial(id=i, params=params, state=TrialState.COMPLETED,
                         value=-(params["a"] - 0.3) ** 2 - (params["b"] - 0.7) ** 2)])
    return algo


@pytest.mark.parametrize("gp_after", [6, 100])
def test_sources_name_the_origin_of_every_suggestion(checkpoint: str, gp_after: int) -> None:
    algo = _drive(checkpoint, 10, gp_after=gp_after)
    assert len(algo.sources) == 10 and algo.sources[:3] == ["random"] * 3
    later = set(algo.sources[3:])
    assert later <= {"decoder", "perturbed", "uniform", "gp-search"} and later
    if gp_after == 100:  # the network alone: only its own proposals
        assert "gp-search" not in later


def test_without_the_decoder_its_proposals_are_replaced(checkpoint: str) -> None:
    for gp_after in (6, 100):
        algo = _drive(checkpoint, 10, gp_after=gp_after, decoder=False)
        assert "decoder" not in algo.sources and len(algo.sources) == 10
    with_decoder = _drive(checkpoint, 10, gp_after=100)
    without = _drive(checkpoint, 10, gp_after=100, decoder=False)
    assert with_decoder.sources[:3] == without.sources[:3]  # the random start is the same


def test_the_decoder_option_is_validated() -> None:
    with pytest.raises(AlgorithmError, match="decoder"):
        make_algorithm("generative", unit_space(2), options={"decoder": 1})
