"""``Resources``: what one trial asks of a Ray or Dask cluster (CPUs, GPUs, memory)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypersweep.exceptions import SpecError

KEYS = ("cpus", "gpus", "memory_mb")


@dataclass(frozen=True)
class Resources:
    """Per-trial requests: ``cpus`` and ``gpus`` (fractions allowed), ``memory_mb`` (None: none asked)."""

    cpus: float = 1.0
    gpus: float = 0.0
    memory_mb: int | None = None

    def __post_init__(self) -> None:
        _check_amount("cpus", self.cpus, positive=True)
        _check_amount("gpus", self.gpus, positive=False)
        if self.memory_mb is not None and (
            isinstance(self.memory_mb, bool) or not isinstance(self.memory_mb, int) or self.memory_mb < 1
        ):
            raise SpecError(f"resources.memory_mb: must be an integer >= 1 (megabytes); got {self.memory_mb!r}")

    @classmethod
    def of(cls, value: "Resources | Mapping[str, Any] | None") -> "Resources | None":
        """``value`` checked: a ``Resources``, a mapping with keys cpus/gpus/memory_mb, or None."""
        if value is None or isinstance(value, Resources):
            return value
        if not isinstance(value, Mapping):
            raise SpecError(f"resources: must be a mapping such as {{'cpus': 1, 'gpus': 0}}; got {value!r}")
        for key in value:
            if key not in KEYS:
                raise SpecError(f"resources.{key}: unknown resource; allowed: {', '.join(KEYS)}")
        return cls(**value)


def _check_amount(name: str, value: Any, *, positive: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SpecError(f"resources.{name}: must be a number; got {value!r}")
    if value < 0 or (positive and value == 0):
        raise SpecError(f"resources.{name}: must be {'> 0' if positive else '>= 0'}; got {value!r}")
