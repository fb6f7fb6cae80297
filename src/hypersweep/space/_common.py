"""Shared helpers for the space package: error messages, number coercion, JSON-like values.

Every spec problem becomes a one-line :class:`~hypersweep.exceptions.SpecError` that names
the parameter (``where``), the kind, the rule, what was received and the fix.
"""
from __future__ import annotations

import copy
import math
import numbers
import re
from collections.abc import Mapping
from decimal import Context, Decimal
from typing import Any, NoReturn

import numpy as np

from hypersweep.exceptions import ParamsError, SpecError

#: Largest magnitude accepted for a number in a numeric spec (keeps derived values finite).
MAX_ABS = 1e300
#: Smallest positive value accepted where a logarithm is taken (a normal float, no subnormals).
MIN_POSITIVE = 1e-300
#: Most levels a discrete dimension may have (indices stay exact in float arithmetic).
MAX_LEVELS = 2**50
#: Exact decimal arithmetic for grid values (enough digits for any product of two floats).
DECIMAL = Context(prec=80)

_INT_RE = re.compile(r"^[-+]?[0-9](?:_?[0-9])*$")


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr`` of a value, cut to ``limit`` characters and kept on one line."""
    try:
        text = repr(value)
    except Exception:  # pragma: no cover - exotic objects with broken __repr__
        text = f"<{type(value).__name__}>"
    text = text.replace("\n", " ").replace("\r", " ")
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def got(value: Any) -> str:
    """``'abc' (str)``: a received value with its type, for messages."""
    return f"{short_repr(value)} ({type(value).__name__})"


def spec_error(where: str | None, kind: str | None, text: str) -> SpecError:
    """Build ``"<where>: <kind> <text>"`` (parts left out when unknown)."""
    head = f"{where}: " if where else ""
    body = f"{kind} {text}" if kind else text
    return SpecError(head + body)


def fail(where: str | None, kind: str | None, text: str) -> NoReturn:
    """Raise :func:`spec_error`."""
    raise spec_error(where, kind, text)


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def label(prefix: str, name: str) -> str:
    """``matrix.lr`` for plain names, ``matrix['odd name']`` otherwise (always one line)."""
    return f"{prefix}.{name}" if _PLAIN_NAME.fullmatch(name) else f"{prefix}[{short_repr(name, 40)}]"


def params_error(name: str, value: Any, allowed: str) -> ParamsError:
    """``params.lr: got 0.5 (float); allowed: ...``."""
    return ParamsError(f"{label('params', name)}: got {got(value)}; allowed: {allowed}")


def is_number(value: Any) -> bool:
    """True for real numbers (Python or numpy), False for bools and everything else."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def as_number(value: Any, *, where: str | None, kind: str, field: str) -> int | float:
    """Coerce one spec entry to ``int`` or finite ``float`` (numeric strings accepted)."""
    original = value
    if isinstance(value, str):
        text = value.strip()
        if _INT_RE.match(text):
            if len(text) > 400:
                fail(where, kind, f"needs |{field}| <= 1e300; got a {len(text)}-digit number")
            value = int(text.replace("_", ""))
        else:
            try:
                value = float(text)
            except ValueError:
                fail(where, kind, f"needs a number for {field}; got {got(original)}")
    elif isinstance(value, (bool, np.bool_)):
        fail(where, kind, f"needs a number for {field}, not a bool; got {got(original)}")
    elif isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real):
        value = float(value)
    else:
        fail(where, kind, f"needs a number for {field}; got {got(original)}")
    if isinstance(value, float) and not math.isfinite(value):
        fail(where, kind, f"needs a finite number for {field}; got {short_repr(original)}")
    if abs(value) > MAX_ABS:
        fail(where, kind, f"needs |{field}| <= 1e300; got {field}={short_repr(original)}")
    if value != 0 and abs(value) < MIN_POSITIVE:
        fail(where, kind, f"needs {field} = 0 or |{field}| >= 1e-300; got {field}={short_repr(original)}")
    return value


def as_count(value: Any, *, where: str | None, kind: str, field: str = "num") -> int:
    """Coerce an entry that must be a whole number >= 1 (``num``)."""
    number = as_number(value, where=where, kind=kind, field=field)
    if isinstance(number, float):
        if not number.is_integer():
            fail(where, kind, f"needs a whole number for {field} (>= 1); got {field}={short_repr(number)}")
        number = int(number)
    if number < 1:
        fail(where, kind, f"needs {field} >= 1; got {field}={short_repr(number)}")
    if number > MAX_LEVELS:
        fail(where, kind, f"needs {field} <= 2**50; got {field}={short_repr(number)}")
    return number


def to_decimal(x: int | float) -> Decimal:
    """The exact decimal a spec number stands for (floats read as their shortest repr)."""
    return Decimal(x) if isinstance(x, int) else Decimal(repr(float(x)))


def clean15(x: float) -> float:
    """Round to 15 significant digits: removes float noise such as 3.9999999999999996."""
    return float(f"{x:.15g}")


def fmt(x: Any) -> str:
    """A number as written in messages (``repr``; ints stay ints)."""
    return short_repr(x)


# -- JSON-like values (the levels of ``values`` / ``pvalues``) --------------------------------
def canonical(value: Any, *, where: str | None, kind: str, position: int) -> Any:
    """Normalise one level to plain JSON-like Python data (tuples become lists).

    Raises SpecError for NaN/inf, non-string dict keys and non-JSON objects.
    """
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):  # e.g. numpy.str_
        return str(value)
    if isinstance(value, numbers.Real):
        number = int(value) if isinstance(value, numbers.Integral) else float(value)
        if isinstance(number, float) and not math.isfinite(number):
            fail(where, kind, f"needs finite values; got {short_repr(value)} at entry {position}")
        if abs(number) > MAX_ABS:
            fail(where, kind, f"needs numbers with |value| <= 1e300; got {short_repr(value)} at entry {position}")
        return number
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [canonical(v, where=where, kind=kind, position=position) for v in value]
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                fail(where, kind, f"needs string keys in dict values; got key {got(key)} at entry {position}")
            out[key] = canonical(item, where=where, kind=kind, position=position)
        return out
    fail(
        where,
        kind,
        f"needs JSON-like values (None, bool, int, float, str, list, dict); got {got(value)} at entry {position}",
    )


def value_key(value: Any) -> Any:
    """A hashable identity for a JSON-like value: bools differ from numbers, 1 equals 1.0.

    Returns None for values that cannot be a level (NaN, non-JSON objects).
    """
    if value is None:
        return ("none",)
    if isinstance(value, (bool, np.bool_)):
        return ("b", bool(value))
    if isinstance(value, numbers.Real):
        if isinstance(value, numbers.Integral):
            return ("n", int(value))
        number = float(value)
        return ("n", number) if math.isfinite(number) else None
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        keys = tuple(value_key(v) for v in value)
        return None if any(k is None for k in keys) else ("l", keys)
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            vk = value_key(v)
            if not isinstance(k, str) or vk is None:
                return None
            items.append((k, vk))
        return ("d", tuple(sorted(items)))
    return None


def fresh(value: Any) -> Any:
    """A copy of a level that callers may mutate without touching the space."""
    return copy.deepcopy(value) if isinstance(value, (list, dict)) else value


def plain_number(value: Any) -> int | float | None:
    """A received param as a Python int/float (numpy scalars unwrapped); None if not a number."""
    if not is_number(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    return float(value)


def ulp(x: float) -> float:
    """Spacing of floats at ``x``."""
    return math.ulp(float(x))
