// hypersweep dashboard plots: Plotly traces from the sweep's trials. All SVG (no WebGL: without a
// GPU a WebGL context alone costs 0.2-1 s per plot); big sweeps arrive sampled (see overview.py).
"use strict";
const COLORS = { completed: "#1f77b4", pruned: "#ff7f0e", failed: "#d62728", running: "#2ca02c", waiting: "#999" };
const PALETTE = ["#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"];  // viridis, worst to best
const MAX_CURVES = 150;  // queries.MAX_CURVES
const TIMELINE = 150;  // trials on the timeline (the latest)

// By default Plotly measures every tick label (a forced style and layout pass each) to hide any past the
// plot's edge; the margins here leave room for them, so every axis skips that.
function allowTickOverflow(traces, layout) {
  const axes = new Set(["xaxis", "yaxis", ...Object.keys(layout).filter((key) => /^[xy]axis\d*$/.test(key))]);
  for (const t of traces) for (const ref of [t.xaxis, t.yaxis]) if (ref) axes.add(ref[0] + "axis" + ref.slice(1));
  for (const axis of axes) layout[axis] = Object.assign({ ticklabeloverflow: "allow" }, layout[axis]);
  return layout;
}

function draw(id, traces, layout) {
  const el = document.getElementById(id);
  if (!el) return Promise.resolve();
  const started = performance.now();
  const base = { margin: { l: 50, r: 20, t: 10, b: 40 }, height: 300, showlegend: false };
  return Plotly.react(el, traces, allowTickOverflow(traces, Object.assign(base, layout || {})), { displaylogo: false, responsive: true })
    .then(() => { el.dataset.ready = traces.length ? "1" : "empty"; el.dataset.ms = String(Math.round(performance.now() - started)); });
}

const better = (maximize) => (a, b) => (maximize ? a > b : a < b);
const numericColumn = (list, j) => list.every((t) => typeof t.p[j] === "number" || t.p[j] === null);
const isLog = (info, name) => JSON.stringify(info.space[name] || "").includes("log");
// a parameter's value on an axis: numbers as they are, other values as text, an inactive one (null) left out
const axisValue = (v) => (v === null || typeof v === "number" ? v : JSON.stringify(v));
const shown = (t) => (t.v !== null ? t.v : t.r && t.r.length ? t.r[t.r.length - 1][1] : null);

// rank of each trial's value among `done`, 0 (best) to 1 (worst)
function rankOf(done, maximize) {
  const order = done.map((t, k) => k).sort((a, b) => (maximize ? done[b].v - done[a].v : done[a].v - done[b].v));
  const rank = new Array(done.length);
  order.forEach((k, r) => { rank[k] = done.length > 1 ? r / (done.length - 1) : 0; });
  return rank;
}

function plotHistory(list, best, ov, info, logScale) {
  const traces = ["completed", "pruned", "failed"].map((state) => {
    const sel = list.filter((t) => t.s === state && shown(t) !== null);
    return { type: "scatter", mode: "markers", name: `${state} (${count(ov.counts[state] || 0)})`,
      x: sel.map((t) => t.i), y: sel.map(shown), marker: { color: COLORS[state], size: 4, symbol: state === "completed" ? "circle" : "x" } };
  });
  traces.push({ type: "scatter", mode: "lines", name: "best so far (every trial)", x: best.x.slice(), y: best.y.slice(), line: { color: "#222", shape: "hv" } });
  return draw("plot-history", traces, { showlegend: true, xaxis: { title: { text: "trial" } },
    yaxis: { title: { text: info.metric }, type: logScale ? "log" : "linear" }, legend: { orientation: "h", y: -0.3 } });
}

