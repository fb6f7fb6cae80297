"""A sweep file (Polyaxon-style experiment group in YAML) validated into a ``SweepFile``.

Every error is a ``SpecError`` naming the YAML path and ``file:line``, e.g.
``settings.random_search.n_experiments: must be a positive integer; got 0 (sweep.yaml:5)``.
Nothing is written anywhere while a file is validated.
"""
from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypersweep import algorithms
from hypersweep.algorithms import algorithm_class, available, make_algorithm
from hypersweep.config.yaml_lines import LocatedYaml, YamlPath, load_located, read_located
from hypersweep.exceptions import HypersweepError, SpecError, StorageError
from hypersweep.options import did_you_mean
from hypersweep.records import SWEEP_NAME_RE, SWEEP_NAME_RULE, Constraint, Direction, Metric, Objectives, is_finite_number
from hypersweep.runner.executors import KINDS, ExecutorChoice
from hypersweep.runner.resources import KEYS as RESOURCE_KEYS
from hypersweep.runner.resources import Resources
from hypersweep.schedulers import PRUNERS, Pruner, pruner_from_spec
from hypersweep.space import Space
from hypersweep.storage.sql.engine import normalize_url

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
BUILTIN_PLACEHOLDERS = ("trial_id", "params_file", "run_dir", "parent_run_dir")
TOP_KEYS = ("name", "description", "metric", "constraints", "settings", "matrix", "run", "storage")
SETTINGS_KEYS = ("concurrency", "seed", "max_trials", "max_resource", "early_stopping", "pruner", "max_retries", "heartbeat_grace", "executor")
METRIC_KEYS = ("name", "optimization", "reference")
CONSTRAINT_KEYS = ("metric", "min", "max")
RUN_KEYS = ("cmd", "function", "timeout", "env")
EARLY_STOP_KEYS = ("metric", "value", "optimization")
EXECUTOR_KEYS = (*KINDS, "resources")
CLUSTER_KEYS = ("address",)  # the keys of an executor's ray: or dask: block


@dataclass(frozen=True)
class EarlyStop:
    """Stop creating trials once a completed trial's ``metric`` reaches ``value``."""

    metric: str
    value: float
    direction: Direction

    def reached(self, metrics: Mapping[str, float]) -> bool:
        got = metrics.get(self.metric)
        if got is None:
            return False
        return got <= self.value if self.direction is Direction.MINIMIZE else got >= self.value

    def describe(self) -> str:
        sign = "<=" if self.direction is Direction.MINIMIZE else ">="
        return f"{self.metric} {sign} {self.value:g}"


@dataclass(frozen=True)
class RunSpec:
    """How a trial runs: an argv template (``cmd``) or a Python ``function``, with a timeout."""

    cmd: tuple[str, ...] | None = None
    function: str | None = None
    timeout: float | None = None
    env: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SweepFile:
    """A validated sweep file; ``data`` is the plain parsed YAML (stored with the sweep).

    ``budget`` is the algorithm's own trial budget (e.g. ``n_experiments``), ``max_trials``
    the optional cap from ``settings.max_trials``; ``limit`` is the smaller of the two.
    ``max_resource`` (``settings.max_resource``) caps the resource units a multi-fidelity
    sweep's trials train in all.
    """

    name: str
    metric: Metric
    space: Space
    algorithm: str
    options: Mapping[str, Any]
    run: RunSpec
    seed: int | None = None
    concurrency: int = 1
    early_stopping: tuple[EarlyStop, ...] = ()
    max_retries: int = 1
    heartbeat_grace: float = 120.0
    storage: str | None = None
    budget: int | None = None
    max_trials: int | None = None
    max_resource: float | None = None
    pruner: Mapping[str, Any] | None = None
    executor: ExecutorChoice = ExecutorChoice()
    source: str = "sweep.yaml"
    data: Mapping[str, Any] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()  # every objective (``metric`` is the first); empty: ``(metric,)``
    constraints: tuple[Constraint, ...] = ()

    @property
    def objectives(self) -> Objectives:
        return Objectives(self.metrics or (self.metric,), self.constraints)

    def make_pruner(self) -> Pruner | None:
        """A fresh pruner from ``settings.pruner`` (None when there is none)."""
        return None if self.pruner is None else pruner_from_spec(self.pruner)

    @property
    def limit(self) -> int | None:
        """Total trials the sweep may create (None: unbounded)."""
        limits = [n for n in (self.budget, self.max_trials) if n is not None]
        return min(limits) if limits else None


