"""Where the benchmark data lives: the one setting every benchmark script reads.

``$HYPERSWEEP_BENCHMARK_DATA`` names the folder; unset, it is ``../shared/benchmarks`` relative to
the repository root (not the working directory), so a script finds the same data wherever it runs.
"""
from __future__ import annotations

import os
from pathlib import Path

#: environment variable naming the benchmark data folder
DATA_ENV = "HYPERSWEEP_BENCHMARK_DATA"
#: the repository checkout this ``benchmarks`` folder belongs to
REPOSITORY = Path(__file__).resolve().parents[1]
#: the data folder when ``$HYPERSWEEP_BENCHMARK_DATA`` is unset
DEFAULT_DATA_DIR = (REPOSITORY / ".." / "shared" / "benchmarks").resolve()


def data_dir() -> Path:
    """The benchmark data folder: ``$HYPERSWEEP_BENCHMARK_DATA``, else :data:`DEFAULT_DATA_DIR`."""
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else DEFAULT_DATA_DIR


def lcbench_dir(root: Path | None = None) -> Path:
    """YAHPO Gym's LCBench files: ``{root or data_dir()}/yahpo/lcbench``."""
    return (root or data_dir()) / "yahpo" / "lcbench"


__all__ = ["DATA_ENV", "DEFAULT_DATA_DIR", "REPOSITORY", "data_dir", "lcbench_dir"]