// one axis per parameter and one for the metric; each line a trial, coloured by its value's rank
function plotParallel(done, info, names) {
  if (!done.length) return draw("plot-parallel", []);
  const maximize = info.direction === "maximize", rank = rankOf(done, maximize);
  const cols = names.map((n, j) => ({ label: n, get: (t) => t.p[j], log: isLog(info, n) }));
  cols.push({ label: info.metric, get: (t) => t.v, log: false });
  const annotations = [], shapes = [];
  const scaled = cols.map((col, k) => {
    const raw = done.map(col.get);
    let pos, ticks;
    if (raw.every((v) => typeof v === "number" || v === null)) {
      const vals = raw.map((v) => (v === null ? null : col.log && v > 0 ? Math.log10(v) : v)).filter((v) => v !== null);
      const lo = Math.min(...vals), hi = Math.max(...vals), span = hi - lo || 1;
      pos = (v) => (v === null ? null : ((col.log && v > 0 ? Math.log10(v) : v) - lo) / span);
      const show = (v) => Number((col.log ? 10 ** v : v).toPrecision(3));
      ticks = [[0, show(lo)], [1, show(hi)]];
    } else {
      const keys = [...new Set(raw.map((v) => JSON.stringify(v)))].sort();
      pos = (v) => (keys.length > 1 ? keys.indexOf(JSON.stringify(v)) / (keys.length - 1) : 0.5);
      ticks = keys.map((key, i) => [keys.length > 1 ? i / (keys.length - 1) : 0.5, key.replace(/^"|"$/g, "")]);
    }
    shapes.push({ type: "line", x0: k, x1: k, y0: 0, y1: 1, line: { color: "#444", width: 1 } });
    annotations.push({ x: k, y: 1.1, text: `<b>${col.label}</b>${col.log ? " (log)" : ""}`, showarrow: false });
    for (const [y, text] of ticks) annotations.push({ x: k, y, text: String(text), showarrow: false, xanchor: "right", xshift: -3, font: { size: 10 } });
    return done.map((t) => pos(col.get(t)));
  });
  // each colour band is one polyline (one SVG path, not one per trial): every other trial runs from the
  // last axis back to the first, so the joins run along the axis lines, which are drawn over them
  const order = scaled.map((_, k) => k), backwards = order.slice().reverse();
  const traces = PALETTE.map((color, b) => {
    const x = [], y = [];
    done.forEach((t, i) => {
      if (Math.min(PALETTE.length - 1, Math.floor((1 - rank[i]) * PALETTE.length)) !== b) return;
      for (const k of x.length / cols.length % 2 ? backwards : order) { x.push(k); y.push(scaled[k][i]); }
    });
    return { type: "scatter", mode: "lines", x, y, hoverinfo: "skip", line: { color, width: 1 }, opacity: 0.45 };
  });
  return draw("plot-parallel", traces, { shapes, annotations, margin: { l: 60, r: 20, t: 30, b: 10 },
    xaxis: { visible: false, range: [-0.4, cols.length - 0.6] }, yaxis: { visible: false, range: [-0.05, 1.15] } });
}

function plotSlice(done, info, names) {
  const traces = [], layout = { grid: { rows: 1, columns: Math.max(1, names.length) }, yaxis: { title: { text: info.metric } } };
  names.forEach((n, j) => {
    const axis = j ? String(j + 1) : "";
    traces.push({ type: "scatter", mode: "markers", x: done.map((t) => axisValue(t.p[j])),
      y: done.map((t) => t.v), xaxis: "x" + axis, yaxis: "y" + axis, marker: { size: 4, color: done.map((t) => t.i), colorscale: "Blues" } });
    layout["xaxis" + axis] = { title: { text: n }, type: isLog(info, n) ? "log" : "-" };
  });
  return draw("plot-slice", done.length ? traces : [], layout);
}

function plotContour(done, info, names, a, b) {
  if (done.length < 3 || a === b) return draw("plot-contour", []);
  return draw("plot-contour", [
    { type: "histogram2dcontour", x: done.map((t) => t.p[a]), y: done.map((t) => t.p[b]), z: done.map((t) => t.v),
      histfunc: "avg", colorscale: "Viridis", reversescale: info.direction === "maximize", nbinsx: 20, nbinsy: 20 },
    { type: "scatter", mode: "markers", x: done.map((t) => t.p[a]), y: done.map((t) => t.p[b]), marker: { size: 3, color: "#fff" }, hoverinfo: "skip" },
  ], { xaxis: { title: { text: names[a] } }, yaxis: { title: { text: names[b] } } });
}

// every pair of the first four parameters, points coloured by the rank of their value (0 = best)
function plotRank(done, info, names) {
  if (!done.length) return draw("plot-rank", []);
  const rank = rankOf(done, info.direction === "maximize");
  const text = done.map((t, k) => `trial ${t.i}: rank ${Math.round(rank[k] * 100)}%`);
  const value = (j) => done.map((t) => (j < 0 ? t.v : axisValue(t.p[j])));
  const used = names.slice(0, 4).map((_, j) => j);
  const pairs = used.length >= 2 ? used.flatMap((r) => used.filter((c) => c < r).map((c) => [c, r])) : [[used[0] ?? -1, -1]];
  const m = Math.max(1, used.length - 1), gap = 0.08 / m, layout = {};
  const label = (j) => (j < 0 ? info.metric : names[j]);
  const traces = pairs.map(([c, r], k) => {
    const row = used.length >= 2 ? r - 1 : 0, col = c < 0 ? 0 : c, id = k ? String(k + 1) : "";
    layout["xaxis" + id] = { domain: [col / m, (col + 1) / m - gap], anchor: "y" + id, title: { text: label(c), standoff: 2 },
      type: c >= 0 && isLog(info, names[c]) ? "log" : "-" };
    layout["yaxis" + id] = { domain: [1 - (row + 1) / m + gap, 1 - row / m], anchor: "x" + id, title: { text: label(r), standoff: 2 },
      type: r >= 0 && isLog(info, names[r]) ? "log" : "-" };
    return { type: "scatter", mode: "markers", x: value(c), y: value(r), xaxis: "x" + id, yaxis: "y" + id, text, hoverinfo: "text+x+y",
      marker: { size: 4, color: rank, cmin: 0, cmax: 1, colorscale: "Viridis", reversescale: true, showscale: k === 0,
        colorbar: { title: { text: "rank" }, thickness: 10 } } };
  });
  return draw("plot-rank", traces, Object.assign(layout, { height: 120 + 180 * m, margin: { l: 60, r: 20, t: 10, b: 50 } }));
}

