/* Post pickers (<select data-post-picker>): a filter box before the list keeps the options whose
   post, office (the group's label) or holder contains every typed word. Without script the select
   works as it is. */
(function () {
  "use strict";
  function words(text) {
    return (text || "").toLocaleLowerCase().split(/\s+/).filter(Boolean);
  }
  function setUp(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "post-filter";
    box.placeholder = select.getAttribute("data-filter-label") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = words(box.value);
      var firstShown = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var group = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
        var hay = (option.text + " " + group).toLocaleLowerCase();
        var show = wanted.every(function (word) { return hay.indexOf(word) !== -1; });
        option.hidden = !show;
        option.disabled = !show;
        if (show && firstShown === null) firstShown = option;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      var current = select.options[select.selectedIndex];
      if (wanted.length && (!current || !current.value || current.hidden) && firstShown) {
        select.value = firstShown.value;
      }
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-post-picker]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
