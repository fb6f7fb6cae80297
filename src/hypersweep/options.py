"""Declarative option checking: one behaviour for the settings of every algorithm and pruner.

An owner (``"tpe"``, ``"pruner.median"``) declares its options once, as an :class:`OptionSet`
of :class:`Option` rules; ``parse`` checks a raw mapping (Python keywords or a sweep-file
block) and returns every option with its value. The rules are the same everywhere:

- integer options accept integral floats (``10.0``) and refuse others (``10.5``);
- bools are never numbers, and numbers are never bools;
- NaN and infinities are refused unless an option allows them;
- choices match exactly (case-sensitive); a near miss gets a "did you mean";
- unknown keys are refused with the list of known ones;
- a nested block (``utility_function: {...}``) is an option set of its own (:func:`block`).

Errors are one line: ``tpe.gamma: must be ...; got 'x'; e.g. gamma: 0.1``.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hypersweep.exceptions import AlgorithmError, HypersweepError

Check = Callable[[Any, str], Any]
"""A custom rule: ``check(value, field)`` returns the parsed value or raises ``ValueError(rule)``."""


class OptionValueError(ValueError):
    """Raised by a rule: the message is the rule the value broke (``must be ...``)."""


@dataclass(frozen=True)
class Option:
    """One option: its name, default, and the rule its values follow.

    Build options with :func:`integer`, :func:`number`, :func:`flag`, :func:`choice`,
    :func:`block` or :func:`custom` rather than directly.
    """

    name: str
    default: Any
    check: Check
    optional: bool = False  # None is a valid value (e.g. "no limit")
    words: tuple[str, ...] = ()  # the strings the option accepts (choices), for respelling stored values
    nested: OptionSet | None = None  # the options of a block
    rule: str = ""  # the values it accepts, as its errors say them ("must be an integer >= 0")

    def parse(self, value: Any, field: str) -> Any:
        if value is None and self.optional:
            return None
        return self.check(value, field)


class OptionSet:
    """The options of one owner (``owner`` prefixes every error: ``tpe.gamma: ...``)."""

    def __init__(self, owner: str, *options: Option, error: type[HypersweepError] = AlgorithmError) -> None:
        self.owner = owner
        self.options = tuple(options)
        self.error = error
        self._by_name = {o.name: o for o in options}
        if len(self._by_name) != len(options):
            raise ValueError(f"{owner}: an option is declared twice")

    @property
    def names(self) -> tuple[str, ...]:
        """The option names, in declaration order."""
        return tuple(self._by_name)

    @property
    def defaults(self) -> dict[str, Any]:
        """Every option's default."""
        return {o.name: o.default for o in self.options}

    def parse(self, raw: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Every option, checked: the given value or the default; the library's error otherwise.

        A value of None means "the default" unless the option is ``optional`` (then None is kept).
        """
        raw = dict(raw or {})
        for key in raw:
            if key not in self._by_name:
                raise self.error(f"{self.owner}: unknown option {key!r}{did_you_mean(key, self.names)}; "
                                 f"options are: {', '.join(self.names) or 'none'}")
        out: dict[str, Any] = {}
        for option in self.options:
            value = raw.get(option.name, option.default)
            if value is None and not option.optional:
                value = option.default
            out[option.name] = self.parse_one(option, value)
        return out

    def parse_one(self, option: Option, value: Any) -> Any:
        """One option's value, checked (the library's error naming the field otherwise)."""
        field_name = f"{self.owner}.{option.name}"
        try:
            return option.parse(value, field_name)
        except OptionValueError as exc:
            hint = f"; e.g. {option.name}: {_yaml(option.default)}" if option.default is not None else ""
            raise self.error(f"{field_name}: {exc}; got {value!r}{hint}") from None

    def changed(self, parsed: Mapping[str, Any]) -> dict[str, Any]:
        """The parsed options that differ from their defaults (what a sweep stores)."""
        return {k: v for k, v in parsed.items() if k in self._by_name and v != self._by_name[k].default}

    def respelled(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """``stored`` with each word an option accepts in its declared spelling.

        Versions before this module matched some choices ignoring case and surrounding spaces
        and stored what the user typed (``acquisition_function: " EI"``); their sweeps must keep
        loading. Only options read back from a store go through this, never new input.
        """
        out = dict(stored)
        for key, value in stored.items():
            option = self._by_name.get(key)
            if option is None:
                continue
            if option.nested is not None and isinstance(value, Mapping):
                out[key] = option.nested.respelled(value)
            elif isinstance(value, str):
                spelled = {w.lower(): w for w in option.words}
                out[key] = spelled.get(value.strip().lower(), value)
        return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``choices`` (case-insensitively), else ``""``."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


# -- rules -------------------------------------------------------------------------------------
def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _bounds_rule(minimum: float | None, maximum: float | None, open_low: bool, open_high: bool) -> str:
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if open_low else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if open_high else '<='} {maximum:g}")
    return " and ".join(parts)


def _within(v: float, minimum: float | None, maximum: float | None, open_low: bool, open_high: bool) -> bool:
    if minimum is not None and (v <= minimum if open_low else v < minimum):
        return False
    return not (maximum is not None and (v >= maximum if open_high else v > maximum))


def integer(
    name: str, default: int | None, *, minimum: int | None = None, maximum: int | None = None,
    optional: bool = False,
) -> Option:
    """An integer (an integral float such as ``10.0`` counts; ``10.5`` and bools do not)."""
    bounds = _bounds_rule(minimum, maximum, False, False)
    rule = "must be an integer" + (f" {bounds}" if bounds else "") + (" or null" if optional else "")

    def check(value: Any, field: str) -> int:
        if not _is_number(value) or not math.isfinite(float(value)) or not float(value).is_integer():
            raise OptionValueError(rule)
        number = int(value)
        if not _within(number, minimum, maximum, False, False):
            raise OptionValueError(rule)
        return number

    return Option(name, default, check, optional, rule=rule)


def number(
    name: str, default: float | None, *, minimum: float | None = None, maximum: float | None = None,
    open_low: bool = False, open_high: bool = False, allow_inf: bool = False, optional: bool = False,
) -> Option:
    """A real number within bounds (``open_low``/``open_high`` exclude them); NaN is always
    refused, infinities unless ``allow_inf``."""
    bounds = _bounds_rule(minimum, maximum, open_low, open_high)
    rule = ("must be a number" if allow_inf else "must be a finite number") + (f" {bounds}" if bounds else "")
    rule += " or null" if optional else ""

    def check(value: Any, field: str) -> float:
        if not _is_number(value):
            raise OptionValueError(rule)
        v = float(value)
        if math.isnan(v) or (math.isinf(v) and not allow_inf) or not _within(v, minimum, maximum, open_low, open_high):
            raise OptionValueError(rule)
        return v

    return Option(name, default, check, optional, rule=rule)


def flag(name: str, default: bool) -> Option:
    """true or false (never a number)."""
    rule = "must be true or false"

    def check(value: Any, field: str) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise OptionValueError(rule)
        return bool(value)

    return Option(name, default, check, rule=rule)


def choice(
    name: str, default: str | None, choices: Iterable[str], *, aliases: Mapping[str, str] | None = None,
    optional: bool = False,
) -> Option:
    """One of ``choices``, matched exactly (case-sensitive), with a "did you mean" for near misses.

    ``aliases`` are other documented spellings, accepted exactly and parsed to the choice they
    name (``{"pi": "poi"}``).
    """
    allowed = tuple(choices)
    aliases = dict(aliases or {})
    words = (*allowed, *aliases)
    rule = f"must be one of {', '.join(allowed)}" + (f" (or {', '.join(aliases)})" if aliases else "")
    rule += " or null" if optional else ""

    def check(value: Any, field: str) -> str:
        if isinstance(value, str) and value in words:
            return aliases.get(value, value)
        hint = did_you_mean(value, words) if isinstance(value, str) else ""
        raise OptionValueError(rule + hint)

    return Option(name, default, check, optional, words, rule=rule)


def block(name: str, options: OptionSet) -> Option:
    """A nested mapping of options checked by ``options`` (whose owner names the block,
    ``bo.utility_function``); absent or null means every nested default."""
    rule = f"must be a mapping of {', '.join(options.names)}"

    def check(value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise OptionValueError(rule)
        return options.parse(value)

    return Option(name, options.defaults, check, nested=options, rule=rule)


def custom(
    name: str, default: Any, check: Check, *, rule: str, optional: bool = False, words: Iterable[str] = (),
) -> Option:
    """An option with its own rule: ``check(value, field)`` returns the parsed value, raises
    :class:`OptionValueError` with the rule it broke, or raises the library's error itself
    (for nested blocks whose messages name deeper fields). ``rule`` says what it accepts
    (``"must be ..."``, as the sweep-file reference shows it); ``words``: the strings it accepts."""
    return Option(name, default, check, optional, tuple(words), rule=rule)


def _yaml(value: Any) -> str:
    """How a default reads in a sweep file (``true``, ``0.1``, ``ei``, ``{kernel: matern}``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


__all__ = [
    "Check", "Option", "OptionSet", "OptionValueError", "block", "choice", "custom", "did_you_mean", "flag",
    "integer", "number",
]
