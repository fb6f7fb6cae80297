"""Multi-objective benchmark: hypervolume and feasibility of hypersweep's ``mobo``/``nsga2`` against
Optuna's NSGAIISampler, TPESampler and GPSampler (and Ax, when asked).

``problems`` (ZDT1-3, DTLZ2, C2-DTLZ2, LCBench accuracy vs training time; reference and ideal
points fixed there), ``methods`` (one runner per method), ``run`` (the command:
``python -m benchmarks.multiobjective.run``), ``overhead`` (ask+tell time at 200 trials).
"""
