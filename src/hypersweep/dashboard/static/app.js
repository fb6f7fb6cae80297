// hypersweep dashboard: one page of plain JavaScript (plots in plots.js), live updates by changes
// since a cursor. In a report (window.HS_REPORT), the same code reads embedded data instead of the API.
"use strict";
const REPORT = window.HS_REPORT || null;
const POLL_MS = 2000;
const REDRAW_MS = 10000;  // while trials finish, the history and table update at once, the other plots at most this often
let timer = null;

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const fmt = (v) => (v === null || v === undefined ? "-" : typeof v === "number" ? Number(v.toPrecision(6)).toString() : esc(JSON.stringify(v)));
const when = (t) => (t ? new Date(t * 1000).toISOString().replace("T", " ").slice(0, 19) : "-");
const enc = encodeURIComponent;
const count = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");  // 12,345 (toLocaleString loads locale data on first use)

async function get(path) {
  if (REPORT) return REPORT.get(path);
  const early = window.HS_EARLY && window.HS_EARLY.get(path);  // asked by early.js while plotly.js loaded
  if (early) window.HS_EARLY.delete(path);
  const res = await (early || fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" }));
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

// run an action and say how it went in the element `out`
async function act(out, path, body) {
  out.textContent = "…"; out.className = "";
  try {
    const done = await post(path, body);
    out.textContent = "done" + (done.trial !== undefined ? `: trial ${done.trial} queued` : ""); out.className = "";
  } catch (err) { out.textContent = err.message; out.className = "error"; }
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

// -- one sweep: a sample of its trials (all of a small sweep), kept up to date ------------------
class TrialSet {
  constructor(name) { this.name = name; }
  async load() {  // the overview: counts, best-so-far line, EDF, importance, learning curves and the sampled trials
    this.ov = await get(`/api/sweeps/${enc(this.name)}/overview`);
    this.cursor = this.ov.cursor; this.names = this.ov.names; this.byId = new Map(this.ov.trials.map((t) => [t.i, t]));
    this.best = { x: this.ov.best_line.map((p) => p[0]), y: this.ov.best_line.map((p) => p[1]) };
    const sample = new Set(this.ov.sample);
    this.fresh = 0; this.sampled = sample.size; this.newestOnly = new Set(this.ov.trials.filter((t) => !sample.has(t.i)).map((t) => t.i));
    for (const [id, reports] of Object.entries(this.ov.curves)) { const t = this.byId.get(Number(id)); if (t) t.r = reports; }
  }
  async pull() {  // the trials changed since the last read
    let more = true;
    const changed = [];
    while (more) {
      const batch = await get(`/api/sweeps/${enc(this.name)}/changes?after=${this.cursor}`);
      for (const t of batch.trials) { if (!this.byId.has(t.i)) this.fresh++; this.byId.set(t.i, t); this.newestOnly.delete(t.i); }
      changed.push(...batch.trials); this.cursor = batch.cursor; more = batch.more;
    }
    return changed;
  }
  list() { return [...this.byId.values()].sort((a, b) => a.i - b.i); }
  // what plots of parameters draw: the overview's sample (not the trials it sent only as the newest) and every trial changed since
  forParams(done) { return done.filter((t) => !this.newestOnly.has(t.i)); }
  sampleNote() {
    const ov = this.ov;
    if (ov.stride === 1) return `All ${count(ov.total)} trials are drawn.`;
    return `${count(ov.total)} trials: plots of parameters draw ${count(this.sampled)} of them (every ${ov.stride}th and the best 150), and the trials
      finished since the page loaded; the history also the latest 150 (${count(this.byId.size)} in all); the best-so-far line, the EDF and the counts use
      every trial; importance uses the every-${ov.stride}th sample.`;
  }
  addBest(t, maximize) {  // a newly completed trial extends the best-so-far line
    const y = this.best.y, last = y.length ? y[y.length - 1] : null;
    if (t.s !== "completed" || t.v === null) return false;
    this.best.x.push(t.i); this.best.y.push(last === null || better(maximize)(t.v, last) ? t.v : last);
    return true;
  }
}

const PLOTS = [["history", "Optimization history"], ["parallel", "Parallel coordinates"], ["importance", "Parameter importance"],
  ["slice", "Slice"], ["contour", "Contour"], ["rank", "Rank (parameter pairs, coloured by the rank of the value)"],
  ["edf", "Empirical distribution of values (EDF)"], ["timeline", "Timeline (latest 150 trials, per worker)"],
  ["intermediate", `Intermediate values (the latest ${MAX_CURVES} trials with reports)`], ["rungs", "Hyperband / ASHA rungs and promotions"], ["surrogate", "Surrogate: predicted vs observed"]];
const TABLE_COLS = [["id", "id"], ["state", "state"], ["value", null], ["params", "params"], ["started_at", "started"], ["finished_at", "finished"], ["duration", "duration s"]];

function sweepLayout(info) {
  return `<div class="panel" id="sweep-info"><h3>${esc(info.name)} <span class="status-${info.status}" id="sweep-status">${info.status}</span></h3>
    <div>${esc(info.algorithm)} · ${info.direction} ${esc(info.metric)} · seed ${info.seed} · storage ${esc(info.storage)}</div>
    <div class="toolbar">${REPORT ? "" : `<button id="act-stop">stop sweep</button><button id="act-resume">mark resumable</button>`}
    <label><input type="checkbox" id="log-scale"> log scale</label><span id="act-result"></span></div>
    <div class="note-box"><textarea id="sweep-note" rows="2" placeholder="note on this sweep" ${REPORT ? "readonly" : ""}>${esc(info.note)}</textarea>
    ${REPORT ? "" : '<button id="save-sweep-note">save note</button><span id="sweep-note-result"></span>'}</div>
    <p class="note" id="sample-note"></p></div>
    <div class="grid">${PLOTS.map(([id, title]) => `<div class="plot" id="box-${id}"><h3>${title}</h3>
      ${id === "importance" ? '<p class="note" id="importance-method"></p>' : ""}
      ${id === "contour" ? '<p class="note">x <select id="contour-x"></select> y <select id="contour-y"></select> (mean value per cell)</p>' : ""}
      <div id="plot-${id}"></div></div>`).join("")}</div>
    <div class="panel"><h3>Trials</h3><div class="toolbar">state <select id="state-filter"><option value="">all</option>
      ${Object.keys(COLORS).map((s) => `<option>${s}</option>`).join("")}</select>
      <button id="prev">‹ prev</button><span id="page-info"></span><button id="next">next ›</button>
      ${REPORT ? "" : '<a id="csv" download>download CSV (all matching rows)</a>'}</div>
      <div id="trial-table"></div></div>
    <div class="panel" id="trial-detail"><h3>Trial detail</h3><p class="note">click a trial in the table</p></div>`;
}

async function sweepPage(name) {
  $("#crumbs").innerHTML = `<a href="#/">sweeps</a> / ${esc(name)}`;
  const main = $("#main"), trials = new TrialSet(name);
  const t0 = performance.now();
  const firstPage = get(`/api/sweeps/${enc(name)}/trials?order=id&desc=0&offset=0&limit=50`);
  const [info] = await Promise.all([get(`/api/sweeps/${enc(name)}`), trials.load()]);
  main.innerHTML = sweepLayout(info);
  const maximize = info.direction === "maximize";
  const table = { order: "id", desc: false, offset: 0, limit: 50 };
  let plotted = new Set(), drawnAt = 0;
  const renderAll = async () => {
    drawnAt = performance.now();
    if (trials.fresh > 1000) {  // sample again
      await trials.load(); await trials.pull();
      plotted = new Set(trials.list().filter((t) => t.s !== "running" && t.s !== "waiting").map((t) => t.i));
    }
    const list = trials.list(), done = trials.forParams(list.filter((t) => t.s === "completed" && t.v !== null)), names = trials.names;
    $("#sample-note").textContent = trials.sampleNote();
    const numeric = names.map((_, j) => j).filter((j) => numericColumn(done, j));
    for (const [sel, k] of [["#contour-x", 0], ["#contour-y", 1]]) {
      const box = $(sel);
      if (!box.options.length) { box.innerHTML = numeric.map((j) => `<option value="${j}">${esc(names[j])}</option>`).join(""); box.selectedIndex = Math.min(k, numeric.length - 1); }
    }
    const imp = trials.ov.importance;
    $("#importance-method").textContent = `${imp.method}; on ${count(imp.n)} of ${count(imp.of)} completed trials`;
    // one after another: the first plots show while the others draw (the page's one thread does them all anyway)
    await plotHistory(list, trials.best, trials.ov, info, $("#log-scale").checked);
    await plotParallel(done, info, names);
    await plotImportance(imp);
    await plotSlice(done, info, names);
    await plotContour(done, info, names, Number($("#contour-x").value), Number($("#contour-y").value));
    await plotRank(done, info, names);
    await plotEdf("plot-edf", [{ name, edf: trials.ov.edf }], info);
    await plotTimeline(list);
    for (const [id, plot] of [["intermediate", plotIntermediate], ["rungs", plotRungs], ["surrogate", plotSurrogate]]) {
      const job = plot(list, info);
      $("#box-" + id).style.display = job ? "" : "none";
      await job;
    }
  };
  // add newly finished trials to the history plot (a finished trial never changes again)
  const extendHistory = (changed) => {
    const fresh = changed.filter((t) => !plotted.has(t.i) && t.s !== "running" && t.s !== "waiting").sort((a, b) => a.i - b.i);
    fresh.forEach((t) => plotted.add(t.i));
    const el = $("#plot-history");
    if (!fresh.length || !el.data) return Promise.resolve();
    const line = el.data[3], lastX = line.x.length ? line.x[line.x.length - 1] : -1;
    if (fresh.some((t) => t.i < lastX)) return plotHistory(trials.list(), trials.best, trials.ov, info, $("#log-scale").checked);
    const xs = [[], [], [], []], ys = [[], [], [], []];
    for (const t of fresh) {
      const k = ["completed", "pruned", "failed"].indexOf(t.s);
      if (shown(t) !== null) { xs[k].push(t.i); ys[k].push(shown(t)); }
      if (trials.addBest(t, maximize)) { xs[3].push(t.i); ys[3].push(trials.best.y[trials.best.y.length - 1]); }
    }
    return Plotly.extendTraces(el, { x: xs, y: ys }, [0, 1, 2, 3]);
  };
  const tableQuery = () => `order=${table.order}&desc=${table.desc ? 1 : 0}${$("#state-filter").value ? "&states=" + $("#state-filter").value : ""}`;
  const renderTable = async (pending) => {
    const page = await (pending || get(`/api/sweeps/${enc(name)}/trials?${tableQuery()}&offset=${table.offset}&limit=${table.limit}`));
    $("#trial-table").innerHTML = `<table id="trials"><tr>${TABLE_COLS.map(([k, l]) => `<th data-order="${k}">${esc(l || info.metric)}${table.order === k ? (table.desc ? " ▼" : " ▲") : ""}</th>`).join("")}</tr>` +
      page.rows.map((r) => `<tr class="clickable" data-trial="${r.id}"><td>${r.id}</td><td style="color:${COLORS[r.state]}">${r.state}</td><td>${fmt(r.value)}</td>
      <td>${Object.entries(r.params).map(([k, v]) => `${esc(k)}=${fmt(v)}`).join(", ")}</td><td>${when(r.started)}</td><td>${when(r.finished)}</td><td>${fmt(r.duration)}</td></tr>`).join("") + "</table>";
    $("#page-info").textContent = `${page.total ? table.offset + 1 : 0}–${Math.min(table.offset + table.limit, page.total)} of ${page.total}`;
    $("#trial-table").dataset.total = page.total;
    if ($("#csv")) $("#csv").href = `/api/sweeps/${enc(name)}/trials.csv?${tableQuery()}`;
  };
  const showTrial = async (id) => {
    const t = await get(`/api/sweeps/${enc(name)}/trials/${id}`);
    const logs = Object.entries(t.logs || {}).filter(([, text]) => text).map(([log, text]) => `<h4>${log}</h4><pre>${esc(text)}</pre>`).join("");
    $("#trial-detail").innerHTML = `<h3>Trial ${t.id} <span style="color:${COLORS[t.state]}">${t.state}</span>
      ${REPORT ? "" : `<button id="act-restart" data-trial="${t.id}">restart (enqueue its params)</button>`}</h3>
      <div class="note-box"><textarea id="trial-note" rows="2" placeholder="note on this trial" ${REPORT ? "readonly" : ""}>${esc(t.note)}</textarea>
      ${REPORT ? "" : `<button id="save-trial-note" data-trial="${t.id}">save note</button><span id="trial-note-result"></span>`}</div>
      <table><tr><th>value</th><td>${fmt(t.value)}</td></tr><tr><th>params</th><td>${esc(JSON.stringify(t.params))}</td></tr>
      <tr><th>metrics</th><td>${esc(JSON.stringify(t.metrics))}</td></tr><tr><th>duration</th><td>${fmt(t.duration)} s</td></tr>
      <tr><th>worker</th><td>${esc(t.worker)}</td></tr><tr><th>started / finished</th><td>${when(t.started)} / ${when(t.finished)}</td></tr>
      <tr><th>meta</th><td>${esc(JSON.stringify(t.meta))}</td></tr><tr><th>run folder</th><td>${esc(t.run_dir)}</td></tr>
      <tr><th>error</th><td class="error">${esc(t.error)}</td></tr><tr><th>reports</th><td>${t.reports.map((r) => `${r[0]}: ${fmt(r[1])}`).join(", ")}</td></tr></table>${logs}`;
  };
  main.addEventListener("click", async (ev) => {
    const th = ev.target.closest("th[data-order]");
    if (th && th.dataset.order !== "params" && th.dataset.order !== "duration") {
      table.desc = table.order === th.dataset.order ? !table.desc : false; table.order = th.dataset.order; table.offset = 0; await renderTable(); return;
    }
    const tr = ev.target.closest("tr[data-trial]");
    if (tr) { await showTrial(tr.dataset.trial); return; }
    const base = `/api/sweeps/${enc(name)}`, id = ev.target.id;
    if (id === "act-stop") await act($("#act-result"), base + "/stop");
    if (id === "act-resume") await act($("#act-result"), base + "/resumable");
    if (id === "act-restart") await act($("#act-result"), `${base}/trials/${ev.target.dataset.trial}/restart`);
    if (id === "save-sweep-note") await act($("#sweep-note-result"), base + "/note", { text: $("#sweep-note").value });
    if (id === "save-trial-note") await act($("#trial-note-result"), `${base}/trials/${ev.target.dataset.trial}/note`, { text: $("#trial-note").value });
  });
  $("#prev").onclick = () => { table.offset = Math.max(0, table.offset - table.limit); return renderTable(); };
  $("#next").onclick = () => { if (table.offset + table.limit < Number($("#trial-table").dataset.total)) { table.offset += table.limit; return renderTable(); } };
  $("#state-filter").onchange = () => { table.offset = 0; return renderTable(); };
  $("#log-scale").onchange = () => plotHistory(trials.list(), trials.best, trials.ov, info, $("#log-scale").checked);
  $("#contour-x").onchange = $("#contour-y").onchange = () => plotContour(trials.forParams(trials.list().filter((t) => t.s === "completed" && t.v !== null)),
    info, trials.names, Number($("#contour-x").value), Number($("#contour-y").value));
  await renderTable(firstPage);
  const t1 = performance.now();
  plotted = new Set(trials.list().filter((t) => t.s !== "running" && t.s !== "waiting").map((t) => t.i));
  await renderAll();
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
          await Promise.all([renderTable(), extendHistory(changed)]);  // the table page is asked for first: the server reads it while the history redraws
          main.dataset.updates = String(Number(main.dataset.updates || 0) + 1);
          main.dataset.lastUpdateMs = String(Math.round(performance.now() - started));
          if (performance.now() - drawnAt > REDRAW_MS) { await new Promise((ok) => setTimeout(ok, 0)); await renderAll(); }
        }
      } finally { busy = false; }
    }, POLL_MS);
  }
}

