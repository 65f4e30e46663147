// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Announce the new result count (or any region's data-announce text) in
  // the page's polite status region after an htmx swap.
  document.addEventListener("htmx:afterSettle", function (event) {
    var status = document.getElementById("status");
    if (!status) { return; }
    var target = event.detail && event.detail.elt;
    var source = target && (target.matches("[data-announce]") ? target : target.querySelector("[data-announce]"));
    if (source) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = source.getAttribute("data-announce"); }, 50);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });

  // Move focus to an error summary when a form comes back invalid.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
}());
