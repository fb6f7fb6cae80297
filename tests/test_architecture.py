"""Imports flow one way (docs/architecture.md, Layers): walk every module's imports and check the layers."""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hypersweep"

INTEGRATIONS = {"integration", "sklearn"}  # the top layer: may use anything, nothing uses it
# layer -> hypersweep subpackages/modules it must never import
FORBIDDEN = {
    "space": {"algorithms", "schedulers", "storage", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "options": {"space", "records", "algorithms", "schedulers", "storage", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "records": {"algorithms", "storage", "runner", "api", "cli", "viz", "space"} | INTEGRATIONS,
    "algorithms": {"storage", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "storage": {"algorithms", "space", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "schedulers": {"algorithms", "storage", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "runner": {"api", "config", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,  # api uses runner, never the reverse
    "viz": {"runner", "cli", "storage", "algorithms"} | INTEGRATIONS,
    # Pareto fronts and hypervolume: numpy only; the answer of a sweep (best, front): records and pareto only
    "pareto": {"records", "space", "options", "algorithms", "schedulers", "storage", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "best": {"space", "algorithms", "schedulers", "storage", "runner", "api", "cli", "viz", "dashboard", "hpob"} | INTEGRATIONS,
    "api": INTEGRATIONS,
    "config": INTEGRATIONS,
    "cli": INTEGRATIONS,
    # reads only through the Storage interface; actions only through api (never the runner)
    "dashboard": {"runner", "cli", "config", "viz", "hpob", "algorithms", "schedulers", "trial_cache"} | INTEGRATIONS,
    # HPO-B's protocols drive an algorithm directly: no store, runner or sweep
    "hpob": {"storage", "schedulers", "runner", "api", "config", "cli", "viz", "dashboard"} | INTEGRATIONS,
}


def _imports(path: Path, package: str = "hypersweep") -> set[str]:
    """The ``package`` subpackages a module imports (for another package: its top-level names)."""
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
            if package == "hypersweep" and parts[0] == "hypersweep" and len(parts) > 1:
                found.add(parts[1])
            elif package != "hypersweep":
                found.add(parts[0])
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
        if inside[0] == "cli" or path.name == "__main__.py":  # commands print their tables
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders


TRAINING_LIBRARIES = {"lightning", "pytorch_lightning", "keras", "lightgbm", "mlflow", "xgboost"}


def test_only_integrations_import_training_libraries():
    """Lightning, Keras, LightGBM, MLflow, XGBoost live behind extras: only ``integration`` (and the
    HPO-B surrogates in ``hpob``, which use XGBoost) import them."""
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        inside = path.relative_to(PACKAGE).parts[0]
        if inside in INTEGRATIONS or inside == "hpob":
            continue
        found = _imports(path, package="") & TRAINING_LIBRARIES
        if found:
            offenders[str(path.relative_to(PACKAGE))] = sorted(found)
    assert not offenders


def test_importing_hypersweep_loads_no_integration_library():
    code = "import sys, hypersweep; print(sorted(m for m in {names} if m in sys.modules))".format(
        names=sorted(TRAINING_LIBRARIES | {"sklearn", "torch"})
    )
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_ships_no_benchmark_harness():
    """The harness, problems and peer adapters live in the repository's ``benchmarks/`` folder, which
    the wheel leaves out: nothing in the package may import it."""
    assert not (PACKAGE / "benchmarks").exists()
    importers = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if "benchmarks" in _imports(path, package="")
    )
    assert not importers
