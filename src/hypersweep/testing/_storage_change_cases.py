"""Storage conformance cases: incremental reads (changes since a cursor), sorted trial pages, whole-sweep values and notes."""
from __future__ import annotations

import pytest

from hypersweep.exceptions import InvalidRecordError, SweepNotFoundError, TrialNotFoundError, TrialStateError
from hypersweep.storage.base import Storage
from hypersweep.testing._storage_common import C, F, P, R, W, make_spec


class ChangeCases:
    """``get_trials_changed``, ``get_trial_page`` and ``SweepSummary.updated_at``."""

    def test_changes_from_zero_return_every_trial_once(self, storage: Storage, sweep: str) -> None:
        for i in range(4):
            storage.create_trial(sweep, {"i": i}, state=W if i % 2 else R)
        changes = storage.get_trials_changed(sweep)
        assert [t.id for t in changes.trials] == [0, 1, 2, 3] and not changes.more
        assert storage.get_trials_changed(sweep, after=changes.cursor).trials == ()
        assert storage.get_trials_changed(sweep, after=changes.cursor).cursor == changes.cursor

    def test_every_change_but_a_heartbeat_moves_a_trial_to_the_end(self, storage: Storage, sweep: str) -> None:
        for i in range(4):
            storage.create_trial(sweep, {"i": i}, state=W if i == 3 else R)
        cursor = storage.get_trials_changed(sweep).cursor
        storage.heartbeat(sweep, 0)
        assert storage.get_trials_changed(sweep, after=cursor).trials == ()
        storage.add_report(sweep, 1, 0, 0.5)
        storage.finish_trial(sweep, 0, C, value=1.0)
        storage.requeue_trial(sweep, 2)
        storage.claim_waiting_trial(sweep)  # trial 2 again (oldest waiting)
        changes = storage.get_trials_changed(sweep, after=cursor)
        assert [t.id for t in changes.trials] == [1, 0, 2]
        assert changes.trials[0].reports[0].value == 0.5 and changes.trials[1].state is C
        assert changes.trials[2].state is R
        assert storage.get_trials_changed(sweep, after=cursor, with_reports=False).trials[0].reports == ()

    def test_changes_page_with_limit_and_miss_nothing(self, storage: Storage, sweep: str) -> None:
        for i in range(7):
            storage.create_trial(sweep, {"i": i})
        seen, cursor, more = [], 0, True
        while more:
            changes = storage.get_trials_changed(sweep, after=cursor, limit=3)
            seen += [t.id for t in changes.trials]
            cursor, more = changes.cursor, changes.more
            storage.finish_trial(sweep, 6, P) if seen == [0, 1, 2] else None
        assert seen == [0, 1, 2, 3, 4, 5, 6]

    def test_changes_are_per_sweep(self, storage: Storage, sweep: str) -> None:
        storage.create_sweep(make_spec("other"))
        storage.create_trial(sweep, {})
        cursor = storage.get_trials_changed("other").cursor
        storage.create_trial(sweep, {})
        assert storage.get_trials_changed("other", after=cursor).trials == ()

    def test_changes_refuse_bad_arguments(self, storage: Storage, sweep: str) -> None:
        with pytest.raises(SweepNotFoundError):
            storage.get_trials_changed("missing")
        for bad in ({"after": -1}, {"limit": 0}, {"limit": 10**9}, {"after": 1.5}):
            with pytest.raises(InvalidRecordError):
                storage.get_trials_changed(sweep, **bad)  # type: ignore[arg-type]

    def _fill(self, storage: Storage, sweep: str) -> None:
        for value, state in ((3.0, C), (1.0, C), (None, F), (2.0, C), (1.0, C), (None, R)):
            trial = storage.create_trial(sweep, {})
            if state is not R:
                storage.finish_trial(sweep, trial.id, state, value=value)

    def test_page_sorts_by_value_missing_last_ties_by_id(self, storage: Storage, sweep: str) -> None:
        self._fill(storage, sweep)
        ascending = storage.get_trial_page(sweep, order_by="value")
        assert [t.id for t in ascending.trials] == [1, 4, 3, 0, 2, 5] and ascending.total == 6
        descending = storage.get_trial_page(sweep, order_by="value", descending=True)
        assert [t.id for t in descending.trials] == [0, 3, 1, 4, 2, 5]
        assert all(t.reports == () for t in descending.trials)

    def test_small_pages_cross_from_values_to_missing_ones_in_order(self, storage: Storage, sweep: str) -> None:
        self._fill(storage, sweep)
        for descending, expected in ((False, [1, 4, 3, 0, 2, 5]), (True, [0, 3, 1, 4, 2, 5])):
            for size in (1, 2, 4):
                pages = [storage.get_trial_page(sweep, order_by="value", descending=descending, offset=k, limit=size)
                         for k in range(0, 7, size)]
                assert [t.id for page in pages for t in page.trials] == expected and {p.total for p in pages} == {6}
        finished = storage.get_trial_page(sweep, states=[F, R], order_by="finished_at", offset=1, limit=5)
        assert [t.id for t in finished.trials] == [5] and finished.total == 2  # the running trial has no finish time

    def test_page_filters_offsets_and_counts(self, storage: Storage, sweep: str) -> None:
        self._fill(storage, sweep)
        page = storage.get_trial_page(sweep, states=[C], order_by="id", descending=True, offset=1, limit=2)
        assert [t.id for t in page.trials] == [3, 1] and page.total == 4
        assert storage.get_trial_page(sweep, offset=10).trials == ()
        by_state = storage.get_trial_page(sweep, order_by="state")
        assert [t.state for t in by_state.trials] == [C, C, C, C, F, R]

    def test_page_refuses_bad_arguments(self, storage: Storage, sweep: str) -> None:
        with pytest.raises(SweepNotFoundError):
            storage.get_trial_page("missing")
        for bad in ({"order_by": "params"}, {"offset": -1}, {"limit": 0}, {"states": ["done"]}):
            with pytest.raises((InvalidRecordError, TrialStateError)):
                storage.get_trial_page(sweep, **bad)  # type: ignore[arg-type]

    def test_summary_tells_the_last_update(self, storage: Storage, sweep: str) -> None:
        assert storage.list_sweeps()[0].updated_at is None
        storage.create_trial(sweep, {})
        done = storage.finish_trial(sweep, 0, C, value=1.0)
        assert storage.list_sweeps()[0].updated_at == done.finished_at

    def test_values_are_every_trial_by_id_with_the_current_cursor(self, storage: Storage, sweep: str) -> None:
        assert storage.get_trial_values(sweep).ids == ()
        self._fill(storage, sweep)
        values = storage.get_trial_values(sweep)
        assert values.ids == (0, 1, 2, 3, 4, 5) and values.states == (C, C, F, C, C, R)
        assert values.values == (3.0, 1.0, None, 2.0, 1.0, None)
        assert values.cursor == storage.get_trials_changed(sweep).cursor
        storage.finish_trial(sweep, 5, C, value=0.5)
        assert [t.id for t in storage.get_trials_changed(sweep, after=values.cursor).trials] == [5]
        with pytest.raises(SweepNotFoundError):
            storage.get_trial_values("missing")

    def test_notes_of_a_sweep_and_its_trials_persist_apart_from_changes(self, opener, sweep: str) -> None:
        storage = opener()
        storage.create_trial(sweep, {})
        cursor = storage.get_trials_changed(sweep).cursor
        assert storage.get_note(sweep) == "" and storage.get_note(sweep, trial=0) == ""
        storage.set_note(sweep, "baseline: lr too high ✓")
        storage.set_note(sweep, "diverged at step 3", trial=0)
        again = opener()
        assert again.get_note(sweep) == "baseline: lr too high ✓"
        assert again.get_note(sweep, trial=0) == "diverged at step 3"
        assert storage.get_trials_changed(sweep, after=cursor).trials == ()  # a note is not a trial change
        storage.set_note(sweep, "", trial=0)
        assert again.get_note(sweep, trial=0) == "" and again.get_note(sweep) != ""

    def test_trial_notes_are_read_in_one_call(self, storage: Storage, sweep: str) -> None:
        for _ in range(4):
            storage.create_trial(sweep, {})
        assert storage.get_trial_notes(sweep) == {}
        storage.set_note(sweep, "on the sweep")
        storage.set_note(sweep, "third", trial=3)
        storage.set_note(sweep, "first", trial=1)
        storage.set_note(sweep, "gone", trial=2)
        storage.set_note(sweep, "", trial=2)
        assert storage.get_trial_notes(sweep) == {1: "first", 3: "third"}
        with pytest.raises(SweepNotFoundError):
            storage.get_trial_notes("missing")

    def test_notes_refuse_bad_arguments(self, storage: Storage, sweep: str) -> None:
        with pytest.raises(SweepNotFoundError):
            storage.set_note("missing", "x")
        with pytest.raises(TrialNotFoundError):
            storage.set_note(sweep, "x", trial=7)
        with pytest.raises(TrialNotFoundError):
            storage.get_note(sweep, trial=7)
        for bad in (None, 3, "x" * 20_001, "a\x00b"):
            with pytest.raises(InvalidRecordError):
                storage.set_note(sweep, bad)  # type: ignore[arg-type]
        assert storage.get_note(sweep) == ""
