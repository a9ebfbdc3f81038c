// The inbox page: new notices appear at the top without reloading (short polling, no libraries).
(function () {
  "use strict";
  var list = document.getElementById("notice-list");
  var live = document.getElementById("notice-live");
  if (!list) { return; }
  var latest = parseInt(list.getAttribute("data-latest") || "0", 10);
  var url = list.getAttribute("data-feed");
  function item(n) {
    var li = document.createElement("li");
    li.className = "unread";
    li.setAttribute("data-id", String(n.id));
    var title = document.createElement("strong");
    title.textContent = n.title;
    var badge = document.createElement("span");
    badge.className = "badge warn";
    badge.textContent = "未读";
    var at = document.createElement("span");
    at.className = "help";
    at.textContent = " " + n.at;
    var body = document.createElement("div");
    body.textContent = n.body;
    var link = document.createElement("a");
    link.href = n.link;
    link.textContent = "查看纠纷 " + n.number;
    li.append(title, " ", badge, at, body, link);
    return li;
  }
  function poll() {
    if (document.hidden) { return; }
    fetch(url + "?after=" + latest, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var empty = document.getElementById("notice-empty");
        data.items.forEach(function (n) {
          if (n.id <= latest || list.querySelector('[data-id="' + n.id + '"]')) { return; }
          if (empty) { empty.remove(); empty = null; }
          list.insertBefore(item(n), list.firstChild);
          latest = n.id;
        });
        if (data.items.length && live) { live.hidden = false; live.textContent = "收到 " + data.items.length + " 条新消息"; }
      })
      .catch(function () { /* the next poll tries again */ });
  }
  window.setInterval(poll, 3000);
  document.addEventListener("visibilitychange", poll);
})();
