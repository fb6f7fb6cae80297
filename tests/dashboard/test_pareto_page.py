"""The Pareto page of a multi-objective sweep, in real headless Chromium, and its JSON."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.request

import pytest

from hypersweep.api import Sweep
from hypersweep.records import Constraint, Metric
from hypersweep.testing.browser import chromium, close, wait_for
from tests.dashboard.conftest import drawn_trace_types

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SPACE = {"x": {"uniform": [0, 1]}, "y": {"uniform": [0, 1]}}


@pytest.fixture(scope="module")
def store_path() -> str:
    """Overrides conftest's store: one sweep with two metrics and a constraint."""
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "pareto.db")
    sweep = Sweep(SPACE, algorithm="random", metric=[Metric("error", "minimize"), Metric("speed", "maximize")],
                  constraints=[Constraint("memory_mb", max=600)], storage=path, name="trade", seed=3)
    for _ in range(30):
        trial = sweep.ask()
        x, y = trial.params["x"], trial.params["y"]
        sweep.tell(trial, {"error": x + 0.1 * y, "speed": x - 0.5 * y, "memory_mb": 1000 * y})
    yield path
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    close(driver)


def test_pareto_json_marks_the_feasible_front(served):
    base, path = served
    with urllib.request.urlopen(base + "/api/sweeps/trade/pareto") as response:
        data = json.loads(response.read())
    expected = {t.id for t in Sweep.load("trade", storage=path).best_trials}
    assert set(data["front"]) == expected and expected
    assert {p["id"] for p in data["points"] if p["front"]} == expected
    assert any(p["feasible"] is False for p in data["points"])
    assert all(p["feasible"] for p in data["points"] if p["front"])
    volumes = [v for _, v in data["hypervolume"]]
    assert len(volumes) == 30 and volumes[-1] > 0 and volumes == sorted(volumes)


def test_pareto_page_draws_the_front_and_lists_it(served, browser):
    base, path = served
    browser.get(base + "/pareto?sweep=trade")
    wait_for(browser, "return document.getElementById('pareto-main').dataset.loaded === '1'")
    for plot in ("pareto-plot", "hypervolume-plot"):
        assert browser.execute_script(f"return document.querySelectorAll('#{plot} svg .scatterlayer .trace').length") >= 1
    names = browser.execute_script("return document.getElementById('pareto-plot').data.map((t) => t.name)")
    assert names == ["feasible trials", "infeasible trials", "Pareto front"]
    assert drawn_trace_types(browser) == {"scatter"}  # all in the vendored partial plotly.js bundle
    titles = browser.execute_script("return [...document.querySelectorAll('#pareto-plot text[class$=title]')].map((t) => t.textContent)")
    assert sorted(titles) == ["error", "speed"]
    rows = browser.find_elements("css selector", "#front-table tr[data-trial]")
    expected = {t.id for t in Sweep.load("trade", storage=path).best_trials}
    assert {int(r.get_attribute("data-trial")) for r in rows} == expected
    assert "maximize speed" in browser.find_element("id", "pareto-summary").text


def test_pareto_page_of_a_missing_sweep_says_so(served, browser):
    base, _ = served
    browser.get(base + "/pareto?sweep=nope")
    wait_for(browser, "return document.getElementById('pareto-summary').textContent.includes('nope')")
