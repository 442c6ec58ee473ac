"""Audit appends under concurrency: the district-wide lock of before, and the lock-free append with
the sealer running beside it now, side by side in one district.

    make bench BENCH=bench/audit.py
    make bench BENCH=bench/audit.py BENCH_ARGS="--threads 1 8 16 --seconds 5"

Works in a database of its own (DATABASE_URL's name with ``_bench_audit`` appended, kept between
runs; ``--fresh`` drops it first) holding one district. Each of N threads, on its own connection,
repeats what a file page does: in one transaction, read the target's last 20 events, then append
one. "lock" is the append as it was before issue 16 (``pg_advisory_xact_lock`` per district, read
the newest hash, insert the chained event: every append in the district waits for the one before
it to commit); "no lock" is ``core.base.audit.audit_append`` (one INSERT) with the sealer
(``core.base.audit.sealer.audit_seal_loop``, a pass every 2 s) chaining events in a thread of its own.
Prints events per second, p50 and p95 of one append's transaction, the ratio to the lock, and after
the lock-free run how many events were still unsealed when the threads stopped, how long the last
seal took, and whether the whole chain verifies.
"""

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench._db import bench_database  # noqa: E402
from bench._timing import quantile_ms  # noqa: E402

SLUG = "bench-audit"


def _district():
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants.models import District

    district = District.objects.filter(slug=SLUG).first()
    if district is None:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Bench Audit", name_hi="बेंच ऑडिट", range_name="Tirhut")
        )
    return district


def _append_locked(*, summary: str, target_id: str) -> None:
    """The append as it was: the district's lock, the newest hash, the chained insert."""
    from django.db import connection
    from django.utils import timezone

    from core.base.audit import GENESIS, _lock_key, event_content, event_hash
    from core.models import AuditEvent

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(connection.schema_name)])
    head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    seq, prev = head or (0, GENESIS)
    event = AuditEvent(
        at=timezone.now(),
        person_login="system",
        action="bench.view",
        target_type="efile",
        target_id=target_id,
        summary=summary,
        details={},
        seq=seq + 1,
        prev_hash=prev,
    )
    event.hash = event_hash(prev, event_content(event))
    event.save(force_insert=True)


def _append_free(*, summary: str, target_id: str) -> None:
    from core.base.audit import audit_append

    audit_append(actor=None, action="bench.view", target_type="efile", target_id=target_id, summary=summary)


def _run(schema: str, *, threads: int, seconds: float, append) -> tuple[int, list[float]]:
    from django.db import connection, transaction

    from core.models import AuditEvent
    from tenants.context import district_context

    start = threading.Barrier(threads + 1, timeout=60)
    durations: list[list[float]] = [[] for _ in range(threads)]

    def worker(n: int) -> None:
        try:
            with district_context(schema):
                start.wait()
                deadline = time.monotonic() + seconds
                i = 0
                while time.monotonic() < deadline:
                    target = str((n * 7919 + i) % 500)
                    began = time.perf_counter()
                    with transaction.atomic():
                        list(
                            AuditEvent.objects.filter(target_type="efile", target_id=target)
                            .order_by("-id")
                            .values_list("id", "action")[:20]
                        )
                        append(summary=f"thread {n} event {i}", target_id=target)
                    durations[n].append(time.perf_counter() - began)
                    i += 1
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    start.wait()
    for thread in workers:
        thread.join()
    flat = [d for per in durations for d in per]
    return len(flat), flat


def _sealer(schema: str, stop: threading.Event) -> threading.Thread:
    from django.db import connection

    from core.base.audit import audit_seal
    from tenants.context import district_context

    def loop() -> None:
        try:
            with district_context(schema):
                while not stop.wait(2.0):
                    audit_seal()
        finally:
            connection.close()

    thread = threading.Thread(target=loop)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8, 16])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    # A connection for every thread, the sealer and the main thread (the pool would make the
    # threads queue for connections, which is not what is measured here).
    os.environ["KARYALAY_DB_POOL_MAX"] = str(max(args.threads) + 2)
    bench_database("_bench_audit", fresh=args.fresh)
    from core.base.audit import audit_seal, audit_verify
    from tenants.context import district_context

    schema = _district().schema_name
    with district_context(schema):
        audit_seal()
    print(f"one district, {os.cpu_count()} cores; each thread: read 20 events + append, one transaction")
    print(f"{'threads':>7} | {'mode':<8} | {'events/s':>9} | {'p50 ms':>7} | {'p95 ms':>7} | ratio to lock")
    print("-" * 66)
    for threads in args.threads:
        count, lock_times = _run(schema, threads=threads, seconds=args.seconds, append=_append_locked)
        lock_rate = count / args.seconds
        print(
            f"{threads:>7} | {'lock':<8} | {lock_rate:>9.0f} | {quantile_ms(lock_times, 50):>7.1f} | "
            f"{quantile_ms(lock_times, 95):>7.1f} | 1.00"
        )
        stop = threading.Event()
        sealer = _sealer(schema, stop)
        count, free_times = _run(schema, threads=threads, seconds=args.seconds, append=_append_free)
        stop.set()
        sealer.join()
        free_rate = count / args.seconds
        print(
            f"{threads:>7} | {'no lock':<8} | {free_rate:>9.0f} | {quantile_ms(free_times, 50):>7.1f} | "
            f"{quantile_ms(free_times, 95):>7.1f} | {free_rate / lock_rate:.2f}"
        )
        with district_context(schema):
            began = time.perf_counter()
            left = audit_seal()
            sealed_in = time.perf_counter() - began
            result = audit_verify()
        print(
            f"{'':>7}   after: {left} events unsealed when the threads stopped, sealed in "
            f"{sealed_in * 1000:.0f} ms; chain {'OK' if result.ok else 'BROKEN'} "
            f"({result.count} events, {result.unsealed} unsealed)"
        )


if __name__ == "__main__":
    main()
