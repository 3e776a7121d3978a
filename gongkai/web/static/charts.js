// Draws every <canvas data-chart="ID"> from the JSON in <script type="application/json" id="ID">.
// The data is never evaluated as code; labels are drawn on the canvas as text.
(function () {
  "use strict";
  var palette = ["#23395d", "#d9363e", "#e0a800", "#4aa3b5", "#52a447", "#8e5ea2", "#c45850", "#3cba9f", "#e8c3b9", "#999999"];
  function draw(canvas) {
    var node = document.getElementById(canvas.getAttribute("data-chart"));
    if (!node || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(node.textContent);
    var many = spec.type === "pie" || spec.type === "doughnut";
    spec.datasets.forEach(function (ds, i) {
      var colour = palette[i % palette.length];
      ds.backgroundColor = many ? palette.slice(0, ds.data.length) : colour;
      ds.borderColor = colour;
      ds.spanGaps = true;
      ds.data = ds.data.map(function (v) { return v === null ? null : Number(v); });
    });
    var chart = new Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: spec.datasets},
      options: {
        scales: many ? {} : {x: {stacked: !!spec.stacked}, y: {stacked: !!spec.stacked}},
        animation: false, responsive: true, maintainAspectRatio: false, indexAxis: spec.horizontal ? "y" : "x",
        plugins: {legend: {display: spec.datasets.length > 1 || many}, title: {display: !!spec.title, text: spec.title || ""}}
      }
    });
    canvas.setAttribute("data-rendered", String(chart.data.datasets.length));
  }
  function all() { Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
