"""Choosing an executor: ``"process"`` (the default), ``"ray"``, ``"dask"``, or an object."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypersweep.exceptions import SpecError
from hypersweep.runner.executor import Executor
from hypersweep.runner.resources import Resources

KINDS = ("process", "ray", "dask")


@dataclass(frozen=True)
class ExecutorChoice:
    """An executor by kind, with the cluster ``address`` (Ray, Dask) and per-trial ``resources``."""

    kind: str = "process"
    address: str | None = None
    resources: Resources | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise SpecError(f"executor: must be one of {', '.join(KINDS)} or an Executor object; got {self.kind!r}")
        if self.kind == "process" and (self.address is not None or self.resources is not None):
            given = "address" if self.address is not None else "resources"
            raise SpecError(f"executor.{given}: only the ray and dask executors take one; set executor to ray or dask")

    def build(self) -> Executor:
        """A fresh executor of this kind (engines are imported only when it starts)."""
        if self.kind == "ray":
            from hypersweep.runner.ray_executor import RayExecutor

            return RayExecutor(self.address, resources=self.resources)
        if self.kind == "dask":
            from hypersweep.runner.dask_executor import DaskExecutor

            return DaskExecutor(self.address, resources=self.resources)
        from hypersweep.runner.process_executor import ProcessExecutor

        return ProcessExecutor()


def make_executor(executor: str | Executor | None, resources: Resources | Mapping[str, Any] | None = None) -> Executor:
    """The executor ``Sweep.run`` uses: by name (None is ``"process"``) or the object given."""
    if isinstance(executor, Executor):
        if resources is not None:
            raise SpecError("resources: give them to the executor object, e.g. hs.RayExecutor(resources={...})")
        return executor
    if executor is not None and not isinstance(executor, str):
        raise SpecError(f"executor: must be one of {', '.join(KINDS)} or an Executor object; got {executor!r}")
    return ExecutorChoice(executor or "process", resources=Resources.of(resources)).build()
