"""Costs as districts multiply: provisioning, a migration with nothing to apply, and the rollup.

    make bench BENCH=bench/districts.py BENCH_ARGS="-n 40 --migrate-baseline --save /tmp/at40.json"
    make bench BENCH=bench/districts.py BENCH_ARGS="-n 1000 --against /tmp/at40.json"

Works in a database of its own (DATABASE_URL's name with ``_bench_districts``), kept between runs
(``--fresh`` drops it first): districts are made once through ``district_provision`` (what the
state console runs) until there are ``-n`` of them, which takes long at 1,000 (``--grow-only``
makes them and measures nothing). Then, beside each baseline:

- provisioning: seconds a district for ``--probe`` (5) more districts, removed afterwards, by
  cloning the template (the baseline) and from spare schemas made beforehand, as the periodic
  task keeps them; and what one spare costs to make in the background;
- ``migrate_schemas`` with nothing to apply, in all (``--migrate-baseline``: also with migrate
  run in every schema, as before);
- the rollup: a full pass (the baseline), the periodic pass after ``--changed`` (40) districts had
  something change (an officer's active day), and the periodic pass after nothing changed.

``--save`` keeps the figures and ``--against`` prints a saved run (another size) beside them
with the ratio. The load average is printed with them.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "platform", ROOT / "bench"):
    sys.path.insert(0, str(folder))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _db import bench_database  # noqa: E402

PREFIX = "bench-many"


def _slug(i: int) -> str:
    return f"{PREFIX}-{i:04d}"


def _grow_to(count: int, *, workers: int = 1) -> None:
    """Provision districts through ``district_provision`` until there are ``count``: the whole
    service (District row, schema cloned from the template, domain, starting data), in
    ``workers`` processes at once, each taking every ``workers``-th missing slug."""
    from tenants.models import District

    have = set(District.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", flat=True))
    missing = [i for i in range(count) if _slug(i) not in have]
    if not missing:
        return
    print(f"  making {len(missing)} districts in {workers} process(es)", flush=True)
    started = time.perf_counter()
    if workers <= 1:
        _grow_slice(missing)
        return
    from django.db import connections

    connections.close_all()
    children = [
        subprocess.Popen(  # noqa: S603 (this script, with numbers it chose)
            [sys.executable, __file__, "--grow-slice", ",".join(str(i) for i in missing[k::workers])],
        )
        for k in range(workers)
    ]
    failed = [child.args for child in children if child.wait() != 0]
    if failed:
        raise SystemExit(f"{len(failed)} grow process(es) failed")
    print(f"  {len(missing)} districts made in {time.perf_counter() - started:.0f} s", flush=True)


def _grow_slice(numbers: list[int]) -> None:
    """Provision the districts numbered ``numbers``, printing the pace every 50 with the
    database backend's CPU seconds a district (which the machine's load does not inflate)."""
    from django.db import connection

    from state_admin.services.provisioning import DistrictSpec, district_provision

    cpu_before, last = _backend_cpu(connection), time.perf_counter()
    for done, i in enumerate(numbers, 1):
        district_provision(spec=DistrictSpec(slug=_slug(i), name=f"Many {i}", name_hi=f"अनेक {i}"))
        if done % 50 == 0:
            cpu_now, now = _backend_cpu(connection), time.perf_counter()
            print(
                f"  [{os.getpid()}] {done} of {len(numbers)} made, last 50: {(now - last) / 50:.2f} s "
                f"a district, database CPU {(cpu_now - cpu_before) / 50:.3f} s a district "
                f"(load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
            cpu_before, last = cpu_now, now


def _backend_cpu(connection) -> float:
    """CPU seconds the database server's process of ``connection`` has used (0 where the server
    is not on this machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _provision_probe(n: int, *, spares: bool, statements: list | None = None) -> list[float]:
    """Seconds a district for ``n`` districts provisioned (and then removed): from spare schemas
    cloned beforehand (as the periodic task keeps them ready), or by cloning the template. With
    ``statements``, the number of SQL statements each sent is appended to it (round trips: on
    a shared machine each waits its turn for a CPU, so they, more than CPU, make the wall time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants import schemas
    from tenants.models import District

    for name in schemas._spares(schemas.SPARE_PREFIX):
        schemas.schema_drop(name)
    if spares:
        schemas.spares_fill(n)
    timings = []
    try:
        for i in range(n):
            spec = DistrictSpec(slug=f"bench-probe-{i}", name=f"Probe {i}", name_hi="परीक्षण")
            with CaptureQueriesContext(connection) as sent:
                started = time.perf_counter()
                district_provision(spec=spec)
                timings.append(time.perf_counter() - started)
            if statements is not None:
                statements.append(len(sent.captured_queries))
    finally:
        for district in District.objects.filter(slug__startswith="bench-probe-"):
            schemas.schema_drop(district.schema_name)
            district.domains.all().delete()
            district.delete()
    return timings


def _migrate_noop(*, every_schema: bool = False) -> float:
    """``migrate_schemas`` with nothing to apply; ``every_schema``: as before, migrate running in
    every district's schema (the baseline)."""
    from django.core.management import call_command

    from tenants import migration_executor

    current = migration_executor.schemas_current
    if every_schema:
        migration_executor.schemas_current = lambda names: set()
    try:
        started = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        return time.perf_counter() - started
    finally:
        migration_executor.schemas_current = current


