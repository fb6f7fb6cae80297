// hypersweep dashboard: one page, plots with Plotly, live updates by changes since a cursor.
// In a report (window.HS_REPORT), the same code reads embedded data instead of the API.
"use strict";
const REPORT = window.HS_REPORT || null;
const POLL_MS = 2000;
const COLORS = { completed: "#1f77b4", pruned: "#ff7f0e", failed: "#d62728", running: "#2ca02c", waiting: "#999" };
const MAX_CURVES = 400;
const MAX_LINES = 2000; // parallel-coordinate lines drawn (the best half, the rest spread evenly)
let timer = null;

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const fmt = (v) => (v === null || v === undefined ? "-" : typeof v === "number" ? Number(v.toPrecision(6)).toString() : esc(JSON.stringify(v)));
const when = (t) => (t ? new Date(t * 1000).toISOString().replace("T", " ").slice(0, 19) : "-");
const enc = encodeURIComponent;

async function get(path) {
  if (REPORT) return REPORT.get(path);
  const res = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error || res.statusText);
  return body;
}

async function post(path, body) {
  const token = $("#token") ? $("#token").value : "";
  const res = await fetch(path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Hypersweep-Token": token },
    body: JSON.stringify(body || {}),
  });
  const data = await res.json().catch(() => ({ error: res.statusText }));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function draw(id, traces, layout) {
  const el = document.getElementById(id);
  if (!el) return Promise.resolve();
  const started = performance.now();
  const base = { margin: { l: 50, r: 20, t: 10, b: 40 }, height: 300, showlegend: false };
  return Plotly.react(el, traces, Object.assign(base, layout || {}), { displaylogo: false, responsive: true })
    .then(() => { el.dataset.ready = traces.length ? "1" : "empty"; el.dataset.ms = String(Math.round(performance.now() - started)); });
}

// -- sweeps page ----------------------------------------------------------------------------
async function sweepsPage() {
  $("#crumbs").textContent = "sweeps";
  const main = $("#main");
  main.innerHTML = `<div class="toolbar"><input id="filter" placeholder="filter by name, algorithm or status">
    <button id="compare">compare selected</button></div><div id="sweeps"></div>`;
  let sortKey = "created", desc = true, rows = [];
  const render = () => {
    const text = $("#filter").value.toLowerCase();
    const shown = rows.filter((r) => [r.name, r.algorithm, r.status].join(" ").toLowerCase().includes(text));
    const key = (r) => (sortKey in r.counts ? r.counts[sortKey] : r[sortKey]);
    shown.sort((a, b) => ((key(a) ?? -Infinity) > (key(b) ?? -Infinity) ? 1 : -1) * (desc ? -1 : 1));
    const cols = [["name", "name"], ["algorithm", "algorithm"], ["status", "status"], ["completed", "done"], ["running", "running"],
      ["pruned", "pruned"], ["failed", "failed"], ["best", "best"], ["updated", "last update"]];
    $("#sweeps").innerHTML = `<table id="sweeps-table"><tr><th></th>${cols.map(([k, l]) => `<th data-key="${k}">${l}</th>`).join("")}</tr>` +
      shown.map((r) => `<tr class="clickable" data-name="${esc(r.name)}"><td><input type="checkbox" value="${esc(r.name)}"></td>
        <td>${esc(r.name)}</td><td>${esc(r.algorithm)}</td><td class="status-${r.status}">${r.status}</td>
        <td>${r.counts.completed}</td><td>${r.counts.running}</td><td>${r.counts.pruned}</td><td>${r.counts.failed}</td>
        <td>${fmt(r.best)} <small>${r.direction === "maximize" ? "max" : "min"} ${esc(r.metric)}</small></td><td>${when(r.updated)}</td></tr>`).join("") + "</table>";
  };
  main.addEventListener("click", (ev) => {
    const th = ev.target.closest("th[data-key]");
    if (th) { desc = sortKey === th.dataset.key ? !desc : false; sortKey = th.dataset.key; render(); return; }
    if (ev.target.matches("input[type=checkbox]")) return;
    const tr = ev.target.closest("tr[data-name]");
    if (tr) location.hash = "#/sweep/" + enc(tr.dataset.name);
  });
  $("#filter").addEventListener("input", render);
  $("#compare").addEventListener("click", () => {
    const names = [...document.querySelectorAll("#sweeps input:checked")].map((b) => enc(b.value));
    if (names.length) location.hash = "#/compare/" + names.join(",");
  });
  const refresh = async () => { rows = await get("/api/sweeps"); render(); };
  await refresh();
  if (!REPORT) timer = setInterval(refresh, POLL_MS);
}

