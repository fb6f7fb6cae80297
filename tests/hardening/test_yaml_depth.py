"""Issue 21, case 8: deep nesting is refused in one pass, before PyYAML builds anything.

Timings are in ``python -m benchmarks.input_limits``.
"""
import pytest
import yaml

from hypersweep.config import parse_sweep_file
from hypersweep.exceptions import SpecError
from hypersweep.space import load_yaml
from hypersweep.space.yaml_depth import MAX_DEPTH, nesting_depth


def deep(n: int) -> str:
    return "x: " + "[" * n + "]" * n + "\n"


@pytest.fixture
def no_pyyaml(monkeypatch):
    """PyYAML may not be called: the text must be refused before it."""
    def refuse(*args, **kwargs):
        raise AssertionError("PyYAML was called on a text that nests too deeply")

    for name in ("load", "parse", "scan", "compose"):
        monkeypatch.setattr(yaml, name, refuse)
    monkeypatch.setattr(yaml.SafeLoader, "__init__", refuse)


def test_deep_nesting_is_refused_before_pyyaml(no_pyyaml):
    for load in (load_yaml, lambda text: parse_sweep_file(text)):
        with pytest.raises(SpecError, match="nesting is too deep"):
            load(deep(20_000))


@pytest.mark.parametrize(
    "text, depth",
    [("a: [1, [2, [3]]]\n", 3), ("- - - x\n", 3), ("a: {b: {c: [1]}}\n", 3),
     ("a: '[[[['\nb: \"{{\"\nc: x[[[  # [[[\n", 0), ("cmd: python t.py {{ lr }} [a]\n", 0)],
)
def test_the_depth_counts_only_collections(text, depth):
    assert nesting_depth(text) == depth


def test_the_limit_itself_is_accepted():
    assert load_yaml(deep(MAX_DEPTH))["x"] is not None
    with pytest.raises(SpecError, match="nesting is too deep"):
        load_yaml(deep(MAX_DEPTH + 1))
