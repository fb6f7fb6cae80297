"""GP-BO (``bo``): options, budget, batches with pending trials, failures, quality smoke tests."""
from __future__ import annotations

import math

import numpy as np
import pytest

from hypersweep.algorithms import make_algorithm
from hypersweep.algorithms.gp import GPBO
from hypersweep.algorithms.gp.algorithm import fit_size, standardize
from hypersweep.algorithms.gp.geometry import Geometry
from hypersweep.algorithms.history import params_key
from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Params, Trial, TrialState
from hypersweep.space import Space


def branin(p: Params) -> float:
    x, y = p["x"], p["y"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10


BRANIN_MIN = 0.397887
BRANIN = Space.from_matrix({"x": {"uniform": [-5, 10]}, "y": {"uniform": [0, 15]}})


def run(algo, objective, n: int, *, fail=lambda p: False) -> list[float]:  # type: ignore[no-untyped-def]
    values = []
    for i in range(n):
        params = algo.ask(1)[0]
        if fail(params):
            algo.tell([Trial(id=i, params=params, state=TrialState.FAILED, error="boom")])
            continue
        value = objective(params)
        values.append(value)
        algo.tell([Trial(id=i, params=params, state=TrialState.COMPLETED, value=value)])
    return values


def test_polyaxon_options_are_accepted_and_reported() -> None:
    options = {
        "n_initial_trials": 4,
        "n_iterations": 6,
        "utility_function": {
            "acquisition_function": "ucb", "kappa": 1.2, "eps": 0.0,
            "gaussian_process": {"kernel": "matern", "length_scale": 1.0, "nu": 1.5, "n_restarts_optimizer": 0},
        },
    }
    algo = make_algorithm("bo", BRANIN, options=options)
    assert isinstance(algo, GPBO)
    assert algo.budget == 10
    assert algo.settings() == options
    assert algo.kernel.nu == 1.5
    assert make_algorithm("bo", BRANIN, options={"utility_function": {"gaussian_process": {"kernel": "rbf"}}}).kernel.nu == math.inf


@pytest.mark.parametrize(
    "options",
    [
        {"n_initial_trials": 0},
        {"n_iterations": -1},
        {"utility_function": {"acquisition_function": "foo"}},
        {"utility_function": {"kappa": -1}},
        {"utility_function": {"gaussian_process": {"kernel": "linear"}}},
        {"utility_function": {"gaussian_process": {"n_restarts_optimizer": 1.5}}},
        {"utility_function": {"typo": 1}},
        {"utility_function": "ei"},
        {"unknown_option": 1},
        {"target_transform": "log"},
        {"target_transform": 1},
    ],
)
def test_bad_options_raise(options: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(AlgorithmError):
        make_algorithm("bo", BRANIN, options=options)


def test_target_transform_names_the_field_and_the_choices() -> None:
    with pytest.raises(AlgorithmError, match=r"bo.target_transform: must be one of alternate, yeo-johnson, standardize"):
        make_algorithm("bo", BRANIN, options={"target_transform": "log"})
    assert make_algorithm("bo", BRANIN).settings() == {}
    algo = make_algorithm("bo", BRANIN, options={"target_transform": "standardize"})
    assert algo.settings() == {"target_transform": "standardize"}


@pytest.mark.parametrize(
    "options, message",
    [
        ({"target_transform": "Standardize"}, r"^bo\.target_transform: must be one of alternate, yeo-johnson, standardize \(did you mean 'standardize'\?\)"),
        ({"utility_function": {"acquisition_function": "EI"}},
         r"^bo\.utility_function\.acquisition_function: must be one of ei, poi, ucb \(or pi, lcb, logei, log_ei\) \(did you mean 'ei'\?\); got 'EI'"),
        ({"utility_function": {"gaussian_process": {"kernel": "Matern"}}},
         r"^bo\.utility_function\.gaussian_process\.kernel: must be one of matern, rbf \(did you mean 'matern'\?\)"),
    ],
)
def test_choices_are_case_sensitive_with_a_suggestion(options: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(AlgorithmError, match=message):
        make_algorithm("bo", BRANIN, options=options)


@pytest.mark.parametrize("alias, acquisition", [("pi", "poi"), ("lcb", "ucb"), ("log_ei", "ei"), ("logei", "ei")])
def test_documented_acquisition_aliases_stay_accepted(alias: str, acquisition: str) -> None:
    algo = make_algorithm("bo", BRANIN, options={"utility_function": {"acquisition_function": alias}})
    assert algo.options["utility_function"]["acquisition_function"] == acquisition


@pytest.mark.parametrize(
    "options, field",
    [
        ({"utility_function": {"kappa": math.inf}}, "kappa"),
        ({"utility_function": {"eps": math.inf}}, "eps"),
        ({"utility_function": {"kappa": math.nan}}, "kappa"),
        ({"utility_function": {"gaussian_process": {"length_scale": math.inf}}}, "length_scale"),
        ({"utility_function": {"gaussian_process": {"nu": math.nan}}}, "nu"),
    ],
)
def test_gp_options_refuse_nan_and_inf(options: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(AlgorithmError, match=rf"\.{field}: must be a (finite )?number"):
        make_algorithm("bo", BRANIN, options=options)


def test_nu_inf_is_the_rbf_kernel() -> None:
    algo = make_algorithm("bo", BRANIN, options={"utility_function": {"gaussian_process": {"nu": math.inf}}})
    assert algo.kernel.nu == math.inf


def test_alternate_takes_the_two_target_views_in_turn() -> None:
    # a heavy upper tail, so the warped and the plain targets give different models
    def skewed(p: Params) -> float:
        return math.exp(branin(p) / 20.0)

    history = GPBO(BRANIN, seed=1, n_initial_trials=8)
    run(history, skewed, 14)
    trials = list(history._finished.values())

    def next_ask(transform: str, n_told: int) -> Params:
        algo = GPBO(BRANIN, seed=1, n_initial_trials=8, target_transform=transform)
        algo.tell(trials[:n_told])
        return algo.ask(1)[0]

    for n_told in (11, 12, 13, 14):  # an odd ask index is standardized, an even one Yeo-Johnson
        own = "standardize" if n_told % 2 else "yeo-johnson"
        other = "yeo-johnson" if n_told % 2 else "standardize"
        assert next_ask("alternate", n_told) == next_ask(own, n_told)
        assert next_ask("alternate", n_told) != next_ask(other, n_told)


def test_budget_stops_suggestions() -> None:
    algo = GPBO(BRANIN, seed=0, n_initial_trials=3, n_iterations=2)
    values = run(algo, branin, 5)
    assert len(values) == 5 and algo.ask(2) == []


def test_fit_schedule_is_dense_early_and_sparse_later() -> None:
    assert [fit_size(m) for m in range(1, 25)] == list(range(1, 25))
    sizes = {fit_size(m) for m in range(1, 401)}
    assert 40 < len(sizes) < 120
    assert all(fit_size(m) <= m for m in range(1, 401))


def test_batch_with_pending_spreads_out() -> None:
    algo = GPBO(BRANIN, seed=1, n_initial_trials=5)
    run(algo, branin, 8)
    first = algo.ask(1)
    pending = [Trial(id=100, params=first[0], state=TrialState.RUNNING)]
    batch = algo.ask(4, pending=pending)
    keys = {params_key(p, BRANIN.names) for p in batch + first}
    assert len(keys) == 5
    points = BRANIN.to_unit_many(batch + first)
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(points) for b in points[i + 1:]]
    assert min(gaps) > 1e-3  # believed points push the next picks away


@pytest.mark.parametrize("seed", range(5))
def test_batch_of_four_is_spread_out(seed: int) -> None:
    # the believed points are exact and count in the incumbent: no near-duplicate picks
    # (a noisy believer with the observed incumbent gave points 1e-4 apart here)
    algo = GPBO(BRANIN, seed=seed, n_initial_trials=10)
    run(algo, branin, 15)
    points = BRANIN.to_unit_many(algo.ask(4))
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(points) for b in points[i + 1:]]
    assert min(gaps) > 0.02


def test_pending_trials_leave_the_sequential_path_alone() -> None:
    a, b = GPBO(BRANIN, seed=4, n_initial_trials=5), GPBO(BRANIN, seed=4, n_initial_trials=5)
    run(a, branin, 8)
    run(b, branin, 8)
    assert a.ask(1) == b.ask(1, pending=[])


def test_failed_points_are_not_proposed_again() -> None:
    space = Space.from_matrix({"a": {"values": [1, 2, 3]}, "b": {"values": ["x", "y"]}})
    algo = GPBO(space, seed=0, n_initial_trials=2)
    seen = [params_key(p, space.names) for p in _drain(algo, space)]
    assert len(seen) == len(set(seen)) == 6
    assert algo.ask(1) == []


def _drain(algo: GPBO, space: Space) -> list[Params]:
    out: list[Params] = []
    for i in range(10):
        batch = algo.ask(1)
        if not batch:
            break
        params = batch[0]
        out.append(params)
        failed = params["b"] == "y"
        trial = Trial(id=i, params=params, state=TrialState.FAILED if failed else TrialState.COMPLETED,
                      value=None if failed else float(params["a"]), error="boom" if failed else None)
        algo.tell([trial])
    return out


MIXED = Space.from_matrix({
    "lr": {"loguniform": [1e-4, 1e-1]}, "units": {"range": [16, 256, 16]}, "act": {"values": ["relu", "tanh", "elu"]},
    "depth": {"quniform": [1, 200, 1]}, "drop": {"quniform": [0, 0.5, 0.05]},
})


def mixed(p: Params) -> float:
    """0 at lr = 10^-2.5, units 128, tanh, depth 50, drop 0 (a smooth bowl plus a categorical step)."""
    return (math.log10(p["lr"]) + 2.5) ** 2 + (p["units"] - 128) ** 2 / 1e4 + (p["act"] != "tanh") + abs(p["depth"] - 50) / 50 + p["drop"]


def test_mixed_space_suggestions_are_legal_and_snapped() -> None:
    algo = GPBO(MIXED, seed=2, n_initial_trials=4)
    run(algo, mixed, 10)
    for params in [t.params for t in algo.finished] + algo.ask(3):
        MIXED.validate(params)
        assert params["units"] % 16 == 0 and params["depth"] == round(params["depth"])
    geometry = Geometry(MIXED)
    x = geometry.snap(np.random.default_rng(0).random((50, MIXED.n_columns)))
    np.testing.assert_allclose(MIXED.to_unit_many(MIXED.from_unit_many(x)), x, atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_mixed_space_finds_the_basin_and_beats_random_search(seed: int) -> None:
    # 24 trials each: random search's best has a median near 1.1 (and rarely gets below 0.4)
    rng = np.random.default_rng(100 + seed)
    random_best = [min(mixed(MIXED.sample(rng)) for _ in range(24)) for _ in range(50)]
    algo = GPBO(MIXED, seed=seed, n_initial_trials=4)
    values = run(algo, mixed, 24)
    assert min(values) < 0.25 * float(np.median(random_best))
    best = min(algo.finished, key=lambda t: float(t.value)).params  # type: ignore[arg-type]
    assert best["act"] == "tanh" and abs(math.log10(best["lr"]) + 2.5) < 0.5
    assert abs(best["units"] - 128) <= 32 and abs(best["depth"] - 50) <= 10 and best["drop"] <= 0.1


@pytest.mark.parametrize(("acquisition", "factor"), [("ei", 0.05), ("poi", 0.3), ("ucb", 0.3)])
def test_branin_beats_random_search(acquisition: str, factor: float) -> None:
    rng = np.random.default_rng(0)
    random_best = [min(branin(BRANIN.sample(rng)) for _ in range(30)) - BRANIN_MIN for _ in range(15)]
    algo = GPBO(BRANIN, seed=0, n_initial_trials=8, utility_function={"acquisition_function": acquisition})
    regret = min(run(algo, branin, 30)) - BRANIN_MIN
    assert regret < factor * float(np.median(random_best))


def test_hartmann_like_quadratic_in_six_dimensions() -> None:
    space = Space.from_matrix({f"x{i}": {"uniform": [0, 1]} for i in range(6)})
    target = np.linspace(0.2, 0.8, 6)

    def objective(p: Params) -> float:
        return float(np.sum((np.array([p[f"x{i}"] for i in range(6)]) - target) ** 2))

    values = run(GPBO(space, seed=3), objective, 30)
    assert min(values) < 0.02


def test_standardize_spreads_the_good_values_under_a_heavy_upper_tail() -> None:
    y = np.exp(np.linspace(0.0, 5.0, 20))  # losses spanning two orders of magnitude
    z, plain = standardize(y), (y - y.mean()) / y.std()
    assert np.all(np.diff(z) > 0)  # order kept
    assert z[9] - z[0] > 3 * (plain[9] - plain[0])  # the better half is no longer flattened
