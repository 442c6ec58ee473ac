/* Officer import pages (both consoles): follow the import's progress until it finishes.
   The first values come from the page (templates/imports/_progress.html), then from its JSON URL. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  function show(p) {
    document.getElementById("import-bar").value = p.percent;
    document.getElementById("import-percent").textContent = p.percent + "%";
    document.getElementById("import-done").textContent = p.done;
    document.getElementById("import-total").textContent = p.total;
    document.getElementById("import-status").textContent = p.status_label;
    if (!box.querySelector('li[data-step="' + p.step + '"]')) return;
    var reached = true;
    box.querySelectorAll("li[data-step]").forEach(function (li) {
      li.style.fontWeight = li.dataset.step === p.step ? "700" : "";
      li.style.color = reached && li.dataset.step !== p.step ? "#1a7f37" : "";
      if (li.dataset.step === p.step) reached = false;
    });
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      show(p);
      if (p.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  show({
    percent: Number(box.dataset.percent),
    done: Number(box.dataset.done),
    total: Number(box.dataset.total),
    step: box.dataset.step,
    status_label: box.dataset.statusLabel
  });
  if (box.dataset.finished !== "1") setTimeout(poll, 1000);
})();
