"""TPE on a space with conditional parameters: one Parzen pair per group of parameters that are
active together, fitted only on the trials where that group exists.

Parameters with the same condition (their own ``when`` and their parents', so nested
conditions split further) form a group; the unconditional ones form the root group. Each group
ranks the trials where it is active into good and bad and fits l(x) and g(x) over its own
parameters on them, so a parameter's density never sees a trial where it did not exist and an
inactive parameter is never noise in another's kernel (Hyperopt and Optuna fit their
tree-structured estimators on the trials holding each parameter too; they split the whole
history once, which did worse on the conditional toy problem, ``benchmarks/conditional_toy.py``).
A candidate takes one draw from every group's l(x); its score sums ``log l - log g`` over the
groups active in the valid params it decodes to.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hypersweep.algorithms.tpe.layout import Layout, Points
from hypersweep.algorithms.tpe.options import good_group_size
from hypersweep.algorithms.tpe.parzen import ParzenEstimator
from hypersweep.algorithms.tpe.split import best_rows, valid_rows
from hypersweep.records import Params
from hypersweep.space import Space


@dataclass(frozen=True)
class Group:
    """Parameters active together: their names, their unit columns and their own layout."""

    names: tuple[str, ...]
    index: tuple[int, ...]  # positions of the names in space.names
    columns: np.ndarray
    layout: Layout


def effective_condition(space: Space, name: str) -> str:
    """A key equal for parameters that are active in exactly the same configurations."""
    conditions = space.conditions
    chain: dict[str, list[Any]] = {}
    todo = [name]
    while todo:
        for parent, values in conditions.get(todo.pop(), {}).items():
            chain[parent] = sorted(values, key=json.dumps) if parent not in chain else chain[parent]
            todo.append(parent)
    return json.dumps(sorted(chain.items()), default=str)


def groups_of(space: Space) -> list[Group]:
    """The groups of a conditional space, root group first."""
    by_key: dict[str, list[str]] = {}
    for name in space.names:
        by_key.setdefault(effective_condition(space, name), []).append(name)
    out = []
    for names in by_key.values():
        cols = np.concatenate([np.arange(space.column_slice(n).start, space.column_slice(n).stop) for n in names])
        sub = Space({n: space[n] for n in names})
        out.append(Group(tuple(names), tuple(space.names.index(n) for n in names), cols, Layout(sub)))
    return out


class GroupedTPE:
    """Candidates and scores of a conditional space's groups for one ask."""

    def __init__(self, space: Space, options: Mapping[str, Any]) -> None:
        self.space = space
        self.options = options
        self.groups = groups_of(space)

    def fit(self, unit: np.ndarray, loss: np.ndarray, active: np.ndarray,
            liars: tuple[np.ndarray, np.ndarray]) -> list[tuple[ParzenEstimator, ParzenEstimator]]:
        """Per group, (l, g) from the trials where it is active, ranked among themselves (one loss,
        or several and the violation: :func:`~hypersweep.algorithms.tpe.split.best_rows`); the
        liars (unit rows, active masks) join g."""
        o = self.options
        out = []
        for g in self.groups:
            rows = np.flatnonzero(active[:, g.index[0]])
            valid = valid_rows(loss, rows)
            good = np.zeros(len(loss), dtype=bool)
            good[best_rows(loss, valid, good_group_size(valid.size, o["gamma"], o["max_good"]))] = True
            liar_rows = np.flatnonzero(liars[1][:, g.index[0]])
            below = g.layout.encode(unit[np.ix_(np.flatnonzero(good), g.columns)])
            above = Points.concat([
                g.layout.encode(unit[np.ix_(rows[~good[rows]], g.columns)]),
                g.layout.encode(liars[0][np.ix_(liar_rows, g.columns)]),
            ])
            out.append((ParzenEstimator(below, g.layout, o), ParzenEstimator(above, g.layout, o)))
        return out

    def candidates(self, models: list[tuple[ParzenEstimator, ParzenEstimator]],
                   rng: np.random.Generator, n: int) -> list[Params]:
        """``n`` valid candidates, best ``log l - log g`` (over their active groups) first."""
        unit = np.zeros((n, self.space.n_columns))
        scores = np.zeros((len(self.groups), n))
        for j, (g, (below, above)) in enumerate(zip(self.groups, models)):
            cand = below.sample(rng, n)
            scores[j] = below.log_pdf(cand) - above.log_pdf(cand)
            unit[:, g.columns] = g.layout.decode(cand)
        params = self.space.from_unit_many(unit)
        active = self.space.active_mask(params)
        total = np.array([sum(scores[j, k] for j, g in enumerate(self.groups) if active[k, g.index[0]]) for k in range(n)])
        return [params[k] for k in np.argsort(-total, kind="stable")]


__all__ = ["Group", "GroupedTPE", "effective_condition", "groups_of"]
