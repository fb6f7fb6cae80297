"""Validation and conversion shared by every backend, so they all accept and return the same data.

Everything here runs *before* a backend writes anything: a value that cannot be stored is
refused with ``InvalidRecordError`` (or ``TrialStateError`` for a forbidden state) and the
store stays as it was.
"""
from __future__ import annotations

import json
import numbers
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from hypersweep.exceptions import InvalidRecordError, TrialStateError
from hypersweep.records import Constraint, Direction, Metric, Params, SweepSpec, TrialState, is_finite_number

MAX_NAME_LENGTH = 255
MAX_PAGE = 5000  # most trials one page or change batch returns
MAX_NOTE_LENGTH = 20_000  # characters of one note
ORDER_KEYS = ("id", "value", "state", "created_at", "started_at", "finished_at")
STATE_VALUES = tuple(state.value for state in TrialState)


# -- time ----------------------------------------------------------------------------------
def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None, *, field: str = "time") -> datetime | None:
    """Return ``value`` in UTC; a naive datetime is refused (its zone is unknown)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise InvalidRecordError(f"{field}: must be a datetime; got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidRecordError(
            f"{field}: must be timezone-aware; got naive {value.isoformat()} (use datetime.now(timezone.utc))"
        )
    return value.astimezone(timezone.utc)


# -- JSON ----------------------------------------------------------------------------------
def to_jsonable(value: Any, *, field: str) -> Any:
    """A deep copy of ``value`` made only of dict/list/str/int/float/bool/None.

    Tuples become lists and numpy scalars/arrays become Python numbers/lists, exactly what a
    JSON round trip gives back, so every backend returns the same data.

    Raises:
        InvalidRecordError: a non-string key, a non-finite float or a non-JSON object, naming
            where it was found.
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not is_finite_number(value):
            raise InvalidRecordError(f"{field}: must be a finite number to be stored as JSON; got {value!r}")
        return float(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidRecordError(
                    f"{field}: JSON object keys must be strings; got key {key!r} ({type(key).__name__})"
                )
            out[key] = to_jsonable(item, field=f"{field}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item, field=f"{field}[{i}]") for i, item in enumerate(value)]
    # numpy scalars and arrays, without importing numpy
    if hasattr(value, "dtype") and hasattr(value, "tolist"):
        return to_jsonable(value.tolist(), field=field)
    raise InvalidRecordError(
        f"{field}: cannot be stored as JSON; got {value!r} ({type(value).__name__}); "
        "use str, int, float, bool, None, lists or dicts"
    )


def dumps(value: Any) -> str:
    """Serialize an already-normalized value (see ``to_jsonable``)."""
    # ASCII output escapes every character, lone surrogates and NUL included, so any Python
    # string survives every backend's text column.
    return json.dumps(value, allow_nan=False, ensure_ascii=True, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def normalize_params(params: Any) -> Params:
    if not isinstance(params, Mapping):
        raise InvalidRecordError(f"params: must be a dict of parameter name -> value; got {params!r}")
    return to_jsonable(params, field="params")


def normalize_meta(meta: Any) -> dict[str, Any]:
    """A trial's ``meta`` as JSON data (None -> {})."""
    if meta is None:
        return {}
    if not isinstance(meta, Mapping):
        raise InvalidRecordError(f"meta: must be a dict of name -> JSON value; got {meta!r}")
    return to_jsonable(meta, field="meta")


# -- numbers -------------------------------------------------------------------------------
def check_value(value: Any, *, field: str, optional: bool = True) -> float | None:
    """A finite float (ints accepted), or None when ``optional``."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidRecordError(f"{field}: must be a finite number; got {value!r}")
    result = float(value)
    if not is_finite_number(result):
        raise InvalidRecordError(
            f"{field}: must be a finite number; got {value!r} (store a FAILED trial with an error instead)"
        )
    return result


def check_metrics(metrics: Mapping[str, Any] | None) -> dict[str, float]:
    if metrics is None:
        return {}
    if not isinstance(metrics, Mapping):
        raise InvalidRecordError(f"metrics: must be a dict of name -> number; got {metrics!r}")
    out: dict[str, float] = {}
    for key, item in metrics.items():
        if not isinstance(key, str):
            raise InvalidRecordError(f"metrics: names must be strings; got {key!r}")
        out[key] = check_value(item, field=f"metrics.{key}", optional=False)  # type: ignore[assignment]
    return out


def check_step(step: Any) -> int:
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or int(step) < 0:
        raise InvalidRecordError(f"report step: must be an integer >= 0; got {step!r}")
    if int(step) >= 2**63:
        raise InvalidRecordError(f"report step: must be below 2**63; got {step!r}")
    return int(step)


def check_trial_id(trial_id: Any, *, field: str = "trial_id") -> int:
    if isinstance(trial_id, bool) or not isinstance(trial_id, numbers.Integral):
        raise InvalidRecordError(f"{field}: must be an integer; got {trial_id!r}")
    return int(trial_id)


def check_ids(ids: Iterable[Any] | None) -> tuple[int, ...] | None:
    """Trial ids to select, sorted and unique (None: all)."""
    if ids is None:
        return None
    return tuple(sorted({check_trial_id(i, field="ids") for i in ids}))


def check_count(value: Any, *, field: str) -> int:
    """An integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or int(value) < 0:
        raise InvalidRecordError(f"{field}: must be an integer >= 0; got {value!r}")
    return int(value)


def check_limit(value: Any) -> int:
    """A page size in 1..MAX_PAGE."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidRecordError(f"limit: must be an integer from 1 to {MAX_PAGE}; got {value!r}")
    return int(value)


def check_order(value: Any) -> str:
    """A trial sort key from ORDER_KEYS."""
    if value not in ORDER_KEYS:
        raise InvalidRecordError(f"order_by: must be one of {', '.join(ORDER_KEYS)}; got {value!r}")
    return str(value)


def check_text(value: Any, *, field: str, optional: bool = True, max_length: int | None = None) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidRecordError(f"{field}: must be a string; got {value!r}")
    if max_length is not None and len(value) > max_length:
        raise InvalidRecordError(f"{field}: at most {max_length} characters; got {len(value)}")
    if "\x00" in value:
        raise InvalidRecordError(f"{field}: must not contain NUL characters; got {value!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRecordError(f"{field}: must be valid Unicode text; got {value!r}") from None
    return value


def check_worker(worker: Any) -> str | None:
    """A worker name (e.g. ``host:pid``) or None."""
    return check_text(worker, field="worker", max_length=MAX_NAME_LENGTH)


def check_workers(workers: Collection[Any]) -> tuple[str, ...]:
    """Worker names, sorted and unique."""
    return tuple(sorted({str(worker) for worker in workers}))


def clean_error(value: Any) -> str | None:
    """An error text as stored: NUL and lone surrogates are written as backslash escapes."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRecordError(f"error: must be a string (e.g. a traceback); got {value!r}")
    return value.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode("utf-8")


def check_sweep_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidRecordError(f"sweep name: must be a non-empty string; got {name!r}")
    return check_text(name, field="sweep name", optional=False, max_length=MAX_NAME_LENGTH)  # type: ignore[return-value]


# -- states --------------------------------------------------------------------------------
def parse_state(state: Any, *, field: str = "state") -> TrialState:
    try:
        return TrialState(state)
    except ValueError:
        raise TrialStateError(
            f"{field}: must be one of {', '.join(STATE_VALUES)}; got {state!r}"
        ) from None


def check_create_state(state: Any) -> TrialState:
    parsed = parse_state(state)
    if parsed not in (TrialState.WAITING, TrialState.RUNNING):
        raise TrialStateError(
            f"create_trial: a new trial must be waiting or running; got {parsed.value} "
            "(create it running, then finish_trial)"
        )
    return parsed


def check_finish_state(state: Any) -> TrialState:
    parsed = parse_state(state)
    if not parsed.is_finished:
        raise TrialStateError(
            f"finish_trial: state must be completed, pruned or failed; got {parsed.value}"
        )
    return parsed


def parse_states(states: Iterable[TrialState | str] | None) -> tuple[TrialState, ...] | None:
    if states is None:
        return None
    if isinstance(states, (str, TrialState)):
        states = [states]
    return tuple(dict.fromkeys(parse_state(s, field="states") for s in states))


# -- sweeps --------------------------------------------------------------------------------
def normalize_spec(spec: SweepSpec) -> SweepSpec:
    """Validate a spec and return the copy a backend stores (JSON-normalized, UTC, created_at set)."""
    if not isinstance(spec, SweepSpec):
        raise InvalidRecordError(f"create_sweep: expects a SweepSpec; got {type(spec).__name__}")
    name = check_sweep_name(spec.name)
    if not isinstance(spec.space, Mapping):
        raise InvalidRecordError(f"sweep {name!r} space: must be a dict (Space.to_matrix()); got {spec.space!r}")
    space = to_jsonable(spec.space, field="space")
    options = to_jsonable(spec.options if spec.options is not None else {}, field="options")
    if not isinstance(options, dict):
        raise InvalidRecordError(f"sweep {name!r} options: must be a dict; got {spec.options!r}")
    for metric in spec.metrics:
        if not isinstance(metric, Metric):
            raise InvalidRecordError(f"sweep {name!r} metric: must be a Metric; got {metric!r}")
        check_text(metric.name, field="metric.name", optional=False, max_length=MAX_NAME_LENGTH)
    for constraint in spec.constraints:
        if not isinstance(constraint, Constraint):
            raise InvalidRecordError(f"sweep {name!r} constraints: must be Constraint records; got {constraint!r}")
        check_text(constraint.metric, field="constraints.metric", optional=False, max_length=MAX_NAME_LENGTH)
    algorithm = check_text(spec.algorithm, field="algorithm", optional=False, max_length=MAX_NAME_LENGTH)
    if isinstance(spec.seed, bool) or not isinstance(spec.seed, numbers.Integral):
        raise InvalidRecordError(f"sweep {name!r} seed: must be an integer; got {spec.seed!r}")
    seed = int(spec.seed)
    if not -(2**63) <= seed < 2**63:
        raise InvalidRecordError(f"sweep {name!r} seed: must fit in 64 bits; got {seed}")
    created_at = as_utc(spec.created_at, field="created_at") or utcnow()
    pruner = None if spec.pruner is None else to_jsonable(spec.pruner, field="pruner")
    if pruner is not None and not isinstance(pruner, dict):
        raise InvalidRecordError(
            f"sweep {name!r} pruner: must be a dict such as {{'median': {{...}}}} (Pruner.spec()) or None; got {spec.pruner!r}"
        )
    return SweepSpec(
        name=name,
        space=space,
        metric=spec.metric,
        algorithm=algorithm,  # type: ignore[arg-type]
        options=options,
        seed=seed,
        created_at=created_at,
        pruner=pruner,
        metrics=spec.metrics,
        constraints=spec.constraints,
    )


def best_of(values: Iterable[float], direction: Direction) -> float | None:
    best: float | None = None
    for value in values:
        if value is not None and (best is None or direction.better(value, best)):
            best = value
    return best


def check_feasible(feasible: Any) -> bool | None:
    """``feasible`` of ``finish_trial``: True, False or None (no constraints)."""
    if feasible is not None and not isinstance(feasible, bool):
        raise InvalidRecordError(f"feasible: must be True, False or None; got {feasible!r}")
    return feasible
