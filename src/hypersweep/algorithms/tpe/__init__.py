"""Tree-structured Parzen estimator (registered as ``tpe``).

Modules: :mod:`.options` (the declared options and the split size), :mod:`.layout` (the space in TPE's
coordinates), :mod:`.parzen` (the kernel density estimator), :mod:`.observations` (the encoded
history and the good/bad split), :mod:`.split` (the good group under several metrics and
constraints), :mod:`.sampler` (the algorithm).
"""
from __future__ import annotations

from hypersweep.algorithms.tpe.sampler import TPE

__all__ = ["TPE"]
