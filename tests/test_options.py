"""The one option checker every algorithm and pruner uses: one behaviour for every owner."""
import math

import numpy as np
import pytest

from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.options import OptionSet, OptionValueError, choice, custom, flag, integer, number

OPTIONS = OptionSet(
    "algo",
    integer("n_initial_trials", 10, minimum=1),
    integer("max_depth", 12, minimum=1, optional=True),
    number("xi", 0.0, minimum=0.0),
    number("fraction", 0.5, minimum=0.0, maximum=1.0, open_low=True),
    number("eta", 3.0, minimum=1.0, open_low=True, allow_inf=True),
    flag("log_y", False),
    choice("liar", "best", ("best", "mean", "worst")),
)


def test_defaults_fill_every_option():
    assert OPTIONS.parse({}) == {
        "n_initial_trials": 10, "max_depth": 12, "xi": 0.0, "fraction": 0.5, "eta": 3.0, "log_y": False,
        "liar": "best",
    }


@pytest.mark.parametrize("value, parsed", [(10, 10), (10.0, 10), (np.int64(7), 7), (np.float32(3.0), 3)])
def test_integers_accept_integral_floats(value, parsed):
    out = OPTIONS.parse({"n_initial_trials": value})["n_initial_trials"]
    assert out == parsed and type(out) is int


@pytest.mark.parametrize("value", [10.5, True, False, "10", math.nan, math.inf, 0, -3])
def test_integers_refuse_fractions_bools_text_nonfinite_and_out_of_range(value):
    with pytest.raises(AlgorithmError, match=r"^algo\.n_initial_trials: must be an integer >= 1; got .*; e\.g\. n_initial_trials: 10$"):
        OPTIONS.parse({"n_initial_trials": value})


def test_optional_options_keep_none_and_others_take_the_default():
    assert OPTIONS.parse({"max_depth": None})["max_depth"] is None
    assert OPTIONS.parse({"xi": None})["xi"] == 0.0


@pytest.mark.parametrize("value", [True, math.nan, math.inf, -math.inf, "0.1", -0.1])
def test_numbers_refuse_bools_nan_inf_text_and_out_of_range(value):
    with pytest.raises(AlgorithmError, match=r"^algo\.xi: must be a finite number >= 0; got "):
        OPTIONS.parse({"xi": value})


def test_open_and_closed_bounds():
    assert OPTIONS.parse({"fraction": 1})["fraction"] == 1.0
    with pytest.raises(AlgorithmError, match=r"must be a finite number > 0 and <= 1; got 0"):
        OPTIONS.parse({"fraction": 0})


def test_infinity_only_where_an_option_allows_it():
    assert OPTIONS.parse({"eta": math.inf})["eta"] == math.inf
    with pytest.raises(AlgorithmError, match=r"algo\.eta: must be a number > 1; got nan"):
        OPTIONS.parse({"eta": math.nan})


@pytest.mark.parametrize("value", [1, 0, 1.0, "true"])
def test_flags_are_bools_only(value):
    with pytest.raises(AlgorithmError, match=r"^algo\.log_y: must be true or false; got .*; e\.g\. log_y: false$"):
        OPTIONS.parse({"log_y": value})


def test_flags_accept_numpy_bools():
    assert OPTIONS.parse({"log_y": np.bool_(True)})["log_y"] is True


def test_choices_match_exactly_with_did_you_mean():
    assert OPTIONS.parse({"liar": "mean"})["liar"] == "mean"
    with pytest.raises(AlgorithmError, match=r"algo\.liar: must be one of best, mean, worst \(did you mean 'mean'\?\); got 'MEAN'"):
        OPTIONS.parse({"liar": "MEAN"})
    with pytest.raises(AlgorithmError, match=r"\(did you mean 'worst'\?\); got 'wrost'"):
        OPTIONS.parse({"liar": "wrost"})
    with pytest.raises(AlgorithmError, match=r"must be one of best, mean, worst; got 'zzz'"):
        OPTIONS.parse({"liar": "zzz"})


def test_unknown_keys_are_named_with_a_suggestion():
    with pytest.raises(AlgorithmError, match=r"^algo: unknown option 'n_inital_trials' \(did you mean 'n_initial_trials'\?\); options are: n_initial_trials, "):
        OPTIONS.parse({"n_inital_trials": 5})


def test_the_owner_chooses_the_error_class():
    pruner = OptionSet("pruner.patience", integer("patience", 3, minimum=1), error=SpecError)
    with pytest.raises(SpecError, match=r"^pruner\.patience\.patience: must be an integer >= 1; got 0"):
        pruner.parse({"patience": 0})


def test_custom_rules_and_changed():
    def even(value, field):
        if not isinstance(value, int) or value % 2:
            raise OptionValueError("must be an even integer")
        return value

    options = OptionSet("algo", custom("size", 2, even), integer("n", 1, minimum=0))
    parsed = options.parse({"size": 4})
    assert options.changed(parsed) == {"size": 4}
    with pytest.raises(AlgorithmError, match=r"algo\.size: must be an even integer; got 3"):
        options.parse({"size": 3})


def test_an_option_declared_twice_is_a_programming_error():
    with pytest.raises(ValueError, match="declared twice"):
        OptionSet("algo", integer("n", 1), integer("n", 2))
