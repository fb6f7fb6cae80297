"""A library-neutral view of a hypersweep space for peers without a native mapping (Hyperopt, SMAC3).

Every parameter becomes one variable over the space's own unit encoding (``space.columns``):

==============================  ===========================================================
hypersweep columns              peer variable -> hypersweep value
==============================  ===========================================================
continuous (any float kind)     float ``u`` in [0, 1]: the encoded position (so log kinds are
                                searched on a log scale, normal kinds with their prior shape)
integer (quantized kinds)       float position in [0, 1], snapped to the nearest legal multiple
ordinal (numeric discrete)      int rank ``r`` in ``0..n-1`` (order kept) -> level ``r``
onehot (other discrete kinds)   categorical index ``i`` in ``0..n-1`` -> level ``i``
==============================  ===========================================================

:meth:`UnitSpace.decode` builds the unit row and decodes it with ``space.from_unit``, so every
value is legal by construction.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from hypersweep.space import Space

VarKind = Literal["float", "rank", "choice"]


@dataclass(frozen=True)
class UnitVar:
    """One peer variable: a float position, an ordered rank or an unordered choice."""

    name: str
    kind: VarKind
    start: int
    n: int  # levels for rank / choice (1 for float)


class UnitSpace:
    """Peer variables for a space, and the way back to params.

    Example:
        >>> mapping = UnitSpace(space)                        # doctest: +SKIP
        >>> params = mapping.decode({"lr": 0.3, "act": 1})    # doctest: +SKIP
    """

    def __init__(self, space: Space) -> None:
        self.space = space
        out: list[UnitVar] = []
        for name in space.names:
            sl = space.column_slice(name)
            col = space.columns[sl.start]
            if col.kind in ("continuous", "integer"):
                out.append(UnitVar(name, "float", sl.start, 1))
            elif col.kind == "ordinal":
                out.append(UnitVar(name, "rank", sl.start, int(col.n_levels or 1)))
            else:
                out.append(UnitVar(name, "choice", sl.start, sl.stop - sl.start))
        self.variables = out

    def decode(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Peer values ``{name: float | int}`` -> a legal hypersweep params dict."""
        row = np.zeros(self.space.n_columns)
        for var in self.variables:
            value = values[var.name]
            if var.kind == "float":
                row[var.start] = float(value)
            elif var.kind == "rank":
                row[var.start] = (int(value) + 0.5) / var.n
            else:
                row[var.start + int(value)] = 1.0
        return self.space.from_unit(row)
