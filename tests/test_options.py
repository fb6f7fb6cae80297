"""The one option checker every algorithm and pruner uses: one behaviour for every owner."""
import math

import numpy as np
import pytest

from hypersweep.exceptions import AlgorithmError, SpecError
from hypersweep.options import OptionSet, OptionValueError, block, choice, custom, flag, integer, number

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

    options = OptionSet("algo", custom("size", 2, even, rule="must be an even integer"), integer("n", 1, minimum=0))
    parsed = options.parse({"size": 4})
    assert options.changed(parsed) == {"size": 4}
    with pytest.raises(AlgorithmError, match=r"algo\.size: must be an even integer; got 3"):
        options.parse({"size": 3})


def test_each_option_states_the_rule_its_errors_give():
    """``Option.rule`` is what docs/sweep_file.md shows: the same words as the error."""
    options = OptionSet(
        "algo",
        integer("n", 1, minimum=0, optional=True),
        number("x", 0.5, minimum=0.0, maximum=1.0, open_high=True),
        flag("on", True),
        choice("acq", "ei", ("ei", "poi"), aliases={"pi": "poi"}),
    )
    for option, bad in zip(options.options, (-1, 1.0, "yes", "EI"), strict=True):
        assert option.rule.startswith("must be ")
        with pytest.raises(AlgorithmError) as caught:
            options.parse({option.name: bad})
        assert f"algo.{option.name}: {option.rule}" in str(caught.value)


def test_an_option_declared_twice_is_a_programming_error():
    with pytest.raises(ValueError, match="declared twice"):
        OptionSet("algo", integer("n", 1), integer("n", 2))


def test_aliases_are_exact_spellings_of_a_choice():
    options = OptionSet("algo", choice("acq", "ei", ("ei", "poi"), aliases={"pi": "poi", "log_ei": "ei"}))
    assert options.parse({"acq": "pi"})["acq"] == "poi"
    assert options.parse({"acq": "log_ei"})["acq"] == "ei"
    with pytest.raises(AlgorithmError, match=r"^algo\.acq: must be one of ei, poi \(or pi, log_ei\) \(did you mean 'pi'\?\); got 'PI'"):
        options.parse({"acq": "PI"})


NESTED = OptionSet(
    "algo",
    integer("n", 1, minimum=1),
    block("utility", OptionSet("algo.utility", number("kappa", 2.0, minimum=0.0),
                               block("gp", OptionSet("algo.utility.gp", choice("kernel", "matern", ("matern", "rbf")))))),
)


def test_blocks_parse_their_own_options_and_default_when_absent():
    assert NESTED.parse({})["utility"] == {"kappa": 2.0, "gp": {"kernel": "matern"}}
    assert NESTED.parse({"utility": None})["utility"] == {"kappa": 2.0, "gp": {"kernel": "matern"}}
    parsed = NESTED.parse({"utility": {"gp": {"kernel": "rbf"}}})
    assert parsed["utility"] == {"kappa": 2.0, "gp": {"kernel": "rbf"}}
    assert NESTED.changed(parsed) == {"utility": {"kappa": 2.0, "gp": {"kernel": "rbf"}}}
    assert NESTED.changed(NESTED.parse({"utility": {"kappa": 2}})) == {}


def test_block_errors_name_the_nested_field():
    with pytest.raises(AlgorithmError, match=r"^algo\.utility\.gp\.kernel: must be one of matern, rbf; got 'linear'"):
        NESTED.parse({"utility": {"gp": {"kernel": "linear"}}})
    with pytest.raises(AlgorithmError, match=r"^algo\.utility\.gp: unknown option 'kernal' \(did you mean 'kernel'\?\)"):
        NESTED.parse({"utility": {"gp": {"kernal": "rbf"}}})
    with pytest.raises(AlgorithmError, match=r"^algo\.utility: must be a mapping of kappa, gp; got 'ei'; e\.g\. utility: \{kappa: 2\.0, gp: \{kernel: matern\}\}$"):
        NESTED.parse({"utility": "ei"})


def test_respelled_restores_the_declared_spelling_of_stored_words_only():
    stored = {"n": 3, "utility": {"kappa": 1.0, "gp": {"kernel": " RBF"}}}
    assert NESTED.respelled(stored) == {"n": 3, "utility": {"kappa": 1.0, "gp": {"kernel": "rbf"}}}
    assert OPTIONS.respelled({"liar": "MEAN", "xi": 0.5, "typo": "x"}) == {"liar": "mean", "xi": 0.5, "typo": "x"}
    assert OPTIONS.respelled({"liar": "median"}) == {"liar": "median"}  # not a word: parse refuses it
