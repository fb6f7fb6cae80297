"""What the Ray and Dask executors share: the extra check and the report round trip's limits."""
from __future__ import annotations

import importlib
from types import ModuleType

from hypersweep.exceptions import HypersweepError

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
        raise HypersweepError(f"executor: {executor} needs the {extra} extra: pip install 'hypersweep[{extra}]'") from None
