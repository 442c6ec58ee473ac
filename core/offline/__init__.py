"""Reading offline (issue 18.4): a service worker (static/offline/sw.js) keeps the officer's inbox
and the files in it readable when the link drops; notes typed offline wait in the browser until
the officer confirms them (static/offline/offline.js, core.efile.services.notes_once).

What the server gives: the worker's script at the host's root (``views.service_worker``), a
random id per signed-in session that names the browser's cache (``account.offline_account``), the
marks on the pages to be saved (``core.templatetags.offline``) and Clear-Site-Data at sign-out
(``config.headers.PrivateCacheMiddleware``)."""
