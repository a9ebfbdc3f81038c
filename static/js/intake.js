// Dispute intake: show the guided questions of the chosen category and estimate the court fee.
(function () {
  "use strict";
  var category = document.getElementById("id_category");
  function showGuide() {
    document.querySelectorAll(".guide").forEach(function (el) {
      el.hidden = !category || el.dataset.category !== category.value;
    });
  }
  if (category) { category.addEventListener("change", showGuide); showGuide(); }

  var amount = document.getElementById("id_amount");
  var box = document.getElementById("fee-estimate");
  var timer = null;
  function estimate() {
    if (!amount || !box) { return; }
    var value = amount.value.trim();
    if (!value) { box.textContent = ""; return; }
    fetch(box.dataset.url + "?amount=" + encodeURIComponent(value), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.error) { box.textContent = data.error; return; }
        box.textContent = "如起诉，预计案件受理费 " + data.full + " 元；" + data.half_grounds.join("、") +
          "的减半为 " + data.half + " 元（" + data.citation + "）。交费确有困难的，可以申请缓交、减交或免交（" +
          data.relief_citation + "）。非诉调解不收费。";
      })
      .catch(function () { box.textContent = ""; });
  }
  if (amount) {
    amount.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(estimate, 300); });
    estimate();
  }
})();
