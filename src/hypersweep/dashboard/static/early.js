// Loaded before plotly.js: starts the sweep page's first reads at once, so the server reads the store
// while the browser compiles plotly.js; app.js's get() takes these answers instead of asking again.
"use strict";
window.HS_EARLY = (() => {
  const early = new Map();
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash.startsWith("/sweep/")) return early;
  const base = "/api/sweeps/" + encodeURIComponent(hash.slice(7));
  for (const path of [base, base + "/overview", base + "/trials?order=id&desc=0&offset=0&limit=50"]) {
    early.set(path, fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" }));
  }
  return early;
})();
