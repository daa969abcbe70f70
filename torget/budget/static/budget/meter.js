// The ballot's budget meter, an enhancement of a form that works without JavaScript (the
// confirmation page shows the total): as the voter ticks projects, the meter and a polite
// live region say how much of the budget is left, or how much the choice is over it.
(function () {
  "use strict";
  var formatter = new Intl.NumberFormat("sv-SE");

  document.querySelectorAll("[data-budget-meter]").forEach(function (box) {
    var form = box.closest("form");
    if (!form) { return; }
    var amount = parseInt(box.dataset.amount, 10);
    var meter = box.querySelector("meter");
    var live = box.querySelector("[data-budget-left]");
    var boxes = form.querySelectorAll("input[type=checkbox][data-cost]");
    var lang = document.documentElement.lang || "sv";
    var words = lang.indexOf("en") === 0
      ? { left: "Left of the budget: ", over: "Over the budget by: ", kr: " kr" }
      : { left: "Kvar av budgeten: ", over: "Över budgeten med: ", kr: " kr" };

    function update() {
      var total = 0;
      boxes.forEach(function (input) {
        if (input.checked) { total += parseInt(input.dataset.cost, 10) || 0; }
      });
      var left = amount - total;
      meter.value = Math.max(left, 0);
      meter.textContent = formatter.format(Math.max(left, 0)) + words.kr;
      live.textContent = left >= 0
        ? words.left + formatter.format(left) + words.kr
        : words.over + formatter.format(-left) + words.kr;
    }

    boxes.forEach(function (input) { input.addEventListener("change", update); });
    box.hidden = false;
    update();
  });
})();