// -- one sweep: its trials, kept up to date ------------------------------------------------------
class TrialSet {
  constructor(name) { this.name = name; this.cursor = 0; this.byId = new Map(); this.names = []; }
  async pull(reports = true) {  // the trials changed since the last pull
    let more = true;
    const changed = [];
    while (more) {
      const batch = await get(`/api/sweeps/${enc(this.name)}/changes?after=${this.cursor}${reports ? "" : "&reports=0"}`);
      this.names = batch.names;
      for (const t of batch.trials) this.byId.set(t.i, t);
      changed.push(...batch.trials); this.cursor = batch.cursor; more = batch.more;
    }
    return changed;
  }
  async loadCurves() {  // a first load skips reports: fetch those of the latest trials (the curves shown)
    const last = Math.max(-1, ...this.byId.keys());
    if (last < 0) return;
    const curves = await get(`/api/sweeps/${enc(this.name)}/curves?last=${last}`);
    for (const [id, reports] of Object.entries(curves)) { const t = this.byId.get(Number(id)); if (t) t.r = reports; }
  }
  list() { return [...this.byId.values()].sort((a, b) => a.i - b.i); }
}

function bestSoFar(trials, maximize) {
  let best = null;
  return trials.map((t) => {
    if (t.s === "completed" && t.v !== null && (best === null || (maximize ? t.v > best : t.v < best))) best = t.v;
    return best;
  });
}

function plotHistory(list, info, logScale) {
  const maximize = info.direction === "maximize";
  const traces = ["completed", "pruned", "failed"].map((state) => {
    const sel = list.filter((t) => t.s === state);
    const y = sel.map((t) => (t.v !== null ? t.v : t.r ? t.r[t.r.length - 1][1] : null));
    return { type: "scattergl", mode: "markers", name: state, x: sel.map((t) => t.i), y,
      marker: { color: COLORS[state], size: 5, symbol: state === "completed" ? "circle" : "x" } };
  });
  const finished = list.filter((t) => t.s === "completed");
  traces.push({ type: "scattergl", mode: "lines", name: "best so far", x: finished.map((t) => t.i),
    y: bestSoFar(finished, maximize), line: { color: "#222", shape: "hv" } });
  return draw("plot-history", traces, { showlegend: true, xaxis: { title: "trial" },
    yaxis: { title: info.metric, type: logScale ? "log" : "linear" }, legend: { orientation: "h" } });
}

function numericColumn(list, j) { return list.every((t) => typeof t.p[j] === "number" || t.p[j] === null); }

function dimension(list, j, label) {
  if (numericColumn(list, j)) return { label, values: list.map((t) => t.p[j]) };
  const keys = [...new Set(list.map((t) => JSON.stringify(t.p[j])))].sort();
  return { label, values: list.map((t) => keys.indexOf(JSON.stringify(t.p[j]))), tickvals: keys.map((_, k) => k), ticktext: keys };
}

