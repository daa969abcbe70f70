// Torget: small enhancements of pages that work without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary so screen-reader and keyboard users meet the errors first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Links in the error summary: focus the field, not only scroll to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
  });
})();
