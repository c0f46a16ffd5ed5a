/* dcc.Graph fetches plotly.js from window._dashPlotlyJSURL when it draws its first graph. Point it
   at plotly.js's cartesian bundle (vendor/, MIT, the same v4.1.1 as plotly.py's own): 1.5 MB to
   parse instead of 4.8 MB, and it holds every trace type the dashboard draws (scatter, bar,
   histogram). Dash's renderer assigns the URL later; the setter keeps this one. */
(function () {
  var url = '/assets/vendor/plotly-cartesian-4.1.1.min.js';
  Object.defineProperty(window, '_dashPlotlyJSURL', {
    configurable: true,
    get: function () { return url; },
    set: function () {}
  });
})();
