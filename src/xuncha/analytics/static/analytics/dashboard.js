// The dashboard's charts, drawn with ECharts from the figures each card embeds as JSON
// (json_script). The tables beside them carry the same numbers and are what the page shows
// without JavaScript (or without ECharts); with it, each card gets a chart / table switch.
// Clicking a bar, slice or stage opens the list behind it, like the table's links.
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") {
    return;
  }
  var PALETTE = ["#2f6f9f", "#c8553d", "#3f8f5a", "#d9a441", "#6d5b97",
                 "#4a9ca6", "#8c6d46", "#b5487a", "#5b7f3a", "#7a7a7a"];
  var fontFamily = getComputedStyle(document.body).fontFamily;
  var charts = [];

  function truncated(width) {
    return { width: width, overflow: "truncate" };
  }

  function option(data, width) {
    var labels = data.labels;
    var first = data.series[0] || { name: "", data: [] };
    var base = { textStyle: { fontFamily: fontFamily }, color: PALETTE, animation: false };
    if (data.type === "pie") {
      return Object.assign(base, {
        tooltip: { trigger: "item", formatter: "{b}<br>{c}（{d}%）" },
        series: [{ name: first.name, type: "pie", radius: ["30%", "62%"], center: ["50%", "52%"],
                   label: { formatter: "{b}\n{c}", width: 140, overflow: "truncate" },
                   data: labels.map(function (label, i) { return { name: label, value: first.data[i] }; }) }]
      });
    }
    if (data.type === "funnel") {
      return Object.assign(base, {
        tooltip: { trigger: "item", formatter: "{b}：{c}" },
        // Labels beside the stages: a narrow last stage leaves no room inside it.
        series: [{ name: first.name, type: "funnel", sort: "none", gap: 2, left: "4%", width: "56%",
                   min: 0, max: Math.max.apply(null, first.data.concat([1])),
                   label: { position: "right", formatter: "{b}：{c}", color: "#212529" },
                   data: labels.map(function (label, i) { return { name: label, value: first.data[i] }; }) }]
      });
    }
    if (data.type === "hbar" || data.type === "stack") {
      // Top to bottom in the table's order.
      var reversed = labels.slice().reverse();
      var stacked = data.type === "stack";
      return Object.assign(base, {
        color: stacked ? ["#3f8f5a", "#c8553d"] : PALETTE,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: stacked ? { top: 0 } : undefined,
        // containLabel measures the truncated labels a little short in CJK fonts: keep a margin.
        grid: { left: 24, right: 32, top: stacked ? 32 : 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: reversed, axisLabel: truncated(Math.min(180, width * 0.4)) },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", stack: stacked ? "all" : undefined, barMaxWidth: 22,
                   label: { show: !stacked, position: "right" }, data: s.data.slice().reverse() };
        })
      });
    }
    return Object.assign(base, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 4 ? 30 : 0,
                                                             width: 120, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", barMaxWidth: 36, label: { show: true, position: "top" }, data: s.data };
      })
    });
  }

  function height(data) {
    var n = data.labels.length;
    if (data.type === "hbar" || data.type === "stack") {
      return Math.max(220, 70 + n * 32);
    }
    return 320;
  }

  function link(data, params) {
    var index = params.dataIndex;
    if (data.type === "hbar" || data.type === "stack") {
      index = data.labels.length - 1 - index;  // drawn bottom-up
    }
    var row = data.links[index] || [];
    return row[params.seriesIndex || 0] || null;
  }

  function show(card, view) {
    card.querySelectorAll("[data-pane]").forEach(function (pane) {
      pane.classList.toggle("d-none", pane.dataset.pane !== view);
    });
    card.querySelectorAll("[data-view]").forEach(function (button) {
      var on = button.dataset.view === view;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function draw(card) {
    var source = document.getElementById(card.dataset.chart);
    var element = card.querySelector("[data-pane='chart']");
    if (!source || !element) {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.style.height = height(data) + "px";
    show(card, "chart");
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(data, element.clientWidth));
    chart.on("click", function (params) {
      var url = link(data, params);
      if (url) {
        window.location.href = url;
      }
    });
    charts.push(chart);
    var switcher = card.querySelector("[data-view-switch]");
    if (switcher) {
      switcher.classList.remove("d-none");
      switcher.addEventListener("click", function (event) {
        var button = event.target.closest("[data-view]");
        if (!button) {
          return;
        }
        show(card, button.dataset.view);
        if (button.dataset.view === "chart") {
          chart.resize();
        }
      });
    }
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) { chart.resize(); });
    }, 100);
  });
})();