// -- compare ------------------------------------------------------------------------------------
async function comparePage(names) {
  $("#crumbs").innerHTML = `<a href="#/">sweeps</a> / compare`;
  $("#main").innerHTML = `<div class="grid"><div class="plot"><h3>Best so far</h3><div id="plot-compare"></div></div>
    <div class="plot"><h3>Empirical distribution of values (EDF)</h3><div id="plot-compare-edf"></div></div></div>
    <div class="panel"><h3>Best trials</h3><div id="compare-best"></div></div>`;
  const sweeps = await Promise.all(names.map(async (name) => {
    const set = new TrialSet(name);
    const [info] = await Promise.all([get(`/api/sweeps/${enc(name)}`), set.load()]);
    return { name, info, set };
  }));
  const traces = sweeps.map(({ name, set }) => ({ type: "scatter", mode: "lines", name, x: set.best.x, y: set.best.y, line: { shape: "hv" } }));
  const rows = sweeps.map(({ name, info, set }) => {
    const y = set.best.y, top = y.length ? set.byId.get(set.best.x[y.indexOf(y[y.length - 1])]) : null;
    return `<tr><td>${esc(name)}</td><td>${esc(info.algorithm)}</td><td>${top ? top.i : "-"}</td><td>${fmt(top && top.v)}</td>
      <td>${top ? set.names.map((n, j) => `${esc(n)}=${fmt(top.p[j])}`).join(", ") : "-"}</td></tr>`;
  });
  await draw("plot-compare", traces, { showlegend: true, legend: { orientation: "h", y: -0.3 }, xaxis: { title: { text: "trial" } }, yaxis: { title: { text: "best value" } } });
  await plotEdf("plot-compare-edf", sweeps.map(({ name, set }) => ({ name, edf: set.ov.edf })), sweeps[0].info);
  $("#compare-best").innerHTML = `<table id="compare-table"><tr><th>sweep</th><th>algorithm</th><th>trial</th><th>value</th><th>params</th></tr>${rows.join("")}</table>`;
}

async function route() {
  if (timer) { clearInterval(timer); timer = null; }
  const main = $("#main");
  const fresh = document.createElement("main");  // no old listeners, no old data-* state
  fresh.id = "main";
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
