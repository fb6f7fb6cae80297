"""Helpers every algorithm shares: identity of a configuration, trial bookkeeping."""
from __future__ import annotations

import math
from collections.abc import Container, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from hypersweep.exceptions import AlgorithmError
from hypersweep.records import Trial
from hypersweep.space import Space

Key = tuple[Hashable, ...]

_MISSING = ("<missing>",)


def _freeze(value: Any) -> Hashable:
    """A hashable stand-in for one param value that survives a JSON/SQL round trip.

    Lists and tuples compare equal (JSON turns tuples into lists), ints and floats compare
    by value (``2 == 2.0``), bools stay apart from ints, numpy scalars count as Python ones.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return ("<bool>", value)
    if isinstance(value, float) and math.isnan(value):
        return ("<nan>",)
    if isinstance(value, (list, tuple, np.ndarray)):
        return ("<seq>", tuple(_freeze(v) for v in list(value)))
    if isinstance(value, Mapping):
        return ("<map>", tuple(sorted((str(k), _freeze(v)) for k, v in value.items())))
    try:
        hash(value)
    except TypeError:
        return ("<repr>", repr(value))
    return value


def params_key(params: Mapping[str, Any], names: Sequence[str] | None = None) -> Key:
    """Hashable identity of a params dict: equal keys mean "the same configuration".

    Args:
        params: one params dict.
        names: the parameters that matter (a space's ``names``); default: every key, sorted.
    """
    keys = list(names) if names is not None else sorted(params)
    return tuple((k, _freeze(params[k]) if k in params else _MISSING) for k in keys)


def seen_trials(finished: Iterable[Trial], pending: Iterable[Trial] = ()) -> list[Trial]:
    """Finished and pending trials with every trial id once (a finished record wins).

    A trial can show up in both lists when it finished between the caller reading its
    pending trials and asking; it is still one trial.
    """
    by_id: dict[int, Trial] = {}
    for trial in finished:
        by_id.setdefault(trial.id, trial)
    for trial in pending:
        by_id.setdefault(trial.id, trial)
    return [by_id[k] for k in sorted(by_id)]


def new_pending(finished_ids: Container[int], pending: Iterable[Trial]) -> list[Trial]:
    """The pending trials that are not finished yet, each id once, in the order given."""
    out: list[Trial] = []
    ids: set[int] = set()
    for trial in pending:
        if trial.id in finished_ids or trial.id in ids:
            continue
        ids.add(trial.id)
        out.append(trial)
    return out


def check_n(n: Any) -> int:
    """Validate the ``n`` of ``ask(n)``: a non-negative integer."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise AlgorithmError(f"ask: n must be a non-negative integer; got {n!r}")
    return int(n)


def first_continuous_dimension(space: Space) -> str | None:
    """Name of the first dimension that is not discrete, or None if every one is."""
    if space.is_discrete:
        return None
    for name in space.names:
        flag = getattr(space[name], "is_discrete", None)
        if flag is False:
            return name
    return None
