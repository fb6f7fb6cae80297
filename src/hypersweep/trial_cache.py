"""One process's view of a sweep's trials, kept in step with the store at low cost.

Finished trials never change, so each is read from the store once; a sync reads only the
unfinished trials and the few that finished since the last sync. This keeps ``Sweep.ask``
cheap at thousands of trials, on every backend. ``Sweep.ask`` creates a trial only under the
id this cache expects next, so every trial another process created is known before a suggestion
is stored.
"""
from __future__ import annotations

from hypersweep.records import Trial, TrialState
from hypersweep.storage import Storage

_UNFINISHED = (TrialState.WAITING, TrialState.RUNNING)


class TrialCache:
    """Finished trials by id, plus the ids last seen unfinished."""

    def __init__(self, storage: Storage, sweep: str) -> None:
        self._storage = storage
        self._sweep = sweep
        self._finished: dict[int, Trial] = {}
        self._learnt: list[Trial] = []  # finished trials in the order this process learnt of them
        self._open: set[int] = set()
        self._next_id = 0  # every id below this is finished or in _open
        self.note_all(storage.get_trials(sweep))

    def note_all(self, trials: list[Trial]) -> None:
        """Record trials read or written by this process."""
        for trial in trials:
            self.note(trial)

    def note(self, trial: Trial) -> None:
        """Record one trial this process created, claimed, finished or read."""
        if trial.id > self._next_id:  # ids in between exist; their state is learnt at the next sync
            self._open.update(range(self._next_id, trial.id))
        self._next_id = max(self._next_id, trial.id + 1)
        if trial.is_finished:
            self._open.discard(trial.id)
            if trial.id not in self._finished:
                self._finished[trial.id] = trial
                self._learnt.append(trial)
        else:
            self._open.add(trial.id)

    def sync(self) -> list[Trial]:
        """Catch up with the store; return the unfinished (pending) trials."""
        pending = self._storage.get_trials(self._sweep, states=_UNFINISHED, with_reports=False)
        pending_ids = {t.id for t in pending}
        top = max(pending_ids, default=-1) + 1
        if top > self._next_id:
            self._open.update(range(self._next_id, top))
            self._next_id = top
        gone = self._open - pending_ids  # finished since we last looked
        if gone:
            self.note_all(self._storage.get_trials(self._sweep, ids=gone))
        self._open = pending_ids | {i for i in self._open if i not in self._finished}
        return pending

    def finished_since(self, position: int) -> tuple[list[Trial], int]:
        """Finished trials learnt after ``position`` (0 for all), and the position to ask from next."""
        return self._learnt[position:], len(self._learnt)

    @property
    def next_id(self) -> int:
        """The id the next trial gets if nobody else created one since this view was synced."""
        return self._next_id

    @property
    def finished(self) -> list[Trial]:
        """The finished trials known, in the order this process learnt of them."""
        return list(self._learnt)

    @property
    def n_finished(self) -> int:
        return len(self._finished)
