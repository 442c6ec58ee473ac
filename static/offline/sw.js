/* Karyalay's service worker (issue 18.4): the officer's inbox and the files in it stay readable
   when the link drops. Served from /sw.js (core.offline.views) so that it covers the whole host.

   - Pages are fetched from the network first; only when that fails does the worker answer from
     its saved copy, with the banner "offline — showing what was saved at 4:03 p.m.". A page it
     did not save is answered with the saved "Reading offline" page saying so.
   - It saves only pages that carry <meta name="karyalay-offline" content="links">
     (core.templatetags.offline: the inbox, a file, a dak, a track, the reader), and of their
     links only those listed there and the page images they show, each fetched as the signed-in
     officer: what the server would not show them answers 404 or the sign-in page and is not
     saved. Two levels: the inbox, its files and dak, and each file's track and first pages.
   - Copies live in the cache "karyalay-offline-<id>", <id> being the signed-in session's random
     id that every page names (data-offline-account). A page naming another id, or none (the
     sign-in page), deletes the copies first: one person's pages are never served to another.
     Sign-out deletes everything twice over: offline.js tells the worker, and the response carries
     Clear-Site-Data. */
"use strict";

var PREFIX = "karyalay-offline-";
var FRESH_MS = 10 * 60 * 1000; // a linked page saved less than this ago is not fetched again
var MAX_SAVES = 150; // fetches in one saving run, whatever the inbox holds
// Page images are fetched after every page of the run, up to this many bytes a run (at 256 kbit/s
// about a minute); one version's page never changes, so the next run fetches only the rest.
var IMAGE_BYTES = 2 * 1024 * 1024;
var OFFLINE_GRACE_MS = 60 * 1000;

var account = null; // the id of the session whose copies the cache holds
var failedAt = 0; // when a page last failed to come from the network

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function ours(name) {
  return name.indexOf(PREFIX) === 0;
}

function forgetAll() {
  account = null;
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(ours).map(function (name) { return caches.delete(name); }));
  });
}

// Makes ``id`` the account whose copies are kept: any other's are deleted before anything is saved.
function accountUse(id) {
  account = id;
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return ours(name) && name !== PREFIX + id;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return caches.open(PREFIX + id);
  });
}

// The cache of the current account, or null (after a restart: the one cache of ours left).
function currentCache() {
  return caches.keys().then(function (names) {
    var mine = names.filter(ours);
    if (account) mine = mine.filter(function (name) { return name === PREFIX + account; });
    if (mine.length !== 1) return null;
    account = mine[0].slice(PREFIX.length);
    return caches.open(mine[0]);
  });
}

function unescapeHtml(text) {
  return text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function attribute(html, name) {
  var found = new RegExp("\\s" + name + '="([^"]*)"').exec(html);
  return found ? unescapeHtml(found[1]) : null;
}

function pageAccount(html) {
  var head = html.slice(0, 4000);
  return /<html[^>]*>/.test(head) ? attribute(/<html[^>]*>/.exec(head)[0], "data-offline-account") : null;
}

// The links a page asks to be saved with it, or null when the page is not to be saved.
function pageLinks(html) {
  var found = /<meta name="karyalay-offline" content="([^"]*)">/.exec(html);
  if (!found) return null;
  return unescapeHtml(found[1]).split(/\s+/).filter(Boolean);
}

// The page images a page shows (a paper's first page in the reader, the dak's scan thumbnail).
function pageImages(html) {
  var images = [];
  var pattern = /<img[^>]*\ssrc="(\/documents\/[^"]+\.png)"/g;
  var found;
  while ((found = pattern.exec(html))) images.push(unescapeHtml(found[1]));
  return images;
}

// The site's own static files a page or stylesheet uses (style, script, icon, fonts).
function staticLinks(text, base) {
  var links = [];
  var pattern = /(?:href|src)="(\/static\/[^"]+)"|url\(\s*["']?([^"')]+)["']?\s*\)/g;
  var found;
  while ((found = pattern.exec(text))) {
    var link = unescapeHtml(found[1] || found[2]);
    if (link.indexOf("data:") === 0) continue;
    var url = new URL(link, base);
    if (url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0) links.push(url.href);
  }
  return links;
}

