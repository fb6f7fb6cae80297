"""The rank, EDF and timeline plots, notes and the CSV download, in real headless Chromium."""
from __future__ import annotations

import csv
import io

import pytest

from hypersweep.storage import open_storage
from hypersweep.testing.browser import chromium, close, wait_for
from tests.dashboard.conftest import TOKEN

pytestmark = [pytest.mark.browser, pytest.mark.slow]
READY = "const el = document.getElementById('plot-{0}'); return el && el.dataset.ready === '1' && el.data"


@pytest.fixture(scope="module")
def browser():
    driver = chromium()
    yield driver
    close(driver)


def plot_data(browser, name: str) -> list[dict]:
    wait_for(browser, READY.format(name))
    return browser.execute_script(f"return document.getElementById('plot-{name}').data.map((t) => ({{name: t.name, x: t.x, y: t.y}}))")


def test_rank_edf_and_timeline_draw_every_trial(served, browser):
    base, path = served
    browser.get(base + "/#/sweep/alpha")
    values = sorted(t.value for t in open_storage(path).get_trials("alpha") if t.value is not None)  # 24 completed, 1 failed
    rank = plot_data(browser, "rank")
    assert len(rank) == 3 and all(len(trace["x"]) == len(values) for trace in rank)  # lr-units, lr-act, units-act
    edf = plot_data(browser, "edf")
    assert edf[0]["x"] == pytest.approx(values) and edf[0]["y"][-1] == 1 and edf[0]["y"][0] == pytest.approx(1 / len(values))
    timeline = {t["name"]: t for t in plot_data(browser, "timeline")}
    assert set(timeline) == {"completed", "failed"}
    assert len(timeline["completed"]["x"]) == 3 * len(values) and len(timeline["failed"]["x"]) == 3


def test_compare_page_overlays_the_sweeps_edfs(served, browser):
    base, path = served
    browser.get(base + "/#/compare/alpha,beta")
    edf = plot_data(browser, "compare-edf")
    assert [t["name"] for t in edf] == ["alpha", "beta"]
    beta = [t.value for t in open_storage(path).get_trials("beta") if t.value is not None]
    assert len(edf[1]["x"]) == len(beta) and max(edf[1]["x"]) == pytest.approx(max(beta))


def save(browser, button: str, result: str, token: str = "") -> str:
    browser.find_element("id", "token").clear()
    browser.find_element("id", "token").send_keys(token)
    browser.find_element("id", button).click()
    return wait_for(browser, f"const t = document.getElementById('{result}').innerText; return t !== '…' && t")


def test_notes_need_the_token_and_persist_after_a_reload(served, browser):
    base, path = served
    browser.get(base + "/#/sweep/alpha")
    wait_for(browser, "return document.querySelector('#main').dataset.loaded === '1'")
    browser.find_element("id", "sweep-note").send_keys("lr above 1e-2 diverges")
    assert "token" in save(browser, "save-sweep-note", "sweep-note-result")
    assert open_storage(path).get_note("alpha") == ""
    assert save(browser, "save-sweep-note", "sweep-note-result", TOKEN) == "done"
    browser.find_element("css selector", "#trials tr[data-trial='2'] td").click()
    wait_for(browser, "return document.getElementById('trial-note')")
    browser.find_element("id", "trial-note").send_keys("rerun with seed 2")
    assert save(browser, "save-trial-note", "trial-note-result", TOKEN) == "done"

    browser.refresh()
    note = wait_for(browser, "const n = document.getElementById('sweep-note'); return n && n.value")
    assert note == "lr above 1e-2 diverges"
    wait_for(browser, "return document.querySelector('#main').dataset.loaded === '1'")
    browser.find_element("css selector", "#trials tr[data-trial='2'] td").click()
    note = wait_for(browser, "const n = document.getElementById('trial-note'); return n && n.value")
    assert note == "rerun with seed 2"
    store = open_storage(path)
    assert store.get_note("alpha", trial=2) == "rerun with seed 2" and store.get_note("alpha", trial=1) == ""


def download(browser) -> list[dict]:
    text = browser.execute_async_script(
        "const done = arguments[0]; fetch(document.getElementById('csv').href).then((r) => r.text()).then(done)")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_download_has_the_filtered_and_sorted_rows(served, browser):
    base, path = served
    browser.get(base + "/#/sweep/alpha")
    wait_for(browser, "return document.querySelector('#main').dataset.loaded === '1'")
    stored = open_storage(path).get_trials("alpha")
    every = download(browser)
    assert [int(r["id"]) for r in every] == [t.id for t in stored]
    assert set(every[0]) >= {"id", "state", "loss", "lr", "units", "act", "started", "finished", "worker"}
    failed = next(r for r in every if r["state"] == "failed")
    assert failed["loss"] == "" and "diverged" in failed["error"]

    completed = sorted((t for t in stored if t.state.value == "completed"), key=lambda t: -t.value)
    browser.execute_script("const s = document.getElementById('state-filter'); s.value = 'completed'; s.onchange()")
    wait_for(browser, f"return document.getElementById('trial-table').dataset.total === '{len(completed)}'")
    for arrow in ("▲", "▼"):  # value, descending
        browser.find_element("css selector", "th[data-order='value']").click()
        wait_for(browser, f"return document.querySelector(\"th[data-order='value']\").innerText.includes('{arrow}')")
    chosen = download(browser)
    assert [int(r["id"]) for r in chosen] == [t.id for t in completed]
    assert [float(r["loss"]) for r in chosen] == pytest.approx([t.value for t in completed])
    assert float(chosen[0]["lr"]) == pytest.approx(completed[0].params["lr"])
