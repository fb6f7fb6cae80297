"""Take the dashboard screenshots in docs/images (headless Chromium, as the browser tests use).

    python docs/dashboard_screenshots.py            # writes docs/images/dashboard-*.png

Builds demo sweeps in a temporary SQLite store (random search with reports, pruned and failed
trials and two workers; BO; ASHA), serves them with `hypersweep dashboard` and captures the
sweeps page, a sweep page with a trial and its note open, the ASHA sweep and the compare page.
"""
from __future__ import annotations

import base64
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypersweep.api import Sweep
from hypersweep.exceptions import TrialPruned
from hypersweep.outcome import Failed
from hypersweep.storage import open_storage
from hypersweep.testing.browser import chromium, close, wait_for

IMAGES = Path(__file__).resolve().parent / "images"
SPACE = {"lr": {"loguniform": [1e-4, 1e-1]}, "units": {"values": [16, 32, 64, 128]}, "dropout": {"uniform": [0, 0.5]}}
DRAWN = "return document.querySelector('#main').dataset.loaded === '1'"


def loss(params: dict, step: int = 10) -> float:
    base = (math.log10(params["lr"]) + 2.5) ** 2 + 8 / params["units"] + params["dropout"] * 0.6
    return base + 1.5 / (1 + step)


def build(path: str) -> None:
    """Demo sweeps: random and bo (20 steps of reports, a few pruned and failed), asha."""
    rng = random.Random(0)
    for name, algorithm, n in (("resnet-random", "random", 120), ("resnet-bo", "bo", 40)):
        sweep = Sweep(SPACE, algorithm=algorithm, metric="val_loss", storage=path, name=name, seed=3)
        for i in range(n):
            trial = sweep.ask()
            pruned = i % 7 == 3
            for step in range(6 if pruned else 20):
                sweep.report(trial, step, loss(trial.params, step) + rng.gauss(0, 0.03))
            outcome = Failed("CUDA out of memory") if i % 29 == 11 else TrialPruned("below the median at step 5") if pruned else loss(trial.params)
            sweep.tell(trial, outcome)
    store = open_storage(path)
    store.set_note("resnet-random", "baseline for the BO run; lr above 1e-2 diverges")
    for worker, ids in (("gpu-0", range(0, 120, 2)), ("gpu-1", range(1, 120, 2))):
        with store._db.engine.begin() as conn:  # the demo ran in one process: name its two workers
            conn.exec_driver_sql(f"UPDATE hs_trials SET worker = '{worker}' WHERE number IN ({','.join(map(str, ids))})")
    store.close()
    asha = Sweep(SPACE, algorithm="asha", metric="val_loss", storage=path, name="resnet-asha",
                 seed=3, options={"max_iter": 27, "eta": 3, "resource": {"name": "epochs", "type": "int"}})
    for _ in range(80):
        trial = asha.ask()
        if trial is None:
            break
        asha.tell(trial, loss(trial.params, int(trial.params["epochs"])) + rng.gauss(0, 0.02))


def shoot(driver, url: str, out: Path, ready: str, click: str | None = None, note: str | None = None) -> None:
    driver.get("about:blank")
    driver.get(url)
    wait_for(driver, ready, timeout=120)
    if click:
        driver.find_element("css selector", click).click()
        wait_for(driver, "return document.getElementById('trial-note')")
        if note:
            driver.find_element("id", "trial-note").send_keys(note)
    time.sleep(1)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    out.write_bytes(base64.b64decode(shot["data"]))
    print("wrote", out)


def main() -> None:
    folder = tempfile.mkdtemp(prefix="hs-shots-")
    path = os.path.join(folder, "demo.db")
    build(path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "hypersweep.cli", "dashboard", "--storage", path, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    driver = chromium()
    base = f"http://127.0.0.1:{port}"
    try:
        time.sleep(4)
        shoot(driver, base + "/", IMAGES / "dashboard-sweeps.png", "return document.querySelectorAll('#sweeps-table tr').length > 3")
        shoot(driver, base + "/#/sweep/resnet-random", IMAGES / "dashboard-sweep.png", DRAWN,
              click="#trials tr[data-trial='11'] td", note="OOM at batch 256: rerun on the 40 GB card")
        shoot(driver, base + "/#/sweep/resnet-asha", IMAGES / "dashboard-asha.png", DRAWN)
        shoot(driver, base + "/#/compare/resnet-random,resnet-bo", IMAGES / "dashboard-compare.png",
              "const el = document.getElementById('plot-compare-edf'); return el && el.dataset.ready === '1'")
    finally:
        close(driver)
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
