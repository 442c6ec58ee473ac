"""The district URLs plus two pages with nothing of their own, for bench/efile.py's floor rows: what
any signed-in page costs before its own work.

- ``bench-floor/``: the session, the account and every middleware, then a few bytes (no template);
- ``bench-base/``: the same, then the base layout with an empty body (its context processors, the
  e-File navigation and its header counts), as every district page renders it.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls_district import urlpatterns as district_urlpatterns

EMPTY = '{% extends "base.html" %}{% block content %}<h1>-</h1>{% endblock %}'


@login_required
def floor(request):
    return HttpResponse(request.user.login_id, content_type="text/plain")


@login_required
def base(request):
    return HttpResponse(engines["django"].from_string(EMPTY).render({}, request))


urlpatterns = [path("bench-floor/", floor), path("bench-base/", base), *district_urlpatterns]
