/* Behaviour every page may use. Loaded from a file: the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";
  // <button type="button" data-print>: prints the page (was onclick="window.print()").
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) window.print();
  });

  // Every <input type="date"> says the day it holds in the pages' one form ("9 May 2025",
  // "9 मई 2025"): the browser's own picker writes it in the browser's locale (05/09/2025 in an
  // American one), which reads as another day. Empty, it shows an example in that form.
  function dateShown(value, lang) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    if (!parts) return "";
    var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
    return new Intl.DateTimeFormat(lang === "hi" ? "hi-IN" : "en-GB", {
      day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
    }).format(day);
  }
  function dateEcho() {
    var root = document.documentElement;
    var lang = root.lang;
    var example = root.getAttribute("data-date-example") || "";
    var inputs = document.querySelectorAll('input[type="date"]');
    for (var i = 0; i < inputs.length; i++) {
      (function (input, n) {
        var echo = document.createElement("small");
        echo.className = "muted date-echo";
        echo.id = (input.id || "date-input-" + n) + "-shown";
        echo.setAttribute("aria-live", "polite");
        input.insertAdjacentElement("afterend", echo);
        var described = input.getAttribute("aria-describedby");
        input.setAttribute("aria-describedby", described ? described + " " + echo.id : echo.id);
        function show() { echo.textContent = " " + (dateShown(input.value, lang) || example); }
        input.addEventListener("input", show);
        input.addEventListener("change", show);
        show();
      })(inputs[i], i);
    }
  }
  // On a phone a table's rows are stacked (karyalay.css, "Phone"): each cell names its column, taken
  // from the table's header, so no template repeats it. A cell that spans columns names none.
  function cellLabels() {
    var tables = document.querySelectorAll("main table");
    for (var t = 0; t < tables.length; t++) {
      var heads = tables[t].querySelectorAll("thead tr:last-child th");
      if (!heads.length) continue;
      var names = [];
      for (var h = 0; h < heads.length; h++) {
        for (var span = heads[h].colSpan || 1; span > 0; span--) names.push(heads[h].textContent.trim());
      }
      var rows = tables[t].querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if (cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan || 1;
        }
      }
    }
  }
  function ready() { dateEcho(); cellLabels(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
