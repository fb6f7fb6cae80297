"""Every registered algorithm checks its options the same way (``hypersweep.options``)."""
from __future__ import annotations

import math
import re

import pytest

import hypersweep.space as sp
from hypersweep.algorithms import algorithm_class, available, make_algorithm
from hypersweep.exceptions import AlgorithmError

SPACE = sp.Space({"a": sp.values([1, 2, 3]), "b": sp.values(["x", "y"])})
def _registered() -> list[str]:
    return available()


@pytest.mark.parametrize("name", _registered())
def test_an_unknown_option_is_one_line_listing_the_options(name: str) -> None:
    declared = algorithm_class(name).OPTIONS
    assert declared is not None, f"{name} declares no OPTIONS"
    with pytest.raises(AlgorithmError) as info:
        make_algorithm(name, SPACE, options={"bogus_option": 1})
    listed = ", ".join(declared.names)
    assert re.fullmatch(rf"{name}: unknown option 'bogus_option'; options are: {re.escape(listed)}", str(info.value))


@pytest.mark.parametrize("name", _registered())
def test_default_settings_are_empty_and_settings_round_trip(name: str) -> None:
    algo = make_algorithm(name, SPACE)
    assert algo.OPTIONS is not None and algo.settings() == {}
    assert make_algorithm(name, SPACE, options=algo.settings()).options == algo.options


# the option that counts initial (random or quasi-random) trials, in each algorithm
INITIAL = [("bo", "n_initial_trials"), ("smac", "n_initial_trials"), ("tpe", "n_startup_trials"),
           ("generative", "n_initial"), ("random", "n_experiments"), ("grid", "n_experiments")]


@pytest.mark.parametrize("name, option", INITIAL)
def test_integer_options_accept_integral_floats(name: str, option: str) -> None:
    algo = make_algorithm(name, SPACE, options={option: 10.0})
    assert algo.options[option] == 10 and type(algo.options[option]) is int


@pytest.mark.parametrize("value", [10.5, True, math.nan, math.inf, "10"])
@pytest.mark.parametrize("name, option", INITIAL)
def test_integer_options_refuse_fractions_bools_nonfinite_and_text(name: str, option: str, value: object) -> None:
    with pytest.raises(AlgorithmError, match=rf"^{name}\.{option}: must be an integer >= \d.*; got "):
        make_algorithm(name, SPACE, options={option: value})


@pytest.mark.parametrize(
    "name, options, field",
    [
        ("smac", {"liar": "BEST"}, "smac.liar"),
        ("smac", {"initial_design": "Sobol"}, "smac.initial_design"),
        ("tpe", {"bandwidth": "Gap"}, "tpe.bandwidth"),
        ("tpe", {"gamma": "Sqrt"}, "tpe.gamma"),
        ("bo", {"target_transform": "Alternate"}, "bo.target_transform"),
        ("bo", {"utility_function": {"acquisition_function": "UCB"}}, "bo.utility_function.acquisition_function"),
    ],
)
def test_choices_match_exactly_with_did_you_mean(name: str, options: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(AlgorithmError, match=rf"^{re.escape(field)}: must be .*\(did you mean '[a-z]+'\?\); got "):
        make_algorithm(name, SPACE, options=options)


@pytest.mark.parametrize(
    "name, option",
    [("smac", "xi"), ("smac", "random_fraction"), ("tpe", "prior_weight"), ("tpe", "bandwidth_factor"),
     ("generative", "prior_weight")],
)
@pytest.mark.parametrize("value", [math.nan, math.inf, True])
def test_number_options_refuse_nan_inf_and_bools(name: str, option: str, value: float) -> None:
    with pytest.raises(AlgorithmError, match=rf"^{name}\.{option}: must be a finite number"):
        make_algorithm(name, SPACE, options={option: value})
