import math

import numpy as np
import pytest

from hypersweep.exceptions import TrialPruned
from hypersweep.outcome import Failed, outcome_of
from hypersweep.records import Metric, TrialState

LOSS = Metric("loss", "minimize")


@pytest.mark.parametrize("result", [0.5, 2, np.float64(0.25), np.float32(1.5)])
def test_numbers_complete(result):
    outcome = outcome_of(result, LOSS)
    assert outcome.state is TrialState.COMPLETED
    assert outcome.value == pytest.approx(float(result))
    assert outcome.metrics == {"loss": pytest.approx(float(result))}


@pytest.mark.parametrize("result", [math.nan, math.inf, -math.inf, None, "abc", True])
def test_non_finite_or_non_numbers_fail_with_reason(result):
    outcome = outcome_of(result, LOSS)
    assert outcome.state is TrialState.FAILED
    assert "loss" in outcome.error and "finite number" in outcome.error


def test_dict_takes_metric_and_keeps_other_numbers():
    outcome = outcome_of({"loss": 0.1, "accuracy": 0.9, "note": "x", "bad": math.nan}, LOSS)
    assert outcome.state is TrialState.COMPLETED
    assert outcome.value == 0.1
    assert outcome.metrics == {"loss": 0.1, "accuracy": 0.9}


def test_dict_without_metric_fails_naming_keys():
    outcome = outcome_of({"acc": 0.9}, LOSS)
    assert outcome.state is TrialState.FAILED
    assert "'loss'" in outcome.error and "acc" in outcome.error
    assert outcome.metrics == {"acc": 0.9}


def test_failures_and_pruning():
    assert outcome_of(Failed("oom"), LOSS).error == "oom"
    failed = outcome_of(RuntimeError("boom"), LOSS)
    assert failed.state is TrialState.FAILED and failed.error == "RuntimeError: boom"
    assert outcome_of(TrialPruned(), LOSS).state is TrialState.PRUNED
