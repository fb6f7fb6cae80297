"""Benchmarks: problems, peer adapters, the harness and its reports.

Submodules are imported on demand (``hypersweep.benchmarks.hpob`` is the HPO-B protocol
adapter), so importing this package stays cheap and pulls in no optional dependency.
"""
from __future__ import annotations

__all__: list[str] = []
