"""Dashboard load times on big SQLite sweeps, in headless Chromium (a script, not a timed test).

    python -m benchmarks.dashboard --trials 10000 100000 --out /tmp/hs-dash-bench

For each size: build a finished sweep (3 params, 3 reports per trial) in SQLite, serve the dashboard
with `hypersweep dashboard`, and time (1) opening the sweep page until every plot is drawn with
its data and the first table page is filled, and (2) one incremental update: a trial finished by
another writer until it shows in the page.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage import open_storage
from hypersweep.storage.sql.schema import reports as R
from hypersweep.storage.sql.schema import sweeps as S
from hypersweep.storage.sql.schema import trials as T

SPACE = {"lr": {"loguniform": [1e-4, 1e-1]}, "units": {"values": [16, 32, 64]}, "dropout": {"uniform": [0, 0.5]}}
DRAWN = """
const ids = ['history', 'parallel', 'importance', 'slice', 'contour', 'intermediate'];
return document.getElementById('main').dataset.loaded === '1' && document.querySelectorAll('#trials tr[data-trial]').length > 0
  && ids.every((id) => (document.getElementById('plot-' + id) || {dataset: {}}).dataset.ready === '1');
"""


def build(path: Path, n: int) -> None:
    """A finished random-search sweep of ``n`` trials: created through the Storage interface, its
    trials bulk-inserted in one transaction (as ``n`` create/report/finish calls would leave them)."""
    store = open_storage(str(path))
    store.create_sweep(SweepSpec("big", SPACE, Metric("loss")))
    store.close()
    rng = random.Random(0)
    engine = sa.create_engine(f"sqlite:///{path}")
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        sweep_id = conn.execute(sa.select(S.c.id).where(S.c.name == "big")).scalar_one()
        rows, reports = [], []
        for i in range(n):
            params = {"lr": 10 ** rng.uniform(-4, -1), "units": rng.choice([16, 32, 64]), "dropout": rng.uniform(0, 0.5)}
            value = (math.log10(params["lr"]) + 2.5) ** 2 + 10 / params["units"] + params["dropout"]
            rows.append({"id": i + 1, "sweep_id": sweep_id, "number": i, "state": "completed", "params": json.dumps(params),
                         "value": value, "metrics": "{}", "created_at": now, "started_at": now, "finished_at": now,
                         "heartbeat_at": now, "changed": i + 1})
            reports += [{"trial_id": i + 1, "step": k, "value": value * (1 + 1 / (k + 1)), "time": now} for k in range(3)]
        conn.execute(sa.insert(T), rows)
        conn.execute(sa.insert(R), reports)
        conn.execute(sa.update(S).where(S.c.id == sweep_id).values(next_trial_id=n, change_seq=n))
    engine.dispose()


def measure(path: Path) -> dict[str, float]:
    """Seconds to a drawn page (and its fetch / draw milliseconds), and an incremental update's
    milliseconds from the poll that sees the new trial until it is in the history plot and the table."""
    from selenium.webdriver.support.ui import WebDriverWait

    from hypersweep.testing.browser import chromium, close

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "hypersweep.cli", "dashboard", "--storage", str(path), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = chromium()
    try:
        time.sleep(3)
        start = time.perf_counter()
        driver.get(f"http://127.0.0.1:{port}/#/sweep/big")
        WebDriverWait(driver, 300, poll_frequency=0.05).until(lambda d: d.execute_script(DRAWN))
        page = time.perf_counter() - start
        split = driver.execute_script("const m = document.getElementById('main').dataset; return [m.fetchMs, m.drawMs];")
        store = open_storage(str(path))
        trial = store.create_trial("big", {"lr": 0.01, "units": 32, "dropout": 0.1})
        store.finish_trial("big", trial.id, TrialState.COMPLETED, value=0.5)
        WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: d.execute_script("return document.getElementById('main').dataset.updates"))
        update_ms = float(driver.execute_script("return document.getElementById('main').dataset.lastUpdateMs"))
        return {"page_s": page, "fetch_ms": float(split[0]), "draw_ms": float(split[1]), "update_ms": update_ms}
    finally:
        close(driver)
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--out", type=Path, default=Path("dashboard-bench"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for n in args.trials:
        path = args.out / f"sweep-{n}.db"
        if not path.exists():
            build(path, n)
        result = measure(path)
        print(f"{n:>7} trials: sweep page drawn in {result['page_s']:.2f} s (fetch {result['fetch_ms']:.0f} ms, "
              f"draw {result['draw_ms']:.0f} ms), incremental update {result['update_ms']:.0f} ms")


if __name__ == "__main__":
    main()
