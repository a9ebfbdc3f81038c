// Workbench queue keyboard use (progressive enhancement: the page works without this file).
// j/k move the current row, x ticks it, Enter opens it, / goes to the search box, ? shows help.
(function () {
  "use strict";
  var table = document.getElementById("queue");
  var help = document.getElementById("shortcut-help");
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  var current = -1;
  var count = document.getElementById("bulk-count");

  function updateCount() {
    if (!count || !table) return;
    var n = table.querySelectorAll("input[name=item]:checked").length;
    count.textContent = n ? "已勾选 " + n + " 件" : "";
  }

  function move(to) {
    if (!rows.length) return;
    if (current >= 0) rows[current].classList.remove("current");
    current = Math.max(0, Math.min(rows.length - 1, to));
    var row = rows[current];
    row.classList.add("current");
    var link = row.querySelector("a");
    if (link) link.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" && target.type !== "checkbox" || tag === "SELECT" || tag === "TEXTAREA";
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (help && help.open) return;
    var key = e.key;
    if (key === "j") { move(current + 1); e.preventDefault(); }
    else if (key === "k") { move(current - 1); e.preventDefault(); }
    else if (key === "x" && current >= 0) {
      var box = rows[current].querySelector("input[name=item]");
      if (box) { box.checked = !box.checked; updateCount(); }
      e.preventDefault();
    } else if (key === "Enter" && current >= 0 && e.target.type === "checkbox") {
      var open = rows[current].querySelector("a");
      if (open) { window.location.href = open.href; e.preventDefault(); }
    } else if (key === "/") {
      var q = document.getElementById("id_q");
      if (q) { q.focus(); e.preventDefault(); }
    } else if (key === "?" && help && help.showModal) { help.showModal(); e.preventDefault(); }
  });

  rows.forEach(function (row, i) {
    row.addEventListener("focusin", function () {
      if (current >= 0 && current !== i) rows[current].classList.remove("current");
      current = i; row.classList.add("current");
    });
  });

  var all = document.getElementById("select-all");
  if (all && table) {
    all.addEventListener("change", function () {
      table.querySelectorAll("input[name=item]").forEach(function (b) { b.checked = all.checked; });
      updateCount();
    });
  }
  if (table) table.addEventListener("change", updateCount);
})();
