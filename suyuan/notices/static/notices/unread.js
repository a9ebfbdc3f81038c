// Unread counter in the top bar: short polling of /notices/feed.json, paused while the tab is hidden.
(function () {
  "use strict";
  var bell = document.querySelector(".notice-bell");
  var badge = document.getElementById("notice-unread");
  if (!bell || !badge) { return; }
  var url = bell.getAttribute("data-feed");
  function show(count) {
    badge.textContent = String(count);
    badge.hidden = count === 0;
    badge.setAttribute("aria-label", "未读消息 " + count + " 条");
  }
  function poll() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data.unread); document.dispatchEvent(new CustomEvent("notices:feed", { detail: data })); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }
  poll();
  window.setInterval(poll, 5000);
  document.addEventListener("visibilitychange", poll);
})();
