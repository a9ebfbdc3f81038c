// The governance dashboard's charts, drawn with the vendored ECharts (static/vendor/echarts/).
// Every figure drawn here is also in the tables under "明细" and in the exports; each chart's
// container carries a text alternative (aria-label) written by the server.
(function () {
  "use strict";
  var el = document.getElementById("chart-data");
  if (!el || typeof echarts === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  var colours = ["#1f5fa8", "#f57c00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a",
                 "#ad1457", "#9e9d24", "#3949ab", "#00897b", "#5d4037", "#757575", "#283593"];
  var charts = {};
  window.suyuanCharts = charts;  // for the browser test (tile positions) and the console

  function withBase(option) {  // setOption(…, true) replaces everything: repeat the shared settings
    return Object.assign({animation: false, color: colours, textStyle: {fontFamily: "Noto Sans CJK SC, sans-serif"}}, option);
  }

  function make(id, option) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    var chart = echarts.init(node, null, {renderer: "canvas", locale: "ZH"});
    chart.setOption(withBase(option));
    charts[id] = chart;
    return chart;
  }

  // --- the tile map ---------------------------------------------------------------------------
  var map = data.map;
  var peak = Math.max.apply(null, [1].concat(map.tiles.map(function (t) { return t.value; })));
  var tileChart = make("chart-map", {
    tooltip: {formatter: function (p) {
      var t = p.data.tile;
      return t.county + " · " + t.name + "<br>纠纷登记 " + t.disputes + " 件<br>一审民事立案 " + t.registrations + " 件" +
        (map.per_resident ? "<br>每万人 " + t.value : "");
    }},
    grid: {left: 4, right: 4, top: 4, bottom: 48},
    xAxis: {type: "category", data: Array.from({length: map.columns}, function (_, i) { return i; }), show: false},
    yAxis: {type: "category", data: Array.from({length: map.rows}, function (_, i) { return i; }), inverse: true, show: false},
    visualMap: {min: 0, max: peak, calculable: false, orient: "horizontal", left: "center", bottom: 0,
                itemWidth: 12, itemHeight: 160, text: ["多", "少"], inRange: {color: ["#fff4e5", "#ffb74d", "#f57c00", "#8a3b00"]},
                formatter: function (v) { return map.per_resident ? v.toFixed(1) : Math.round(v); }},
    series: [{type: "heatmap", name: map.measure, itemStyle: {borderColor: "#fff", borderWidth: 3, borderRadius: 4},
              label: {show: true, fontSize: 11, lineHeight: 14, formatter: function (p) {
                var t = p.data.tile; return t.name.replace(/街道$/, "") + "\n" + (map.per_resident ? t.value : t.disputes);
              }},
              emphasis: {itemStyle: {borderColor: "#1f5fa8", borderWidth: 3}},
              data: map.tiles.map(function (t) {
                // dark tiles get white text (contrast), light ones dark text
                return {value: [t.x, t.y, t.value], tile: t, label: {color: t.value > peak * 0.55 ? "#fff" : "#1f2933"}};
              })}]
  });

  // --- the drill-down panel ---------------------------------------------------------------------
  var drillChart = null, drillTrend = null;
  var summary = document.getElementById("drill-summary");
  var summaryHome = summary ? summary.innerHTML : "";
  var title = document.getElementById("drill-title");
  var titleHome = title ? title.textContent : "";
  var crumb = document.getElementById("drill-crumb");
  var counties = data.counties;
  var countyLevel = counties.length === 1 && new URLSearchParams(location.search).get("county");

  function areaChart() {
    if (countyLevel) {
      return {tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], name: "纠纷类别",
        label: {formatter: "{b} {c}"},
        data: data.categories.labels.map(function (l, i) { return {name: l, value: data.categories.values[i]}; })
          .filter(function (x) { return x.value > 0; })}]};
    }
    return {tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 48, right: 48, top: 32, bottom: 28},
      xAxis: {type: "category", data: counties.map(function (c) { return c.name; })},
      yAxis: [{type: "value", name: "件"}, {type: "value", name: "万人成讼率", splitLine: {show: false}}],
      series: [{type: "bar", name: "纠纷登记", data: counties.map(function (c) { return c.disputes; }), cursor: "pointer"},
               {type: "line", name: "万人成讼率", yAxisIndex: 1, data: counties.map(function (c) { return c.rate; })}]};
  }

  drillChart = make("chart-drill", areaChart());
  if (drillChart && !countyLevel) {
    drillChart.on("click", function (p) {
      var c = counties[p.dataIndex];
      var link = c && document.querySelector('a[data-county="' + c.code + '"]');
      if (link) { location.href = link.href; }
    });
  }

  function esc(text) {
    var d = document.createElement("div"); d.textContent = String(text); return d.innerHTML;
  }

  function showTownship(code) {
    var picker = document.getElementById("pick-township");
    if (picker && picker.value !== code) { picker.value = code; }
    var trendNode = document.getElementById("chart-drill-trend");
    if (!code) {
      summary.innerHTML = summaryHome; title.textContent = titleHome; crumb.textContent = "";
      drillChart.setOption(withBase(areaChart()), true); trendNode.hidden = true;
      return;
    }
    var tile = map.tiles.filter(function (t) { return t.code === code; })[0];
    var t = data.townships[code] || {disputes: 0, registrations: 0, settled: 0, failed: 0, categories: {},
                                     months: data.months.map(function () { return 0; }), mediation: "—"};
    title.textContent = tile.name;
    crumb.textContent = " › " + tile.county + " › " + tile.name;
    var cats = Object.keys(t.categories).map(function (k) { return [k, t.categories[k]]; })
      .sort(function (a, b) { return b[1] - a[1]; });
    summary.innerHTML = '<table class="table" id="drill-table"><caption>' + esc(tile.county + " · " + tile.name) +
      "</caption><tbody>" +
      "<tr><th scope=\"row\">纠纷登记（件）</th><td data-drill=\"disputes\">" + t.disputes + "</td></tr>" +
      "<tr><th scope=\"row\">一审民事立案（件）</th><td data-drill=\"registrations\">" + t.registrations + "</td></tr>" +
      "<tr><th scope=\"row\">非诉调解成功率</th><td data-drill=\"mediation\">" + esc(t.mediation) + "（" + t.settled + "/" +
      (t.settled + t.failed) + "）</td></tr>" +
      "<tr><th scope=\"row\">主要纠纷类别</th><td data-drill=\"categories\">" +
      (cats.length ? cats.slice(0, 3).map(function (c) { return esc(c[0]) + " " + c[1]; }).join("、") : "—") +
      "</td></tr></tbody></table>";
    drillChart.setOption(withBase({tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], name: "纠纷类别",
      label: {formatter: "{b} {c}"}, data: cats.map(function (c) { return {name: c[0], value: c[1]}; })}]}), true);
    document.getElementById("chart-drill").setAttribute("aria-label", tile.name + "纠纷类别分布（数字见上表）");
    trendNode.hidden = false;
    trendNode.setAttribute("aria-label", tile.name + "月度纠纷登记：" + data.trend.labels.map(function (l, i) {
      return l + t.months[i] + "件"; }).join("，"));
    if (!drillTrend) { drillTrend = make("chart-drill-trend", {}); }
    drillTrend.resize();
    drillTrend.setOption(withBase({tooltip: {trigger: "axis"}, grid: {left: 36, right: 12, top: 24, bottom: 24},
      legend: {top: 0}, xAxis: {type: "category", data: data.trend.labels},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "line", name: "纠纷登记", data: t.months}, {type: "line", name: "一审民事立案", data: t.registrations_months}]}), true);
  }
  window.suyuanShowTownship = showTownship;
  if (tileChart) { tileChart.on("click", function (p) { showTownship(p.data.tile.code); }); }
  var picker = document.getElementById("pick-township");
  if (picker) { picker.addEventListener("change", function () { showTownship(picker.value); }); }

  // --- trend and breakdowns -----------------------------------------------------------------------
  make("chart-trend", {tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 40, right: 16, top: 32, bottom: 28},
    xAxis: {type: "category", data: data.trend.labels}, yAxis: {type: "value", minInterval: 1},
    series: [{type: "line", name: "纠纷登记", data: data.trend.disputes},
             {type: "line", name: "上年同月", data: data.trend.last_year, lineStyle: {type: "dashed"}},
             {type: "line", name: "一审民事立案", data: data.trend.registrations}]});
  make("chart-categories", {tooltip: {trigger: "item"},
    grid: {left: 96, right: "45%", top: 8, bottom: 24},
    xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", inverse: true, data: data.categories.labels},
    series: [{type: "bar", name: "纠纷类别", data: data.categories.values},
             {type: "pie", name: "来源渠道", center: ["80%", "50%"], radius: ["22%", "40%"], label: {formatter: "{b}\n{c}", fontSize: 11},
              data: data.channels.labels.map(function (l, i) { return {name: l, value: data.channels.values[i]}; })
                .filter(function (x) { return x.value > 0; })}]});

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
})();
