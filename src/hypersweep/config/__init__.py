"""Sweep files: YAML experiment groups validated into ``SweepFile`` (path + line errors)."""
from hypersweep.config.sweep_file import (
    EarlyStop,
    RunSpec,
    SweepFile,
    load_sweep_file,
    parse_sweep_file,
    sweep_file_from_data,
)

__all__ = ["EarlyStop", "RunSpec", "SweepFile", "load_sweep_file", "parse_sweep_file", "sweep_file_from_data"]
