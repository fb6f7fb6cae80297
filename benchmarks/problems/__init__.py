"""Benchmark problems by name, and groups of them.

Names: ``branin``, ``hartmann6``, ``ackley5``, ``rosenbrock4`` (family ``synthetic``),
``sphere10`` (family ``cheap``: a 10-d quadratic for overhead runs, not in ``all``),
``hpobench/<dataset>`` and ``hpolib/<dataset>`` (tabular), ``lcbench/<task>`` (LCBench at
epoch 52, when its data and onnxruntime are present; ``lcbench:<task>`` works too),
``contamination``, ``pest_control``, ``ackley_cat`` (family ``categorical``) and
``sklearn/digits``, ``sklearn/breast_cancer`` (family ``sklearn``, when scikit-learn is
installed). A family name selects all of its problems; the suite ``catdev`` (the categorical/mixed
development suite) selects the families ``hpolib``, ``categorical`` and ``sklearn``; ``all``
selects everything except the ``cheap`` family.
New families plug in with :func:`register_problem`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from benchmarks.problems.base import REFERENCES, Problem, normalized_regret
from benchmarks.problems.categorical import CATEGORICAL
from benchmarks.problems.lcbench import LCBenchProblem, lcbench_factories
from benchmarks.problems.sklearn_pipelines import sklearn_factories
from benchmarks.problems.synthetic import CHEAP, SYNTHETIC, SyntheticProblem
from benchmarks.problems.tabular import TabularProblem, tabular_factories

_FACTORIES: dict[str, Callable[[], Problem]] = {}
_FAMILIES: dict[str, str] = {}
_CACHE: dict[str, Problem] = {}
#: families that ``all`` leaves out (overhead-only problems)
_NOT_IN_ALL = ("cheap",)
#: suites: names that select several families
SUITES: dict[str, tuple[str, ...]] = {"catdev": ("hpolib", "categorical", "sklearn")}


def register_problem(name: str, factory: Callable[[], Problem], family: str) -> None:
    """Make ``factory()`` available as problem ``name`` in ``family``."""
    _FACTORIES[name] = factory
    _FAMILIES[name] = family


def _load_builtins() -> None:
    if _FACTORIES:
        return
    for name, synthetic in SYNTHETIC.items():
        register_problem(name, synthetic, "synthetic")
    for name, tabular in tabular_factories().items():
        register_problem(name, tabular, name.split("/", 1)[0])
    for name, lcbench in lcbench_factories().items():
        register_problem(name, lcbench, "lcbench")
    for name, categorical in CATEGORICAL.items():
        register_problem(name, categorical, "categorical")
    for name, pipeline in sklearn_factories().items():
        register_problem(name, pipeline, "sklearn")
    for name, cheap in CHEAP.items():
        register_problem(name, cheap, "cheap")


def problem_names(family: str | None = None) -> list[str]:
    """Registered problem names (of one family when given), in registration order."""
    _load_builtins()
    return [n for n in _FACTORIES if family is None or _FAMILIES[n] == family]


def families() -> list[str]:
    """Registered family names, in registration order."""
    _load_builtins()
    return list(dict.fromkeys(_FAMILIES.values()))


def resolve(selection: Iterable[str]) -> list[str]:
    """Expand names, family names and ``all`` into unique problem names (order kept).

    Raises:
        ValueError: naming the unknown entry and what is available.
    """
    _load_builtins()
    out: list[str] = []
    for item in selection:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if ":" in part and part.replace(":", "/", 1) in _FACTORIES:
                part = part.replace(":", "/", 1)  # lcbench:3945 -> lcbench/3945
            if part == "all":
                out.extend(n for n in _FACTORIES if _FAMILIES[n] not in _NOT_IN_ALL)
            elif part in families():
                out.extend(problem_names(part))
            elif part in SUITES:
                out.extend(n for family in SUITES[part] for n in problem_names(family))
            elif part in _FACTORIES:
                out.append(part)
            else:
                raise ValueError(
                    f"--problems: unknown problem {part!r}; use 'all', a suite ({', '.join(SUITES)}), "
                    f"a family ({', '.join(families())}) or one of {', '.join(_FACTORIES)}"
                )
    return list(dict.fromkeys(out))


def get_problem(name: str) -> Problem:
    """The problem called ``name`` (one instance per process, so tables load once)."""
    _load_builtins()
    if ":" in name and name not in _FACTORIES:
        name = name.replace(":", "/", 1)
    if name not in _CACHE:
        if name not in _FACTORIES:
            raise ValueError(f"problem: unknown name {name!r}; choose one of {', '.join(_FACTORIES)}")
        _CACHE[name] = _FACTORIES[name]()
    return _CACHE[name]


__all__ = [
    "REFERENCES",
    "SUITES",
    "LCBenchProblem",
    "Problem",
    "SyntheticProblem",
    "TabularProblem",
    "families",
    "get_problem",
    "normalized_regret",
    "problem_names",
    "register_problem",
    "resolve",
]
