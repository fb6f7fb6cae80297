"""Where each trial's files live: logs of shell trials and checkpoints a promoted trial resumes from.

They are private to the user: folders are created 0700 and files 0600 (or stricter, by the umask).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

RUNS_DIR = "hypersweep-runs"


def runs_root_for(storage: Any) -> Path:
    """Trial folders' root: beside a SQLite file, else ``./hypersweep-runs``."""
    from sqlalchemy.engine import make_url

    url = getattr(storage, "url", None)
    if isinstance(url, str) and url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            return Path(database).resolve().parent / RUNS_DIR
    return Path.cwd() / RUNS_DIR


def trial_dir(runs_root: str | Path, sweep: str, trial_id: int) -> Path:
    """One trial's folder (stdout.log, stderr.log, params.json, metrics.jsonl, checkpoints)."""
    return Path(runs_root) / sweep / f"trial-{trial_id:05d}"


def make_private_dir(folder: Path) -> Path:
    """Create ``folder`` and its missing parents with mode 0700 (less if the umask says so)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
    return folder


def open_private(path: Path, mode: str = "w") -> IO[str]:
    """Open a text file for writing, created with mode 0600 (less if the umask says so)."""
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC), 0o600),
                mode, encoding="utf-8")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file created with mode 0600."""
    with open_private(path) as file:
        file.write(text)
