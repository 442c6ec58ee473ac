"""The service worker's script at the host's root, and the page about what is saved offline."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

SCRIPT = "offline/sw.js"


@lru_cache(maxsize=1)
def _script() -> bytes:
    found = finders.find(SCRIPT) or str(Path(settings.STATIC_ROOT) / SCRIPT)
    try:
        return Path(found).read_bytes()
    except OSError:
        raise Http404 from None


@require_safe
def service_worker(request):
    """static/offline/sw.js served from ``/sw.js``, so that its scope can be the whole host (a
    worker controls only the pages under its script's folder, or what Service-Worker-Allowed
    grants). ``no-cache``: the browser asks again at every update check, so a changed worker is
    taken up at once. The script holds no data: anyone may fetch it."""
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def offline_page(request):
    """What this browser keeps for reading offline, and a button to clear it. The worker also
    serves this page, saved, in place of a page that was not saved."""
    return render(request, "core/offline/page.html")
