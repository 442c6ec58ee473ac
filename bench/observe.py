"""What the operations layer costs per request (issue 19): one JSON log line through the context
and scrub filters, one rate-limit count in the cache (Redis where REDIS_URL is set), the
Prometheus counters of a request, and a /metrics scrape's text. Needs no database.

    .venv/bin/python bench/observe.py [--n 20000]
"""

import argparse
import io
import logging
import os
import sys
import time
from types import SimpleNamespace

_HERE = os.path.dirname(__file__)
sys.path[:0] = [os.path.join(_HERE, "..", "platform"), os.path.join(_HERE, "..")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KARYALAY_CACHE_PREFIX", f"bench-observe-{os.getpid()}")


def per_call(label: str, n: int, fn) -> None:
    started = time.perf_counter()
    for _ in range(n):
        fn()
    micro = (time.perf_counter() - started) / n * 1e6
    print(f"{label:<52} {micro:8.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    n = parser.parse_args().n
    import django

    django.setup()
    from django.conf import settings

    from config.logging_json import ContextFilter, JsonFormatter, ScrubFilter, context
    from config.metrics import DB_QUERIES, HTTP_LATENCY, HTTP_REQUESTS
    from config.ratelimit import rate_limit_hit

    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(ScrubFilter())
    log = logging.getLogger("bench.requests")
    log.handlers, log.propagate, log.level = [handler], False, logging.INFO
    context.set({"request_id": "0123456789abcdef0123456789abcdef"})
    fields = {
        "method": "GET",
        "path": "/files/12/",
        "status": 200,
        "duration_ms": 12.5,
        "view": "efile_file",
        "queries": 9,
        "district": "vaishali",
        "user_id": 42,
    }

    def log_line():
        log.info("%s %s %s", "GET", "/files/12/", 200, extra=fields)

    per_call("log line (context + scrub filters, JSON)", n, log_line)

    def counters():
        HTTP_REQUESTS.labels(district="vaishali", view="efile_file", method="GET", status="200").inc()
        HTTP_LATENCY.labels(district="vaishali", view="efile_file").observe(0.0125)
        DB_QUERIES.labels(view="efile_file").observe(9)

    per_call("Prometheus counters of one request", n, counters)
    request = SimpleNamespace(
        user=SimpleNamespace(pk=42, is_authenticated=True), headers={}, META={"REMOTE_ADDR": "10.0.0.9"}
    )
    settings.KARYALAY_RATE_LIMITS = {**settings.KARYALAY_RATE_LIMITS}
    backend = "Redis" if settings.REDIS_URL else "file cache"
    per_call(
        f"rate-limit count, user + address rules ({backend})",
        max(1, n // 10),
        lambda: rate_limit_hit(request, "search"),
    )
    from prometheus_client import REGISTRY, generate_latest

    size = len(generate_latest(REGISTRY))
    per_call(
        f"metrics text of this process ({size} bytes)", max(1, n // 100), lambda: generate_latest(REGISTRY)
    )


if __name__ == "__main__":
    main()