function plotParallel(all, info, names) {
  if (!all.length) return draw("plot-parallel", []);
  const done = sample(all, info);
  $("#parallel-note").textContent = done.length < all.length ? `the best ${MAX_LINES / 2} and ${done.length - MAX_LINES / 2} evenly spread of ${all.length} trials` : `${all.length} trials`;
  const dims = names.map((n, j) => dimension(done, j, n));
  dims.push({ label: info.metric, values: done.map((t) => t.v) });
  return draw("plot-parallel", [{ type: "parcoords", dimensions: dims,
    line: { color: done.map((t) => t.v), colorscale: "Viridis", reversescale: info.direction === "maximize", showscale: true } }],
    { margin: { l: 60, r: 60, t: 30, b: 20 } });
}

function sample(done, info) {
  if (done.length <= MAX_LINES) return done;
  const sign = info.direction === "maximize" ? -1 : 1;
  const best = [...done].sort((a, b) => sign * (a.v - b.v)).slice(0, MAX_LINES / 2);
  const kept = new Set(best.map((t) => t.i));
  const step = done.length / (MAX_LINES / 2);
  for (let k = 0; k < MAX_LINES / 2; k++) kept.add(done[Math.floor(k * step)].i);
  return done.filter((t) => kept.has(t.i));
}

function plotSlice(done, info, names) {
  const box = $("#plot-slice");
  if (!box) return Promise.resolve();
  box.dataset.ready = "0";
  const traces = [], layout = { grid: { rows: 1, columns: Math.max(1, names.length) }, yaxis: { title: info.metric } };
  names.forEach((n, j) => {
    const axis = j ? String(j + 1) : "";
    traces.push({ type: "scattergl", mode: "markers", x: done.map((t) => (typeof t.p[j] === "number" ? t.p[j] : JSON.stringify(t.p[j]))),
      y: done.map((t) => t.v), xaxis: "x" + axis, yaxis: "y" + axis, marker: { size: 4, color: done.map((t) => t.i), colorscale: "Blues" } });
    layout["xaxis" + axis] = { title: n };
  });
  return draw("plot-slice", done.length ? traces : [], layout);
}

function plotContour(done, info, names) {
  const numeric = names.map((_, j) => j).filter((j) => numericColumn(done, j));
  if (done.length < 3 || numeric.length < 2) return draw("plot-contour", []);
  const [a, b] = [Number($("#contour-x").value || numeric[0]), Number($("#contour-y").value || numeric[1])];
  return draw("plot-contour", [
    { type: "histogram2dcontour", x: done.map((t) => t.p[a]), y: done.map((t) => t.p[b]), z: done.map((t) => t.v),
      histfunc: "avg", colorscale: "Viridis", reversescale: info.direction === "maximize", nbinsx: 20, nbinsy: 20 },
    { type: "scattergl", mode: "markers", x: done.map((t) => t.p[a]), y: done.map((t) => t.p[b]), marker: { size: 3, color: "#fff" } },
  ], { xaxis: { title: names[a] }, yaxis: { title: names[b] } });
}

function plotIntermediate(list) {
  const curves = list.filter((t) => t.r).slice(-MAX_CURVES);
  const traces = Object.keys(COLORS).map((state) => {
    const x = [], y = [];
    for (const t of curves.filter((c) => c.s === state)) { for (const r of t.r) { x.push(r[0]); y.push(r[1]); } x.push(null); y.push(null); }
    return { type: "scattergl", mode: "lines+markers", name: state, x, y, connectgaps: false, line: { color: COLORS[state], width: 1 },
      marker: { size: 3, symbol: state === "pruned" ? "x" : "circle" } };
  }).filter((t) => t.x.length);
  return draw("plot-intermediate", traces, { showlegend: true, legend: { orientation: "h" }, xaxis: { title: "step" },
    yaxis: { title: `reported value (latest ${MAX_CURVES} trials with reports)` } });
}

