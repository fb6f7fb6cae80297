"""Every multi-fidelity algorithm checks its options with the shared declarative rules."""
from __future__ import annotations

import math

import pytest

import hypersweep as hs
from hypersweep.algorithms import algorithm_class, make_algorithm
from hypersweep.exceptions import AlgorithmError

SPACE = hs.Space({"x": hs.uniform(0, 1)})
#: each algorithm and its integer option that counts something
INTEGER_OPTION = {
    "hyperband": "n_iterations",
    "successive_halving": "n_iterations",
    "asha": "n_experiments",
    "bohb_gp": "n_iterations",
    "bohb": "n_iterations",
    "freeze_thaw": "n_bootstrap",
}
ALGORITHMS = sorted(INTEGER_OPTION)


def build(name: str, **options: object):
    return make_algorithm(name, SPACE, options={"max_iter": 9, **options})


@pytest.mark.parametrize("name", ALGORITHMS)
def test_integer_options_accept_integral_floats(name: str) -> None:
    option = INTEGER_OPTION[name]
    algo = build(name, **{option: 2.0})
    assert getattr(algo, option) == 2 and type(getattr(algo, option)) is int


@pytest.mark.parametrize("name", ALGORITHMS)
@pytest.mark.parametrize("value", [2.5, True, "2"])
def test_integer_options_refuse_fractions_bools_and_text(name: str, value: object) -> None:
    option = INTEGER_OPTION[name]
    with pytest.raises(AlgorithmError, match=rf"^{name}\.{option}: must be an integer >= 1 or null; got "):
        build(name, **{option: value})


@pytest.mark.parametrize("name", ALGORITHMS)
@pytest.mark.parametrize("value", [math.inf, math.nan, True])
def test_max_iter_refuses_infinity_nan_and_bools(name: str, value: object) -> None:
    with pytest.raises(AlgorithmError, match=rf"^{name}\.max_iter: must be a finite number >= 1; got "):
        build(name, max_iter=value)


@pytest.mark.parametrize("name", ALGORITHMS)
def test_flags_are_bools_only(name: str) -> None:
    with pytest.raises(AlgorithmError, match=rf"^{name}\.resume: must be true or false; got 1"):
        build(name, resume=1)


@pytest.mark.parametrize("name", ALGORITHMS)
def test_unknown_options_get_a_did_you_mean(name: str) -> None:
    with pytest.raises(AlgorithmError, match=rf"^{name}: unknown option 'max_iters' \(did you mean 'max_iter'\?\)"):
        build(name, max_iters=9)


@pytest.mark.parametrize("name", ALGORITHMS)
def test_resource_is_checked_by_its_rule(name: str) -> None:
    with pytest.raises(AlgorithmError, match=rf"^{name}\.resource: must be \{{name: epochs, type: int\|float\}}; got 5$"):
        build(name, resource=5)
    with pytest.raises(AlgorithmError, match=rf"^{name}\.resource: unknown key 'kind'"):
        build(name, resource={"name": "epochs", "kind": "int"})
    with pytest.raises(AlgorithmError, match=rf"^{name}\.resource\.type: must be 'int' or 'float'"):
        build(name, resource={"name": "epochs", "type": "long"})


def test_choices_are_exact_with_did_you_mean() -> None:
    with pytest.raises(AlgorithmError, match=r"^bohb_gp\.brackets: must be one of adaptive, hyperband "
                                             r"\(did you mean 'adaptive'\?\); got 'Adaptive'"):
        build("bohb_gp", brackets="Adaptive")


@pytest.mark.parametrize("name", ALGORITHMS)
def test_settings_rebuild_the_same_algorithm(name: str) -> None:
    algo = build(name, eta=2.0, resource={"name": "epochs", "type": "int"}, resume=True)
    again = make_algorithm(name, SPACE, options=algo.settings())
    assert again.settings() == algo.settings()
    assert type(again) is algorithm_class(name)
