"""Issue 21, case 4: a sweep file may not take over a stored sweep that runs another program."""
from hypersweep.storage import open_storage

from .conftest import invoke, sweep_file


def test_another_program_under_the_same_name_is_refused(workdir):
    (workdir / "a.yaml").write_text(sweep_file())
    (workdir / "b.yaml").write_text(sweep_file(run="function: objectives21:nan",
                                               settings="random_search: {n_experiments: 5}"))
    assert invoke("run", "a.yaml", "--no-progress").exit_code == 0
    refused = invoke("run", "b.yaml", "--no-progress")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: run.function: sweep 'quad' is stored with function 'objectives21:good'")
    assert "--force" in refused.stderr
    with open_storage(workdir / "hypersweep.db") as store:
        assert len(store.get_trials("quad")) == 3
    forced = invoke("run", "b.yaml", "--no-progress", "--force")
    assert forced.exit_code == 1 and "2 failed" in forced.stdout  # on purpose: continued with the new program


def test_the_same_program_continues(workdir):
    (workdir / "a.yaml").write_text(sweep_file())
    assert invoke("run", "a.yaml", "--no-progress").exit_code == 0
    (workdir / "a.yaml").write_text(sweep_file(settings="random_search: {n_experiments: 4}"))
    again = invoke("run", "a.yaml", "--no-progress")
    assert again.exit_code == 0 and "1 completed" in again.stdout