function plotRungs(list, info) {
  const staged = list.filter((t) => t.m && t.m.budget !== undefined && t.v !== null);
  if (!staged.length) return null;
  const byId = new Map(list.map((t) => [t.i, t]));
  const traces = [...new Set(staged.map((t) => t.m.bracket ?? 0))].map((b) => {
    const sel = staged.filter((t) => (t.m.bracket ?? 0) === b);
    return { type: "scattergl", mode: "markers", name: "bracket " + b, x: sel.map((t) => t.m.budget), y: sel.map((t) => t.v),
      text: sel.map((t) => `trial ${t.i}, rung ${t.m.rung ?? "-"}`), marker: { size: 6 } };
  });
  const px = [], py = [];
  for (const t of staged) {
    const parent = t.m.parent !== undefined && t.m.parent !== null ? byId.get(t.m.parent) : null;
    if (parent && parent.v !== null && parent.m) { px.push(parent.m.budget, t.m.budget, null); py.push(parent.v, t.v, null); }
  }
  traces.push({ type: "scatter", mode: "lines", name: "promotion", x: px, y: py, line: { color: "#aaa", width: 1 } });
  return draw("plot-rungs", traces, { showlegend: true, xaxis: { title: "budget", type: "log" }, yaxis: { title: info.metric } });
}

function plotSurrogate(list, info) {
  const known = list.filter((t) => t.m && t.m.surrogate && t.s === "completed" && t.v !== null);
  if (!known.length) return null;
  const values = known.map((t) => t.v).concat(known.map((t) => t.m.surrogate.mean));
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return draw("plot-surrogate", [
    { type: "scatter", mode: "markers", x: known.map((t) => t.m.surrogate.mean), y: known.map((t) => t.v),
      error_x: { type: "data", array: known.map((t) => t.m.surrogate.std), visible: true, color: "#bbb" },
      text: known.map((t) => "trial " + t.i), marker: { size: 6 } },
    { type: "scatter", mode: "lines", x: [lo, hi], y: [lo, hi], line: { dash: "dot", color: "#888" } },
  ], { xaxis: { title: "predicted at ask time (mean ± std)" }, yaxis: { title: "observed " + info.metric } });
}

async function plotImportance(name) {
  const data = await get(`/api/sweeps/${enc(name)}/importance`);
  $("#importance-method").textContent = data.method + ` (${data.n} trials)`;
  const pairs = Object.entries(data.scores).sort((a, b) => a[1] - b[1]);
  return draw("plot-importance", pairs.length ? [{ type: "bar", orientation: "h", x: pairs.map((p) => p[1]), y: pairs.map((p) => p[0]) }] : [],
    { margin: { l: 120, r: 20, t: 10, b: 40 }, xaxis: { title: "importance (sums to 1)" } });
}

const PLOTS = [["history", "Optimization history"], ["parallel", "Parallel coordinates"], ["importance", "Parameter importance"],
  ["slice", "Slice"], ["contour", "Contour"], ["intermediate", "Intermediate values"],
  ["rungs", "Hyperband / ASHA rungs and promotions"], ["surrogate", "Surrogate: predicted vs observed"]];

