"""YAML loading with YAML 1.2 scalars (PyYAML alone speaks YAML 1.1).

Under YAML 1.1 ``range: 1:10:2`` would be read as the base-60 integer 4202, ``1e-4``
as the string ``"1e-4"`` and ``yes``/``no``/``on``/``off`` as booleans. This loader resolves
scalars as YAML 1.2's core schema does: ``1:10:2`` stays a string (Polyaxon's form),
``1e-4`` is a float, only ``true``/``false`` are booleans, ``017`` is 17. It also refuses
duplicate mapping keys instead of silently keeping the last one.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from hypersweep.exceptions import SpecError
from hypersweep.space.yaml_depth import check_depth

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema ints, floats and booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_INT, _FLOAT, _BOOL)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text.replace("_", ""), 10)


def _construct_float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()  # type: ignore[arg-type]
    if text in (".inf", "+.inf"):
        return float("inf")
    if text == "-.inf":
        return float("-inf")
    if text == ".nan":
        return float("nan")
    return float(text)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:  # unhashable key: let PyYAML report it
            continue
        if duplicate:
            line = key_node.start_mark.line + 1
            raise SpecError(f"yaml: duplicate key {key!r} at line {line}; each key may appear once")
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(_INT, _construct_int)
_Loader.add_constructor(_FLOAT, _construct_float)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text_or_path: str | os.PathLike[str]) -> Any:
    """Parse YAML text, or the file at a path, with YAML 1.2 scalars; SpecError on bad YAML.

    A ``str`` is read as a path when it has no newline and names an existing file.

    >>> load_yaml("x: {range: 1:10:2}\\nlr: {loguniform: [1e-4, 1e-1]}")
    {'x': {'range': '1:10:2'}, 'lr': {'loguniform': [0.0001, 0.1]}}
    """
    where = "yaml"
    if isinstance(text_or_path, os.PathLike) or (
        isinstance(text_or_path, str) and "\n" not in text_or_path and _is_file(text_or_path)
    ):
        path = Path(text_or_path)
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError(f"{where}: cannot read the file: {exc.strerror or exc}") from None
    elif isinstance(text_or_path, str):
        text = text_or_path
    else:
        raise SpecError(f"yaml: needs YAML text or a path; got {type(text_or_path).__name__}")
    check_depth(text, where)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise SpecError(f"{where}: invalid YAML: {problem}{at}") from None


def _is_file(text: str) -> bool:
    try:
        return os.path.isfile(text)
    except (OSError, ValueError):
        return False


class _Dumper(yaml.SafeDumper):
    """Quotes every string that YAML 1.1 or 1.2 would read as something else."""


_Dumper.yaml_implicit_resolvers = {
    first: list(yaml.SafeDumper.yaml_implicit_resolvers.get(first, []))
    + list(_Loader.yaml_implicit_resolvers.get(first, []))
    for first in set(yaml.SafeDumper.yaml_implicit_resolvers) | set(_Loader.yaml_implicit_resolvers)
}


def dump_yaml(data: Any) -> str:
    """YAML text for plain data that :func:`load_yaml` (and YAML 1.1 readers) read back equal."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=None, allow_unicode=False)
