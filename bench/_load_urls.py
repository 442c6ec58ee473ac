"""The district URLs plus ``bench-ceiling/``: the least a signed-in page can be (the session, the
account and every middleware, then a few bytes), the stack's ceiling for bench/load.py."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from config.urls_district import urlpatterns as district_urlpatterns


@login_required
def ceiling(request):
    return HttpResponse(request.user.login_id, content_type="text/plain")


urlpatterns = [path("bench-ceiling/", ceiling), *district_urlpatterns]
