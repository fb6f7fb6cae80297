"""The trial table as CSV: every row matching the table's filter and order, read page by page."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from hypersweep.records import Trial, TrialState
from hypersweep.storage import Storage

PAGE = 5000  # trials read per store query


def filename(sweep: str) -> str:
    """A safe download name for the sweep's table."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", sweep)[:100] + "-trials.csv"


def cell(value: Any) -> Any:
    """A CSV cell: numbers and text as is, None empty, other JSON values as JSON."""
    if value is None or isinstance(value, (int, float, str)):
        return "" if value is None else value
    return json.dumps(value)


def iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def csv_rows(store: Storage, sweep: str, *, states: list[TrialState] | None, order_by: str, descending: bool) -> Iterator[str]:
    """The header line, then one line per matching trial, in the table's order."""
    spec = store.get_sweep(sweep)
    names = spec.param_names
    header = ["id", "state", spec.metric.name, *names, "started", "finished", "duration_s", "worker", "error"]
    offset = 0
    yield line(header)
    while True:
        page = store.get_trial_page(sweep, states=states, order_by=order_by, descending=descending, offset=offset, limit=PAGE)
        for trial in page.trials:
            yield line(row(trial, names))
        offset += len(page.trials)
        if not page.trials or offset >= page.total:
            return


def row(trial: Trial, names: list[str]) -> list[Any]:
    return [trial.id, trial.state.value, cell(trial.value), *(cell(trial.params.get(n)) for n in names),
            iso(trial.started_at), iso(trial.finished_at), cell(trial.duration), cell(trial.worker), cell(trial.error)]


def line(cells: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()
