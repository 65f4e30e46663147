// The desk's keyboard path (progressive enhancement: the form works without it).
// - Enter in a search box picks the first result (waiting for a search that
//   is still on its way); with no result it moves on to the new-person form
//   (its first empty field). When the first person shares their name with
//   another on the list, Enter picks no one: it focuses the first and says
//   why, and the receptionist chooses.
// - Ctrl+Enter saves the request from anywhere in the form.
// - Only the chosen kind's fields (information / application) are shown.
// - After htmx swaps a region, focus goes where the server asks (data-focus).
// The script keeps to the desk form and the region each search box names
// (data-pick-first): what changes elsewhere the server sends (an added
// service clears the service search by an out-of-band swap; a picked person
// sends the desk:person-changed trigger), and the status region is
// portal.js's, asked to speak by the portal:announce event.
(function () {
  "use strict";

  var pending = null;   // the search box whose results should be picked on arrival
  var retries = 0;

  function regionOf(input) {
    return document.getElementById(input.getAttribute("data-pick-first"));
  }

  function isFresh(input, region) {
    return region !== null && region.getAttribute("data-query") === input.value.trim();
  }

  function firstEmpty(container) {
    var fields = container.querySelectorAll("input:not([type=hidden]), select, textarea");
    for (var i = 0; i < fields.length; i += 1) {
      if (!fields[i].value) { return fields[i]; }
    }
    return fields[0] || null;
  }

  function pickFirst(input) {
    var region = regionOf(input);
    if (!region) { return; }
    var first = region.querySelector("[data-pick]");
    if (first && first.hasAttribute("data-namesake")) {
      // Two people of the same name: never pick one silently. Focus the
      // first, say why; Enter on a button (or Tab to the next) chooses.
      first.focus();
      var note = region.querySelector("[data-namesakes-note]");
      if (note) { window.htmx.trigger(note, "portal:announce"); }
      return;
    }
    if (first) {
      // A search still queued from typing must not redraw the results under
      // the pick: it is dropped until the person types again.
      input.setAttribute("data-picked", "");
      window.htmx.trigger(input, "htmx:abort");
      first.click();
      return;
    }
    var empty = region.querySelector("[data-empty-focus]");
    if (empty) {
      var details = empty.closest("details");
      if (details) { details.open = true; }
      // The first field still empty: the names may be filled in from the search.
      var field = firstEmpty(empty);
      if (field) { field.focus(); }
    }
  }

  function showKind(form) {
    var checked = form.querySelector('input[name="kind"]:checked');
    if (!checked) { return; }
    form.querySelectorAll("[data-kind-section]").forEach(function (section) {
      section.hidden = section.getAttribute("data-kind-section") !== checked.value;
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) { return; }
    var target = event.target;
    var form = target.form || (target.closest && target.closest("form"));
    if (!form || !form.hasAttribute("data-desk-form")) { return; }

    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      var save = form.querySelector("[data-save]");
      if (save) { form.requestSubmit(save); }
      return;
    }
    if (!target.matches("[data-pick-first]") || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    if (!target.value.trim()) { return; }
    if (isFresh(target, regionOf(target)) && !target.classList.contains("htmx-request")) {
      pickFirst(target);
    } else {
      pending = target;
      retries = 0;
      window.htmx.trigger(target, "desk:search");
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    if (source && source.hasAttribute && source.hasAttribute("data-picked")) { event.preventDefault(); }
  });

  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-picked")) {
      event.target.removeAttribute("data-picked");
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.name === "kind" && target.form && target.form.hasAttribute("data-desk-form")) {
      showKind(target.form);
    }
    if (target.name === "new_village_id") {
      // The village rule may name another coordinator.
      document.body.dispatchEvent(new CustomEvent("desk:person-changed", {bubbles: true}));
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var focus = document.querySelector("[data-focus]");
    if (focus) {
      var selector = focus.getAttribute("data-focus");
      focus.removeAttribute("data-focus");
      var element = selector ? document.querySelector(selector) : null;
      if (element) { element.focus(); }
    }
    if (pending) {
      var waiting = pending;
      if (!document.body.contains(waiting)) {
        pending = null;
      } else if (isFresh(waiting, regionOf(waiting))) {
        pending = null;
        pickFirst(waiting);
      } else if (!waiting.classList.contains("htmx-request")) {
        retries += 1;
        if (retries > 3) { pending = null; } else { window.htmx.trigger(waiting, "desk:search"); }
      }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-desk-form]").forEach(function (form) {
      showKind(form);
      // With this script, Enter in a search box is handled above, so the
      // form's default button (Enter in any other text box) always saves.
      var button = form.querySelector("[data-default-button]");
      if (button) { button.value = "save"; }
    });
  });
}());