async function sweepPage(name) {
  $("#crumbs").innerHTML = `<a href="#/">sweeps</a> / ${esc(name)}`;
  const info = await get(`/api/sweeps/${enc(name)}`);
  const main = $("#main");
  main.innerHTML = `<div class="panel" id="sweep-info"><h3>${esc(info.name)} <span class="status-${info.status}" id="sweep-status">${info.status}</span></h3>
    <div>${esc(info.algorithm)} · ${info.direction} ${esc(info.metric)} · seed ${info.seed} · storage ${esc(info.storage)}</div>
    <div class="toolbar">${REPORT ? "" : `<button id="act-stop">stop sweep</button><button id="act-resume">mark resumable</button>`}
    <label><input type="checkbox" id="log-scale"> log scale</label><span id="act-result"></span></div></div>
    <div class="grid">${PLOTS.map(([id, title]) => `<div class="plot" id="box-${id}"><h3>${title}</h3>
      ${id === "importance" ? '<p class="note" id="importance-method"></p>' : ""}
      ${id === "parallel" ? '<p class="note" id="parallel-note"></p>' : ""}
      ${id === "contour" ? '<p class="note">x <select id="contour-x"></select> y <select id="contour-y"></select> (mean value per cell)</p>' : ""}
      <div id="plot-${id}"></div></div>`).join("")}</div>
    <div class="panel"><h3>Trials</h3><div class="toolbar">state <select id="state-filter"><option value="">all</option>
      ${Object.keys(COLORS).map((s) => `<option>${s}</option>`).join("")}</select>
      <button id="prev">‹ prev</button><span id="page-info"></span><button id="next">next ›</button></div>
      <div id="trial-table"></div></div>
    <div class="panel" id="trial-detail"><h3>Trial detail</h3><p class="note">click a trial in the table</p></div>`;
  const trials = new TrialSet(name);
  const table = { order: "id", desc: false, offset: 0, limit: 50 };
  let plotted = new Set(), importanceAt = -Infinity;
  const renderAll = async () => {
    const list = trials.list(), done = list.filter((t) => t.s === "completed" && t.v !== null);
    const names = trials.names;
    const numeric = names.map((_, j) => j).filter((j) => numericColumn(done, j));
    for (const [sel, k] of [["#contour-x", 0], ["#contour-y", 1]]) {
      const box = $(sel);
      if (box && !box.options.length) { box.innerHTML = numeric.map((j) => `<option value="${j}">${esc(names[j])}</option>`).join(""); box.selectedIndex = Math.min(k, numeric.length - 1); }
    }
    // one after another: the first plots show while the others draw (the page's one thread does them all anyway)
    const importanceJob = performance.now() - importanceAt > 30000 ? plotImportance(name) : null;
    if (importanceJob) importanceAt = performance.now();
    await plotHistory(list, info, $("#log-scale").checked);
    await plotParallel(done, info, names);
    await plotSlice(done, info, names);
    await plotContour(done, info, names);
    await plotIntermediate(list);
    for (const [id, draw] of [["rungs", plotRungs], ["surrogate", plotSurrogate]]) {
      const job = draw(list, info);
      if (job) await job; else $("#box-" + id).style.display = "none";
    }
    await importanceJob;
  };
  // add newly finished trials to the history plot (a finished trial never changes again)
  const extendHistory = (changed) => {
    const fresh = changed.filter((t) => !plotted.has(t.i) && t.s !== "running" && t.s !== "waiting").sort((a, b) => a.i - b.i);
    fresh.forEach((t) => plotted.add(t.i));
    const el = $("#plot-history");
    if (!fresh.length || !el.data) return Promise.resolve();
    const line = el.data[3], lastX = line.x.length ? line.x[line.x.length - 1] : -1;
    if (fresh.some((t) => t.i < lastX)) return plotHistory(trials.list(), info, $("#log-scale").checked);
    const xs = [[], [], [], []], ys = [[], [], [], []];
    let best = line.y.length ? line.y[line.y.length - 1] : null;
    for (const t of fresh) {
      const k = ["completed", "pruned", "failed"].indexOf(t.s);
      xs[k].push(t.i); ys[k].push(t.v !== null ? t.v : t.r ? t.r[t.r.length - 1][1] : null);
      if (t.s === "completed" && t.v !== null) {
        if (best === null || (info.direction === "maximize" ? t.v > best : t.v < best)) best = t.v;
        xs[3].push(t.i); ys[3].push(best);
      }
    }
    return Plotly.extendTraces(el, { x: xs, y: ys }, [0, 1, 2, 3]);
  };
  const renderTable = async () => {
    const state = $("#state-filter").value;
    const q = `order=${table.order}&desc=${table.desc ? 1 : 0}&offset=${table.offset}&limit=${table.limit}${state ? "&states=" + state : ""}`;
    const page = await get(`/api/sweeps/${enc(name)}/trials?${q}`);
    const cols = [["id", "id"], ["state", "state"], ["value", info.metric], ["params", "params"], ["started_at", "started"], ["finished_at", "finished"], ["duration", "duration s"]];
    $("#trial-table").innerHTML = `<table id="trials"><tr>${cols.map(([k, l]) => `<th data-order="${k}">${esc(l)}${table.order === k ? (table.desc ? " ▼" : " ▲") : ""}</th>`).join("")}</tr>` +
      page.rows.map((r) => `<tr class="clickable" data-trial="${r.id}"><td>${r.id}</td><td style="color:${COLORS[r.state]}">${r.state}</td><td>${fmt(r.value)}</td>
      <td>${Object.entries(r.params).map(([k, v]) => `${esc(k)}=${fmt(v)}`).join(", ")}</td><td>${when(r.started)}</td><td>${when(r.finished)}</td><td>${fmt(r.duration)}</td></tr>`).join("") + "</table>";
    $("#page-info").textContent = `${page.total ? table.offset + 1 : 0}–${Math.min(table.offset + table.limit, page.total)} of ${page.total}`;
    $("#trial-table").dataset.total = page.total;
  };
  const showTrial = async (id) => {
    const t = await get(`/api/sweeps/${enc(name)}/trials/${id}`);
    const logs = Object.entries(t.logs || {}).filter(([, text]) => text).map(([log, text]) => `<h4>${log}</h4><pre>${esc(text)}</pre>`).join("");
    $("#trial-detail").innerHTML = `<h3>Trial ${t.id} <span style="color:${COLORS[t.state]}">${t.state}</span>
      ${REPORT ? "" : `<button id="act-restart" data-trial="${t.id}">restart (enqueue its params)</button>`}</h3>
      <table><tr><th>value</th><td>${fmt(t.value)}</td></tr><tr><th>params</th><td>${esc(JSON.stringify(t.params))}</td></tr>
      <tr><th>metrics</th><td>${esc(JSON.stringify(t.metrics))}</td></tr><tr><th>duration</th><td>${fmt(t.duration)} s</td></tr>
      <tr><th>worker</th><td>${esc(t.worker)}</td></tr><tr><th>started / finished</th><td>${when(t.started)} / ${when(t.finished)}</td></tr>
      <tr><th>meta</th><td>${esc(JSON.stringify(t.meta))}</td></tr><tr><th>run folder</th><td>${esc(t.run_dir)}</td></tr>
      <tr><th>error</th><td class="error">${esc(t.error)}</td></tr><tr><th>reports</th><td>${t.reports.map((r) => `${r[0]}: ${fmt(r[1])}`).join(", ")}</td></tr></table>${logs}`;
  };
  const act = async (path) => {
    try { const out = await post(path); $("#act-result").textContent = "done" + (out.trial !== undefined ? `: trial ${out.trial} queued` : ""); $("#act-result").className = ""; }
    catch (err) { $("#act-result").textContent = err.message; $("#act-result").className = "error"; }
  };
  main.addEventListener("click", async (ev) => {
    const th = ev.target.closest("th[data-order]");
    if (th && th.dataset.order !== "params" && th.dataset.order !== "duration") {
      table.desc = table.order === th.dataset.order ? !table.desc : false; table.order = th.dataset.order; table.offset = 0; await renderTable(); return;
    }
    const tr = ev.target.closest("tr[data-trial]");
    if (tr) { await showTrial(tr.dataset.trial); return; }
    if (ev.target.id === "act-stop") await act(`/api/sweeps/${enc(name)}/stop`);
    if (ev.target.id === "act-resume") await act(`/api/sweeps/${enc(name)}/resumable`);
    if (ev.target.id === "act-restart") await act(`/api/sweeps/${enc(name)}/trials/${ev.target.dataset.trial}/restart`);
  });
  $("#prev").onclick = () => { table.offset = Math.max(0, table.offset - table.limit); renderTable(); };
  $("#next").onclick = () => { if (table.offset + table.limit < Number($("#trial-table").dataset.total)) { table.offset += table.limit; renderTable(); } };
  $("#state-filter").onchange = () => { table.offset = 0; renderTable(); };
  $("#log-scale").onchange = () => plotHistory(trials.list(), info, $("#log-scale").checked);
  $("#contour-x").onchange = $("#contour-y").onchange = () => plotContour(trials.list().filter((t) => t.s === "completed" && t.v !== null), info, trials.names);
  const t0 = performance.now();
  await trials.pull(false);
  await trials.loadCurves();
  const t1 = performance.now();
  plotted = new Set(trials.list().filter((t) => t.s !== "running" && t.s !== "waiting").map((t) => t.i));
  await Promise.all([renderAll(), renderTable()]);
  Object.assign(main.dataset, { loaded: "1", fetchMs: String(Math.round(t1 - t0)), drawMs: String(Math.round(performance.now() - t1)) });
  if (!REPORT) {
    let busy = false;
    timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const started = performance.now();
        const changed = await trials.pull();
        if (changed.length) {
          await Promise.all([extendHistory(changed), renderTable()]);
          main.dataset.updates = String(Number(main.dataset.updates || 0) + 1);
          main.dataset.lastUpdateMs = String(Math.round(performance.now() - started));
          await new Promise((ok) => setTimeout(ok, 0));
          await renderAll();  // the other plots follow
        }
      } finally { busy = false; }
    }, POLL_MS);
  }
}

