/* Reading offline, the page's side (issue 18.4; the worker is static/offline/sw.js). Loaded only on
   pages of a signed-in officer on a district's host (base.html: data-offline-account).
   - registers the worker and tells it of the page when the worker did not see it load;
   - at sign-out, asks first when a note typed offline is not yet sent, then tells the worker and
     deletes the saved copies before the form goes;
   - the "Reading offline" page: how many pages are saved, and the button that clears them;
   - the file page: a note typed while offline is kept in this browser (localStorage, per person
     and file, with a random key) and shown again with "Send this note" when the link is back;
     the server writes a note once per key (core.efile.services.notes_once). */
(function () {
  "use strict";
  var root = document.documentElement;
  var account = root.getAttribute("data-offline-account");
  var person = root.getAttribute("data-offline-person");
  if (!account) return;
  var PREFIX = "karyalay-offline-";
  var NOTE_PREFIX = "karyalay-note:";
  var banner = document.getElementById("offline-banner");
  // Served from the worker's saved copy: the banner is shown.
  var fromCopy = !!(banner && !banner.hidden);
  var worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;

  function tell(message) {
    if (worker && worker.controller) worker.controller.postMessage(message);
  }

  function copiesDelete() {
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0; })
        .map(function (name) { return caches.delete(name); }));
    });
  }

  // Notes kept for another person at this browser go: they are never shown to this one.
  function notesOfOthersDelete() {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var name = localStorage.key(i);
        if (name && name.indexOf(NOTE_PREFIX) === 0 && name.indexOf(NOTE_PREFIX + person + ":") !== 0) {
          localStorage.removeItem(name);
        }
      }
    } catch (error) { /* storage off: nothing kept */ }
  }

  function register() {
    if (!worker || !window.isSecureContext) return;
    worker.register("/sw.js", { scope: "/" }).then(function () {
      return worker.ready;
    }).then(function (registration) {
      var saved = document.querySelector('meta[name="karyalay-offline"]');
      if (!fromCopy && saved && registration.active) {
        registration.active.postMessage({ type: "page", account: account, url: location.pathname + location.search });
      }
    }).catch(function () { /* no worker: the pages work as before */ });
  }

  function unsentNotes() {
    var count = 0;
    try {
      for (var i = 0; i < localStorage.length; i++) {
        if ((localStorage.key(i) || "").indexOf(NOTE_PREFIX + person + ":") === 0) count += 1;
      }
    } catch (error) { /* storage off: nothing kept */ }
    return count;
  }

  // Sign-out deletes the saved copies and the notes kept here (and the response's Clear-Site-Data
  // does too): a note not yet sent is asked about first.
  function signOutHook() {
    var forms = document.querySelectorAll("form[data-offline-signout]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        var form = event.currentTarget;
        if (form.getAttribute("data-offline-cleared")) return;
        event.preventDefault();
        if (unsentNotes() && !window.confirm(form.getAttribute("data-offline-unsent"))) return;
        tell({ type: "signout" });
        var done = function () {
          form.setAttribute("data-offline-cleared", "1");
          form.submit();
        };
        Promise.race([copiesDelete(), new Promise(function (resolve) { setTimeout(resolve, 1500); })]).then(done, done);
      });
    }
  }

  function statusPage() {
    var status = document.querySelector("[data-offline-status]");
    var button = document.querySelector("[data-offline-clear]");
    if (!status) return;
    function say(text) {
      status.textContent = "";
      var line = document.createElement("p");
      line.textContent = text;
      status.appendChild(line);
    }
    if (!window.caches || !worker) {
      say(status.getAttribute("data-unsupported"));
      return;
    }
    caches.has(PREFIX + account).then(function (has) {
      if (!has) return 0;
      return caches.open(PREFIX + account).then(function (cache) { return cache.keys(); }).then(function (keys) {
        return keys.filter(function (request) { return !/\/static\//.test(request.url); }).length;
      });
    }).then(function (count) {
      say(count ? status.getAttribute("data-some").replace("%(count)s", count) : status.getAttribute("data-none"));
    });
    if (button && !fromCopy) {
      button.hidden = false;
      button.addEventListener("click", function () {
        tell({ type: "clear" });
        copiesDelete().then(function () { say(status.getAttribute("data-cleared")); });
      });
    }
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function noteDrafts() {
    var form = document.getElementById("note-form");
    var template = document.getElementById("offline-note-panel");
    if (!form || !template || !person) return;
    var storeKey = NOTE_PREFIX + person + ":" + form.getAttribute("data-file");
    var textarea = form.elements.body;
    var keyInput = document.createElement("input");
    keyInput.type = "hidden";
    keyInput.name = "client_key";
    form.appendChild(keyInput);

    function load() {
      try { return JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (error) { return null; }
    }
    function store(draft) {
      try { localStorage.setItem(storeKey, JSON.stringify(draft)); } catch (error) { /* full: sent as typed */ }
    }
    function drop() {
      try { localStorage.removeItem(storeKey); } catch (error) { /* nothing kept */ }
    }

    var draft = load();
    // The server has it already (a note of this person with the key is on the page): done.
    if (draft && document.querySelector('[data-client-key="' + String(draft.key).replace(/[^A-Za-z0-9-]/g, "") + '"]')) {
      drop();
      draft = null;
    }

    var panel = null;
    function show(state) {
      if (!panel) {
        panel = template.content.firstElementChild.cloneNode(true);
        form.parentNode.insertBefore(panel, form);
        panel.querySelector("[data-offline-send]").addEventListener("click", send);
        panel.querySelector("[data-offline-discard]").addEventListener("click", function (event) {
          if (!window.confirm(event.currentTarget.getAttribute("data-confirm"))) return;
          drop();
          draft = null;
          panel.remove();
          panel = null;
        });
      }
      var line = panel.querySelector(".offline-draft-state");
      line.textContent = line.getAttribute("data-" + state);
      panel.querySelector(".offline-draft-body").textContent = draft.body;
      panel.querySelector("[data-offline-send]").disabled = false;
    }

    // The officer confirmed: sent as the form, with the draft's key, once the host answers.
    function send() {
      var button = panel.querySelector("[data-offline-send]");
      button.disabled = true;
      fetch("/sw.js", { method: "HEAD", cache: "no-store", credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("no answer");
        textarea.value = draft.body;
        keyInput.value = draft.key;
        form.setAttribute("data-offline-sending", "1");
        form.submit();
      }).catch(function () {
        show("failed");
      });
    }

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-offline-sending")) return;
      var body = textarea.value;
      if (!body.trim()) return; // the server says what is wrong
      if (!draft || draft.body !== body) draft = { key: uuid(), body: body, at: Date.now() };
      keyInput.value = draft.key;
      store(draft); // kept until the page shows the note written, whatever happens to the request
      if (fromCopy || !navigator.onLine) {
        event.preventDefault();
        textarea.value = "";
        show("kept");
      }
    });

    if (draft) show(fromCopy || !navigator.onLine ? "kept" : "ready");
    window.addEventListener("online", function () { if (draft && panel) show("ready"); });
    window.addEventListener("offline", function () { if (draft && panel) show("kept"); });
  }

  function ready() {
    notesOfOthersDelete();
    register();
    signOutHook();
    statusPage();
    noteDrafts();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
