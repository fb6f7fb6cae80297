"""Turn what a scikit-learn user passes as a search space into a ``hs.Space``.

Accepted: a ``hs.Space``; a dict mapping each parameter to a hypersweep dimension
(``hs.loguniform(1e-3, 1)``), a Polyaxon matrix entry (``{"loguniform": [1e-3, 1]}``), a list of
choices, or a frozen ``scipy.stats`` distribution (``uniform``, ``loguniform``, ``randint``,
``norm``) as ``RandomizedSearchCV`` takes them. Lists may hold any objects (estimators, kernels):
the sweep stores a label per choice and ``SearchSpace.decode`` gives back the object.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hypersweep.exceptions import SpecError
from hypersweep.space import Dimension, Space, loguniform, normal, parse_dimension, range, uniform, values

SCIPY_KINDS = ("uniform", "loguniform", "randint", "norm")


@dataclass(frozen=True)
class SearchSpace:
    """A ``Space`` plus, for lists of non-JSON objects, the objects behind each stored label."""

    space: Space
    choices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def decode(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Stored params with labels of object choices replaced by the objects themselves."""
        return {name: self.choices[name][value] if name in self.choices else value for name, value in params.items()}


def search_space(space: Any) -> SearchSpace:
    """The ``SearchSpace`` of a ``hs.Space`` or a ``{name: dimension | matrix entry | list | scipy distribution}``."""
    if isinstance(space, Space):
        return SearchSpace(space)
    if not isinstance(space, Mapping) or not space:
        raise SpecError(
            f"space: must be a hs.Space or a non-empty dict of parameter -> distribution or list; got {type(space).__name__}"
        )
    dims: dict[str, Dimension] = {}
    choices: dict[str, dict[str, Any]] = {}
    for name, entry in space.items():
        dims[name], labelled = _dimension(str(name), entry)
        if labelled:
            choices[name] = labelled
    return SearchSpace(Space(dims), choices)


def _dimension(name: str, entry: Any) -> tuple[Dimension, dict[str, Any]]:
    """One parameter's dimension, and the label -> object map when it is a list of objects."""
    if isinstance(entry, Dimension):
        return entry, {}
    if isinstance(entry, Mapping):
        return parse_dimension(entry, f"space.{name}"), {}
    if hasattr(entry, "rvs") and hasattr(entry, "dist"):
        return _from_scipy(name, entry), {}
    if isinstance(entry, Sequence) and not isinstance(entry, str) and len(entry) > 0:
        try:
            return values(list(entry)), {}
        except SpecError:  # objects that are not JSON: store a label per choice
            labelled = {f"{i}:{_short(item)}": item for i, item in enumerate(entry)}
            return values(list(labelled)), labelled
    raise SpecError(
        f"space.{name}: must be a list of choices, a scipy.stats distribution ({', '.join(SCIPY_KINDS)}), "
        f"a hs dimension or a matrix entry like {{'uniform': [0, 1]}}; got {entry!r}"
    )


def _from_scipy(name: str, frozen: Any) -> Dimension:
    """A hypersweep dimension with the same distribution as a frozen scipy.stats one."""
    kind = frozen.dist.name
    low, high = (float(x) for x in frozen.support())
    loc = frozen.kwds.get("loc", frozen.args[frozen.dist.numargs] if len(frozen.args) > frozen.dist.numargs else 0)
    if kind == "uniform":
        return uniform(low, high)
    if kind in ("loguniform", "reciprocal") and loc == 0:
        return loguniform(low, high)
    if kind == "randint":
        return range(int(low), int(high) + 1, 1)
    if kind == "norm":
        return normal(float(frozen.mean()), float(frozen.std()))
    raise SpecError(
        f"space.{name}: scipy.stats.{kind} has no hypersweep equivalent; use one of "
        f"{', '.join(SCIPY_KINDS)} (loguniform without loc), a list, or a hs dimension"
    )


def _short(item: Any, limit: int = 60) -> str:
    text = repr(item).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."
