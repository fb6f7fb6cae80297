"""Search spaces: the 14 Polyaxon matrix kinds, ``Space``, grids and the unit encoding.

>>> import hypersweep.space as sp
>>> space = sp.Space({"lr": sp.loguniform(1e-4, 1e-1), "units": sp.values([32, 64])})
>>> sorted(space.sample(0))
['lr', 'units']
>>> sp.Space.from_matrix({"x": {"logspace": "0:2:3"}}).grid()
[{'x': 1.0}, {'x': 10.0}, {'x': 100.0}]

See ``docs/search_spaces.md`` for each kind's exact semantics and the encoding.
"""
from hypersweep.space.categorical import PValues, Values
from hypersweep.space.dimension import Column, Dimension
from hypersweep.space.distributions import (
    LogNormal,
    LogUniform,
    Normal,
    QLogNormal,
    QLogUniform,
    QNormal,
    QUniform,
    Uniform,
)
from hypersweep.space.factories import (
    geomspace,
    linspace,
    logspace,
    lognormal,
    loguniform,
    normal,
    pvalues,
    qlognormal,
    qloguniform,
    qnormal,
    quniform,
    range,
    uniform,
    values,
)
from hypersweep.space.kinds import DISCRETE_KINDS, KINDS, parse_dimension
from hypersweep.space.rules import Param
from hypersweep.space.sequences import GeomSpace, LinSpace, LogSpace, Range
from hypersweep.space.space import Space, as_rng
from hypersweep.space.yaml_io import dump_yaml, load_yaml

__all__ = [
    "DISCRETE_KINDS",
    "KINDS",
    "Column",
    "Dimension",
    "GeomSpace",
    "LinSpace",
    "LogNormal",
    "LogSpace",
    "LogUniform",
    "Normal",
    "PValues",
    "Param",
    "QLogNormal",
    "QLogUniform",
    "QNormal",
    "QUniform",
    "Range",
    "Space",
    "Uniform",
    "Values",
    "as_rng",
    "dump_yaml",
    "geomspace",
    "linspace",
    "load_yaml",
    "logspace",
    "lognormal",
    "loguniform",
    "normal",
    "parse_dimension",
    "pvalues",
    "qlognormal",
    "qloguniform",
    "qnormal",
    "quniform",
    "range",
    "uniform",
    "values",
]
