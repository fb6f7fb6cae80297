"""``Space``: named dimensions, with sampling, grids, validation and the unit encoding."""
from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from hypersweep.exceptions import ParamsError, SpecError
from hypersweep.space._common import fail, fresh, got, label, short_repr
from hypersweep.space.dimension import Column, Dimension
from hypersweep.space.kinds import DISCRETE_KINDS, is_dimension_spec, parse_dimension
from hypersweep.space.rules import FORBIDDEN_KEY, Param, parse_rules, split_entry
from hypersweep.space.structure import Structure
from hypersweep.space.yaml_io import dump_yaml, load_yaml

Params = dict[str, Any]
#: the encoding of an inactive parameter's single column: outside [0, 1], a value no active one
#: takes (a one-hot group is all zeros); ``from_unit`` clips it like any coordinate
INACTIVE_POSITION = -0.5
RngLike = np.random.Generator | int | np.random.SeedSequence | None


def as_rng(rng: RngLike) -> np.random.Generator:
    """A Generator from a Generator (used as is), a seed, a SeedSequence or None."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


class Space:
    """A search space: parameter names mapped to dimensions (one Polyaxon matrix).

    Args:
        dimensions: ``{name: Dimension}`` (from the kind factories, optionally with relations:
            ``hs.range(1, 20, 1).when(booster="gbtree")``, ``.bounded(max="k2")``,
            ``.with_default(0)``) or ``{name: matrix entry}`` such as
            ``{"lr": {"loguniform": [1e-4, 0.1]}}`` or ``{"d": {"range": [1, 20, 1], "when":
            {"booster": "gbtree"}}}``; a ``forbidden`` key with a list value holds forbidden
            combinations (see ``forbidden``).
        forbidden: combinations of values that must not occur together, e.g.
            ``[{"booster": "gblinear", "tree_method": "hist"}]``.

    Raises:
        SpecError: a name is not a non-empty string, or an entry is invalid.

    Example:
        >>> import hypersweep.space as sp
        >>> space = sp.Space({"lr": sp.loguniform(1e-4, 1e-1), "units": sp.values([32, 64])})
        >>> params = space.sample(0)
        >>> space.from_unit(space.to_unit(params)) == params
        True
    """

    def __init__(
        self,
        dimensions: Mapping[str, Dimension | Param | Mapping[str, Any]],
        forbidden: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        if isinstance(dimensions, Space):
            dimensions = dimensions.to_matrix()
        if not isinstance(dimensions, Mapping):
            fail("matrix", None, f"needs a mapping of parameter name -> kind, e.g. {{lr: {{uniform: [0, 1]}}}}; got {got(dimensions)}")
        if isinstance(dimensions.get(FORBIDDEN_KEY), (list, tuple)):
            if forbidden is not None:
                fail(f"matrix.{FORBIDDEN_KEY}", None, "is given twice (in the matrix and as an argument); keep one")
            forbidden = dimensions[FORBIDDEN_KEY]
            dimensions = {k: v for k, v in dimensions.items() if k != FORBIDDEN_KEY}
        if not dimensions:
            fail("matrix", None, "needs at least one parameter, e.g. {lr: {uniform: [0, 1]}}; got {}")
        dims: dict[str, Dimension] = {}
        extras: dict[str, dict[str, Any]] = {}
        for name, spec in dimensions.items():
            if not isinstance(name, str) or not name:
                fail("matrix", None, f"needs parameter names that are non-empty strings; got {got(name)}")
            kind, relations = split_entry(spec)
            try:
                dims[name] = parse_dimension(kind, label("matrix", name))
            except SpecError as exc:
                if name != FORBIDDEN_KEY:
                    raise
                raise SpecError(f"{exc}; forbidden combinations are a list, e.g. forbidden: [{{a: 1, b: x}}]") from None
            if relations:
                extras[name] = relations
        if forbidden is not None and FORBIDDEN_KEY in dims:
            fail(f"matrix.{FORBIDDEN_KEY}", None, "names both a parameter and the forbidden combinations; rename the parameter")
        self._rules = parse_rules(dims, extras, forbidden)
        self._structure = None if self._rules.empty else Structure(dims, self._rules)
        self._dims = dims
        self._names = list(dims)
        self._slices: dict[str, slice] = {}
        columns: list[Column] = []
        for name, dim in dims.items():
            start = len(columns)
            columns.extend(dim.columns(name, start))
            self._slices[name] = slice(start, len(columns))
        self._columns = columns

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_matrix(cls, matrix: Mapping[str, Any]) -> Space:
        """Build from a Polyaxon-style matrix: ``{name: {kind: argument}}``.

        >>> Space.from_matrix({"x": {"linspace": "0:1:5"}}).grid_size
        5
        """
        return cls(matrix)

    @classmethod
    def from_yaml(cls, text_or_path: str | os.PathLike[str]) -> Space:
        """Build from YAML text or a file: the matrix mapping, or a mapping with a ``matrix:`` key.

        Scalars follow YAML 1.2 (``1:10:2`` stays a string, ``1e-4`` is a float).
        """
        data = load_yaml(text_or_path)
        if isinstance(data, Mapping) and isinstance(data.get("matrix"), Mapping):
            if not is_dimension_spec(data["matrix"]):
                data = data["matrix"]
        if not isinstance(data, Mapping):
            hint = " (no such file?)" if isinstance(data, str) and "\n" not in str(text_or_path) else ""
            fail("matrix", None, f"needs a YAML mapping of parameter name -> kind; got {got(data)}{hint}")
        return cls(data)

    def to_matrix(self) -> dict[str, Any]:
        """``{name: {kind: argument, relations...}}`` (plus ``forbidden: [...]`` when set),
        JSON-serialisable; ``Space.from_matrix`` rebuilds it."""
        out: dict[str, Any] = {name: {**dim.to_matrix(), **self._rules.entry(name)} for name, dim in self._dims.items()}
        if self._rules.forbidden:
            out[FORBIDDEN_KEY] = [dict(clause) for clause in self._rules.forbidden]
        return out

    def to_yaml(self) -> str:
        """The matrix as YAML text (``Space.from_yaml`` reads it back equal)."""
        return dump_yaml(self.to_matrix())

    # -- mapping-like access ------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Parameter names in definition order."""
        return list(self._names)

    @property
    def dimensions(self) -> dict[str, Dimension]:
        """``{name: Dimension}`` in definition order (a copy)."""
        return dict(self._dims)

    def __getitem__(self, name: str) -> Dimension:
        try:
            return self._dims[name]
        except KeyError:
            raise KeyError(f"no parameter {short_repr(name)}; the space has: {self._names_text()}") from None

    def _names_text(self) -> str:
        return short_repr(self._names, 200)

    def __len__(self) -> int:
        return len(self._dims)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._dims

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Space):
            return NotImplemented
        return list(self._dims.items()) == list(other._dims.items()) and self._relations() == other._relations()

    def __hash__(self) -> int:
        return hash((tuple(self._dims.items()), self._relations()))

    def _relations(self) -> str:
        return json.dumps([[self._rules.entry(n) for n in self._names], self._rules.forbidden], sort_keys=True)

    def __repr__(self) -> str:
        inner = ", ".join(
            f"{name!r}: {dim!r}" + "".join(f".{k}({v!r})" for k, v in self._rules.entry(name).items())
            for name, dim in self._dims.items()
        )
        tail = f", forbidden={self._rules.forbidden!r}" if self._rules.forbidden else ""
        return f"Space({{{inner}}}{tail})"

    # -- relations between parameters ----------------------------------------------------------
    @property
    def is_structured(self) -> bool:
        """True when some parameter has a condition or a bound, or combinations are forbidden."""
        return self._structure is not None

    @property
    def conditions(self) -> dict[str, dict[str, list[Any]]]:
        """``{name: {parent: [values]}}`` for every conditional parameter (a copy)."""
        return {n: {p: list(v) for p, v in c.items()} for n, c in self._rules.conditions.items()}

    @property
    def forbidden(self) -> list[dict[str, Any]]:
        """The forbidden combinations (a copy)."""
        return [dict(clause) for clause in self._rules.forbidden]

    @property
    def defaults(self) -> dict[str, Any]:
        """``{name: default}`` of the parameters that declare one (used while inactive)."""
        return dict(self._rules.defaults)

    def is_active(self, name: str, params: Mapping[str, Any]) -> bool:
        """Whether ``name`` exists given the values of its parents in ``params``."""
        self[name]
        return self._structure is None or self._structure.active(name, params)

    def active_mask(self, params_list: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Boolean ``(n, len(space))``: which parameter each params dict holds."""
        return np.array([[name in p for name in self._names] for p in params_list], dtype=bool).reshape(-1, len(self._names))

    # -- sampling -----------------------------------------------------------------------------
    def sample(self, rng: RngLike = None) -> Params:
        """One params dict drawn from the space (``rng``: Generator, seed or None)."""
        return self.sample_many(rng, 1)[0]

    def sample_many(self, rng: RngLike, n: int) -> list[Params]:
        """``n`` independent params dicts (each dimension draws its ``n`` values in turn)."""
        n = int(n)
        if n < 0:
            raise ValueError(f"sample_many: n must be >= 0; got {n}")
        gen = as_rng(rng)
        columns = {name: dim.sample(gen, n) for name, dim in self._dims.items()}
        rows = [{name: columns[name][i] for name in self._names} for i in range(n)]
        if self._structure is None:
            return rows
        return [self._ordered(self._structure.resolve(row, gen)) for row in rows]

    def _ordered(self, params: Mapping[str, Any]) -> Params:
        return {name: params[name] for name in self._names if name in params}

    # -- grid ---------------------------------------------------------------------------------
    @property
    def is_discrete(self) -> bool:
        """True when every dimension is discrete (values, pvalues, range, *space)."""
        return all(dim.is_discrete for dim in self._dims.values())

    @property
    def grid_size(self) -> int | None:
        """Number of grid points, or None when a dimension is not discrete."""
        if not self.is_discrete:
            return None
        if self._structure is not None:
            return self._structure.count()
        return math.prod(dim.n_levels or 0 for dim in self._dims.values())

    def iter_grid(self) -> Iterator[Params]:
        """Every combination of levels, lazily (the last parameter varies fastest)."""
        for name, dim in self._dims.items():
            if not dim.is_discrete:
                raise SpecError(
                    f"{label('matrix', name)}: grid needs every parameter discrete ({', '.join(DISCRETE_KINDS)}); "
                    f"{short_repr(name)} is {dim.kind}; make it discrete or use a sampling algorithm such as random"
                )
        if self._structure is not None:
            for combo in self._structure.walk():
                yield {name: fresh(combo[name]) for name in self._names if name in combo}
            return
        dims = list(self._dims.values())
        sizes = [dim.n_levels or 0 for dim in dims]
        if 0 in sizes:
            return
        index = [0] * len(dims)
        current = [dim.level_at(0) for dim in dims]
        while True:
            yield {name: fresh(v) for name, v in zip(self._names, current)}
            j = len(dims) - 1  # odometer: the last parameter varies fastest
            while j >= 0 and index[j] == sizes[j] - 1:
                index[j] = 0
                current[j] = dims[j].level_at(0)
                j -= 1
            if j < 0:
                return
            index[j] += 1
            current[j] = dims[j].level_at(index[j])

    def grid(self) -> list[Params]:
        """All grid points as a list; SpecError naming the first non-discrete parameter."""
        return list(self.iter_grid())

    # -- validation ---------------------------------------------------------------------------
    def validate(self, params: Mapping[str, Any]) -> Params:
        """A normalised copy of ``params`` (e.g. 32.0 -> 32 for int levels).

        Raises:
            ParamsError: naming the parameter, what was received and what is allowed.
        """
        if not isinstance(params, Mapping):
            raise ParamsError(f"params: needs a mapping of parameter name -> value; got {got(params)}")
        if self._structure is None:
            missing = [n for n in self._names if n not in params]
            if missing:
                raise ParamsError(f"params: missing {short_repr(missing[0])}; the space has: {self._names_text()}")
        extra = [k for k in params if k not in self._dims]
        if extra:
            raise ParamsError(
                f"params: unknown parameter {short_repr(extra[0])}; the space has: {self._names_text()}"
            )
        out = {name: self._dims[name].validate(params[name], name) for name in self._names if name in params}
        if self._structure is not None:
            self._structure.check(out, self._names_text())
        return out

    def contains(self, params: Mapping[str, Any]) -> bool:
        """True when ``validate`` accepts ``params``."""
        try:
            self.validate(params)
        except ParamsError:
            return False
        return True

    # -- unit hypercube encoding ----------------------------------------------------------------
    @property
    def n_columns(self) -> int:
        """Width D of the unit encoding."""
        return len(self._columns)

    @property
    def columns(self) -> list[Column]:
        """One ``Column`` per encoding column, in order."""
        return list(self._columns)

    def column_slice(self, name: str) -> slice:
        """The encoding columns of parameter ``name``."""
        self[name]  # KeyError with the list of names
        return self._slices[name]

    def to_unit(self, params: Mapping[str, Any]) -> np.ndarray:
        """Params dict -> point of shape ``(D,)`` in [0, 1]^D (ParamsError if illegal)."""
        return self.to_unit_many([params])[0]

    def to_unit_many(self, params_list: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """List of n params dicts -> array of shape ``(n, D)``.

        An inactive parameter takes a dedicated encoding, the same in every row: its one-hot
        group all zeros, its single column at ``INACTIVE_POSITION`` (-0.5, the one coordinate
        outside [0, 1]); so two points that differ only in parameters neither has are the same
        point to a model, and none of them is mistaken for an active value.
        """
        return self._encode([self.validate(p) for p in params_list])

    def _encode(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Valid, normalised params dicts -> unit rows (no checks)."""
        out = np.empty((len(rows), self.n_columns))
        for name, dim in self._dims.items():
            if not rows:
                continue
            sl = self._slices[name]
            if self._structure is None:
                out[:, sl] = dim.encode([row[name] for row in rows])
                continue
            out[:, sl] = 0.0 if dim.width > 1 else INACTIVE_POSITION
            held = [i for i, row in enumerate(rows) if name in row]
            if held:
                out[held, sl] = dim.encode([rows[i][name] for i in held])
        return out

    def from_unit(self, x: Any) -> Params:
        """Point of shape ``(D,)``, anywhere in [0, 1]^D (clipped) -> legal params dict."""
        arr = np.asarray(x, dtype=float)
        if arr.shape != (self.n_columns,):
            raise ParamsError(f"from_unit: needs shape ({self.n_columns},); got {arr.shape}")
        return self.from_unit_many(arr[None, :])[0]

    def from_unit_many(self, x: Any) -> list[Params]:
        """Array of shape ``(n, D)`` -> n legal params dicts."""
        arr = np.asarray(x, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != self.n_columns:
            raise ParamsError(f"from_unit_many: needs shape (n, {self.n_columns}); got {arr.shape}")
        if np.isnan(arr).any():
            raise ParamsError("from_unit: the point contains NaN; every coordinate must be a number in [0, 1]")
        arr = np.clip(arr, 0.0, 1.0)
        decoded = {name: dim.decode(arr[:, self._slices[name]]) for name, dim in self._dims.items()}
        rows = [{name: decoded[name][i] for name in self._names} for i in range(arr.shape[0])]
        if self._structure is None:
            return rows
        return [self._ordered(self._structure.resolve(row, None)) for row in rows]

    def canonical_unit(self, x: Any) -> np.ndarray:
        """Rows ``(n, D)`` -> the encodings of the valid params they decode to (inactive
        parameters at their dedicated encoding), so a model scores the point it proposes."""
        arr = np.asarray(x, dtype=float)
        if self._structure is None:
            return np.clip(arr, 0.0, 1.0)
        return self._encode(self.from_unit_many(arr))  # decoded params are valid already
