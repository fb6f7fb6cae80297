"""Multi-objective test problems, each with its reference and ideal points fixed here.

Every problem is a box ``[0, 1]^d`` of ``uniform`` parameters (LCBench: its own space, seen by
the peers through the same unit encoding), objectives to minimize, and optional constraints
(``name <= 0``). Normalized hypervolume divides the feasible front's hypervolume by the volume
of the ideal-to-reference box, so 1.0 is unreachable and every method is measured alike.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import hypersweep as hs
from hypersweep.pareto import hypervolume, pareto_mask


@dataclass(frozen=True)
class MOProblem:
    """A problem: its space, objectives (all minimized), constraints ``<= 0``, reference and ideal."""

    name: str
    space: hs.Space
    objectives: tuple[str, ...]
    evaluate: Callable[[Mapping[str, Any]], dict[str, float]]
    reference: tuple[float, ...]
    ideal: tuple[float, ...]
    constraints: tuple[str, ...] = field(default=())

    @property
    def metrics(self) -> list[hs.Metric]:
        return [hs.Metric(name, "minimize") for name in self.objectives]

    @property
    def hs_constraints(self) -> list[hs.Constraint]:
        return [hs.Constraint(name, max=0.0) for name in self.constraints]

    def feasible(self, result: Mapping[str, float]) -> bool:
        return all(result[c] <= 0.0 for c in self.constraints)

    def normalized_hypervolume(self, results: list[Mapping[str, float]]) -> float:
        """Hypervolume of the feasible results' front over the ideal-to-reference box volume."""
        points = np.array([[r[o] for o in self.objectives] for r in results if self.feasible(r)]).reshape(
            -1, len(self.objectives)
        )
        reference, ideal = np.array(self.reference), np.array(self.ideal)
        if len(points) == 0:
            return 0.0
        points = np.maximum(points, ideal)  # never credit a point beyond the ideal
        return hypervolume(points[pareto_mask(points)], reference) / float(np.prod(reference - ideal))


def _unit_space(d: int) -> hs.Space:
    return hs.Space({f"x{i}": hs.uniform(0.0, 1.0) for i in range(d)})


def _x(params: Mapping[str, Any], d: int) -> np.ndarray:
    return np.array([float(params[f"x{i}"]) for i in range(d)])


def _zdt(kind: int, d: int) -> Callable[[Mapping[str, Any]], dict[str, float]]:
    def evaluate(params: Mapping[str, Any]) -> dict[str, float]:
        x = _x(params, d)
        f1 = x[0]
        g = 1.0 + 9.0 * x[1:].mean()
        ratio = f1 / g
        if kind == 1:
            h = 1.0 - np.sqrt(ratio)
        elif kind == 2:
            h = 1.0 - ratio**2
        else:
            h = 1.0 - np.sqrt(ratio) - ratio * np.sin(10.0 * np.pi * f1)
        return {"f1": float(f1), "f2": float(g * h)}

    return evaluate


def _dtlz2_values(x: np.ndarray, m: int) -> np.ndarray:
    g = float(np.sum((x[m - 1:] - 0.5) ** 2))
    f = np.full(m, 1.0 + g)
    for i in range(m):
        f[i] *= np.prod(np.cos(x[: m - 1 - i] * np.pi / 2))
        if i > 0:
            f[i] *= np.sin(x[m - 1 - i] * np.pi / 2)
    return f


def _dtlz2(d: int, m: int, constrained: bool) -> Callable[[Mapping[str, Any]], dict[str, float]]:
    radius = 0.4  # C2-DTLZ2 (Jain & Deb, 2014) with three objectives

    def evaluate(params: Mapping[str, Any]) -> dict[str, float]:
        f = _dtlz2_values(_x(params, d), m)
        out = {f"f{i + 1}": float(v) for i, v in enumerate(f)}
        if constrained:
            corners = [(f[i] - 1.0) ** 2 + float(np.sum(np.delete(f, i) ** 2)) - radius**2 for i in range(m)]
            centre = float(np.sum((f - 1.0 / np.sqrt(m)) ** 2)) - radius**2
            out["c"] = float(min(min(corners), centre))
        return out

    return evaluate


def _lcbench(task: str) -> MOProblem | None:
    """LCBench (YAHPO surrogate) task ``task``: validation error (%) and training time (s) at epoch 52."""
    from benchmarks.problems import lcbench

    if lcbench.unavailable_reason() is not None:
        return None
    problem = lcbench.LCBenchProblem(task)
    ideal, reference = LCBENCH_BOX[task]
    return MOProblem(
        f"lcbench-{task}", problem.space, ("error", "time"), lambda p: _lcbench_result(problem, p), reference, ideal
    )


#: per LCBench task: (ideal, reference) of (error %, time s): the minimum and maximum over 5,000
#: random configurations, ``lcbench_box("3945")`` (run once, rounded outwards)
LCBENCH_BOX: dict[str, tuple[tuple[float, float], tuple[float, float]]] = {"3945": ((0.39, 37.4), (66.2, 3390.0))}


def lcbench_box(task: str, n: int = 5_000, seed: int = 2024) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The minimum and maximum of each objective over ``n`` random configurations (how LCBENCH_BOX was made)."""
    from benchmarks.problems import lcbench

    problem = lcbench.LCBenchProblem(task)
    rng = np.random.default_rng(seed)
    values = np.array([list(_lcbench_result(problem, p).values()) for p in problem.space.sample_many(rng, n)])
    return tuple(values.min(axis=0).tolist()), tuple(values.max(axis=0).tolist())


def _lcbench_result(problem: Any, params: Mapping[str, Any]) -> dict[str, float]:
    """The surrogate's validation error (100 - accuracy) and training time of one configuration."""
    from benchmarks.problems import lcbench

    x_cont = np.empty((1, 8), dtype=np.float32)
    x_cont[0, 0] = lcbench.FULL_EPOCH
    for j, name in enumerate(lcbench.INPUTS, start=1):
        x_cont[0, j] = float(params[name])
    x_cat = np.full((1, 1), problem._code, dtype=np.int32)
    out = lcbench._session().run(None, {"x_cat": x_cat, "x_cont": x_cont})[0][0]
    return {"error": 100.0 - float(out[1]), "time": float(out[0])}


def problems() -> dict[str, Callable[[], MOProblem | None]]:
    """Name -> factory (None when the problem's data is missing)."""
    return {
        "zdt1": lambda: MOProblem("zdt1", _unit_space(6), ("f1", "f2"), _zdt(1, 6), (1.1, 1.1), (0.0, 0.0)),
        "zdt2": lambda: MOProblem("zdt2", _unit_space(6), ("f1", "f2"), _zdt(2, 6), (1.1, 1.1), (0.0, 0.0)),
        "zdt3": lambda: MOProblem("zdt3", _unit_space(6), ("f1", "f2"), _zdt(3, 6), (1.1, 1.1), (0.0, -0.8)),
        "dtlz2": lambda: MOProblem("dtlz2", _unit_space(6), ("f1", "f2", "f3"), _dtlz2(6, 3, False), (1.5,) * 3, (0.0,) * 3),
        "c2dtlz2": lambda: MOProblem(
            "c2dtlz2", _unit_space(6), ("f1", "f2", "f3"), _dtlz2(6, 3, True), (1.5,) * 3, (0.0,) * 3, ("c",)
        ),
        "lcbench": lambda: _lcbench("3945"),
    }


__all__ = ["LCBENCH_BOX", "MOProblem", "lcbench_box", "problems"]
