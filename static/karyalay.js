/* Behaviour every page may use. Loaded from a file: the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";
  // <button type="button" data-print>: prints the page (was onclick="window.print()").
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) window.print();
  });
})();
