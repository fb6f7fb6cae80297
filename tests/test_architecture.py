"""Imports flow one way (docs/architecture.md, Layers): walk every module's imports and check the layers."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hypersweep"

# layer -> hypersweep subpackages/modules it must never import
FORBIDDEN = {
    "space": {"algorithms", "schedulers", "storage", "runner", "api", "cli", "viz", "dashboard", "benchmarks"},
    "options": {"space", "records", "algorithms", "schedulers", "storage", "runner", "api", "cli", "viz", "dashboard", "benchmarks"},
    "records": {"algorithms", "storage", "runner", "api", "cli", "viz", "space"},
    "algorithms": {"storage", "runner", "api", "cli", "viz", "dashboard", "benchmarks"},
    "storage": {"algorithms", "space", "runner", "api", "cli", "viz", "dashboard", "benchmarks"},
    "schedulers": {"algorithms", "storage", "runner", "api", "cli", "viz", "dashboard", "benchmarks"},
    "runner": {"api", "config", "cli", "viz", "dashboard", "benchmarks"},  # api uses runner, never the reverse
    "viz": {"runner", "cli", "storage", "algorithms"},
    # reads only through the Storage interface; actions only through api (never the runner)
    "dashboard": {"runner", "cli", "config", "viz", "benchmarks", "algorithms", "schedulers", "trial_cache"},
}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "hypersweep" and len(parts) > 1:
                found.add(parts[1])
    return found


def _modules(layer: str) -> list[Path]:
    package = PACKAGE / layer
    return sorted(package.rglob("*.py")) if package.is_dir() else [PACKAGE / f"{layer}.py"]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layers_import_only_downwards(layer):
    offences = {
        str(path.relative_to(PACKAGE)): sorted(_imports(path) & FORBIDDEN[layer]) for path in _modules(layer)
    }
    assert not {k: v for k, v in offences.items() if v}


def test_library_modules_do_not_print():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        inside = path.relative_to(PACKAGE).parts
        if inside[0] in {"cli", "benchmarks"} or path.name == "__main__.py":  # commands print their tables
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders
