import inspect
import json
import math

import pytest

import hypersweep as hs
from hypersweep.records import Direction, Report, Trial, TrialState
from hypersweep.schedulers import (
    PRUNERS,
    Curves,
    MedianPruner,
    PatiencePruner,
    PercentilePruner,
    ThresholdPruner,
    pruner_from_spec,
)

MIN, MAX = Direction.MINIMIZE, Direction.MAXIMIZE


def _curves(finished_curves):
    curves = Curves()
    curves.add_finished(
        Trial(i, {}, TrialState.COMPLETED, value=c[-1], reports=tuple(Report(s, v) for s, v in enumerate(c)))
        for i, c in enumerate(finished_curves)
    )
    return curves


FIVE = [[1.0, 0.5], [2.0, 0.6], [3.0, 0.7], [4.0, 0.8], [5.0, 0.9]]


def test_median_rule_compares_with_finished_trials_at_the_same_step():
    pruner = MedianPruner(n_startup_trials=5)
    curves = _curves(FIVE)
    assert not pruner.should_stop(99, 0, 3.0, curves, MIN)  # equal to the median: keep
    assert pruner.should_stop(99, 0, 3.1, curves, MIN)
    assert not pruner.should_stop(99, 1, 0.65, curves, MIN)
    assert pruner.should_stop(99, 0, 2.9, curves, MAX)  # when maximizing, low is bad
    assert not pruner.should_stop(99, 7, 100.0, curves, MIN)  # nobody reported step 7


def test_startup_and_warmup_hold_decisions_back():
    curves = _curves(FIVE)
    assert not MedianPruner(n_startup_trials=6).should_stop(99, 0, 100.0, curves, MIN)
    assert not MedianPruner(n_warmup_steps=1).should_stop(99, 0, 100.0, curves, MIN)
    assert MedianPruner(n_warmup_steps=1).should_stop(99, 1, 100.0, curves, MIN)
    assert MedianPruner(n_min_trials=5).should_stop(99, 0, 100.0, curves, MIN)
    assert not MedianPruner(n_min_trials=6).should_stop(99, 0, 100.0, curves, MIN)


def test_percentile_keeps_only_the_best_share():
    curves = _curves(FIVE)
    quarter = PercentilePruner(25.0)
    assert quarter.should_stop(99, 0, 2.5, curves, MIN)  # 25th percentile of 1..5 is 2
    assert not quarter.should_stop(99, 0, 2.0, curves, MIN)


def test_failed_trials_do_not_count():
    curves = _curves(FIVE)
    curves.add_finished([Trial(0, {}, TrialState.FAILED, reports=(Report(0, 1.0),))])
    assert curves.finished_at(0, exclude=-1).tolist() == [2.0, 3.0, 4.0, 5.0]


def test_threshold_and_nan():
    pruner = ThresholdPruner(lower=0.0, upper=1.0)
    curves = Curves()
    assert pruner.should_stop(0, 0, 1.5, curves, MIN) and pruner.should_stop(0, 0, -0.1, curves, MIN)
    assert not pruner.should_stop(0, 0, 0.5, curves, MIN)
    assert MedianPruner().should_stop(0, 0, math.nan, curves, MIN)


def test_patience_stops_a_plateau():
    pruner = PatiencePruner(2, min_delta=0.01)
    curves = Curves()
    for step, value in enumerate([1.0, 0.8, 0.795, 0.796]):
        curves.add(0, step, value)
    assert pruner.should_stop(0, 3, 0.796, curves, MIN)  # last 2 steps improved by < 0.01
    curves.add(1, 0, 1.0), curves.add(1, 1, 0.8), curves.add(1, 2, 0.7)
    assert not pruner.should_stop(1, 2, 0.7, curves, MIN)


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda: PercentilePruner(0), "percentile"),
        (lambda: PercentilePruner(100), "percentile"),
        (lambda: MedianPruner(n_warmup_steps=-1), "n_warmup_steps"),
        (lambda: ThresholdPruner(), "threshold"),
        (lambda: ThresholdPruner(lower=2, upper=1), "lower < upper"),
        (lambda: PatiencePruner(0), "patience"),
        (lambda: PatiencePruner(2, min_delta=-1), "min_delta"),
    ],
)
def test_bad_settings_are_named(make, field):
    with pytest.raises(hs.SpecError, match=field):
        make()


def curve_objective(params, trial):
    for step in range(10):
        if trial.report(step, params["x"] + 1.0 / (step + 1)):
            return params["x"]
    return params["x"]


