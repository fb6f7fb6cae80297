"""Issue 21, cases 18 and 21: sweep status and --json in ls/show; messages that fit their face."""
import json

from hypersweep.runner.control import request_stop
from hypersweep.storage import open_storage

from .conftest import invoke, sweep_file

GRID = "grid_search: {}"


def grid_file(name="g"):
    return sweep_file(name=name, settings=GRID).replace("x: {uniform: [-1, 1]}", "x: {values: [1, 2, 3]}")


def test_ls_shows_status_budget_and_separates_waiting_from_running(workdir):
    (workdir / "g.yaml").write_text(grid_file())
    (workdir / "q.yaml").write_text(sweep_file(settings="random_search: {n_experiments: 5}"))
    assert invoke("run", "g.yaml", "--no-progress").exit_code == 0
    assert invoke("run", "q.yaml", "--no-progress", "--n-trials", "2").exit_code == 0
    with open_storage(workdir / "hypersweep.db") as store:
        store.create_trial("quad", {"x": 0.5}, state="waiting")
    records = {r["name"]: r for r in json.loads(invoke("ls", "--json").stdout)}
    assert records["g"]["status"] == "finished" and records["g"]["budget"] == 3
    assert records["quad"]["status"] == "idle" and records["quad"]["budget"] == 5
    assert records["quad"]["waiting"] == 1 and records["quad"]["running"] == 0
    with open_storage(workdir / "hypersweep.db") as store:
        request_stop(store, "quad")
    table = invoke("ls").stdout.splitlines()
    assert table[0].split()[:2] == ["name", "status"] and "waiting" in table[0]
    assert next(line for line in table if line.startswith("quad")).split()[1] == "stopped"


def test_show_json_has_status_and_trials(workdir):
    (workdir / "g.yaml").write_text(grid_file())
    assert invoke("run", "g.yaml", "--no-progress").exit_code == 0
    shown = json.loads(invoke("show", "g", "--json").stdout)
    assert shown["status"] == "finished" and shown["seed"] == 1 and shown["best"] == 0
    assert [t["id"] for t in shown["trials"]] == [0, 1, 2]
    assert json.loads(invoke("show", "g", "--trial", "2", "--json").stdout)["params"] == {"x": 3}
    assert invoke("show", "g").stdout.startswith("sweep g: finished, algorithm grid, seed 1")


def test_finished_sweeps_say_so(workdir):
    (workdir / "g.yaml").write_text(grid_file())
    assert invoke("run", "g.yaml", "--no-progress").exit_code == 0
    stop = invoke("stop", "g")
    assert stop.exit_code == 0 and "is finished" in stop.stdout and "resume" not in stop.stdout
    again = invoke("run", "g.yaml", "--no-progress")
    assert again.exit_code == 0 and "nothing left to run, its budget is spent" in again.stdout


def test_resume_works_for_sweeps_started_with_space_and_objective(workdir):
    first = invoke("run", "--space", "space.yaml", "--objective", "objectives21:good", "--n-trials", "2",
                   "--name", "s", "--algorithm", "random", "--no-progress")
    assert first.exit_code == 0
    resumed = invoke("resume", "s", "--n-trials", "2", "--no-progress")
    assert resumed.exit_code == 0 and "2 completed" in resumed.stdout, resumed.output


def test_cli_messages_carry_no_python_hints_and_suggest_names(workdir):
    (workdir / "a.yaml").write_text(sweep_file())
    assert invoke("run", "a.yaml", "--no-progress").exit_code == 0
    (workdir / "a.yaml").write_text(sweep_file().replace("seed: 1", "seed: 2"))
    clash = invoke("run", "a.yaml", "--no-progress")
    assert clash.exit_code == 2 and "Sweep.load" not in clash.stderr and "hypersweep resume quad" in clash.stderr
    (workdir / "b.yaml").write_text(sweep_file(name="b").replace("settings:", "setings:"))
    assert "did you mean 'settings'" in invoke("run", "b.yaml").stderr
    (workdir / "c.yaml").write_text(sweep_file(name="c", settings="random_serach: {n_experiments: 3}"))
    assert "did you mean 'random_search'" in invoke("run", "c.yaml").stderr
    algorithm_help = " ".join(invoke("run", "--help").stdout.split("--algorithm")[1].split()[:20])
    assert "asha, bo, bohb" in algorithm_help and "random" in algorithm_help
