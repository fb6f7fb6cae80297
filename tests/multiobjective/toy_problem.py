"""The small two-objective problem (with a memory metric for constraints) the algorithm tests share."""
import numpy as np

import hypersweep as hs

SPACE = hs.Space({"x": hs.uniform(0, 1), "y": hs.uniform(0, 1)})


def objectives(params):
    """f1, f2 (ZDT1-like) and a memory metric for constraints."""
    x, y = params["x"], params["y"]
    return {"f1": x, "f2": (1 - np.sqrt(x)) + 2 * y, "memory_mb": 1000 * y}


def run_sweep(algorithm, n, seed, constraints=(), options=None):
    """A sweep of ``n`` trials of ``algorithm`` on the problem."""
    sweep = hs.Sweep(SPACE, metric=[hs.Metric("f1"), hs.Metric("f2")], constraints=list(constraints),
                     algorithm=algorithm, seed=seed, options=options)
    for _ in range(n):
        trial = sweep.ask()
        sweep.tell(trial, objectives(trial.params))
    return sweep
