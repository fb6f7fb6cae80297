"""Issue 21, case 17: Hyperband deals a small space to a bracket without replacement, and says
when the space is smaller than a bracket."""
import logging
from collections import Counter

import hypersweep as hs


def full_run(space, seed=0):
    sweep = hs.Sweep(space, algorithm="hyperband", options={"max_iter": 81, "eta": 3}, seed=seed)
    while (trial := sweep.ask()) is not None:
        sweep.tell(trial, float(trial.params["x"]))
    return sweep.trials


def test_a_bracket_repeats_a_configuration_only_after_trying_all(caplog):
    with caplog.at_level(logging.WARNING, logger="hypersweep.algorithms"):
        trials = full_run({"x": {"values": list(range(10))}})
    assert len(trials) == 206
    first_rungs = Counter((t.meta["iteration"], t.meta["bracket"]) for t in trials if t.meta["rung"] == 0)
    for bracket, n in first_rungs.items():
        counts = Counter(t.params["x"] for t in trials
                         if t.meta["rung"] == 0 and (t.meta["iteration"], t.meta["bracket"]) == bracket)
        assert len(counts) == min(n, 10)  # every point before any repeat
        assert max(counts.values()) - min(counts.values()) <= 1
    assert "the space has 10 configurations, fewer than the 81 its widest bracket starts with" in caplog.text


def test_a_space_larger_than_every_bracket_gets_distinct_configurations(caplog):
    with caplog.at_level(logging.WARNING, logger="hypersweep.algorithms"):
        trials = full_run({"x": {"values": list(range(200))}})
    for bracket in {(t.meta["iteration"], t.meta["bracket"]) for t in trials}:
        firsts = [t.params["x"] for t in trials if t.meta["rung"] == 0 and (t.meta["iteration"], t.meta["bracket"]) == bracket]
        assert len(set(firsts)) == len(firsts)
    assert "fewer than" not in caplog.text
