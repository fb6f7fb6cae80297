"""Error hierarchy: one root, one subclass per family of mistakes.

Messages name the field, the rule, what was received and the fix, in one line.
"""
from __future__ import annotations


class HypersweepError(Exception):
    """Root of every error hypersweep raises on purpose."""


class SpecError(HypersweepError, ValueError):
    """A search-space or sweep specification is invalid (raised before anything runs)."""


class ParamsError(HypersweepError, ValueError):
    """A params dict does not belong to its search space."""


class StorageError(HypersweepError):
    """The store cannot do what was asked (unreachable, incompatible schema, ...)."""


class StoreNotFoundError(StorageError):
    """A store that should exist does not (only a run creates one)."""


class SchemaVersionError(StorageError):
    """The store was written by a newer hypersweep; it is refused without writing."""


class SweepNotFoundError(StorageError, KeyError):
    """No sweep of that name exists in the store."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it one plain line
        return str(self.args[0]) if self.args else "sweep not found"


class TrialNotFoundError(StorageError, KeyError):
    """No trial with that id exists in the sweep."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it one plain line
        return str(self.args[0]) if self.args else "trial not found"


class InvalidRecordError(StorageError, ValueError):
    """A value cannot be stored as given (not JSON, not a finite number, bad step, ...)."""


class SweepExistsError(StorageError):
    """A sweep of that name already exists with a different definition.

    ``differences`` names the fields that differ (``space``, ``seed``, ...), so each face can
    say how to continue in its own words.
    """

    def __init__(self, message: str, differences: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.differences = differences


class TrialStateError(HypersweepError):
    """A trial transition is not allowed (e.g. finishing a trial that already finished)."""


class AlgorithmError(HypersweepError, ValueError):
    """An algorithm name or its options are invalid."""


class MultiObjectiveError(HypersweepError, ValueError):
    """A single-metric answer was asked of a multi-objective sweep (use ``best_trials``)."""


class TrialPruned(HypersweepError):
    """Raise inside an objective to stop the trial early; it is stored as PRUNED."""
