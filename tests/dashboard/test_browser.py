"""The dashboard as a person uses it, in real headless Chromium."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hypersweep.api import Sweep
from hypersweep.dashboard import overview
from hypersweep.dashboard.report import write_report
from hypersweep.records import Metric, SweepSpec, TrialState
from hypersweep.storage import open_storage
from hypersweep.storage.memory import MemoryStorage
from hypersweep.testing.browser import chromium, close, wait_for
from tests.dashboard.conftest import SRC, TOKEN, drawn_trace_types

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PLOTS_DRAWN = """
const ids = ['history', 'parallel', 'importance', 'slice', 'contour', 'rank', 'edf', 'timeline', 'intermediate'];
return ids.every((id) => { const el = document.getElementById('plot-' + id);
  return el && el.dataset.ready === '1' && el.querySelectorAll('svg .plot *, canvas, .trace, .bars path').length > 0; });
"""


def run_report(name: str, storage: str, out: Path) -> subprocess.CompletedProcess:
    """``hypersweep report NAME --storage STORAGE -o OUT`` in a fresh process."""
    return subprocess.run([sys.executable, "-m", "hypersweep.cli", "report", name, "--storage", storage, "-o", str(out)],
                          env={"PYTHONPATH": str(SRC)}, capture_output=True, text=True)


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    close(driver)


def test_sweeps_page_lists_sweeps_and_clicking_one_opens_it(served, browser):
    base, _ = served
    browser.get(base + "/")
    wait_for(browser, "return document.querySelectorAll('#sweeps-table tr[data-name]').length === 2")
    text = browser.find_element("id", "sweeps-table").text
    assert "alpha" in text and "beta" in text and "random" in text
    browser.find_element("css selector", "tr[data-name='alpha'] td:nth-child(2)").click()
    wait_for(browser, "return document.querySelector('#main').dataset.loaded === '1'")
    assert browser.current_url.endswith("#/sweep/alpha")
    wait_for(browser, PLOTS_DRAWN)
    assert "PED-ANOVA" in browser.find_element("id", "importance-method").text
    assert drawn_trace_types(browser) == {"scatter", "bar", "histogram2dcontour"}


def test_plots_render_and_a_trial_shows_its_details(served, browser):
    base, _ = served
    browser.get(base + "/#/sweep/beta")
    wait_for(browser, PLOTS_DRAWN)
    # bo recorded its predictions at ask time: the surrogate plot is drawn
    wait_for(browser, "return document.getElementById('plot-surrogate').dataset.ready === '1'")
    assert drawn_trace_types(browser) == {"scatter", "bar", "histogram2dcontour"}
    # axes are titled (plotly.js 3+ ignores a bare string as an axis title)
    titles = "return [...document.querySelectorAll('#plot-ID text[class$=title]')].map((t) => t.textContent).sort()"
    assert browser.execute_script(titles.replace("ID", "history")) == ["loss", "trial"]
    assert browser.execute_script(titles.replace("ID", "slice")) == ["act", "loss", "lr", "units"]
    # the parallel coordinates draw one path per colour band, not one per trial
    assert 1 <= browser.execute_script("return document.querySelectorAll('#plot-parallel path.js-line').length") <= 6
    rows = browser.find_elements("css selector", "#trials tr[data-trial]")
    assert len(rows) == 12
    browser.find_element("css selector", "#trials tr[data-trial='3'] td").click()
    detail = wait_for(browser, "const d = document.getElementById('trial-detail'); return d.innerText.includes('Trial 3') && d.innerText")
    assert "failed" in detail and "diverged" in detail and "lr" in detail
    # server-side sorting: value descending puts the failed trial (no value) last
    for arrow in ("▲", "▼"):  # the table is rebuilt after each click
        browser.find_element("css selector", "th[data-order='value']").click()
        wait_for(browser, f"return document.querySelector(\"th[data-order='value']\").innerText.includes('{arrow}')")
    wait_for(browser, "return document.querySelector('#trials tr:last-child').dataset.trial === '3'")


def test_a_trial_finished_by_another_process_appears_without_reload(served, browser):
    base, path = served
    browser.get(base + "/#/sweep/alpha")
    wait_for(browser, PLOTS_DRAWN)
    before = int(browser.execute_script("return Number(document.getElementById('trial-table').dataset.total)"))
    browser.execute_script("window.__marker = 1")  # lost on a reload
    script = (
        "import sys; sys.path.insert(0, %r)\n"
        "from tests.dashboard.conftest import fill\n"
        "fill(%r, 'alpha', 1)\n" % (str(Path(SRC).parent), path)
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=str(Path(SRC).parent), env={"PYTHONPATH": str(SRC)})
    wait_for(browser, f"return Number(document.getElementById('trial-table').dataset.total) === {before + 1}", timeout=20)
    assert browser.execute_script("return window.__marker") == 1
    assert int(browser.execute_script("return Number(document.getElementById('main').dataset.updates)")) >= 1


def test_actions_need_the_token(served, browser):
    base, path = served
    browser.get(base + "/#/sweep/alpha")
    wait_for(browser, "return document.querySelector('#main').dataset.loaded === '1'")
    browser.find_element("id", "act-stop").click()
    message = wait_for(browser, "const t = document.getElementById('act-result').innerText; return t !== '…' && t")
    assert "token" in message
    assert open_storage(path).get_sweep_attrs("alpha").get("stop") is None
    browser.find_element("id", "token").send_keys(TOKEN)
    browser.find_element("id", "act-stop").click()
    wait_for(browser, "return document.getElementById('act-result').innerText === 'done'")
    assert open_storage(path).get_sweep_attrs("alpha")["stop"]
    browser.find_element("id", "act-resume").click()
    wait_for(browser, "return document.getElementById('act-result').innerText === 'done'")
    assert "stop" not in open_storage(path).get_sweep_attrs("alpha")


def test_compare_page_overlays_sweeps(served, browser):
    base, _ = served
    browser.get(base + "/#/compare/alpha,beta")
    wait_for(browser, "const el = document.getElementById('plot-compare'); return el && el.dataset.ready === '1'")
    assert len(browser.find_elements("css selector", "#compare-table tr")) == 3
    wait_for(browser, "const el = document.getElementById('plot-compare-edf'); return el && el.dataset.ready === '1'")
    assert drawn_trace_types(browser) == {"scatter"}


def test_offline_report_draws_the_same_plots_and_shows_the_notes(store_path, tmp_path, browser):
    copy, out = str(tmp_path / "copy.db"), tmp_path / "alpha.html"
    shutil.copy(store_path, copy)
    noted = open_storage(copy)
    noted.set_note("alpha", "sweep note: <b>kept</b>")
    noted.set_note("alpha", "trial note: diverged </script> early", trial=0)
    noted.set_note("alpha", "the second trial's note", trial=1)
    noted.close()
    done = run_report("alpha", copy, out)
    assert done.returncode == 0, done.stderr
    html = out.read_text()
    assert not re.search(r"<script[^>]*\bsrc=|<link\b", html)  # everything inline: opens offline
    browser.get(out.as_uri())
    wait_for(browser, PLOTS_DRAWN)
    assert drawn_trace_types(browser) == {"scatter", "bar", "histogram2dcontour"}
    assert browser.find_element("id", "sweep-note").get_property("value") == "sweep note: <b>kept</b>"
    browser.find_element("css selector", "#trials tr[data-trial='0'] td").click()
    wait_for(browser, "return document.getElementById('trial-detail').innerText.includes('Trial 0')")
    assert browser.find_element("id", "trial-note").get_property("value") == "trial note: diverged </script> early"
    browser.find_element("css selector", "#trials tr[data-trial='2'] td").click()
    wait_for(browser, "return document.getElementById('trial-detail').innerText.includes('Trial 2')")
    assert browser.find_element("id", "trial-note").get_property("value") == ""
    browser.find_element("css selector", "#trials tr[data-trial='1'] td").click()
    wait_for(browser, "return document.getElementById('trial-detail').innerText.includes('Trial 1')")
    assert browser.find_element("id", "trial-note").get_property("value") == "the second trial's note"


def test_asha_rungs_are_drawn_by_the_bundled_plotly(tmp_path, browser):
    path = str(tmp_path / "asha.db")
    sweep = Sweep({"lr": {"loguniform": [1e-4, 1e-1]}}, algorithm="asha", metric="loss", storage=path, name="asha", seed=1,
                  options={"max_iter": 9, "eta": 3, "resource": {"name": "epochs", "type": "int"}})
    for _ in range(30):
        trial = sweep.ask()
        if trial is None:
            break
        sweep.tell(trial, abs(trial.params["lr"] - 0.01) / trial.params["epochs"])
    out = tmp_path / "asha.html"
    done = run_report("asha", path, out)
    assert done.returncode == 0, done.stderr
    browser.get(out.as_uri())
    wait_for(browser, "return document.getElementById('plot-rungs').dataset.ready === '1' && document.querySelector('#main').dataset.loaded === '1'")
    assert browser.execute_script("return document.getElementById('plot-rungs').data.length") >= 2  # brackets and promotions
    assert "scatter" in drawn_trace_types(browser)


def test_report_of_a_missing_sweep_is_one_line(store_path, tmp_path):
    done = run_report("nope", store_path, tmp_path / "x.html")
    assert done.returncode != 0 and done.stderr.count("\n") == 1 and "nope" in done.stderr


def test_a_big_sweeps_parameter_plots_draw_the_stated_sample(tmp_path, browser):
    """Beyond the stratified sample, plots of parameters draw the every-k-th and best trials the
    overview names, not the trials it adds only as the newest (those are in the history)."""
    store = MemoryStorage()
    store.create_sweep(SweepSpec("wide", {"x": {"uniform": [0, 1]}, "y": {"uniform": [0, 1]}}, Metric("loss")))
    rng = random.Random(3)
    for i in range(3 * overview.STRATIFIED):
        trial = store.create_trial("wide", {"x": rng.random(), "y": rng.random()})
        store.add_report("wide", trial.id, 0, 1.0)
        store.finish_trial("wide", trial.id, TrialState.COMPLETED, value=rng.random())
    data = overview.overview(store, "wide")
    sample = set(data["sample"])
    assert len(sample) < len(data["trials"])  # some trials were sent only as the newest
    browser.get(write_report(store, "wide", tmp_path / "wide.html").as_uri())
    wait_for(browser, PLOTS_DRAWN)
    drawn = browser.execute_script("""const ids = (id) => document.getElementById('plot-' + id).data;
      return {history: ids('history')[0].x, slice: ids('slice')[0].y.length, rank: ids('rank')[0].x.length,
              contour: ids('contour')[1].x.length, parallel: ids('parallel').reduce((n, t) => n + t.x.length, 0)};""")
    assert sorted(drawn["history"]) == sorted(t["i"] for t in data["trials"])
    assert drawn["slice"] == drawn["rank"] == drawn["contour"] == len(sample)
    assert drawn["parallel"] == 3 * len(sample)  # one point per axis (x, y, loss) per trial
    note = browser.find_element("id", "sample-note").text
    assert f"draw {len(sample)} of them" in note and f"{len(data['trials'])} in all" in note


def test_slice_and_rank_plots_leave_inactive_parameters_out(tmp_path, browser):
    path = str(tmp_path / "cond.db")
    space = {"booster": {"values": ["gbtree", "gblinear"]},
             "tree_method": {"values": ["exact", "hist"], "when": {"booster": "gbtree"}},
             "depth": {"range": [1, 9, 1], "when": {"booster": "gbtree"}}}
    sweep = Sweep(space, algorithm="random", metric="loss", storage=path, name="cond", seed=4)
    sweep.run(lambda p: p.get("depth", 5) / 10, n_trials=16, progress=False)
    active = sum(t.params["booster"] == "gbtree" for t in sweep.trials)
    assert 0 < active < 16
    out = tmp_path / "cond.html"
    done = run_report("cond", path, out)
    assert done.returncode == 0, done.stderr
    browser.get(out.as_uri())
    wait_for(browser, "return ['slice', 'rank'].every((id) => document.getElementById('plot-' + id).dataset.ready === '1')")
    for plot in ("slice", "rank"):
        xs = browser.execute_script(f"return document.getElementById('plot-{plot}').data.map((t) => t.x)")
        assert all("null" not in x for x in xs)  # not a category named "null"
    slice_x = browser.execute_script("return document.getElementById('plot-slice').data.map((t) => t.x)")
    assert [sum(v is not None for v in x) for x in slice_x] == [16, active, active]