def test_sweep_run_prunes_bad_trials_and_keeps_their_curves():
    sweep = hs.Sweep(
        hs.Space({"x": hs.uniform(0, 1)}),
        algorithm="random",
        metric="loss",
        seed=0,
        pruner=MedianPruner(n_startup_trials=3, n_warmup_steps=2),
    )
    sweep.run(curve_objective, n_trials=20, concurrency=2, progress=False)
    trials = sweep.trials
    pruned = [t for t in trials if t.state is TrialState.PRUNED]
    completed = [t for t in trials if t.state is TrialState.COMPLETED]
    assert pruned and len(completed) >= 3
    for trial in pruned:  # stopped right at the step the pruner named, past the warm-up
        step = int(trial.error.rsplit("step ", 1)[1])
        assert step >= 2 and [r.step for r in trial.reports] == list(range(step + 1))
    assert min(t.value for t in completed) <= min(t.params["x"] for t in pruned)


def test_report_returns_the_pruner_decision():
    sweep = hs.Sweep(hs.Space({"x": hs.uniform(0, 1)}), metric="loss", pruner=ThresholdPruner(upper=1.0))
    trial = sweep.ask()
    assert sweep.report(trial, 0, 0.5) is False
    assert sweep.report(trial, 1, 2.0) is True


@pytest.mark.parametrize(
    "pruner, spec",
    [
        (MedianPruner(n_startup_trials=2), {"median": {"n_startup_trials": 2, "n_warmup_steps": 0, "n_min_trials": 1}}),
        (PercentilePruner(25, n_warmup_steps=3),
         {"percentile": {"percentile": 25.0, "n_startup_trials": 5, "n_warmup_steps": 3, "n_min_trials": 1}}),
        (ThresholdPruner(upper=1.5), {"threshold": {"lower": None, "upper": 1.5, "n_warmup_steps": 0}}),
        (PatiencePruner(3, min_delta=0.1), {"patience": {"patience": 3, "min_delta": 0.1, "n_warmup_steps": 0}}),
    ],
)
def test_a_pruner_describes_itself_and_is_rebuilt_from_that(pruner, spec):
    assert pruner.spec() == spec
    rebuilt = pruner_from_spec(json.loads(json.dumps(spec)))  # what a store gives back
    assert type(rebuilt) is type(pruner) and rebuilt.spec() == spec
    curves = _curves(FIVE)
    for trial_id, step, value in [(99, 0, 3.1), (99, 1, 0.65), (99, 4, 0.9), (0, 1, 0.49)]:
        assert rebuilt.should_stop(trial_id, step, value, curves, MIN) == pruner.should_stop(trial_id, step, value, curves, MIN)


def test_sweep_files_and_stored_sweeps_name_the_same_pruners():
    assert set(PRUNERS) == {"median", "percentile", "threshold", "patience"}
    assert pruner_from_spec({"median": None}).spec() == MedianPruner().spec()  # `median:` with no options


@pytest.mark.parametrize(
    "spec, message",
    [
        ({}, "exactly one pruner"),
        ({"median": {}, "patience": {}}, "exactly one pruner"),
        (["median"], "exactly one pruner"),
        ({"hyperband": {}}, "unknown pruner 'hyperband'; choose from median, percentile, threshold, patience"),
        ({"median": [1]}, "pruner.median: options must be a mapping"),
        ({"median": {"percentile": 10}}, r"pruner.median.percentile: unknown option of the median pruner; allowed: "),
        ({"patience": {"patience": 0}}, "pruner.patience.patience: must be an integer >= 1"),
    ],
)
def test_bad_pruner_specs_are_one_line_errors(spec, message):
    with pytest.raises(hs.SpecError, match=message) as info:
        pruner_from_spec(spec)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("cls", list(PRUNERS.values()))
def test_declared_options_are_the_constructor_keywords_with_the_same_defaults(cls):
    parameters = inspect.signature(cls.__init__).parameters
    keywords = {name: p.default for name, p in parameters.items() if name != "self"}
    assert keywords == cls.OPTIONS.defaults


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: MedianPruner(n_startup_trials=2.5), r"^pruner\.median\.n_startup_trials: must be an integer >= 0; got 2\.5"),
        (lambda: PercentilePruner(25, n_min_trials=True), r"^pruner\.percentile\.n_min_trials: must be an integer"),
        (lambda: PatiencePruner(3, min_delta=math.inf), r"^pruner\.patience\.min_delta: must be a finite number >= 0"),
        (lambda: ThresholdPruner(upper="1.5"), r"^pruner\.threshold\.upper: must be a finite number or null; got '1\.5'"),
        (lambda: ThresholdPruner(lower=math.nan), r"^pruner\.threshold\.lower: must be a finite number"),
    ],
)
def test_pruner_options_follow_the_one_checker(make, message):
    with pytest.raises(hs.SpecError, match=message):
        make()


def test_integral_floats_count_as_integers():
    pruner = MedianPruner(n_startup_trials=5.0, n_warmup_steps=2.0)
    assert (pruner.n_startup_trials, pruner.n_warmup_steps) == (5, 2) and type(pruner.n_startup_trials) is int
    assert PatiencePruner(3.0).patience == 3
