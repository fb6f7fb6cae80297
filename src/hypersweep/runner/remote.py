"""What the Ray and Dask executors share: their constructor, the extra check, the report round trip's limits."""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from hypersweep.exceptions import SpecError
from hypersweep.runner.executor import Executor
from hypersweep.runner.resources import Resources

ANSWER_SECONDS = 10.0
"""How long a remote trial's ``report`` waits for the pruner's answer before it goes on; a later
answer to stop is then seen on a following report (the seam's rule for remote executors)."""

CANCEL_GRACE_SECONDS = 5.0
"""How long a cancelled trial may take to stop by itself before its worker is killed."""


def require(module: str, *, executor: str, extra: str) -> ModuleType:
    """Import ``module`` or fail in one line naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise SpecError(f"executor: {executor} needs the {extra} extra: pip install 'hypersweep[{extra}]'") from None


class ClusterExecutor(Executor):
    """An executor of a cluster: its ``address`` (None: start one here), per-trial ``resources``
    and more keyword options for the engine (kept in ``engine_options``)."""

    def __init__(
        self,
        address: str | None = None,
        *,
        resources: Resources | Mapping[str, Any] | None = None,
        **engine_options: Any,
    ) -> None:
        self.address = address
        self.resources = Resources.of(resources) or Resources()
        self.engine_options = engine_options
