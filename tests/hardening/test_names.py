"""Issue 21, case 2: a sweep name is one safe folder name, whatever the entry point."""
import pytest

import hypersweep as hs
from hypersweep.exceptions import SpecError

from .conftest import invoke, sweep_file

BAD_NAMES = ["../../../../x", "/tmp/x", "a/b", "..", ".hidden", "", "x" * 129, "a b"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_api_refuses_names_that_are_not_one_folder_name(tmp_path, name):
    with pytest.raises(SpecError, match="^name: a sweep name must be letters"):
        hs.Sweep({"x": hs.uniform(0, 1)}, storage=tmp_path / "s.db", name=name)
    assert not (tmp_path / "s.db").exists()


def test_cli_run_refuses_an_escaping_name_and_writes_nothing(workdir):
    result = invoke("run", "--space", "space.yaml", "--objective", "objectives21:good", "--n-trials", "1",
                    "--name", "../../../../x", "--no-progress")
    assert result.exit_code == 2 and "name: a sweep name must be" in result.stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["__pycache__", "objectives21.py", "space.yaml"] or \
        not (workdir / "hypersweep.db").exists()


def test_copy_to_follows_the_same_rule(workdir):
    (workdir / "s.yaml").write_text(sweep_file())
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0
    result = invoke("copy", "quad", "--to", "../evil")
    assert result.exit_code == 2 and "--to: a sweep name must be" in result.stderr


def test_good_names_still_work(tmp_path):
    sweep = hs.Sweep({"x": hs.uniform(0, 1)}, storage=tmp_path / "s.db", name="mnist-lr_2.v1", seed=0)
    assert sweep.name == "mnist-lr_2.v1"
