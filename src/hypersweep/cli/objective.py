"""Find the objective a user named as ``module:function`` or ``path/to/file.py:function``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypersweep.runner.objective_ref import load_function


def load_objective(reference: str) -> Callable[..., Any]:
    """Import and return the callable named by ``reference`` (errors name ``--objective``)."""
    return load_function(reference, field="--objective")
