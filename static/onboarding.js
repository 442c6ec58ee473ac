/* State console, onboarding a district: follow provisioning until it is done or has failed.
   The first values come from the page (templates/state_admin/districts/onboarding.html). */
(function () {
  "use strict";
  var box = document.getElementById("onboarding"), bar = document.getElementById("bar");
  if (!box) return;
  var labels = {done: box.dataset.labelDone, failed: box.dataset.labelFailed};
  function paint(p) {
    bar.max = p.total || 1; bar.value = p.done || 0;
    var steps = p.steps || [], reached = steps.indexOf(p.step);
    document.querySelectorAll("#steps li").forEach(function (li, i) {
      li.className = p.state === "done" || i < reached ? "done" : (i === reached ? (p.state === "failed" ? "failed" : "current") : "");
    });
    document.getElementById("state").textContent = labels[p.state] || p.label || "";
    var err = document.getElementById("error"); err.textContent = p.error || ""; err.hidden = !p.error;
    document.getElementById("next").hidden = p.state !== "done";
    document.getElementById("retry").hidden = p.state !== "failed";
    return p.state === "done" || p.state === "failed";
  }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (p) { if (!paint(p)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  var steps = [];
  document.querySelectorAll("#steps li").forEach(function (li) { steps.push(li.dataset.step); });
  paint({
    state: box.dataset.state,
    step: box.dataset.step,
    steps: steps,
    done: Number(box.dataset.done),
    total: Number(box.dataset.total),
    error: document.getElementById("error").textContent
  });
  if (box.dataset.state !== "done" && box.dataset.state !== "failed") poll();
})();