// -- compare ------------------------------------------------------------------------------------
async function comparePage(names) {
  $("#crumbs").innerHTML = `<a href="#/">sweeps</a> / compare`;
  $("#main").innerHTML = `<div class="plot"><h3>Best so far</h3><div id="plot-compare"></div></div><div class="panel"><h3>Best trials</h3><div id="compare-best"></div></div>`;
  const traces = [], rows = [];
  for (const name of names) {
    const info = await get(`/api/sweeps/${enc(name)}`);
    const set = new TrialSet(name);
    await set.pull();
    const done = set.list().filter((t) => t.s === "completed" && t.v !== null);
    const best = bestSoFar(done, info.direction === "maximize");
    traces.push({ type: "scattergl", mode: "lines", name, x: done.map((t) => t.i), y: best, line: { shape: "hv" } });
    const top = done.find((t) => t.v === best[best.length - 1]);
    rows.push(`<tr><td>${esc(name)}</td><td>${esc(info.algorithm)}</td><td>${top ? top.i : "-"}</td><td>${fmt(top && top.v)}</td>
      <td>${top ? set.names.map((n, j) => `${esc(n)}=${fmt(top.p[j])}`).join(", ") : "-"}</td></tr>`);
  }
  await draw("plot-compare", traces, { showlegend: true, xaxis: { title: "trial" }, yaxis: { title: "best value" } });
  $("#compare-best").innerHTML = `<table id="compare-table"><tr><th>sweep</th><th>algorithm</th><th>trial</th><th>value</th><th>params</th></tr>${rows.join("")}</table>`;
}

async function route() {
  if (timer) { clearInterval(timer); timer = null; }
  const main = $("#main");
  const fresh = main.cloneNode(false); // drop old listeners
  main.replaceWith(fresh);
  const hash = decodeURIComponent(location.hash.slice(1)) || (REPORT ? "/sweep/" + REPORT.name : "/");
  try {
    if (hash.startsWith("/sweep/")) await sweepPage(hash.slice(7));
    else if (hash.startsWith("/compare/")) await comparePage(location.hash.slice(10).split(",").map(decodeURIComponent));
    else await sweepsPage();
  } catch (err) {
    $("#main").innerHTML = `<p class="error">${esc(err.message)}</p>`;
  }
}

window.addEventListener("hashchange", route);
route();
