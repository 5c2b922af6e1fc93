// Coverage charts: stacked horizontal bars (covered / not yet covered) drawn with ECharts
// from the figures the page embeds as JSON. The tables beside them carry the same numbers,
// so without JavaScript (or without ECharts) nothing is lost.
(function () {
  "use strict";
  var source = document.getElementById("coverage-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var fontFamily = getComputedStyle(document.body).fontFamily;
  var labels = data.labels;  // translated on the server
  var charts = [];

  function draw(element) {
    var rows = data[element.dataset.series] || [];
    if (!rows.length) {
      return;
    }
    // One bar per row, top to bottom in the table's order.
    var ordered = rows.slice().reverse();
    element.style.height = Math.max(220, 70 + ordered.length * 30) + "px";
    element.closest(".xc-chart-col").classList.remove("d-none");
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: fontFamily },
      color: ["#3f8f5a", "#c8553d"],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: ordered.map(function (r) { return r.label; }),
               axisLabel: { width: 150, overflow: "truncate" } },
      series: [
        { name: labels.covered, type: "bar", stack: "all", barMaxWidth: 22,
          data: ordered.map(function (r) { return r.covered; }) },
        { name: labels.uncovered, type: "bar", stack: "all", barMaxWidth: 22,
          data: ordered.map(function (r) { return r.uncovered; }) }
      ]
    });
    charts.push(chart);
  }

  document.querySelectorAll(".xc-chart[data-series]").forEach(draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