function sameSite(link) {
  try {
    var url = new URL(link, self.location.origin);
    return url.origin === self.location.origin ? url.href : null;
  } catch (error) {
    return null;
  }
}

function stamped(response, body) {
  var headers = new Headers();
  headers.set("Content-Type", response.headers.get("Content-Type") || "application/octet-stream");
  headers.set("X-Karyalay-Saved-At", String(Date.now()));
  return new Response(body, { status: 200, headers: headers });
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

// One saving run: the page given, then its links, one at a time (a weak link is not flooded);
// the pages first (the notes and the track), their images last, within IMAGE_BYTES.
function Run(id, cache) {
  this.id = id;
  this.cache = cache;
  this.count = 0;
  this.seen = {};
  this.images = [];
  this.imageBytes = 0;
}

function isImage(link) {
  return /\.png(\?|$)/.test(link);
}

Run.prototype.finish = function () {
  var run = this;
  return run.images.reduce(function (chain, link) {
    return chain.then(function () {
      return run.imageBytes < IMAGE_BYTES ? run.link(link, 3) : null;
    });
  }, Promise.resolve());
};

Run.prototype.page = function (url, html, depth) {
  var run = this;
  var links = pageLinks(html);
  if (links === null) return Promise.resolve();
  var fallback = attribute(html.slice(0, 4000), "data-offline-page");
  var todo = staticLinks(html, url);
  var images = pageImages(html);
  if (depth < 2) {
    todo = todo.concat(links.filter(function (link) { return !isImage(link); }));
    images = images.concat(links.filter(isImage));
  }
  if (fallback) todo.push(fallback);
  run.images = run.images.concat(images);
  return run.cache.put(url, stamped({ headers: new Headers({ "Content-Type": "text/html; charset=utf-8" }) }, html))
    .then(function () {
      return todo.reduce(function (chain, link) {
        return chain.then(function () { return run.link(link, depth + 1); });
      }, Promise.resolve());
    });
};

Run.prototype.link = function (link, depth) {
  var run = this;
  var url = sameSite(link);
  if (!url || run.seen[url] || run.count >= MAX_SAVES || account !== run.id) return Promise.resolve();
  run.seen[url] = true;
  var path = new URL(url).pathname;
  var lasting = path.indexOf("/static/") === 0 || /\.png$/.test(path); // hashed, or one version's page
  return run.cache.match(url).then(function (saved) {
    if (saved) {
      var at = Number(saved.headers.get("X-Karyalay-Saved-At") || 0);
      if (lasting || Date.now() - at < FRESH_MS) return null;
    }
    run.count += 1;
    return fetch(url, { credentials: "same-origin", headers: { "X-Karyalay-Offline": "save" } });
  }).then(function (response) {
    if (!response || response.status !== 200 || response.redirected) return null;
    if (isHtml(response)) {
      return response.text().then(function (html) {
        // Saved only as the account the run is for: a page of anyone else is dropped.
        if (pageAccount(html) !== run.id) return null;
        return run.page(url, html, depth);
      });
    }
    if ((response.headers.get("Content-Type") || "").indexOf("text/css") === 0) {
      return response.text().then(function (css) {
        return run.cache.put(url, stamped(response, css)).then(function () {
          return staticLinks(css, url).reduce(function (chain, font) {
            return chain.then(function () { return run.link(font, depth + 1); });
          }, Promise.resolve());
        });
      });
    }
    return response.blob().then(function (body) {
      if (isImage(url)) run.imageBytes += body.size;
      return run.cache.put(url, stamped(response, body));
    });
  }).catch(function () { return null; });
};

// A page the officer opened, as the network gave it: its account decides whose cache it goes in.
function afterPage(url, response) {
  return response.text().then(function (html) {
    var id = pageAccount(html);
    if (!id) return forgetAll(); // signed out (the sign-in page): nobody's copies stay
    return accountUse(id).then(function (cache) {
      var run = new Run(id, cache);
      return run.page(url, html, 0).then(function () { return run.finish(); });
    });
  }).catch(function () { return null; });
}

function clockShown(ms, banner) {
  var zone = attribute(banner, "data-zone") || undefined;
  var parts = {};
  try {
    new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "2-digit", hour12: false, timeZone: zone })
      .formatToParts(new Date(ms)).forEach(function (part) { parts[part.type] = part.value; });
  } catch (error) {
    var at = new Date(ms);
    parts = { hour: String(at.getHours()), minute: ("0" + at.getMinutes()).slice(-2) };
  }
  var hour = Number(parts.hour) % 24;
  var words = hour < 12 ? attribute(banner, "data-am") : attribute(banner, "data-pm");
  return (hour % 12 || 12) + ":" + parts.minute + " " + (words || "");
}

