// Answers the dashboard's API calls from the data embedded in an offline report.
window.HS_REPORT = (function (data) {
  "use strict";
  function row(t) {
    const params = {};
    data.names.forEach((n, j) => { params[n] = t.p[j]; });
    return { id: t.i, state: t.s, value: t.v, params, started: t.t0, finished: t.t1,
      duration: t.t0 && t.t1 ? t.t1 - t.t0 : null, worker: t.w };
  }
  function page(query) {
    const q = new URLSearchParams(query);
    const key = { id: "i", value: "v", state: "s", started_at: "t0", finished_at: "t1", created_at: "t0" }[q.get("order")] || "i";
    const desc = q.get("desc") === "1", states = (q.get("states") || "").split(",").filter(Boolean);
    const chosen = data.trials.filter((t) => !states.length || states.includes(t.s));
    const known = chosen.filter((t) => t[key] !== null).sort((a, b) => (a[key] > b[key] ? 1 : a[key] < b[key] ? -1 : a.i - b.i) * (desc ? -1 : 1));
    const sorted = known.concat(chosen.filter((t) => t[key] === null));
    const offset = Number(q.get("offset") || 0), limit = Number(q.get("limit") || 50);
    return { total: chosen.length, rows: sorted.slice(offset, offset + limit).map(row) };
  }
  function get(path) {
    const [base, query] = path.split("?");
    const parts = base.split("/").map(decodeURIComponent);  // "", api, sweeps, NAME, ...
    if (base === "/api/sweeps") return Promise.resolve([data.row]);
    if (parts.length === 4) return Promise.resolve(data.info);
    if (parts[4] === "overview") return Promise.resolve(data.overview);
    if (parts[4] === "trials" && parts.length === 5) return Promise.resolve(page(query));
    const t = data.trials.find((x) => x.i === Number(parts[5]));
    return Promise.resolve(Object.assign(row(t), { metrics: {}, reports: data.overview.curves[t.i] || [], meta: t.m || {}, error: null,
      logs: {}, run_dir: null, note: data.notes[t.i] || "" }));
  }
  return { get, name: data.info.name };
})(JSON.parse(document.getElementById("hs-data").textContent));
