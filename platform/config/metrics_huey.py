"""huey tasks logged and counted like requests: one line per outcome, with the task's id, name,
district and duration, and ``karyalay_huey_tasks_total{task,outcome}``.

huey sends its signals in the consumer's thread that runs the task: EXECUTING before it, then one
of COMPLETE, ERROR, RETRYING, … after it. The log context (config.logging_json.context) is set at
EXECUTING, so every line the task itself logs carries the task id too, and reset at the outcome.
"""

from __future__ import annotations

import contextvars
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from huey import signals
from huey.contrib.djhuey import HUEY

from config.logging_json import context
from config.metrics import PROVISIONING_RUNS, TASK_LATENCY, TASKS, exposition

logger = logging.getLogger("karyalay.tasks")

_started: contextvars.ContextVar[tuple[float, contextvars.Token] | None] = contextvars.ContextVar(
    "karyalay_task_started", default=None
)
# A district task's first argument is the district's schema name (tenants.tasks.district_task).
_SCHEMA = re.compile(r"[a-z][a-z0-9_]{1,62}")
PROVISIONING_TASKS = ("district_provision_task",)
_OUTCOMES = {
    signals.SIGNAL_COMPLETE: "complete",
    signals.SIGNAL_ERROR: "error",
    signals.SIGNAL_RETRYING: "retrying",
    signals.SIGNAL_EXPIRED: "expired",
    signals.SIGNAL_LOCKED: "locked",
    signals.SIGNAL_CANCELED: "canceled",
    signals.SIGNAL_REVOKED: "revoked",
    signals.SIGNAL_INTERRUPTED: "interrupted",
    signals.SIGNAL_TIMEOUT: "timeout",
}


def _task_context(task) -> dict:
    values = {"task_id": task.id, "task": task.name}
    first = task.args[0] if task.args else None
    if isinstance(first, str) and _SCHEMA.fullmatch(first) and first != "public":
        values["district"] = first
    return values


@HUEY.signal(signals.SIGNAL_EXECUTING)
def task_started(signal, task, *args) -> None:
    token = context.set(_task_context(task))
    _started.set((time.monotonic(), token))


@HUEY.signal(*_OUTCOMES)
def task_finished(signal, task, *args) -> None:
    outcome = _OUTCOMES[signal]
    started = _started.get()
    duration = time.monotonic() - started[0] if started else None
    TASKS.labels(task=task.name, outcome=outcome).inc()
    if duration is not None:
        TASK_LATENCY.labels(task=task.name).observe(duration)
    if task.name in PROVISIONING_TASKS and outcome in ("complete", "error"):
        PROVISIONING_RUNS.labels(outcome=outcome).inc()
    fields = {**_task_context(task), "outcome": outcome}
    if duration is not None:
        fields["duration_ms"] = round(duration * 1000, 1)
    level = logging.ERROR if outcome in ("error", "timeout") else logging.INFO
    error = args[0] if args and isinstance(args[0], BaseException) else None
    logger.log(
        level,
        "task %s %s",
        task.name,
        outcome,
        extra=fields,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )
    if started:
        try:
            context.reset(started[1])
        except ValueError:  # set in another context: leave it to that one
            context.set(None)
        _started.set(None)


_server_lock = threading.Lock()
_server: ThreadingHTTPServer | None = None


class _MetricsHandler(BaseHTTPRequestHandler):
    """GET /metrics with the bearer token (config.health.metrics_authorised's rule); else 404."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        import hmac

        from django.conf import settings

        token = settings.KARYALAY_METRICS_TOKEN
        scheme, _, given = self.headers.get("Authorization", "").partition(" ")
        allowed = (
            bool(token)
            and scheme.lower() == "bearer"
            and hmac.compare_digest(given.strip().encode(), token.encode())
        )
        if self.path != "/metrics" or not allowed:
            self.send_response(404)
            self.end_headers()
            return
        from django.db import connections

        try:
            body = exposition()
        finally:
            connections.close_all()  # this thread's connection (the audit figures) goes back
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # the scrapes are not news
        pass


def worker_metrics_serve(port: int, host: str = "0.0.0.0") -> ThreadingHTTPServer:  # noqa: S104
    """Serve the consumer's /metrics on ``port`` in a daemon thread (once per process)."""
    global _server
    with _server_lock:
        if _server is None:
            _server = ThreadingHTTPServer((host, port), _MetricsHandler)
            threading.Thread(target=_server.serve_forever, name="metrics", daemon=True).start()
            logger.info("worker metrics on port %s", _server.server_address[1])
        return _server


@HUEY.on_startup()
def worker_metrics_on_startup() -> None:
    """When the consumer starts (each of its workers calls this; the first one serves)."""
    from django.conf import settings

    port = settings.KARYALAY_WORKER_METRICS_PORT
    if port:
        worker_metrics_serve(port)
