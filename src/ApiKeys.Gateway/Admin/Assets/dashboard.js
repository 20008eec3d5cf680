// The dashboard's own script (loaded from a file: the Content-Security-Policy allows no inline script). It draws every
// chart box (data-chart names the id of a <script type="application/json"> block beside it) with uPlot, in the colours
// of the page's stylesheet (light or dark), and again after htmx swaps content in or the window is resized.
(function () {
  'use strict';

  function colours() {
    var style = getComputedStyle(document.documentElement);
    var read = function (name, fallback) { return (style.getPropertyValue(name) || fallback).trim(); };
    return {
      fg: read('--fg', '#222'),
      grid: read('--grid', '#ddd'),
      series: [1, 2, 3, 4, 5, 6].map(function (i) { return read('--series-' + i, '#36c'); })
    };
  }

  function draw(box) {
    var block = document.getElementById(box.getAttribute('data-chart'));
    if (!block || typeof uPlot === 'undefined') { return; }
    var data = JSON.parse(block.textContent);
    var c = colours();
    var axis = { stroke: c.fg, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid } };
    var options = {
      width: Math.max(box.clientWidth, 300),
      height: 220,
      scales: { x: { time: true } },
      // The pages say UTC: the axes too, whatever the browser's time zone.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); },
      axes: [Object.assign({}, axis), Object.assign({ size: 60 }, axis)],
      series: [{}].concat(data.series.map(function (s, i) {
        return { label: s.name, stroke: c.series[i % c.series.length], width: 2, points: { show: data.x.length < 60 } };
      }))
    };
    box.textContent = '';
    box.uplot = new uPlot(options, [data.x].concat(data.series.map(function (s) { return s.values; })), box);
    box.setAttribute('data-series', String(data.series.length));
  }

  function drawAll(root) {
    (root || document).querySelectorAll('[data-chart]').forEach(draw);
  }

  function start() {
    drawAll(document);
    if (typeof htmx !== 'undefined') {
      htmx.onLoad(function (element) { if (element !== document.body) { drawAll(element); } });
    }

    var resizing = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () { drawAll(document); }, 150);
    });
    if (window.matchMedia) {
      window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () { drawAll(document); });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