def _change(districts: list) -> None:
    """Something a rollup counts changes in each of ``districts``: an officer's active day."""
    from core.models import ActiveDay
    from tenants.context import district_context
    from tenants.models import User

    person, _ = User.objects.get_or_create(login_id="bench.many.officer", defaults={"full_name": "Bench"})
    day = datetime.date.today() - datetime.timedelta(days=int(time.time()) % 60)
    for district in districts:
        with district_context(district.schema_name):
            ActiveDay.objects.get_or_create(person_id=person.pk, day=day)


def _rollup(changed: int) -> dict:
    """A full pass (every district, the baseline), then the periodic pass after ``changed``
    districts changed, then the periodic pass after nothing changed; and, of the periodic pass,
    what reading every district's change mark costs alone. The changes are made on a connection
    of their own, as a web worker makes them; a backend publishes the statistics counts it could
    not publish at once (it did less than 1 s before) 10 s after it goes idle: the pass starts
    11 s after the last change, and must refresh exactly the districts changed."""
    import threading

    from django.db import connection

    from state_admin.services.rollup import rollup_changes_seen, rollup_refresh
    from tenants.models import District

    started = time.perf_counter()
    rollup_refresh()
    full = time.perf_counter() - started
    sample = list(District.objects.filter(slug__startswith=f"{PREFIX}-").order_by("?")[:changed])

    def change() -> None:
        try:
            _change(sample)
        finally:
            connection.close()

    worker = threading.Thread(target=change)
    worker.start()
    worker.join()
    time.sleep(11)
    started = time.perf_counter()
    refreshed = rollup_refresh(changed_only=True)
    after_change = time.perf_counter() - started
    if refreshed != changed:
        raise SystemExit(f"the periodic pass refreshed {refreshed} districts, not the {changed} changed")
    started = time.perf_counter()
    idle_refreshed = rollup_refresh(changed_only=True)
    idle = time.perf_counter() - started
    names = list(District.objects.values_list("schema_name", flat=True))
    started = time.perf_counter()
    rollup_changes_seen(names)
    marks = time.perf_counter() - started
    return {
        "rollup_full": full,
        "rollup_changed": after_change,
        "rollup_idle": idle,
        "rollup_idle_refreshed": idle_refreshed,
        "rollup_marks": marks,
    }


