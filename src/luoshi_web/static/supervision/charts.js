// Charts of the supervision pages: every element with data-chart-url gets the ECharts chart its
// data-chart names (completion · lights · ontime · targets), from the JSON at that URL.
(function () {
  "use strict";

  function percentAxis() {
    return { type: "value", min: 0, axisLabel: { formatter: "{value}%" } };
  }

  function option(kind, data) {
    var labels = data.labels || [];
    var series = (data.series || []).map(function (s) {
      var out = { name: s.name, type: "bar", data: s.data, itemStyle: { color: s.color } };
      if (s.stack) out.stack = s.stack;
      if (kind !== "lights") out.label = { show: true, position: "right", formatter: "{c}%" };
      return out;
    });
    var base = {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      series: series,
    };
    var category = {
      type: "category",
      data: labels,
      inverse: true,
      axisLabel: { width: 180, overflow: "truncate" },
    };
    if (kind === "completion") {
      base.xAxis = percentAxis();
      base.xAxis.max = 100;
      base.yAxis = category;
    } else if (kind === "lights") {
      base.xAxis = { type: "value", minInterval: 1 };
      base.yAxis = category;
    } else if (kind === "ontime") {
      base.xAxis = percentAxis();
      base.xAxis.max = 100;
      base.yAxis = category;
      base.tooltip.formatter = function (items) {
        var d = data.details[items[0].dataIndex];
        return items[0].name + "<br>按时报送 " + d.on_time + " / 应报送 " + d.due + "（" + items[0].value + "%）";
      };
    } else if (kind === "targets") {
      base.xAxis = percentAxis();
      base.yAxis = category;
      base.series.forEach(function (s) {
        s.markLine = { symbol: "none", data: [{ xAxis: 100, name: "目标" }], label: { formatter: "目标" } };
      });
      base.tooltip.formatter = function (items) {
        var d = data.details[items[0].dataIndex];
        var value = d.value === "" ? "尚未报告" : d.value + d.unit;
        return d.target + "<br>最新报告值：" + value + "<br>目标：" + d.goal + d.unit;
      };
    }
    return base;
  }

  function render(el) {
    if (el.dataset.rendered) return;
    el.dataset.rendered = "1";
    fetch(el.dataset.chartUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (!data.labels || data.labels.length === 0) {
          el.innerHTML = '<p class="muted" data-test="chart-empty">暂无数据</p>';
          return;
        }
        el.style.height = Math.max(240, 60 + data.labels.length * (data.series.length > 1 && el.dataset.chart !== "lights" ? 44 : 28)) + "px";
        el.innerHTML = "";
        var chart = echarts.init(el, null, { renderer: "svg" });
        chart.setOption(option(el.dataset.chart, data));
        el.setAttribute("data-test-rendered", "1");
        window.addEventListener("resize", function () { chart.resize(); });
      })
      .catch(function (error) {
        el.innerHTML = '<p class="error">图表加载失败：' + String(error.message).replace(/[<>&]/g, "") + "</p>";
      });
  }

  function renderAll(root) {
    if (typeof echarts === "undefined") return;
    (root || document).querySelectorAll("[data-chart-url]").forEach(render);
  }

  document.addEventListener("DOMContentLoaded", function () { renderAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { renderAll(e.target); });
})();
