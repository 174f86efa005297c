// Charts of the supervision pages: every element with data-chart-url gets the ECharts chart its
// data-chart names (completion · lights · ontime · targets), from the JSON at that URL.
(function () {
  "use strict";

  // On a narrow chart (a phone) fewer ticks, and a tick label that would still touch its
  // neighbour is left out rather than drawn over it.
  function valueAxis(width) {
    return { type: "value", splitNumber: width < 480 ? 3 : 5, axisLabel: { hideOverlap: true } };
  }

  function percentAxis(width) {
    var axis = valueAxis(width);
    axis.min = 0;
    axis.axisLabel.formatter = "{value}%";
    return axis;
  }

  // An axis that ends at 100%: its ticks divide it evenly, so that 100% is one of them.
  function toHundred(axis, width) {
    axis.max = 100;
    axis.interval = width < 480 ? 25 : 20;
    return axis;
  }

  function option(kind, data, width) {
    var labels = data.labels || [];
    var series = (data.series || []).map(function (s) {
      var out = { name: s.name, type: "bar", data: s.data, itemStyle: { color: s.color }, barMaxWidth: 28 };
      if (s.stack) out.stack = s.stack;
      if (kind !== "lights") {
        // on a white ground: the target line at 100% passes behind a value label near it
        out.label = {
          show: true, position: "right", formatter: "{c}%",
          backgroundColor: "rgba(255,255,255,0.9)", padding: [1, 2],
        };
      }
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
      // the names get at most a third of a narrow chart, so that the bars keep room
      axisLabel: { width: Math.max(72, Math.min(180, Math.round(width / 3))), overflow: "truncate" },
    };
    if (kind === "completion") {
      base.xAxis = toHundred(percentAxis(width), width);
      base.yAxis = category;
    } else if (kind === "lights") {
      base.xAxis = valueAxis(width);
      base.xAxis.minInterval = 1;
      base.yAxis = category;
    } else if (kind === "ontime") {
      base.xAxis = toHundred(percentAxis(width), width);
      base.yAxis = category;
      base.tooltip.formatter = function (items) {
        var d = data.details[items[0].dataIndex];
        return items[0].name + "<br>按时报送 " + d.on_time + " / 应报送 " + d.due + "（" + items[0].value + "%）";
      };
    } else if (kind === "targets") {
      base.xAxis = percentAxis(width);
      // the goal (100%) always inside the chart, even when every value is below it; above it
      // ECharts picks the end of the axis (a round one, so that no two ticks crowd)
      var highest = Math.max.apply(null, (data.series[0].data || []).map(function (v) { return v || 0; }));
      if (!(highest > 100)) toHundred(base.xAxis, width);
      base.yAxis = category;
      // 目标 is written above the top of its line, between the legend and the bars: at the
      // bottom end (the default) it sat on the axis' 100% tick label
      base.grid.top = 52;
      base.series.forEach(function (s) {
        // the bars and their value labels over the target line (a markLine is drawn at z 5),
        // which would cross out a label near 100%
        s.z = 6;
        s.markLine = {
          symbol: "none",
          silent: true,
          data: [{ xAxis: 100, name: "目标" }],
          label: { formatter: "目标", position: "start", distance: 4 },
        };
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
        chart.setOption(option(el.dataset.chart, data, el.clientWidth));
        el.setAttribute("data-test-rendered", "1");
        window.addEventListener("resize", function () {
          chart.resize();
          chart.setOption(option(el.dataset.chart, data, el.clientWidth));
        });
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
