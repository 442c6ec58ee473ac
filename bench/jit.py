"""JIT on or off for this workload: statements a district's pages and tasks run, each timed with
PostgreSQL's JIT at the server defaults and with JIT off, side by side.

    make bench BENCH=bench/jit.py
    make bench BENCH=bench/jit.py BENCH_ARGS="--events 400000 --runs 7"

Works in bench/audit.py's database (DATABASE_URL's name with ``_bench_audit``), in its district,
topped up to ``--events`` audit events (written with SQL, then sealed). For each statement: the
median wall time over ``--runs`` runs with ``jit = on`` (jit_above_cost 100,000 and the other
thresholds at their defaults) and with ``jit = off``, the ratio, and from EXPLAIN ANALYZE how long
JIT compilation took and whether the planner chose it. Statements whose estimated cost stays
under the thresholds are unaffected; those above pay the compilation on every execution.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench._db import bench_database  # noqa: E402

STATEMENTS = {
    "audit page: newest 50 of an action": (
        "SELECT id, at, person_login, action, target_type, target_id, summary FROM core_auditevent "
        "WHERE action LIKE 'efile.%%' ORDER BY id DESC LIMIT 50"
    ),
    "a file's history (indexed)": (
        "SELECT id, at, action FROM core_auditevent WHERE target_type = 'efile' AND target_id = '42' "
        "ORDER BY id DESC LIMIT 20"
    ),
    "activity by action (rollup)": "SELECT action, count(*) FROM core_auditevent GROUP BY action",
    "officers active in 30 days": (
        "SELECT person_login, count(*), max(at) FROM core_auditevent "
        "WHERE at > now() - interval '30 days' GROUP BY person_login ORDER BY 2 DESC LIMIT 20"
    ),
    "free-text summary match": (
        "SELECT count(*) FROM core_auditevent WHERE summary ILIKE '%%मुहर%%' OR target_id = '7'"
    ),
}
# Statements as the search runs them (core.search.query): table scans off, so that the GIN
# indexes are used. Where no index serves a condition the table is scanned all the same, at the
# planner's penalty cost for a disabled plan, which passes every JIT threshold whatever the rows.
SCANS_OFF = ("a file's history (indexed)", "activity by action (rollup)", "free-text summary match")

TOP_UP = """
INSERT INTO core_auditevent (at, person_id, person_login, post_id, action, target_type, target_id,
                             summary, details, ip)
SELECT now() - (n || ' seconds')::interval, n %% 40, 'officer' || (n %% 40), n %% 60,
       (ARRAY['efile.view', 'efile.send', 'receipt.view', 'search.run', 'note.add'])[1 + n %% 5],
       'efile', (n %% 5000)::text, 'event ' || n, '{}'::jsonb, NULL
FROM generate_series(1, %s) AS n
"""


def _timed(
    cursor, statement: str, jit: str, runs: int, *, scans_off: bool = False
) -> tuple[float, float, bool]:
    cursor.execute(f"SET jit = {jit}")
    cursor.execute(f"SET enable_seqscan = {'off' if scans_off else 'on'}")
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        cursor.execute(statement)
        cursor.fetchall()
        times.append(time.perf_counter() - began)
    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    jit_info = plan[0].get("JIT")
    compile_ms = jit_info["Timing"]["Total"] if jit_info else 0.0
    return statistics.median(times) * 1000, compile_ms, jit_info is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    bench_database("_bench_audit")
    from django.db import connection, transaction

    from bench.audit import _district
    from core.base.audit import audit_seal
    from core.models import AuditEvent
    from tenants.context import district_context

    with district_context(_district().schema_name):
        missing = args.events - AuditEvent.objects.count()
        if missing > 0:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(TOP_UP, [missing])
            audit_seal()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE core_auditevent")
            cursor.execute("SET jit = on")  # pg_jit_available() is false while jit is off
            cursor.execute("SELECT pg_jit_available(), current_setting('jit_above_cost')")
            available, above = cursor.fetchone()
            print(
                f"{AuditEvent.objects.count()} audit events in one district; JIT available: {available}, "
                f"jit_above_cost {above}; median of {args.runs} runs"
            )
            print(f"{'statement':<50} | {'JIT on ms':>9} | {'compile ms':>10} | {'JIT off ms':>10} | on/off")
            print("-" * 99)
            runs = [(name, statement, False) for name, statement in STATEMENTS.items()]
            runs += [(f"{name}, scans off", STATEMENTS[name], True) for name in SCANS_OFF]
            for name, statement, scans_off in runs:
                on_ms, compile_ms, used = _timed(cursor, statement, "on", args.runs, scans_off=scans_off)
                off_ms, _compile, _used = _timed(cursor, statement, "off", args.runs, scans_off=scans_off)
                note = "" if used else "  (under the thresholds: no JIT)"
                print(
                    f"{name:<50} | {on_ms:>9.1f} | {compile_ms:>10.1f} | {off_ms:>10.1f} | "
                    f"{on_ms / off_ms:>6.2f}{note}"
                )
            cursor.execute("RESET enable_seqscan")


if __name__ == "__main__":
    main()
