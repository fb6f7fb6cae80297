"""Find a Python objective named ``module:function`` or ``path/to/file.py:function``."""
from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypersweep.exceptions import SpecError


def load_function(reference: str, *, field: str = "objective") -> Callable[..., Any]:
    """Import and return the callable named by ``reference``; ``SpecError`` naming ``field``."""
    module_name, sep, attribute = str(reference).rpartition(":")
    if not sep or not module_name or not attribute:
        raise SpecError(f"{field}: expected 'module:function' or 'file.py:function'; got {reference!r}")
    if module_name.endswith(".py"):
        module = _module_from_file(Path(module_name), field)
    else:
        if str(Path.cwd()) not in sys.path:
            sys.path.insert(0, str(Path.cwd()))
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise SpecError(f"{field}: cannot import module {module_name!r}: {exc}") from None
    function = getattr(module, attribute, None)
    if not callable(function):
        raise SpecError(f"{field}: module {module_name!r} has no callable {attribute!r}")
    return function


def _module_from_file(path: Path, field: str) -> Any:
    if not path.is_file():
        raise SpecError(f"{field}: file {str(path)!r} does not exist")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SpecError(f"{field}: cannot load {str(path)!r} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module
