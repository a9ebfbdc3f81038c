// Draws the dashboard's charts with the vendored Chart.js; the same figures are in the tables.
(function () {
  var el = document.getElementById("chart-data");
  if (!el || typeof Chart === "undefined") { return; }
  var data = JSON.parse(el.textContent);
  var colours = ["#1f5fa8", "#f57c00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a",
                 "#ad1457", "#9e9d24", "#3949ab", "#00897b", "#5d4037", "#757575", "#283593"];
  function make(id, config) { var c = document.getElementById(id); if (c) { new Chart(c, config); } }
  make("chart-trend", {type: "line", data: {labels: data.trend.labels, datasets: [
    {label: "纠纷登记", data: data.trend.disputes, borderColor: colours[0]},
    {label: "上年同月", data: data.trend.last_year, borderColor: colours[7], borderDash: [4, 4]},
    {label: "一审民事立案", data: data.trend.registrations, borderColor: colours[1]}]},
    options: {animation: false, scales: {y: {beginAtZero: true}}}});
  make("chart-channels", {type: "bar", data: {labels: data.channels.labels, datasets: [
    {label: "纠纷登记", data: data.channels.values, backgroundColor: colours[0]}]},
    options: {animation: false, indexAxis: "y", plugins: {legend: {display: false}}}});
  make("chart-categories", {type: "doughnut", data: {labels: data.categories.labels, datasets: [
    {data: data.categories.values, backgroundColor: colours}]}, options: {animation: false}});
})();
