"""Load a sweep file with the space package's YAML 1.2 loader, keeping each value's line.

Stricter than ``hypersweep.space.load_yaml`` on purpose, because a sweep file also names
commands to run: explicit tags (``!!python/object``, even ``!!str``), anchors and aliases
(billion-laughs) are refused, and duplicate keys are reported with their path and line.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hypersweep.exceptions import SpecError
from hypersweep.space.yaml_depth import check_depth
from hypersweep.space.yaml_io import _Loader

YamlPath = tuple[Any, ...]

MAX_BYTES = 1_000_000


def dotted(path: YamlPath) -> str:
    """``("settings", "hyperband", "eta")`` -> ``settings.hyperband.eta``; list items as ``[i]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


@dataclass(frozen=True)
class LocatedYaml:
    """Parsed data plus the 1-based line of every mapping key and list item, by path."""

    data: Any
    lines: dict[YamlPath, int]
    source: str

    def line(self, path: YamlPath) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    def error(self, path: YamlPath, message: str) -> SpecError:
        """``SpecError("path: message (file:line)")``."""
        line = self.line(path)
        where = f" ({self.source}:{line})" if line is not None else f" ({self.source})"
        return SpecError(f"{dotted(path)}: {message}{where}")


def load_located(text: str, *, source: str) -> LocatedYaml:
    """Parse ``text`` (named ``source`` in messages) into data with line numbers."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise SpecError(f"{source}: file is larger than {MAX_BYTES} bytes; a sweep file should be small")
    check_depth(text, source)  # before PyYAML, whose scanner is quadratic in the depth
    try:
        _refuse_tags_and_aliases(text, source)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise SpecError(f"{source}: the file is empty; it needs name, metric, settings, matrix and run")
            lines: dict[YamlPath, int] = {(): node.start_mark.line + 1}
            _walk(node, (), lines, source)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        at = f"{source}:{mark.line + 1}" if mark is not None else source
        raise SpecError(f"yaml: invalid YAML: {problem} ({at})") from None
    except RecursionError:
        raise SpecError(f"yaml: nesting is too deep ({source})") from None
    return LocatedYaml(data, lines, source)


def read_located(path: str | Path) -> LocatedYaml:
    """Read and parse the sweep file at ``path``."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise SpecError(f"{file}: cannot read the sweep file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(f"{file}: not UTF-8 text; save the sweep file as UTF-8") from None
    return load_located(text, source=file.name)


def _refuse_tags_and_aliases(text: str, source: str) -> None:
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise SpecError(f"yaml: anchors and aliases (&name, *name) are not allowed in sweep files ({source}:{line})")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise SpecError(f"yaml: explicit tag {tag!r} is not allowed; write plain values ({source}:{line})")


def _walk(node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int], source: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise SpecError(f"{dotted(path)}: keys must be plain strings ({source}:{key_node.start_mark.line + 1})")
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise SpecError(
                    f"{dotted((*path, key))}: duplicate key (first at line {seen[key]}); "
                    f"each key may appear once ({source}:{line})"
                )
            seen[key] = line
            lines[(*path, key)] = line
            _walk(value_node, (*path, key), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _walk(item, (*path, index), lines, source)
