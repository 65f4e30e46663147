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

  // A search form's fields follow its URL: after the back button restores a
  // page from htmx's history, refill the form from the address (the snapshot
  // was taken after the person had already typed the next query).
  function fillFromUrl(form) {
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit") { return; }
      var values = params.getAll(field.name);
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT") {
        field.value = values.length ? values[0] : "";
        if (field.selectedIndex === -1) { field.selectedIndex = 0; }
      } else {
        field.value = values.length ? values[0] : "";
      }
    });
  }

  document.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll("form[data-url-state]").forEach(fillFromUrl);
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
