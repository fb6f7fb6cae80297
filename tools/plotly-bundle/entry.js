'use strict';
// plotly.js core (it always has `scatter`) and the other trace types the dashboard draws
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/histogram2dcontour')]);
module.exports = Plotly;
