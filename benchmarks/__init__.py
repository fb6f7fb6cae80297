"""Benchmarks of hypersweep (not shipped with the package): problems, peer adapters, the harness,
its reports and the benchmark scripts.

Run from the repository root, e.g. ``python -m benchmarks.harness --help``. Submodules are imported
on demand, so importing this package stays cheap and pulls in no optional dependency. The data
folder is one setting, :func:`benchmarks.data.data_dir`.
"""
from __future__ import annotations

__all__: list[str] = []
