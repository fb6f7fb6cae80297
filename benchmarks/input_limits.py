"""Timings of inputs that once were slow: huge discrete dimensions, deeply nested YAML.

Usage::

    python -m benchmarks.input_limits

Prints, per algorithm and number of levels of one ``range`` dimension, the seconds of
``asks`` ask + tell rounds and the peak traced memory, then the seconds ``load_yaml`` takes to
refuse ever deeper ``[`` nesting. Tests check the mechanisms (memory does not grow with the
levels, nesting is refused before it is built); the times live here.
"""
from __future__ import annotations

import argparse
import time
import tracemalloc

import hypersweep as hs
from hypersweep.exceptions import SpecError
from hypersweep.space import load_yaml


def time_asks(algorithm: str, levels: int, asks: int) -> tuple[float, int]:
    """Seconds and peak bytes of ``asks`` ask + tell rounds on a ``levels``-level dimension."""
    sweep = hs.Sweep({"seed": {"range": [0, levels, 1]}, "x": {"uniform": [0, 1]}}, algorithm=algorithm, seed=0)
    tracemalloc.start()
    start = time.perf_counter()
    for _ in range(asks):
        trial = sweep.ask()
        sweep.tell(trial, trial.params["x"])
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def time_nesting(depth: int) -> float:
    """Seconds ``load_yaml`` takes to refuse ``depth`` nested ``[``."""
    start = time.perf_counter()
    try:
        load_yaml("[" * depth + "]" * depth + "\n")
    except SpecError:
        pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algorithms", nargs="+", default=["bo", "tpe"])
    parser.add_argument("--levels", nargs="+", type=int, default=[10**4, 10**6, 10**8, 10**10])
    parser.add_argument("--asks", type=int, default=15)
    args = parser.parse_args(argv)
    print("| algorithm | levels | seconds | peak MB |\n| --- | --- | --- | --- |")
    for algorithm in args.algorithms:
        for levels in args.levels:
            seconds, peak = time_asks(algorithm, levels, args.asks)
            print(f"| {algorithm} | {levels:.0e} | {seconds:.2f} | {peak / 1e6:.1f} |")
    print("\n| nested [ | seconds to refuse |\n| --- | --- |")
    for depth in (100, 2_000, 20_000):
        print(f"| {depth} | {time_nesting(depth):.3f} |")


if __name__ == "__main__":
    main()