def load_sweep_file(path: str | Path) -> SweepFile:
    """Read and validate the sweep file at ``path``; ``SpecError`` (one line) when invalid."""
    return _Validator(read_located(path)).sweep()


def parse_sweep_file(text: str, *, source: str = "sweep.yaml") -> SweepFile:
    """Validate sweep-file YAML text (``source`` names it in messages)."""
    return _Validator(load_located(text, source=source)).sweep()


def sweep_file_from_data(data: Mapping[str, Any], *, source: str = "stored sweep") -> SweepFile:
    """Validate an already parsed sweep file (e.g. the copy stored with a sweep).

    Its algorithm options are read as stored options: words an older version accepted in
    another spelling (``EI``) are respelled (``OptionSet.respelled``).
    """
    return _Validator(LocatedYaml(data, {}, source), stored=True).sweep()


class _Validator:
    def __init__(self, doc: LocatedYaml, *, stored: bool = False) -> None:
        self.doc = doc
        self.stored = stored

    def fail(self, path: YamlPath, message: str) -> SpecError:
        return self.doc.error(path, message)

    # -- generic checks ---------------------------------------------------------------------
    def mapping(self, value: Any, path: YamlPath, allowed: tuple[str, ...] | None, required: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be a mapping; got {_kind(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(path, f"keys must be strings; got {key!r}")
            if allowed is not None and key not in allowed:
                raise self.fail((*path, key), f"unknown key{did_you_mean(key, allowed)}; allowed here: {', '.join(allowed)}")
        for key in required:
            if key not in value:
                raise self.fail(path, f"missing required key {key!r}")
        return value

    def text(self, value: Any, path: YamlPath, *, pattern: re.Pattern[str] | None = None, hint: str = "") -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"must be a non-empty string; got {_kind(value)}")
        if pattern is not None and not pattern.match(value):
            raise self.fail(path, f"{hint}; got {value!r}")
        return value

    def integer(self, value: Any, path: YamlPath, *, minimum: int, maximum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"must be an integer >= {minimum}; got {_kind(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise self.fail(path, f"must be {bound}, got {value}")
        return value

    def number(self, value: Any, path: YamlPath, *, positive: bool = False) -> float:
        if not is_finite_number(value):
            raise self.fail(path, f"must be a finite number; got {_kind(value)}")
        if positive and value <= 0:
            raise self.fail(path, f"must be > 0, got {value}")
        return float(value)

    def known(self, option: str, names: tuple[str, ...], path: YamlPath, owner: str) -> None:
        """Refuse an option ``owner`` does not declare, with the closest name and the list."""
        if option not in names:
            allowed = ", ".join(names) or "none"
            raise self.fail(path, f"unknown option {owner}{did_you_mean(option, names)}; allowed: {allowed}")

    def direction(self, value: Any, path: YamlPath) -> Direction:
        if value not in ("minimize", "maximize"):
            raise self.fail(path, f"must be 'minimize' or 'maximize'; got {value!r}")
        return Direction(value)

    # -- sections ---------------------------------------------------------------------------
    def sweep(self) -> SweepFile:
        top = self.mapping(self.doc.data, (), TOP_KEYS, required=("name", "metric", "settings", "matrix", "run"))
        name = self.text(top["name"], ("name",), pattern=SWEEP_NAME_RE, hint=f"a sweep name must be {SWEEP_NAME_RULE}")
        if "description" in top and not isinstance(top["description"], str):
            raise self.fail(("description",), f"must be a string; got {_kind(top['description'])}")
        metrics = self.metrics(top["metric"])
        constraints = self.constraints(top.get("constraints", []))
        try:
            objectives = Objectives(metrics, constraints)
        except SpecError as exc:
            raise self.fail(("constraints",) if "constraints" in str(exc) else ("metric",), str(exc).partition(": ")[2]) from None
        metric = metrics[0]
        space = self.space(top["matrix"])
        settings = self.lifted(self.mapping(top["settings"], ("settings",), None), metric)
        algorithm, options, budget, params = self.algorithm(settings, space, objectives)
        storage = self.storage(top["storage"]) if "storage" in top else None
        if "pruner" in settings and objectives.is_multi:
            raise self.fail(("settings", "pruner"), "pruners read one reported value per step; a multi-objective sweep takes none")
        return SweepFile(
            name=name,
            metric=metric,
            metrics=metrics,
            constraints=constraints,
            space=space,
            algorithm=algorithm,
            options=options,
            run=self.run(top["run"], params, space),
            seed=None if "seed" not in settings else self.integer(
                settings["seed"], ("settings", "seed"), minimum=0, maximum=2**32 - 1
            ),
            concurrency=self.integer(settings.get("concurrency", 1), ("settings", "concurrency"), minimum=1, maximum=1024),
            early_stopping=self.early_stopping(settings.get("early_stopping", [])),
            max_retries=self.integer(settings.get("max_retries", 1), ("settings", "max_retries"), minimum=0, maximum=100),
            heartbeat_grace=self.number(settings.get("heartbeat_grace", 120.0), ("settings", "heartbeat_grace"), positive=True),
            storage=storage,
            budget=budget,
            pruner=self.pruner(settings["pruner"]) if "pruner" in settings else None,
            max_trials=None if settings.get("max_trials") is None else self.integer(settings["max_trials"], ("settings", "max_trials"), minimum=1),
            max_resource=self.max_resource(settings, algorithm, has_budget=len(params) > len(space.names)),
            executor=self.executor(settings["executor"]) if "executor" in settings else ExecutorChoice(),
            source=self.doc.source,
            data=top,
        )

    def max_resource(self, settings: dict, algorithm: str, *, has_budget: bool) -> float | None:
        """``settings.max_resource``: positive, and only for an algorithm whose trials get a budget."""
        if settings.get("max_resource") is None:
            return None
        path = ("settings", "max_resource")
        value = self.number(settings["max_resource"], path, positive=True)
        if not has_budget:
            raise self.fail(path, f"counts resource units, but {algorithm!r} gives its trials no budget; "
                                  "use a multi-fidelity algorithm (e.g. multifidelity: {max_iter: 52}) or settings.max_trials")
        return value

    def metric(self, value: Any, path: YamlPath = ("metric",)) -> Metric:
        block = self.mapping(value, path, METRIC_KEYS, required=("name",))
        name = self.text(block["name"], (*path, "name"))
        direction = self.direction(block.get("optimization", "minimize"), (*path, "optimization"))
        reference = None if block.get("reference") is None else self.number(block["reference"], (*path, "reference"))
        return Metric(name, direction, reference)

    def metrics(self, value: Any) -> tuple[Metric, ...]:
        """``metric: {name, optimization}`` or a list of them (a multi-objective sweep)."""
        if not isinstance(value, list):
            return (self.metric(value),)
        if not value:
            raise self.fail(("metric",), "needs at least one {name, optimization}")
        return tuple(self.metric(item, ("metric", index)) for index, item in enumerate(value))

    def constraints(self, value: Any) -> tuple[Constraint, ...]:
        """``constraints: [{metric: memory_mb, max: 512}, ...]``."""
        path: YamlPath = ("constraints",)
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list of {{metric, min, max}}; got {_kind(value)}")
        out = []
        for index, item in enumerate(value):
            at = (*path, index)
            block = self.mapping(item, at, CONSTRAINT_KEYS, required=("metric",))
            metric = self.text(block["metric"], (*at, "metric"))
            bounds = {side: self.number(block[side], (*at, side)) for side in ("min", "max") if block.get(side) is not None}
            try:
                out.append(Constraint(metric, **bounds))
            except SpecError as exc:
                raise self.fail(at, str(exc).partition(": ")[2]) from None
        return tuple(out)

    def lifted(self, settings: dict, metric: Metric) -> dict:
        """``settings`` with ``concurrency`` and ``metric`` taken out of the algorithm block, where
        Polyaxon's examples write them; only a contradiction with the top-level value is refused."""
        out = dict(settings)
        for key, raw in settings.items():
            if key in SETTINGS_KEYS or not isinstance(raw, dict):
                continue
            block = dict(raw)
            if "concurrency" in block:
                at = ("settings", key, "concurrency")
                value = self.integer(block.pop("concurrency"), at, minimum=1, maximum=1024)
                if settings.get("concurrency", value) != value:
                    raise self.fail(at, f"{value} contradicts settings.concurrency: {settings['concurrency']!r}; keep one")
                out["concurrency"] = value
            if "metric" in block:
                at = ("settings", key, "metric")
                if self.metric(block.pop("metric"), at) != metric:
                    raise self.fail(at, f"contradicts the top-level metric ({metric.name}, {metric.direction.value}); keep one")
            out[key] = block
        return out

    def space(self, value: Any) -> Space:
        matrix = self.mapping(value, ("matrix",), None)
        if not matrix:
            raise self.fail(("matrix",), "needs at least one parameter, e.g. lr: {loguniform: [1e-4, 0.1]}")
        for key in matrix:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
                raise self.fail(("matrix", key), "parameter names must be identifiers (letters, digits, '_')")
        try:
            return Space.from_matrix(matrix)
        except SpecError as exc:
            path = self._matrix_path(str(exc), matrix)
            if path is None:
                raise self._relocate(str(exc), ("matrix",), matrix) from None
            raise self.fail(path, str(exc).partition(": ")[2]) from None

    def _matrix_path(self, message: str, matrix: Mapping[str, Any]) -> YamlPath | None:
        """The YAML path a ``matrix.a.when.b: ...`` or ``matrix.forbidden[0].b: ...`` message
        names (as deep as the file has it), or None for a message without one."""
        head, sep, _ = message.partition(": ")
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", head)
        if not sep or len(parts) < 3 or parts[0] != "matrix":
            return None
        path: YamlPath = ("matrix",)
        node: Any = matrix
        for part in parts[1:]:
            key: Any = int(part[1:-1]) if part.startswith("[") else part
            if isinstance(node, Mapping) and key in node or isinstance(node, list) and isinstance(key, int) and key < len(node):
                path, node = (*path, key), node[key]
            else:
                break
        return path if len(path) > 1 else None

    def algorithm(self, settings: dict, space: Space, objectives: Objectives) -> tuple[str, dict, int | None, list[str]]:
        """The algorithm's name, options, trial budget, and the names its trials' params have
        (the matrix's, plus a multi-fidelity algorithm's resource)."""
        blocks = [key for key in settings if key not in SETTINGS_KEYS]
        for key in blocks:
            if _algorithm_name(key) is None:
                known = (*SETTINGS_KEYS, *_block_names())
                raise self.fail(
                    ("settings", key), f"unknown setting or algorithm{did_you_mean(key, known)}; allowed: {', '.join(known)}"
                )
        if len(blocks) > 1:
            raise self.fail(("settings",), f"needs at most one algorithm block (e.g. random_search: {{n_experiments: 20}}); got {', '.join(blocks)}")
        key = blocks[0] if blocks else algorithms.default_algorithm(objectives)  # read now: the default may change
        raw = settings.get(key)
        options = {} if raw is None else self.mapping(raw, ("settings", key), None)
        name = _algorithm_name(key) or key
        declared = algorithm_class(name).OPTIONS
        if declared is not None:
            for option in options:
                self.known(option, declared.names, ("settings", key, option), f"of {name!r}")
            if self.stored:
                options = declared.respelled(options)
        try:
            instance = make_algorithm(
                name, space, direction=objectives.metrics[0].direction, seed=0, options=options, objectives=objectives
            )
        except (HypersweepError, ValueError, TypeError) as exc:
            raise self._relocate(str(exc), ("settings", key), options, prefix=name) from None
        params = list(space.names) + ([instance.resource.name] if instance.resource is not None else [])
        return name, dict(options), instance.budget, params

    def pruner(self, value: Any) -> dict[str, dict]:
        path: YamlPath = ("settings", "pruner")
        block = self.mapping(value, path, tuple(PRUNERS))
        if len(block) != 1:
            raise self.fail(path, f"needs exactly one pruner, e.g. median: {{n_startup_trials: 5}}; choose from {', '.join(PRUNERS)}")
        name, raw = next(iter(block.items()))
        options = {} if raw is None else self.mapping(raw, (*path, name), None)
        for option in options:
            self.known(option, PRUNERS[name].OPTIONS.names, (*path, name, option), f"of the {name} pruner")
        try:
            pruner_from_spec({name: options})
        except (HypersweepError, ValueError, TypeError) as exc:
            head, sep, rest = str(exc).partition(": ")
            option = head.rsplit(".", 1)[-1]
            if sep and option in options:
                raise self.fail((*path, name, option), rest) from None
            raise self.fail((*path, name), str(exc)) from None
        return {name: dict(options)}

    def executor(self, value: Any) -> ExecutorChoice:
        """``executor: ray``, or ``{ray: {address: auto}, resources: {cpus: 1, gpus: 0, memory_mb: 2048}}``."""
        path: YamlPath = ("settings", "executor")
        if isinstance(value, str):
            if value not in KINDS:
                raise self.fail(path, f"must be one of {', '.join(KINDS)}, or a mapping such as {{ray: {{address: auto}}}}; got {value!r}")
            return ExecutorChoice(value)
        block = self.mapping(value, path, EXECUTOR_KEYS)
        kinds = [key for key in block if key != "resources"]
        if len(kinds) > 1:
            raise self.fail(path, f"needs one of {', '.join(KINDS)}; got {', '.join(kinds)}")
        kind = kinds[0] if kinds else "process"
        options = {} if block.get(kind) is None else self.mapping(block[kind], (*path, kind), CLUSTER_KEYS)
        address = self.text(options["address"], (*path, kind, "address")) if "address" in options else None
        resources = None
        if "resources" in block:
            raw = self.mapping(block["resources"], (*path, "resources"), RESOURCE_KEYS)
            try:
                resources = Resources.of(raw)
            except HypersweepError as exc:
                raise self._relocate(str(exc), (*path, "resources"), raw, prefix="resources") from None
        try:
            return ExecutorChoice(kind, address, resources)
        except HypersweepError as exc:
            raise self.fail(path, str(exc).partition(": ")[2]) from None

    def early_stopping(self, value: Any) -> tuple[EarlyStop, ...]:
        path: YamlPath = ("settings", "early_stopping")
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list of {{metric, value, optimization}}; got {_kind(value)}")
        rules = []
        for index, item in enumerate(value):
            at = (*path, index)
            block = self.mapping(item, at, EARLY_STOP_KEYS, required=("metric", "value"))
            rules.append(
                EarlyStop(
                    metric=self.text(block["metric"], (*at, "metric")),
                    value=self.number(block["value"], (*at, "value")),
                    direction=self.direction(block.get("optimization", "maximize"), (*at, "optimization")),
                )
            )
        return tuple(rules)

    def storage(self, value: Any) -> str:
        """A SQLite path or a database URL that parses (its password is never echoed)."""
        text = self.text(value, ("storage",))
        if "://" in text:
            try:
                normalize_url(text)
            except StorageError as exc:
                raise self.fail(("storage",), str(exc).removeprefix("storage URL: ")) from None
        return text

    def run(self, value: Any, params: list[str], space: Space) -> RunSpec:
        block = self.mapping(value, ("run",), RUN_KEYS)
        if ("cmd" in block) == ("function" in block):
            raise self.fail(("run",), "needs exactly one of 'cmd' (a command) or 'function' (module:function)")
        timeout = None
        if "timeout" in block:
            timeout = self.number(block["timeout"], ("run", "timeout"), positive=True)
        env = self.mapping(block.get("env", {}), ("run", "env"), None)
        for key, item in env.items():
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key) or key.startswith("HYPERSWEEP_"):
                raise self.fail(("run", "env", key), "must be a variable name not starting with HYPERSWEEP_")
            if not isinstance(item, (str, int, float)) or isinstance(item, bool):
                raise self.fail(("run", "env", key), f"must be a string or number; got {_kind(item)}")
            if "\x00" in str(item):
                raise self.fail(("run", "env", key), "must not contain a NUL character (no process can receive it)")
        env = {k: str(v) for k, v in env.items()}
        if "function" in block:
            function = self.text(block["function"], ("run", "function"))
            if not re.match(r"^[^:\s]+:[A-Za-z_][A-Za-z0-9_]*$", function):
                raise self.fail(("run", "function"), f"must look like 'package.module:function'; got {function!r}")
            return RunSpec(function=function, timeout=timeout, env=env)
        return RunSpec(cmd=self.command(block["cmd"], params, space), timeout=timeout, env=env)

    def command(self, value: Any, params: list[str], space: Space) -> tuple[str, ...]:
        path: YamlPath = ("run", "cmd")
        if isinstance(value, list):
            if not value or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
                raise self.fail(path, "a list form must hold strings only, e.g. [python, train.py]")
            argv = [str(v) for v in value]
        else:
            text = self.text(value, path)
            argv = self.split(text, path)
        if not argv:
            raise self.fail(path, "is empty; give the program to run")
        known = set(params) | set(BUILTIN_PLACEHOLDERS)
        for token in argv:
            if "\x00" in token:
                raise self.fail(path, "contains a NUL character")
            for match in PLACEHOLDER_RE.finditer(token):
                if match.group(1) not in known:
                    raise self.fail(path, f"unknown placeholder {{{{ {match.group(1)} }}}}; use a matrix parameter or one of {', '.join(BUILTIN_PLACEHOLDERS)}")
                if match.group(1) in space.conditions and match.group(1) not in space.defaults:
                    raise self.fail(
                        ("matrix", match.group(1)),
                        f"is conditional and {{{{ {match.group(1)} }}}} is in run.cmd; give it a default: (the value used while it is inactive)",
                    )
            rest = PLACEHOLDER_RE.sub("", token)
            if "{{" in rest or "}}" in rest:
                raise self.fail(path, f"unbalanced '{{{{ }}}}' in {token!r}")
        if PLACEHOLDER_RE.search(argv[0]):
            raise self.fail(path, "the program (first word) cannot be a placeholder")
        return tuple(argv)

    def split(self, text: str, path: YamlPath) -> list[str]:
        """shlex-split ``text``, keeping each ``{{ name }}`` inside the word it belongs to."""
        names: list[str] = []

        def hide(match: re.Match[str]) -> str:
            names.append(match.group(1))
            return f"\x01{len(names) - 1}\x01"

        try:
            words = shlex.split(PLACEHOLDER_RE.sub(hide, text))
        except ValueError as exc:
            raise self.fail(path, f"cannot split the command: {exc}") from None
        return [re.sub("\x01([0-9]+)\x01", lambda m: "{{" + names[int(m.group(1))] + "}}", w) for w in words]

    def _relocate(self, message: str, base: YamlPath, block: Mapping[str, Any], prefix: str | None = None) -> SpecError:
        """Turn ``matrix.lr: ...`` or ``random.n_experiments: ...`` into a path + line error
        (algorithm options nest: ``bo.utility_function.kappa: ...``)."""
        head, sep, rest = message.partition(": ")
        parts = head.split(".")
        depth = len(parts) if prefix is not None else 2
        if sep and 2 <= len(parts) <= depth and parts[0] == (prefix or base[0]) and parts[1] in block:
            return self.fail((*base, *parts[1:]), rest)
        for key in block:
            if re.search(rf"\b{re.escape(str(key))}\b", message):
                return self.fail((*base, key), message)
        return self.fail(base, message)



def algorithm_block_key(algorithm: str) -> str:
    """The settings key of a registered algorithm's block (Polyaxon's ``random_search``, ``grid_search``)."""
    return f"{algorithm}_search" if algorithm in ("random", "grid") else algorithm


def _algorithm_name(key: str) -> str | None:
    for candidate in (key, key[: -len("_search")] if key.endswith("_search") else None):
        if not candidate:
            continue
        try:
            return algorithm_class(candidate).name
        except HypersweepError:
            continue
    return None


def _block_names() -> list[str]:
    names = []
    for name in available():
        names.append(f"{name}_search" if name in ("random", "grid") else name)
    return names


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, (dict, list)):
        return f"a {type(value).__name__}"
    return f"{value!r} ({type(value).__name__})"
