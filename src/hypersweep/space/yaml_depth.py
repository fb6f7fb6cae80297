"""How deeply a YAML text nests, found in one pass over its characters.

PyYAML's scanner is quadratic in the nesting depth of flow collections (20,000 ``[`` take
minutes), so texts nested deeper than ``MAX_DEPTH`` are refused before PyYAML sees them.
The count is conservative where YAML is subtle: a ``[`` or ``{`` opens a collection inside
another flow collection, or where a block value starts (line start, after ``- ``, ``? ``
or ``: ``); quoted scalars and comments are skipped; each ``- `` starting a value nests one
block sequence deeper on its line.
"""
from __future__ import annotations

from hypersweep.exceptions import SpecError

MAX_DEPTH = 100
_BLANK = " \t\r\n"


def check_depth(text: str, source: str) -> None:
    """``SpecError`` when ``text`` nests more than ``MAX_DEPTH`` collections."""
    if nesting_depth(text) > MAX_DEPTH:
        raise SpecError(f"yaml: nesting is too deep (more than {MAX_DEPTH} levels) ({source})")


def nesting_depth(text: str) -> int:
    """The deepest nesting of collections in ``text`` (flow plus same-line block sequences)."""
    deepest = flow = block = 0
    value_start = True  # a block value may begin here
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        after_blank = i + 1 >= n or text[i + 1] in _BLANK
        if c == "\n":
            block, value_start = 0, flow == 0
        elif c == "#" and (i == 0 or text[i - 1] in _BLANK):
            i = _line_end(text, i)
            continue
        elif c in "'\"" and (flow or value_start):
            i = _quoted_end(text, i)
            value_start = False
            continue
        elif c in "[{" and (flow or value_start):
            flow += 1
        elif c in "]}" and flow:
            flow -= 1
        elif not flow and c in "-?:" and after_blank:
            block += c == "-" and value_start
            value_start = True
        elif not flow and c not in _BLANK:
            value_start = False
        deepest = max(deepest, flow + block)
        i += 1
    return deepest


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _quoted_end(text: str, i: int) -> int:
    """Index just past the quoted scalar opening at ``i`` ('' and backslash escapes)."""
    quote, j, n = text[i], i + 1, len(text)
    while j < n:
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text[j] == quote:
            if quote == "'" and j + 1 < n and text[j + 1] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    return n
