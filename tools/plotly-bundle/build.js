// Writes ../../src/hypersweep/dashboard/static/vendor/plotly-hypersweep.min.js (see README.md).
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const version = require('plotly.js/package.json').version;
const out = path.join(__dirname, '..', '..', 'src', 'hypersweep', 'dashboard', 'static', 'vendor', 'plotly-hypersweep.min.js');
const banner = `/**
* plotly.js (hypersweep: scatter, bar, histogram2dcontour - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license
*/`;

esbuild.build({
  entryPoints: [path.join(__dirname, 'entry.js')],
  bundle: true,
  format: 'iife',
  globalName: 'Plotly',
  minify: true,
  target: 'es2020',  // native object spread: es2016's lowered spread helpers cost ~0.1 s of CPU per page draw
  define: { global: 'window', 'define.amd': 'false' },
  loader: { '.css': 'empty' },  // only map traces (not in this bundle) load the one CSS file plotly.js imports
  legalComments: 'eof',
  banner: { js: banner },
  outfile: out,
  logLevel: 'warning',
}).then(() => {
  console.log(`${out}: ${fs.statSync(out).size} bytes, plotly.js ${version}`);
}).catch((err) => { console.error(err.message); process.exit(1); });
