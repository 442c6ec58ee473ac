/* Resumable uploads for the forms that hold templates/core/uploads/_resumable.html.
 *
 * On sending the form, each chosen file is hashed (SHA-256, SubtleCrypto) and sent through tus
 * (static/vendor/tus, loaded only then) in 256 KB chunks, with progress, time left and a cancel
 * button; the form's buttons are disabled meanwhile. A dropped link is waited out and the upload
 * goes on from the last byte the server holds; after a reload, choosing the same file again
 * resumes it (tus keeps the upload's URL in localStorage under a fingerprint that names the
 * person, the host and the file's hash: another person on a shared PC never resumes it). When
 * every file is on the server, the form is sent with hidden "resumable-<field>" inputs in place of
 * the files, and the server hands them to the same checks as a plain upload. Without this script
 * (or without SubtleCrypto) the form sends its files as before.
 */
(function () {
  "use strict";
  if (window.karyalayResumable) return;
  window.karyalayResumable = true;
  if (!window.crypto || !window.crypto.subtle || !window.File || !File.prototype.arrayBuffer) return;

  var CHUNK = 256 * 1024;
  var WAITS = [1000, 2000, 4000, 8000, 10000];
  var tusLoading = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }

  function size(n) {
    if (n >= 1024 * 1024) return (n / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(n / 1024)) + " KB";
  }

  function duration(seconds) {
    seconds = Math.max(1, Math.round(seconds));
    if (seconds < 60) return seconds + " s";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min " + (seconds % 60) + " s";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function loadTus(src) {
    if (window.tus) return Promise.resolve(window.tus);
    if (!tusLoading) {
      tusLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.tus); };
        script.onerror = function () { tusLoading = null; reject(new Error("tus")); };
        document.head.appendChild(script);
      });
    }
    return tusLoading;
  }

  function sha256(file) {
    return file.arrayBuffer().then(function (buffer) {
      return crypto.subtle.digest("SHA-256", buffer);
    }).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  function prefixOf(box) {
    return "tus::karyalay|" + box.dataset.person + "|" + location.host + "|";
  }

  // After a reload: name the uploads of this person on this host that can go on.
  function showResumable(form, box) {
    var note = form.querySelector(".upload-resume");
    if (!note) return;
    var lines = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key.indexOf(prefixOf(box)) !== 0) continue;
        var entry = JSON.parse(localStorage.getItem(key));
        var name = entry && entry.metadata && entry.metadata.filename;
        if (name) lines.push(fill(box.dataset.resumable, { name: name, total: size(entry.size || 0) }));
      }
    } catch (error) { return; }
    if (lines.length) {
      note.textContent = lines.join(" ");
      note.hidden = false;
    }
  }

  function Run(form, box) {
    this.form = form;
    this.box = box;
    this.bar = box.querySelector("progress");
    this.status = box.querySelector(".upload-status");
    this.uploads = [];
    this.cancelled = false;
    this.timer = null;
  }

  Run.prototype.say = function (text) { this.status.textContent = text; };

  Run.prototype.lock = function (locked) {
    var buttons = this.form.querySelectorAll("button[type=submit], input[type=submit]");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = locked;
    this.box.hidden = !locked;
    this.form.setAttribute("aria-busy", locked ? "true" : "false");
  };

  Run.prototype.progress = function (done, total) {
    var now = Date.now();
    if (!this.startedAt) { this.startedAt = now; this.startedBytes = done; }
    var percent = total ? Math.floor((100 * done) / total) : 0;
    var rate = (done - this.startedBytes) / Math.max(1, (now - this.startedAt) / 1000);
    this.bar.value = percent;
    this.say(fill(this.box.dataset.sending, {
      percent: percent,
      done: size(done),
      total: size(total),
      left: rate > 0 ? duration((total - done) / rate) : "…"
    }));
  };

  // One file through tus; resolves with the upload's id once the server holds it whole.
  Run.prototype.send = function (tus, file, hash, before, total) {
    var run = this;
    var box = this.box;
    var token = this.form.querySelector("input[name=csrfmiddlewaretoken]");
    return new Promise(function (resolve, reject) {
      if (run.cancelled) return;
      var failures = 0;
      var upload = new tus.Upload(file, {
        endpoint: box.dataset.endpoint,
        chunkSize: CHUNK,
        retryDelays: null,
        metadata: { filename: file.name, filetype: file.type || "", sha256: hash },
        headers: { "X-CSRFToken": token ? token.value : "", "Upload-File-Sha256": hash },
        fingerprint: function () {
          return Promise.resolve(prefixOf(box).slice(5) + hash + "|" + file.size);
        },
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onProgress: function (sent) { run.progress(before + sent, total); },
        onChunkComplete: function () { failures = 0; },
        onSuccess: function () {
          resolve(upload.url.replace(/\/+$/, "").split("/").pop());
        },
        onError: function (error) {
          if (run.cancelled) return;
          var response = error.originalResponse;
          var status = response ? response.getStatus() : 0;
          var retry = status === 0 || status >= 500 || status === 409 || status === 423;
          if (retry && failures < 3 + (status === 0 || status >= 500 ? Infinity : 0)) {
            var wait = WAITS[Math.min(failures, WAITS.length - 1)];
            failures += 1;
            var held = upload._offset || 0;
            run.say(fill(box.dataset.waiting, { done: size(before + held), total: size(total) }));
            var again = function () {
              window.removeEventListener("online", again);
              clearTimeout(run.timer);
              if (!run.cancelled) upload.start();
            };
            window.addEventListener("online", again);
            run.timer = setTimeout(again, wait);
            return;
          }
          var reason = response && response.getBody() ? response.getBody() : String(error.message || error);
          reject(new Error(reason));
        }
      });
      run.uploads.push(upload);
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    });
  };

  Run.prototype.start = function (inputs) {
    var run = this;
    var box = this.box;
    var files = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) { files.push({ input: input, file: file }); });
    });
    var total = files.reduce(function (sum, item) { return sum + item.file.size; }, 0);
    this.lock(true);
    this.bar.value = 0;
    var ids = [];
    var before = 0;
    var chain = loadTus(box.dataset.tus);
    files.forEach(function (item) {
      chain = chain.then(function (tus) {
        run.say(fill(box.dataset.hashing, { name: item.file.name }));
        return sha256(item.file).then(function (hash) {
          return run.send(tus, item.file, hash, before, total);
        }).then(function (id) {
          before += item.file.size;
          ids.push({ field: item.input.name, id: id });
          return tus;
        });
      });
    });
    chain.then(function () {
      if (run.cancelled) return;
      run.bar.value = 100;
      run.say(box.dataset.saving);
      ids.forEach(function (entry) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "resumable-" + entry.field;
        hidden.value = entry.id;
        run.form.appendChild(hidden);
      });
      inputs.forEach(function (input) { input.disabled = true; }); // the bytes are on the server
      run.form.submit();
    }, function (error) {
      if (run.cancelled) return;
      run.stop(fill(box.dataset.failed, { reason: error.message }));
    });
  };

  Run.prototype.stop = function (message) {
    this.ended = true;
    clearTimeout(this.timer);
    this.lock(false);
    this.box.hidden = false;
    this.box.querySelector(".upload-cancel").hidden = true;
    this.bar.hidden = true;
    this.say(message);
  };

  Run.prototype.cancel = function () {
    this.cancelled = true;
    this.uploads.forEach(function (upload) { upload.abort(true).catch(function () {}); });
    this.stop(this.box.dataset.cancelled);
  };

  function setUp(form) {
    var box = form.querySelector(".upload-progress");
    if (!box || form.dataset.resumableReady) return;
    form.dataset.resumableReady = "1";
    showResumable(form, box);
    var current = null;
    box.querySelector(".upload-cancel").addEventListener("click", function () {
      if (current && !current.ended) current.cancel();
    });
    form.addEventListener("submit", function (event) {
      var inputs = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (input) {
        return !input.disabled && input.files && input.files.length;
      });
      if (!inputs.length || !form.checkValidity()) return; // the browser or the server says what is missing
      event.preventDefault();
      if (current && !current.ended) return; // a second click while sending does nothing
      box.querySelector(".upload-cancel").hidden = false;
      box.querySelector("progress").hidden = false;
      current = new Run(form, box);
      current.start(inputs);
    });
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) { setUp(form); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
