"""The incremental view a Sweep keeps of its store, with several writers on one store."""
import hypersweep as hs
from hypersweep.trial_cache import TrialCache

SPACE = hs.Space({"x": hs.uniform(0, 1)})


def test_cache_sees_trials_finished_by_another_writer(tmp_path):
    db = tmp_path / "s.db"
    a = hs.Sweep(SPACE, metric="loss", storage=db, name="s")
    b = hs.Sweep(SPACE, metric="loss", storage=db, name="s")
    first = a.ask()
    b_trial = b.ask()  # b learns that trial 0 exists and is pending
    a.tell(first, 1.0)
    for _ in range(3):  # a runs trials b never saw created
        a.tell(a.ask(), 2.0)
    b.tell(b_trial, 3.0)
    b.ask()  # creates id 5, which reveals that ids 2..4 exist
    b.ask()
    told = {t.id for t in b.algorithm.finished}
    assert told == {0, 1, 2, 3, 4} == {t.id for t in TrialCache(b.storage, "s").finished_since(0)[0]}


def test_sync_reads_only_what_changed(tmp_path):
    store = hs.open_storage(tmp_path / "s.db")
    sweep = hs.Sweep(SPACE, metric="loss", storage=store, name="s")
    for _ in range(20):
        sweep.tell(sweep.ask(), 1.0)
    calls = []
    original = store.get_trials

    def counting(name, **kwargs):
        result = original(name, **kwargs)
        calls.append((kwargs.get("ids"), len(result)))
        return result

    store.get_trials = counting
    trial = sweep.ask()
    sweep.tell(trial, 0.5)
    sweep.ask()
    # each ask reads only the pending trials: what this process told it already knows
    assert calls == [(None, 0), (None, 0)]


def test_gaps_left_by_other_writers_are_filled(tmp_path):
    db = tmp_path / "s.db"
    a = hs.Sweep(SPACE, metric="loss", storage=db, name="s")
    b = hs.Sweep(SPACE, metric="loss", storage=db, name="s")
    for _ in range(3):
        a.tell(a.ask(), 1.0)  # ids 0..2, finished, invisible to b's pending query
    b_trial = b.ask()  # id 3: b now knows 0..2 exist
    assert b_trial.id == 3
    b.tell(b_trial, 0.1)
    b.ask()
    assert {t.id for t in b.algorithm.finished} == {0, 1, 2, 3}
