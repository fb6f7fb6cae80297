"""Dashboard load times on big SQLite sweeps, in headless Chromium (a script, not a timed test).

    python -m benchmarks.dashboard --trials 10000 100000 --repeats 3 --out /tmp/hs-dash-bench

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
import os
import socket
import statistics
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
const ids = ['history', 'parallel', 'importance', 'slice', 'contour', 'rank', 'edf', 'timeline', 'intermediate'];
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


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def server_cpu(pid: int) -> float:
    """Seconds of CPU the process used so far (user + system, from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def page_cpu(driver) -> float:
    """Seconds of CPU the page's main thread used so far (Chrome's ThreadTime metric)."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def measure(path: Path, repeats: int) -> list[dict[str, float]]:
    """``repeats`` fresh page loads (the first with a cold browser cache): seconds to a drawn page,
    its fetch / draw milliseconds, the CPU seconds the page's main thread and the server used (what
    the load of a shared machine does not inflate much), and an incremental update's milliseconds
    from the poll that sees a trial finished by another writer until it is in the history plot and
    the table."""
    from selenium.webdriver.support.ui import WebDriverWait

    from hypersweep.testing.browser import chromium, close

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "hypersweep.cli", "dashboard", "--storage", str(path), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = chromium()
    store = open_storage(str(path))
    runs: list[dict[str, float]] = []
    try:
        deadline = time.monotonic() + 120
        while not _accepts(port):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the dashboard did not start")
            time.sleep(0.2)
        driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
        for _ in range(repeats):
            driver.get("about:blank")
            cpu = (page_cpu(driver), server_cpu(server.pid))
            start = time.perf_counter()
            driver.get(f"http://127.0.0.1:{port}/#/sweep/big")
            WebDriverWait(driver, 300, poll_frequency=0.05).until(lambda d: d.execute_script(DRAWN))
            page = time.perf_counter() - start
            page_cpu_s, server_cpu_s = page_cpu(driver) - cpu[0], server_cpu(server.pid) - cpu[1]
            split = driver.execute_script("const m = document.getElementById('main').dataset; return [m.fetchMs, m.drawMs];")
            trial = store.create_trial("big", {"lr": 0.01, "units": 32, "dropout": 0.1})
            store.finish_trial("big", trial.id, TrialState.COMPLETED, value=0.5)
            WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: d.execute_script("return document.getElementById('main').dataset.updates"))
            update_ms = float(driver.execute_script("return document.getElementById('main').dataset.lastUpdateMs"))
            runs.append({"page_s": page, "fetch_ms": float(split[0]), "draw_ms": float(split[1]), "page_cpu_s": page_cpu_s,
                         "server_cpu_s": server_cpu_s, "update_ms": update_ms})
            print(f"  run {len(runs)}: " + ", ".join(f"{k} {v:.3g}" for k, v in runs[-1].items()), flush=True)
        return runs
    finally:
        store.close()
        close(driver)
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3, help="page loads per size (medians are printed)")
    parser.add_argument("--out", type=Path, default=Path("dashboard-bench"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.trials:
        path = args.out / f"sweep-{n}.db"
        if not path.exists():
            build(path, n)
        before = os.getloadavg()[0]
        runs = measure(path, args.repeats)
        rows.append((n, runs, before, os.getloadavg()[0]))
    print(f"\n{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs; first load with a cold browser cache,"
          f" then the median of {args.repeats - 1} later loads\n")
    print("| trials | page drawn: first / later | later: fetch / drawing | later: CPU page / server | incremental update | load average before / after |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n, runs, before, after in rows:
        later = runs[1:] or runs
        med = {key: statistics.median(run[key] for run in later) for key in runs[0]}
        print(f"| {n:,} | {runs[0]['page_s']:.2f} s / {med['page_s']:.2f} s | {med['fetch_ms']:.0f} / {med['draw_ms']:.0f} ms "
              f"| {med['page_cpu_s']:.2f} / {med['server_cpu_s']:.2f} s | {statistics.median(r['update_ms'] for r in runs):.0f} ms "
              f"| {before:.1f} / {after:.1f} |")


if __name__ == "__main__":
    main()
