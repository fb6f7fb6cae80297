"""Issue 21, case 5: read-only commands never create a store; a run creates it only once valid."""
import pytest

import hypersweep as hs
from hypersweep.exceptions import StoreNotFoundError

from .conftest import invoke, sweep_file


@pytest.mark.parametrize(
    "args",
    [["ls"], ["ls", "--storage", "typo.db"], ["show", "x", "--storage", "typo2.db"], ["export", "x"],
     ["stop", "x"], ["resume", "x"], ["rm", "x", "--yes"], ["plot", "x"]],
)
def test_read_only_commands_refuse_a_missing_store(workdir, args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "no store at" in result.stderr and ".db" in result.stderr
    assert not list(workdir.glob("*.db"))


def test_failed_run_leaves_no_store(workdir):
    (workdir / "s.yaml").write_text(sweep_file(run="function: no_such_module:f"))
    result = invoke("run", "s.yaml", "--no-progress")
    assert result.exit_code == 2 and "no_such_module" in result.stderr
    bad_algorithm = invoke("run", "--space", "space.yaml", "--objective", "objectives21:good", "--n-trials", "1",
                           "--algorithm", "nope", "--no-progress")
    assert bad_algorithm.exit_code == 2
    assert not list(workdir.glob("*.db"))


def test_sweep_load_does_not_create_a_store(tmp_path):
    with pytest.raises(StoreNotFoundError, match="no store at"):
        hs.Sweep.load("x", storage=tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()
