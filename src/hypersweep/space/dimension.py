"""The dimension contract: one parameter's legal values, sampling and unit encoding.

Every kind (``values``, ``range``, ..., ``qlognormal``) is a :class:`Dimension`. A dimension
has no name; a :class:`~hypersweep.space.Space` maps names to dimensions.
"""
from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

if TYPE_CHECKING:
    from hypersweep.space.rules import Param

ColumnKind = Literal["continuous", "integer", "ordinal", "onehot"]


@dataclass(frozen=True)
class Column:
    """One column of the unit-hypercube encoding.

    Attributes:
        param: the parameter this column belongs to.
        index: position of the column in the encoded vector.
        kind: ``"continuous"`` (any x in [0, 1] is a distinct value), ``"integer"`` (a
            quantized kind: x is the value's position, decoding snaps to the q grid),
            ``"ordinal"`` (``n_levels`` ordered levels, level i at x = (i + 0.5) / n) or
            ``"onehot"`` (one column per categorical level, decoded by argmax).
        n_levels: how many legal values the parameter has (None for continuous).
        level: the categorical level of a one-hot column (None otherwise).
        log: True when the position is taken on a log scale.
        dimension: the parameter's kind, e.g. ``"loguniform"``.
    """

    param: str
    index: int
    kind: ColumnKind
    n_levels: int | None = None
    level: Any = None
    log: bool = False
    dimension: str = ""


class Dimension(ABC):
    """Base class of every kind. Immutable after construction; compared by its spec."""

    #: The Polyaxon kind name, e.g. ``"loguniform"``.
    kind: ClassVar[str]
    #: True when the values can be enumerated by a grid (values, pvalues, range, *space).
    is_discrete: ClassVar[bool] = False
    #: Encoding width (number of unit-hypercube columns).
    width: int = 1

    # -- description ------------------------------------------------------------------------
    @abstractmethod
    def spec(self) -> Any:
        """The kind's argument in canonical, JSON-serialisable form (e.g. ``[0.0001, 0.1]``)."""

    def to_matrix(self) -> dict[str, Any]:
        """``{kind: spec}``, the matrix entry that rebuilds this dimension."""
        return {self.kind: self.spec()}

    @abstractmethod
    def allowed(self) -> str:
        """What values are legal, in words (used in ParamsError messages)."""

    @property
    def n_levels(self) -> int | None:
        """Number of legal values when finite (discrete and quantized kinds), else None."""
        return None

    def levels(self) -> list[Any]:
        """All values in definition order (discrete kinds only)."""
        raise TypeError(f"{self.kind} is not discrete; it has no finite list of levels")

    def level_at(self, i: int) -> Any:
        """The ``i``-th value in definition order (discrete kinds only), without listing them all."""
        raise TypeError(f"{self.kind} is not discrete; it has no finite list of levels")

    # -- values -----------------------------------------------------------------------------
    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int) -> list[Any]:
        """``size`` independent draws, as plain Python values."""

    @abstractmethod
    def validate(self, value: Any, name: str) -> Any:
        """The normalised legal value equal to ``value``; ParamsError naming ``name`` if none."""

    # -- unit encoding ----------------------------------------------------------------------
    @abstractmethod
    def encode(self, values: Sequence[Any]) -> np.ndarray:
        """Normalised values -> array of shape ``(n, width)`` in [0, 1]."""

    @abstractmethod
    def decode(self, x: np.ndarray) -> list[Any]:
        """Array of shape ``(n, width)`` (already clipped to [0, 1]) -> legal values."""

    @abstractmethod
    def columns(self, name: str, start: int) -> list[Column]:
        """Column descriptors for this dimension, numbered from ``start``."""

    # -- relations to other parameters -------------------------------------------------------
    def when(self, **parents: Any) -> Param:
        """This dimension, active only while each parent holds the value (or one of a list).

        >>> import hypersweep.space as sp
        >>> sp.range(1, 20, 1).when(booster="gbtree").condition
        {'booster': 'gbtree'}
        """
        return _param(self).when(**parents)

    def bounded(self, *, min: str | None = None, max: str | None = None) -> Param:  # noqa: A002
        """This dimension held at or above ``min`` / at or below ``max`` (numeric parameters)."""
        return _param(self).bounded(min=min, max=max)

    def with_default(self, value: Any) -> Param:
        """This dimension with the value a command placeholder gets while it is inactive."""
        return _param(self).with_default(value)

    # -- identity ---------------------------------------------------------------------------
    def _identity(self) -> str:
        return json.dumps(self.to_matrix(), sort_keys=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dimension):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        spec = self.spec()
        if isinstance(spec, list) and self.kind not in ("values", "pvalues"):
            return f"{self.kind}({', '.join(repr(v) for v in spec)})"
        return f"{self.kind}({spec!r})"


def _param(dim: Dimension) -> Param:
    from hypersweep.space.rules import Param  # rules builds on this module

    return Param(dim)


def ordinal_encode(ranks: Sequence[int], n: int) -> np.ndarray:
    """Level ranks -> bin centres ``(rank + 0.5) / n``, shape ``(len, 1)``."""
    return ((np.asarray(ranks, dtype=float) + 0.5) / n).reshape(-1, 1)


def ordinal_decode(x: np.ndarray, n: int) -> np.ndarray:
    """Column of positions in [0, 1] -> level ranks in ``0..n-1`` (equal-width bins)."""
    ranks = np.floor(np.asarray(x, dtype=float).reshape(-1) * n)
    return np.clip(ranks, 0, n - 1).astype(np.int64)
