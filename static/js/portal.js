// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The page's polite status region belongs to this file: others ask it to
  // speak by an event.
  function announce(text) {
    var status = document.getElementById("status");
    if (!status || !text) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // Announce the new result count (or any region's data-announce text)
  // after an htmx swap.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    var source = target && (target.matches("[data-announce]") ? target : target.querySelector("[data-announce]"));
    if (source) { announce(source.getAttribute("data-announce")); }
  });

  // "portal:announce" on an element reads out its data-announce text, or its own text.
  document.addEventListener("portal:announce", function (event) {
    var source = event.target;
    announce((source.getAttribute && source.getAttribute("data-announce")) || source.textContent.trim());
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

  // On a phone the search facets fold away, so the results follow the
  // search box; they stay open while a filter is set. Without JavaScript
  // they are simply open.
  function foldOnNarrowScreens() {
    if (!window.matchMedia("(max-width: 40rem)").matches) { return; }
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      var filtered = Array.prototype.some.call(details.querySelectorAll("select, input"), function (field) {
        return field.type === "checkbox" || field.type === "radio" ? field.checked : field.value !== "";
      });
      if (!filtered) { details.open = false; }
    });
  }

  document.addEventListener("DOMContentLoaded", foldOnNarrowScreens);

  // A list of checkboxes with a filter box (data-filter-list="<list id>"):
  // the list narrows as one types, folded as portal/text.py folds
  // (data-filter-text holds each row's folded words); a checked box always
  // stays. Enter filters instead of posting. Without JavaScript the box's
  // button posts the form and the server narrows the list the same way.
  function fold(text) {
    return text.replace(/[łŁ]/g, "l").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^0-9a-z]+/g, " ").trim();
  }

  function filterList(input) {
    var list = document.getElementById(input.getAttribute("data-filter-list"));
    if (!list) { return; }
    var words = fold(input.value).split(" ").filter(Boolean);
    Array.prototype.forEach.call(list.querySelectorAll("[data-filter-text]"), function (row) {
      var text = row.getAttribute("data-filter-text");
      var box = row.querySelector("input[type=checkbox]");
      row.hidden = !(box && box.checked) && !words.every(function (word) { return text.indexOf(word) !== -1; });
    });
    var status = document.getElementById(input.id + "-status");
    if (status) { status.hidden = true; }  // the server's count, true only of the posted filter
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-filter-list]")) { filterList(event.target); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-filter-list]")) {
      event.preventDefault();
      filterList(event.target);
    }
  });

  // Move focus to an error summary when a form comes back invalid.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });

  // A data table wider than its column (a phone, a narrow window) is shown
  // one block per row, each cell led by its column's heading (portal.css,
  // .table[data-stacked]). Explicit roles keep it a table for screen readers
  // when its parts are displayed as blocks. The "js" class turns off the
  // fallback for pages without JavaScript (such a table scrolls on its own).
  document.documentElement.classList.add("js");
  var ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell" };

  function columnLabels(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var labels = [];
    if (!head) { return labels; }
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i += 1) { labels.push(cell.textContent.replace(/\s+/g, " ").trim()); }
    });
    return labels;
  }

  function label(table) {
    var labels = columnLabels(table);
    table.setAttribute("role", ROLES.TABLE);
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot, tr, td, th"), function (part) {
      if (part.closest("table") !== table) { return; }
      var role = part.tagName === "TH" ? (part.closest("thead") ? "columnheader" : "rowheader") : ROLES[part.tagName];
      part.setAttribute("role", role);
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var text = labels[column];
          if (text && cell.colSpan < labels.length) { cell.setAttribute("data-label", text); }
          if (!cell.textContent.trim() && !cell.querySelector("img, input, select, button")) {
            cell.setAttribute("data-blank", "");
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function fit(table) {
    table.removeAttribute("data-stacked");
    var parent = table.parentElement;
    var room = 0;
    if (parent) {
      // The parent's content box: its clientWidth counts its padding too.
      var style = window.getComputedStyle(parent);
      room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    }
    var wide = table.scrollWidth > table.clientWidth + 1 || (parent && table.offsetWidth > room + 1);
    if (wide) {
      label(table);
      table.setAttribute("data-stacked", "");
    }
  }

  // A table that scrolls in its own region by design (the monthly grid of
  // hours, data-scrolls) stays a table at any width.
  function fitTables() {
    document.querySelectorAll("table.table:not([data-scrolls])").forEach(fit);
  }

  var pending = false;
  function fitSoon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fitTables(); });
  }

  document.addEventListener("DOMContentLoaded", fitTables);
  document.addEventListener("htmx:afterSettle", fitTables);
  window.addEventListener("resize", fitSoon);
}());
