"""One log line and the metrics of every request, under a request id.

The id is the client's or proxy's ``X-Request-ID`` where it is a plausible id (1–64 letters,
digits, ``-``, ``_``, ``.``; anything else is replaced, so a log line never carries what an
attacker put there), else a new one; the response returns it in ``X-Request-ID``. Every record
logged while the request runs carries it (config.logging_json.context), with the district and
the signed-in person's id once they are known.

The line (logger ``karyalay.requests``): method, path (never the query string: it may hold a
search for a name or a reset key), status, duration in ms, the view, the number of database
queries and the time spent in them (``sql_ms``, waiting for the server included), the CPU time of
the thread that answered (``cpu_ms``: what load on the machine does not stretch), the district's
schema and the user's id. Probes (/healthz, /readyz, /metrics) log at
DEBUG only.

Goes first in MIDDLEWARE: its clock and id cover every other middleware, the district
middleware's own pages included. It reads no Host header.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.db import connection

from config.logging_json import context
from config.metrics import DB_QUERIES, HTTP_LATENCY, HTTP_REQUESTS

logger = logging.getLogger("karyalay.requests")

# The request this thread (or task of an async server) is answering, for error reports
# (config.logging_sentry) that need its district and person.
current_request: contextvars.ContextVar = contextvars.ContextVar("karyalay_current_request", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_for(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _PLAUSIBLE_ID.fullmatch(given) else uuid.uuid4().hex


def user_id_of(request) -> int | None:
    """The signed-in person's id, without a query: only if authentication already loaded them."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or type(wrapped).__name__ == "object":  # a lazy user nobody looked at
        return None
    return getattr(wrapped, "pk", None) if getattr(wrapped, "is_authenticated", False) else None


def district_of(request) -> str:
    tenant = getattr(request, "tenant", None)
    schema = getattr(tenant, "schema_name", None)
    return schema or "-"


def view_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "probe" if getattr(request, "probe", False) else "-"
    return match.view_name or match._func_path


class _QueryCounter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


class RequestLogMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        token = context.set({"request_id": request_id})
        request_token = current_request.set(request)
        started, cpu_started = time.monotonic(), time.thread_time()
        queries = _QueryCounter()
        try:
            with connection.execute_wrapper(queries):
                response = self.get_response(request)
        except Exception:
            context.reset(token)
            current_request.reset(request_token)
            raise
        duration = time.monotonic() - started
        cpu = time.thread_time() - cpu_started
        response[REQUEST_ID_HEADER] = request_id
        try:
            self._record(request, response, duration, queries, cpu)
        finally:
            context.reset(token)
            current_request.reset(request_token)
        return response

    @staticmethod
    def _record(request, response, duration: float, queries: _QueryCounter, cpu: float) -> None:
        district, view = district_of(request), view_of(request)
        status = response.status_code
        HTTP_REQUESTS.labels(district=district, view=view, method=request.method, status=str(status)).inc()
        HTTP_LATENCY.labels(district=district, view=view).observe(duration)
        DB_QUERIES.labels(view=view).observe(queries.count)
        fields = {
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round(duration * 1000, 1),
            "view": view,
            "queries": queries.count,
            "sql_ms": round(queries.seconds * 1000, 1),
            "cpu_ms": round(cpu * 1000, 1),
            "district": district,
            "user_id": user_id_of(request),
        }
        if getattr(request, "probe", False):
            level = logging.DEBUG
        elif status >= 500:
            level = logging.ERROR
        elif status >= 400:
            level = logging.WARNING
        else:
            level = logging.INFO
        logger.log(level, "%s %s %s", request.method, request.path, status, extra=fields)
