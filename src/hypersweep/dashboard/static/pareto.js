// The Pareto page: /pareto?sweep=NAME. Reads /api/sweeps/NAME/pareto and draws the trials on
// the first two metrics (the feasible front joined, infeasible trials as crosses), the
// hypervolume of the feasible front after each trial, and the front as a table.
"use strict";

function text(value) {
  return value === null || value === undefined ? "-" : (typeof value === "number" ? value.toPrecision(5) : String(value));
}

function cell(row, value, tag) {
  const el = document.createElement(tag || "td");
  el.textContent = value;
  row.appendChild(el);
}

async function load() {
  const name = new URLSearchParams(window.location.search).get("sweep") || "";
  const summary = document.getElementById("pareto-summary");
  const crumbs = document.getElementById("crumbs");
  const link = document.createElement("a");
  link.href = "/#/sweep/" + encodeURIComponent(name);
  link.textContent = name;
  crumbs.append(" / ", link, " / Pareto front");
  const res = await fetch("/api/sweeps/" + encodeURIComponent(name) + "/pareto",
    { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const data = await res.json();
  if (!res.ok) {
    summary.textContent = data.error || ("error " + res.status);
    return;
  }
  const metrics = data.metrics.map((m) => m.name);
  const limits = data.constraints.map((c) => c.metric + (c.min !== undefined ? " >= " + c.min : "") + (c.max !== undefined ? " <= " + c.max : ""));
  summary.textContent = data.name + ": " + data.metrics.map((m) => m.optimization + " " + m.name).join(", ")
    + (limits.length ? ", subject to " + limits.join(", ") : "") + "; " + data.points.length + " completed trials, "
    + data.front.length + " on the front";
  const [x, y] = metrics;
  const layout = { margin: { t: 30, r: 10 }, height: 420, legend: { orientation: "h" } };
  const config = { displaylogo: false, responsive: true };
  const pareto = document.getElementById("pareto-plot");
  if (y !== undefined) {
    const pick = (keep) => data.points.filter(keep);
    const trace = (points, name, marker, mode) => ({
      x: points.map((p) => p.values[x]), y: points.map((p) => p.values[y]), text: points.map((p) => "trial " + p.id),
      name: name, mode: mode || "markers", type: "scatter", marker: marker,
    });
    const front = pick((p) => p.front).sort((a, b) => a.values[x] - b.values[x]);
    const traces = [
      trace(pick((p) => !p.front && p.feasible !== false), "feasible trials", { color: "#1f77b4", opacity: 0.5 }),
      trace(pick((p) => p.feasible === false), "infeasible trials", { color: "#d62728", symbol: "x" }),
      trace(front, "Pareto front", { color: "#ff7f0e", size: 9 }, "lines+markers"),
    ];
    await Plotly.newPlot(pareto, traces, Object.assign({ xaxis: { title: { text: x } }, yaxis: { title: { text: y } } }, layout), config);
  } else {
    pareto.textContent = "one metric: no front to draw";
  }
  pareto.dataset.ready = "1";
  const volume = document.getElementById("hypervolume-plot");
  await Plotly.newPlot(volume, [{
    x: data.hypervolume.map((h) => h[0]), y: data.hypervolume.map((h) => h[1]), type: "scatter", mode: "lines",
    line: { shape: "hv", color: "#2ca02c" }, name: "hypervolume",
  }], Object.assign({ xaxis: { title: { text: "trial" } }, yaxis: { title: { text: "hypervolume of the feasible front" } } }, layout), config);
  volume.dataset.ready = "1";
  const table = document.getElementById("front-table");
  const head = document.createElement("tr");
  ["trial", ...metrics].forEach((h) => cell(head, h, "th"));
  table.appendChild(head);
  data.points.filter((p) => p.front).forEach((p) => {
    const row = document.createElement("tr");
    row.dataset.trial = String(p.id);
    cell(row, String(p.id));
    metrics.forEach((m) => cell(row, text(p.values[m])));
    table.appendChild(row);
  });
  document.getElementById("pareto-main").dataset.loaded = "1";
}

load();
