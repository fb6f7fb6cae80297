"""Issue 21, case 10: the Python API refuses bad arguments with typed errors, never coerces them."""
import pytest

import hypersweep as hs
from hypersweep.exceptions import InvalidRecordError, SpecError
from hypersweep.records import TrialState

SPACE = {"x": hs.uniform(0, 1)}


@pytest.mark.parametrize(
    "kwargs, field",
    [({"seed": "x"}, "seed"), ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"seed": True}, "seed"),
     ({"storage": 5}, "storage"), ({"metric": None}, "metric"), ({"name": ""}, "name")],
)
def test_bad_sweep_arguments_are_typed_errors(tmp_path, monkeypatch, kwargs, field):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError, match=f"^{field}: "):
        hs.Sweep(SPACE, **kwargs)
    assert list(tmp_path.iterdir()) == []  # storage=5 made no file named 5


@pytest.mark.parametrize("step, value", [(1, "x"), (1.5, 0.1), ("1", 0.1)])
def test_bad_reports_are_typed_errors(step, value):
    sweep = hs.Sweep(SPACE, seed=0)
    trial = sweep.ask()
    with pytest.raises(InvalidRecordError):
        sweep.report(trial, step, value)
    assert not sweep.trials[0].reports


def test_tell_refuses_text():
    sweep = hs.Sweep(SPACE, seed=0)
    trial = sweep.ask()
    with pytest.raises(InvalidRecordError, match="^tell: result must be a number"):
        sweep.tell(trial, "0.3")
    assert sweep.trials[0].state is TrialState.RUNNING
    assert sweep.tell(trial, {"value": "0.3"}).state is TrialState.FAILED  # a metric given as text


def test_objective_returning_text_fails_its_trial():
    sweep = hs.Sweep(SPACE, seed=0)
    sweep.run(lambda params: "0.3", n_trials=1, progress=False)
    (trial,) = sweep.trials
    assert trial.state is TrialState.FAILED and "'0.3'" in trial.error
