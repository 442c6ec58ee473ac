"""Prometheus metrics (prometheus-client): what the processes count, and what a scrape computes.

Counted where it happens, in every web and worker process:

- ``karyalay_http_requests_total{district,view,method,status}`` and
  ``karyalay_http_request_duration_seconds{district,view}`` (config.logging_requests);
- ``karyalay_db_queries_per_request{view}``: queries one request made;
- ``karyalay_huey_tasks_total{task,outcome}`` and ``karyalay_huey_task_duration_seconds{task}``
  (config.metrics_huey), outcome ``complete``, ``error``, ``retrying``, ``expired``, ``locked``…;
- ``karyalay_provisioning_runs_total{outcome}``: district provisioning tasks by outcome;
- ``karyalay_audit_verifications_total{kind,result}``: every audit anchor written (each records
  one verification of a district's chain: hourly, by ``verify_audit``, or from a district page);
- ``karyalay_rate_limited_total{kind,scope}``: requests answered 429 (config.ratelimit).

Computed when scraped (``ScrapeCollector``, one process, a handful of queries):

- ``karyalay_huey_queue_depth`` and ``karyalay_huey_scheduled_tasks``;
- ``karyalay_huey_pending_tasks{task}``: the queue by task name (the first 10,000 messages);
- ``karyalay_ocr_backlog``: OCR tasks waiting in the queue;
- ``karyalay_consumer_heartbeat_age_seconds`` (config.heartbeat);
- ``karyalay_audit_chain_ok{district}``: 1 where the district's last anchor held, 0 where not.

The huey consumer counts its tasks in its own process: with ``KARYALAY_WORKER_METRICS_PORT``
set it serves the same ``/metrics`` (same token) on that port (config.metrics_huey).

Under gunicorn, several processes count: set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder the
processes share, emptied at start; deploy/gunicorn.conf.py) and ``/metrics`` adds up every
process's files (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import logging
import os

# Multiprocess mode writes into this folder from the first metric made: it must exist in every
# container the image runs (gunicorn empties and makes it at start; the worker, migrate and
# backup containers only need it to exist).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from config.heartbeat import heartbeat_age
from state_admin.models import AuditAnchor
from state_admin.services.audit_anchor import FAILED

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
QUERY_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)

HTTP_REQUESTS = Counter(
    "karyalay_http_requests",
    "Requests answered, by district, view and status",
    ["district", "view", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "karyalay_http_request_duration_seconds",
    "Time to answer a request",
    ["district", "view"],
    buckets=LATENCY_BUCKETS,
)
DB_QUERIES = Histogram(
    "karyalay_db_queries_per_request", "Database queries one request made", ["view"], buckets=QUERY_BUCKETS
)
TASKS = Counter("karyalay_huey_tasks", "huey tasks by name and outcome", ["task", "outcome"])
TASK_LATENCY = Histogram(
    "karyalay_huey_task_duration_seconds", "Time a huey task ran", ["task"], buckets=LATENCY_BUCKETS
)
PROVISIONING_RUNS = Counter(
    "karyalay_provisioning_runs", "District provisioning tasks by outcome", ["outcome"]
)
AUDIT_VERIFICATIONS = Counter(
    "karyalay_audit_verifications",
    "Audit chain verifications (anchors written) by kind and result",
    ["kind", "result"],
)
RATE_LIMITED = Counter("karyalay_rate_limited", "Requests refused with 429", ["kind", "scope"])

OCR_TASKS = ("document_ocr_task",)
_PENDING_READ_MAX = 10_000


class ScrapeCollector:
    """The figures that are read, not counted: the queue, the heartbeat, the audit chains."""

    def collect(self):
        yield from _queue_metrics()
        age = heartbeat_age()
        heartbeat = GaugeMetricFamily(
            "karyalay_consumer_heartbeat_age_seconds",
            "Seconds since a huey consumer last ran the heartbeat task (-1: never)",
        )
        heartbeat.add_metric([], -1 if age is None else age)
        yield heartbeat
        yield from _audit_metrics()


def _queue_metrics():
    from huey.contrib.djhuey import HUEY

    depth = GaugeMetricFamily("karyalay_huey_queue_depth", "Tasks waiting in the huey queue")
    scheduled = GaugeMetricFamily("karyalay_huey_scheduled_tasks", "Tasks scheduled for later")
    by_task = GaugeMetricFamily(
        "karyalay_huey_pending_tasks", "Waiting tasks by name (first 10,000 read)", labels=["task"]
    )
    ocr = GaugeMetricFamily("karyalay_ocr_backlog", "OCR tasks waiting in the queue")
    try:
        depth.add_metric([], HUEY.pending_count())
        scheduled.add_metric([], HUEY.scheduled_count())
        counts: dict[str, int] = {}
        for task in HUEY.pending(limit=_PENDING_READ_MAX):
            counts[task.name] = counts.get(task.name, 0) + 1
    except Exception:  # the queue is down: /readyz says so; the other figures still go out
        logger.warning("metrics: the huey queue could not be read", exc_info=True)
        return
    for name, count in sorted(counts.items()):
        by_task.add_metric([name], count)
    ocr.add_metric([], sum(counts.get(name, 0) for name in OCR_TASKS))
    yield from (depth, scheduled, by_task, ocr)


def _audit_metrics():
    from django.db import connection

    gauge = GaugeMetricFamily(
        "karyalay_audit_chain_ok",
        "1 where a district's last audit anchor held, 0 where not",
        labels=["district"],
    )
    try:
        connection.set_schema_to_public()
        latest = (
            AuditAnchor.objects.order_by("district_id", "-id")
            .distinct("district_id")
            .values_list("district__slug", "result")
        )
        for slug, result in latest:
            gauge.add_metric([slug], 0 if result in FAILED else 1)
    except Exception:
        logger.warning("metrics: the audit anchors could not be read", exc_info=True)
        return
    yield gauge


def audit_anchor_counted(sender, instance, created: bool, **kwargs) -> None:
    """post_save of AuditAnchor: one verification, by kind and result."""
    if created:
        AUDIT_VERIFICATIONS.labels(kind=instance.kind, result=instance.result).inc()


def exposition() -> bytes:
    """The text a scrape gets: every process's counters (multiprocess mode when
    PROMETHEUS_MULTIPROC_DIR is set, else this process's) and the scrape-time figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        for collector in list(REGISTRY._collector_to_names):
            registry.register(collector)
    registry.register(ScrapeCollector())
    return generate_latest(registry)
