"""Compare the sweep page's cost between source trees (e.g. before and after a change), interleaved.

    python -m benchmarks.dashboard_ab --db /tmp/hs-dash-bench/sweep-10000.db --loads 8 OLD/src NEW/src
    python -m benchmarks.dashboard_ab --db /tmp/hs-dash-bench/sweep-10000.db --loads 5 --first OLD/src NEW/src

Serves the same sweep (a database made by ``benchmarks.dashboard``) from each tree's
``hypersweep dashboard`` and loads its sweep page in turn, in headless Chromium, until every plot
is drawn: later loads in one browser (``--first``: a fresh browser profile per load, so plotly.js
is compiled each time). Prints the median and minimum of the page's main-thread CPU seconds and of
the wall-clock seconds per tree; on a shared machine the CPU figures are the ones to compare.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.dashboard import DRAWN, _accepts, page_cpu


def serve(src: str, db: Path) -> tuple[int, subprocess.Popen]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": src}
    proc = subprocess.Popen([sys.executable, "-m", "hypersweep.cli", "dashboard", "--storage", str(db), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _accepts(port):
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError(f"the dashboard from {src} did not start")
        time.sleep(0.2)
    return port, proc


def load(driver, port: int) -> tuple[float, float]:
    """One load of the sweep page until drawn: (page CPU seconds, wall-clock seconds)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    cpu, start = page_cpu(driver), time.perf_counter()
    driver.get(f"http://127.0.0.1:{port}/#/sweep/big")
    WebDriverWait(driver, 300, poll_frequency=0.05).until(lambda d: d.execute_script(DRAWN))
    return page_cpu(driver) - cpu, time.perf_counter() - start


def main() -> None:
    from hypersweep.testing.browser import chromium, close

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="+", help="source folders (each holding the hypersweep package)")
    parser.add_argument("--db", type=Path, required=True, help="a sweep database made by benchmarks.dashboard")
    parser.add_argument("--loads", type=int, default=8)
    parser.add_argument("--first", action="store_true", help="time first loads (a fresh browser profile each)")
    args = parser.parse_args()
    servers = [serve(src, args.db) for src in args.trees]
    runs: dict[str, list[tuple[float, float]]] = {src: [] for src in args.trees}
    driver = None
    try:
        if not args.first:
            driver = chromium()
            driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
            for port, _ in servers:
                load(driver, port)  # warm the cache: the loads timed below are later loads
        for k in range(args.loads):
            for src, (port, _) in zip(args.trees, servers):
                if args.first:
                    driver = chromium()
                    driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
                runs[src].append(load(driver, port))
                if args.first:
                    close(driver)
                    driver = None
            print(f"  round {k + 1} of {args.loads}", flush=True)
    finally:
        if driver is not None:
            close(driver)
        for _, proc in servers:
            proc.terminate()
            proc.wait(10)
    kind = "first" if args.first else "later"
    print(f"\n{kind} loads, {args.loads} per tree, load average {os.getloadavg()[0]:.1f}\n")
    print("| tree | page CPU median / min | wall median / min |")
    print("| --- | --- | --- |")
    for src, found in runs.items():
        cpu, wall = [r[0] for r in found], [r[1] for r in found]
        print(f"| {src} | {statistics.median(cpu):.3f} / {min(cpu):.3f} s | {statistics.median(wall):.2f} / {min(wall):.2f} s |")


if __name__ == "__main__":
    main()
