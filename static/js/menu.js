// The collapsed navigation (templates/base.html): open on wide screens, closed on phones.
// Without JavaScript the <details> menu still opens and closes by tapping "菜单".
(function () {
  var menu = document.getElementById("menu");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 900px)");
  function sync() { menu.open = wide.matches; }
  sync();
  wide.addEventListener("change", sync);
})();
