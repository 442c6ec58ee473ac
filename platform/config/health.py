"""Probes and the metrics endpoint, answered before anything looks at the Host header.

- ``/healthz``: the process is alive. No database, no cache: 200 ``ok``.
- ``/readyz``: the database answers, Redis answers (where ``REDIS_URL`` is set) and a huey
  consumer ran its heartbeat task no more than ``KARYALAY_HEARTBEAT_MAX_AGE`` seconds ago (60 by
  default). 200 with JSON when all hold; 503 with JSON naming each dependency that is down.
  ``/readyz?without=consumer`` leaves the heartbeat out (the web pods' readiness probe).
- ``/metrics``: Prometheus' text (config.metrics) for a request that carries
  ``Authorization: Bearer <KARYALAY_METRICS_TOKEN>``; 404 for any other (no token configured, a
  missing or wrong one), so the public hosts show nothing.

Kubernetes probes a pod by its IP and Prometheus scrapes it so: a Host that is no district and
not in ALLOWED_HOSTS. ``ProbeMiddleware`` therefore goes before the district middleware (which
resolves the Host, and where Django's ALLOWED_HOSTS check runs) and answers these three exact
paths by itself, on any Host; every other path goes on to the host check as before, so a pod IP
gets nothing else.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from prometheus_client import CONTENT_TYPE_LATEST

from config.heartbeat import heartbeat_age
from config.metrics import exposition

logger = logging.getLogger(__name__)

PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def database_check(using=None) -> str | None:
    """None when the database answers ``SELECT 1`` (on ``using``, a connection; the default one
    unless given); else what went wrong."""
    from django.db import connection

    try:
        with (using or connection).cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"
    return None


def redis_check() -> str | None:
    """None when Redis answers PING, or when none is configured (the queue is then SQLite)."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"
    return None


def consumer_check() -> str | None:
    """None when a consumer's heartbeat is recent enough."""
    limit = settings.KARYALAY_HEARTBEAT_MAX_AGE
    age = heartbeat_age()
    if age is None:
        return "no heartbeat from any huey consumer"
    if age > limit:
        return f"last heartbeat {age:.0f} s ago (limit {limit} s)"
    return None


CHECKS = {"database": database_check, "redis": redis_check, "consumer": consumer_check}


def readiness(without: frozenset[str] = frozenset()) -> tuple[bool, dict[str, str]]:
    results = {}
    for name, check in CHECKS.items():
        if name in without:
            continue
        problem = check()
        if name == "redis" and problem is None and not getattr(settings, "REDIS_URL", ""):
            results[name] = "not configured"
        else:
            results[name] = problem or "ok"
    ready = all(value in ("ok", "not configured") for value in results.values())
    return ready, results


def _plain(text: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response


def healthz_response() -> HttpResponse:
    return _plain("ok")


def readyz_response(request) -> HttpResponse:
    # ?without=consumer: the web pods' readiness probe. A dead worker must not take every web pod
    # out of service (pages still work; tasks wait in the queue): the full /readyz is for
    # monitoring, the worker's own liveness check restarts it (manage.py consumer_alive).
    without = frozenset(request.GET.get("without", "").split(",")) & frozenset(CHECKS)
    ready, checks = readiness(without)
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if not ready:
        body["down"] = sorted(name for name, value in checks.items() if value not in ("ok", "not configured"))
    response = HttpResponse(json.dumps(body), content_type="application/json", status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response


def metrics_authorised(request) -> bool:
    token = settings.KARYALAY_METRICS_TOKEN
    if not token:
        return False
    given = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.encode())


def metrics_response(request) -> HttpResponse:
    if not metrics_authorised(request):
        return HttpResponseNotFound("Not found", content_type="text/plain")
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class ProbeMiddleware:
    """Answers /healthz, /readyz and /metrics on any Host (see the module docstring).

    Goes before ``tenants.middleware.DistrictMiddleware``, the first middleware that reads the
    Host; after the request log (config.logging_requests) and the CSP header middleware, which
    read no Host either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path not in PROBE_PATHS:
            return self.get_response(request)
        request.probe = True
        if request.method not in ("GET", "HEAD"):
            response = _plain("Method not allowed", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        if path == "/healthz":
            return healthz_response()
        if path == "/readyz":
            return readyz_response(request)
        return metrics_response(request)
