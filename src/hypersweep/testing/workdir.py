"""For CLI tests: a working folder with its files, on the import path, without a stray store."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def prepare_workdir(folder: Path, monkeypatch: Any, files: Mapping[str, str]) -> Path:
    """Write ``files`` into ``folder``, make it the current folder and first on ``sys.path``, and
    unset ``$HYPERSWEEP_STORAGE`` so the default store is ``folder/hypersweep.db``."""
    for name, text in files.items():
        (folder / name).write_text(text)
    monkeypatch.chdir(folder)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv("HYPERSWEEP_STORAGE", raising=False)
    return folder