def _user_update() -> tuple[int, float, float]:
    """What a sign-in's ``last_login`` update of an account costs: the triggers on tenants_user
    (two for each foreign key of every district's tables to it), and one UPDATE's wall and
    database CPU seconds (the median of 5, after one that builds the table's cache entry), in a
    transaction rolled back."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tenants.models import User

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'tenants_user'::regclass")
            triggers = cursor.fetchone()[0]
        person = User.objects.create(login_id="bench.many.update", full_name="Bench")
        User.objects.filter(pk=person.pk).update(last_login=timezone.now())
        walls, cpus = [], []
        for _ in range(5):
            cpu, started = _backend_cpu(connection), time.perf_counter()
            User.objects.filter(pk=person.pk).update(last_login=timezone.now())
            walls.append(time.perf_counter() - started)
            cpus.append(_backend_cpu(connection) - cpu)
        transaction.set_rollback(True)
    return triggers, statistics.median(walls), sum(cpus) / len(cpus)


def _measure(args) -> dict:
    from tenants import schemas
    from tenants.models import District

    figures = {"districts": District.objects.count()}
    parts = set(args.parts.split(","))
    if "provision" in parts:
        figures["provision_clone"] = statistics.median(_provision_probe(args.probe, spares=False))
        sent: list[int] = []
        spare = _provision_probe(args.probe, spares=True, statements=sent)
        figures["provision_spare"] = statistics.median(spare)
        figures["provision_spare_statements"] = statistics.median(sent)
        started = time.perf_counter()
        schemas.spares_fill(1)
        figures["spare_make"] = time.perf_counter() - started
    if "migrate" in parts:
        figures["migrate"] = _migrate_noop()
        if args.migrate_baseline:
            figures["migrate_every_schema"] = _migrate_noop(every_schema=True)
    if "rollup" in parts:
        figures.update(_rollup(args.changed))
    if "user" in parts:
        figures["user_triggers"], figures["user_update"], figures["user_update_cpu"] = _user_update()
    figures["load"] = os.getloadavg()
    return figures


ROWS = [
    ("provisioning, clone (baseline), s/district", "provision_clone"),
    ("provisioning, from a spare, s/district", "provision_spare"),
    ("  SQL statements it sends", "provision_spare_statements"),
    ("one spare cloned (background), s", "spare_make"),
    ("migrate, nothing to apply, s", "migrate"),
    ("migrate in every schema (baseline), s", "migrate_every_schema"),
    ("rollup, full pass (baseline), s", "rollup_full"),
    ("rollup, periodic pass, {changed} changed, s", "rollup_changed"),
    ("rollup, periodic pass, none changed, s", "rollup_idle"),
    ("  districts it refreshed", "rollup_idle_refreshed"),
    ("  reading every district's change mark, s", "rollup_marks"),
    ("triggers on tenants_user", "user_triggers"),
    ("an account's last_login UPDATE, s", "user_update"),
    ("  the same, database CPU s (/proc; 0.01 s ticks)", "user_update_cpu"),
]


def _print(figures: dict, against: dict | None, changed: int) -> None:
    head = f"at {figures['districts']} districts"
    print(
        f"\n{'':<46}{head:>18}" + (f"{'at ' + str(against['districts']):>18}{'ratio':>8}" if against else "")
    )
    for label, key in ROWS:
        if key not in figures:
            continue
        line = f"{label.format(changed=changed):<46}{figures[key]:18.3f}"
        if against and key in against:
            ratio = f"{figures[key] / against[key]:8.1f}" if against[key] else f"{'':>8}"
            line += f"{against[key]:18.3f}{ratio}"
        print(line)
    load = figures["load"]
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if against:
        print(f"(beside: load average {against['load'][0]:.2f} at the end of that run)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--districts", type=int, default=1000, help="grow to this many first")
    parser.add_argument("--probe", type=int, default=5, help="districts provisioned to time it")
    parser.add_argument("--changed", type=int, default=40, help="districts changed before a rollup pass")
    parser.add_argument("--migrate-baseline", action="store_true", help="also migrate every schema (slow)")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--parts", default="provision,migrate,rollup,user", help="what to measure (default: all of it)"
    )
    parser.add_argument("--grow-only", action="store_true", help="make the districts, measure nothing")
    parser.add_argument("--workers", type=int, default=2, help="processes provisioning at once (growing)")
    parser.add_argument("--grow-slice", help=argparse.SUPPRESS)
    parser.add_argument("--save", help="write the figures to a JSON file")
    parser.add_argument("--against", help="print a saved run's figures beside these")
    args = parser.parse_args()

    if args.grow_slice:  # a child of _grow_to: the database is set up already
        import django

        django.setup()
        _grow_slice([int(i) for i in args.grow_slice.split(",")])
        return 0
    bench_database("_bench_districts", fresh=args.fresh)
    _grow_to(args.districts, workers=args.workers)
    if args.grow_only:
        return 0
    figures = _measure(args)
    against = json.loads(Path(args.against).read_text()) if args.against else None
    _print(figures, against, args.changed)
    if args.save:
        Path(args.save).write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
