"""Issue 21, case 20: `rm` removes the sweep's trial folders, so a new sweep of that name starts clean."""
import sys

from .conftest import invoke, sweep_file


def test_rm_removes_the_trial_folders_after_confirmation(workdir):
    (workdir / "report.py").write_text("print('hypersweep.metric {\"loss\": 1}')\n")
    (workdir / "s.yaml").write_text(sweep_file(run=f"cmd: {sys.executable} report.py"))
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0
    folder = workdir / "hypersweep-runs" / "quad"
    assert (folder / "trial-00000" / "stdout.log").exists()
    declined = invoke("rm", "quad", input="n\n")
    assert "trial folders" in declined.stdout and "nothing deleted" in declined.stdout and folder.is_dir()
    assert invoke("rm", "quad", input="y\n").exit_code == 0
    assert not folder.exists() and (workdir / "hypersweep-runs").is_dir()
    assert invoke("run", "s.yaml", "--no-progress").exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["trial-00000", "trial-00001", "trial-00002"]