// A saved page as served offline: the banner shown with the time it was saved.
function withBanner(saved, missing) {
  var at = Number(saved.headers.get("X-Karyalay-Saved-At") || Date.now());
  return saved.text().then(function (html) {
    html = html.replace(/<p class="offline-banner"([^>]*) hidden><\/p>/, function (whole, attributes) {
      var text = (attribute(attributes, "data-text") || "offline: %(time)s").replace("%(time)s", clockShown(at, attributes));
      return '<p class="offline-banner"' + attributes + ">" + escapeHtml(text) + "</p>";
    });
    if (missing) html = html.replace("data-offline-missing hidden", "data-offline-missing");
    return new Response(html, {
      status: 200,
      headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
    });
  });
}

function plainOffline() {
  return new Response(
    '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
      "<title>Offline · ऑफ़लाइन</title><h1>Offline · ऑफ़लाइन</h1>" +
      "<p>No connection, and nothing saved for reading offline.</p>" +
      '<p lang="hi">कनेक्शन नहीं है, और ऑफ़लाइन पढ़ने के लिए कुछ सहेजा नहीं गया है।</p></html>',
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } }
  );
}

function offlineAnswer(url) {
  return currentCache().then(function (cache) {
    if (!cache) return plainOffline();
    return cache.match(url).then(function (saved) {
      if (saved) return withBanner(saved, false);
      return cache.keys().then(function (requests) {
        var page = requests.filter(function (request) {
          return new URL(request.url).pathname === "/offline/";
        })[0];
        if (!page) return plainOffline();
        return cache.match(page).then(function (fallback) { return withBanner(fallback, true); });
      });
    });
  }).catch(plainOffline);
}

function navigate(event) {
  return fetch(event.request).then(function (response) {
    failedAt = 0;
    if (response.ok && isHtml(response)) event.waitUntil(afterPage(response.url || event.request.url, response.clone()));
    return response;
  }, function () {
    failedAt = Date.now();
    return offlineAnswer(event.request.url);
  });
}

function offlineNow() {
  return (self.navigator && self.navigator.onLine === false) || Date.now() - failedAt < OFFLINE_GRACE_MS;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
    return;
  }
  // Styles, scripts, fonts and page images come from the network as if the worker were not
  // there; only while offline are they answered from the saved copy.
  if (!offlineNow()) return;
  event.respondWith(fetch(request).catch(function () {
    return currentCache().then(function (cache) {
      return cache ? cache.match(request.url) : null;
    }).then(function (saved) {
      return saved || Response.error();
    });
  }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "signout" || data.type === "clear") {
    event.waitUntil(forgetAll());
  } else if (data.type === "page" && typeof data.account === "string" && typeof data.url === "string") {
    // A page the worker did not see load (the first one, before the worker took over): saved as
    // the link it is, fetched again as the officer.
    var url = sameSite(data.url);
    if (!url || !data.account) return;
    event.waitUntil(accountUse(data.account).then(function (cache) {
      var run = new Run(data.account, cache);
      return run.link(url, 0).then(function () { return run.finish(); });
    }));
  }
});
