"""Where each trial's files live: logs of shell trials and checkpoints a promoted trial resumes from."""
from __future__ import annotations

from pathlib import Path
from typing import Any

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
