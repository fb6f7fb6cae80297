"""Space.from_yaml / to_yaml and the YAML 1.2 scalar rules."""
from __future__ import annotations

from pathlib import Path

import pytest

import hypersweep.space as sp
from hypersweep.exceptions import SpecError
from hypersweep.space import Space, load_yaml

POLYAXON = """
# a Polyaxon-style matrix, unquoted 'a:b:c' strings included
lr:
  loguniform: [1e-4, 1e-1]
units:
  values: [32, 64, 128]
layers:
  range: 1:10:2
x:
  linspace: 0:1:5
scale:
  logspace: 0:2:3
act:
  pvalues: [[relu, 0.5], [tanh, 0.5]]
flag:
  values: [yes, no, true]
"""


def test_from_yaml_text():
    space = Space.from_yaml(POLYAXON)
    assert space["lr"] == sp.loguniform(1e-4, 0.1)  # 1e-4 is a float, not the string '1e-4'
    assert space["layers"].levels() == [1, 3, 5, 7, 9]  # not YAML 1.1's base-60 integer 4202
    assert space["x"].levels() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert space["scale"].levels() == [1.0, 10.0, 100.0]
    assert space["flag"].levels() == ["yes", "no", True]  # only true/false are booleans


def test_from_yaml_with_matrix_key_and_other_keys():
    text = "algorithm: random\nmatrix:\n  lr: {uniform: [0, 1]}\n  n: {kind: range, value: [0, 3, 1]}\n"
    space = Space.from_yaml(text)
    assert space.names == ["lr", "n"] and space["n"].levels() == [0, 1, 2]


def test_a_parameter_named_matrix_is_not_a_wrapper():
    space = Space.from_yaml("matrix: {values: [1, 2]}\nother: {uniform: [0, 1]}")
    assert space.names == ["matrix", "other"]


def test_from_yaml_path(tmp_path: Path):
    path = tmp_path / "space.yaml"
    path.write_text(POLYAXON)
    assert Space.from_yaml(path) == Space.from_yaml(str(path)) == Space.from_yaml(POLYAXON)


def test_yaml_round_trip_keeps_strings_strings():
    space = Space({"v": sp.values(["1e-4", "1:10:2", "yes", "017", 17, 1e-5, None, "null", "é"]), "u": sp.uniform(0, 1)})
    text = space.to_yaml()
    assert Space.from_yaml(text) == space


def test_yaml_scalars():
    data = load_yaml("a: 017\nb: 0x1f\nc: .inf\nd: 1_000\ne: ~\nf: 1.5e3\ng: on\n")
    assert data == {"a": 17, "b": 31, "c": float("inf"), "d": "1_000", "e": None, "f": 1500.0, "g": "on"}


@pytest.mark.parametrize(
    "text, part",
    [
        ("lr: {uniform: [0, 1]}\nlr: {uniform: [0, 2]}\n", "yaml: duplicate key 'lr' at line 2"),
        ("lr: {uniform: [0, 1]", "yaml: invalid YAML"),
        ("- 1\n- 2\n", "matrix: needs a YAML mapping of parameter name -> kind; got [1, 2] (list)"),
        ("no_such_file.yaml", "got 'no_such_file.yaml' (str) (no such file?)"),
        ("lr: {uniform: [1, 0]}", "matrix.lr: uniform needs low < high; got low=1, high=0"),
        ("lr: {uniform: [.nan, 1]}", "matrix.lr: uniform needs a finite number for low"),
        ("", "matrix: needs a YAML mapping"),
    ],
)
def test_yaml_errors(text, part):
    with pytest.raises(SpecError) as info:
        Space.from_yaml(text)
    assert part in str(info.value) and "\n" not in str(info.value)


def test_unreadable_path(tmp_path: Path):
    with pytest.raises(SpecError, match="cannot read the file"):
        Space.from_yaml(tmp_path / "missing.yaml")