// fraction of completed trials with a value at most x; several sweeps overlaid on the compare page
function plotEdf(id, curves, info) {
  const traces = curves.filter((c) => c.edf.length).map((c) => ({ type: "scatter", mode: "lines", name: c.name,
    x: c.edf.map((p) => p[0]), y: c.edf.map((p) => p[1]), line: { shape: "hv" } }));
  return draw(id, traces, { showlegend: curves.length > 1, legend: { orientation: "h", y: -0.3 },
    xaxis: { title: { text: info.metric } }, yaxis: { title: { text: "fraction of completed trials ≤ x" }, range: [0, 1.02] } });
}

// the latest trials' runs, one row per worker, coloured by state
function plotTimeline(list) {
  const recent = list.filter((t) => t.t0 !== null).slice(-TIMELINE);
  const now = Date.now();
  const traces = Object.keys(COLORS).map((state) => {
    const x = [], y = [];
    for (const t of recent.filter((r) => r.s === state)) {
      const w = t.w || "(no worker)";
      x.push(new Date(t.t0 * 1000), new Date(t.t1 ? t.t1 * 1000 : now), null); y.push(w, w, null);
    }
    return { type: "scatter", mode: "lines+markers", name: state, x, y, line: { color: COLORS[state], width: 6 }, marker: { size: 4 }, hoverinfo: "x+y+name" };
  }).filter((t) => t.x.length);
  return draw("plot-timeline", traces, { showlegend: true, legend: { orientation: "h", y: -0.25 }, xaxis: { type: "date" },
    yaxis: { type: "category", title: { text: "worker" } }, margin: { l: 110, r: 20, t: 10, b: 40 } });
}

function plotIntermediate(list) {
  const curves = list.filter((t) => t.r && t.r.length).slice(-MAX_CURVES);
  if (!curves.length) return null;
  const traces = Object.keys(COLORS).map((state) => {
    const x = [], y = [];
    for (const t of curves.filter((c) => c.s === state)) { for (const r of t.r) { x.push(r[0]); y.push(r[1]); } x.push(null); y.push(null); }
    return { type: "scatter", mode: "lines", name: state, x, y, line: { color: COLORS[state], width: 1 }, hoverinfo: "x+y+name" };
  }).filter((t) => t.x.length);
  const ends = curves.filter((t) => t.s === "pruned");
  if (ends.length) traces.push({ type: "scatter", mode: "markers", name: "pruned here", x: ends.map((t) => t.r[t.r.length - 1][0]),
    y: ends.map((t) => t.r[t.r.length - 1][1]), marker: { symbol: "x", size: 6, color: COLORS.pruned } });
  return draw("plot-intermediate", traces, { showlegend: true, legend: { orientation: "h", y: -0.3 }, xaxis: { title: { text: "step" } },
    yaxis: { title: { text: "reported value" } } });
}

function plotRungs(list, info) {
  const staged = list.filter((t) => t.m && t.m.budget !== undefined && t.v !== null);
  if (!staged.length) return null;
  const byId = new Map(list.map((t) => [t.i, t]));
  const traces = [...new Set(staged.map((t) => t.m.bracket ?? 0))].map((b) => {
    const sel = staged.filter((t) => (t.m.bracket ?? 0) === b);
    return { type: "scatter", mode: "markers", name: "bracket " + b, x: sel.map((t) => t.m.budget), y: sel.map((t) => t.v),
      text: sel.map((t) => `trial ${t.i}, rung ${t.m.rung ?? "-"}`), marker: { size: 6 } };
  });
  const px = [], py = [];
  for (const t of staged) {
    const parent = t.m.parent !== undefined && t.m.parent !== null ? byId.get(t.m.parent) : null;
    if (parent && parent.v !== null && parent.m) { px.push(parent.m.budget, t.m.budget, null); py.push(parent.v, t.v, null); }
  }
  traces.push({ type: "scatter", mode: "lines", name: "promotion", x: px, y: py, line: { color: "#aaa", width: 1 } });
  return draw("plot-rungs", traces, { showlegend: true, xaxis: { title: { text: "budget" }, type: "log" }, yaxis: { title: { text: info.metric } } });
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
  ], { xaxis: { title: { text: "predicted at ask time (mean ± std)" } }, yaxis: { title: { text: "observed " + info.metric } } });
}

function plotImportance(data) {
  const pairs = Object.entries(data.scores).sort((a, b) => a[1] - b[1]);
  return draw("plot-importance", pairs.length ? [{ type: "bar", orientation: "h", x: pairs.map((p) => p[1]), y: pairs.map((p) => p[0]) }] : [],
    { margin: { l: 120, r: 20, t: 10, b: 40 }, xaxis: { title: { text: "importance (sums to 1)" } } });
}
