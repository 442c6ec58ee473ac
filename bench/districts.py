"""Costs as districts multiply: provisioning, a migration with nothing to apply, and the rollup,
at 40 districts and at 1,000.

    make bench BENCH=bench/districts.py                          # grows to 1,000 districts (long, once)
    make bench BENCH=bench/districts.py BENCH_ARGS="-n 200"

Works in a database of its own (DATABASE_URL's name with ``_bench_districts``), kept between runs
(``--fresh`` drops it first): making 1,000 districts takes a long while, once. Districts are
provisioned through ``district_provision`` (what the state console runs) until there are
``--small`` (40) of them, then measured; then up to ``-n`` (1,000), then measured again:

- provisioning: seconds a district for ``--probe`` (5) more districts, removed afterwards;
- ``migrate_schemas`` with nothing to apply, in all;
- the rollup: a first pass over every district, then a pass after ``--changed`` (40) districts
  had something change (an officer's active day), then a pass after nothing changed.

Prints each figure at both sizes side by side with the ratio, and the machine's load average.
"""

import argparse
import datetime
import os
import statistics
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


def _grow_to(count: int) -> None:
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants.models import District

    have = District.objects.filter(slug__startswith=f"{PREFIX}-").count()
    started = time.perf_counter()
    for i in range(have, count):
        district_provision(spec=DistrictSpec(slug=_slug(i), name=f"Many {i}", name_hi=f"अनेक {i}"))
        if (i + 1) % 50 == 0:
            rate = (time.perf_counter() - started) / (i + 1 - have)
            print(f"  {i + 1} districts made ({rate:.2f} s a district so far)", flush=True)


def _provision_probe(n: int) -> list[float]:
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants import schemas
    from tenants.models import District

    timings = []
    try:
        for i in range(n):
            spec = DistrictSpec(slug=f"bench-probe-{i}", name=f"Probe {i}", name_hi="परीक्षण")
            started = time.perf_counter()
            district_provision(spec=spec)
            timings.append(time.perf_counter() - started)
    finally:
        for district in District.objects.filter(slug__startswith="bench-probe-"):
            schemas.schema_drop(district.schema_name)
            district.domains.all().delete()
            district.delete()
    return timings


def _migrate_noop() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    return time.perf_counter() - started


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


def _rollup(changed: int) -> tuple[float, float, float]:
    from state_admin.services.rollup import rollup_refresh
    from tenants.models import District

    started = time.perf_counter()
    rollup_refresh()
    first = time.perf_counter() - started
    districts = list(District.objects.filter(slug__startswith=f"{PREFIX}-").order_by("?")[:changed])
    _change(districts)
    started = time.perf_counter()
    rollup_refresh()
    after_change = time.perf_counter() - started
    started = time.perf_counter()
    rollup_refresh()
    return first, after_change, time.perf_counter() - started


def _measure(args) -> dict:
    from tenants.models import District

    probe = _provision_probe(args.probe)
    figures = {
        "districts": District.objects.count(),
        "provision": statistics.median(probe),
        "migrate": _migrate_noop(),
    }
    figures["rollup_first"], figures["rollup_changed"], figures["rollup_idle"] = _rollup(args.changed)
    figures["load"] = os.getloadavg()[0]
    print(f"  measured at {figures['districts']} districts: {figures}", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--districts", type=int, default=1000)
    parser.add_argument("--small", type=int, default=40)
    parser.add_argument("--probe", type=int, default=5, help="districts provisioned to time it")
    parser.add_argument("--changed", type=int, default=40, help="districts changed before a rollup pass")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--grow-only", action="store_true", help="make the districts, measure nothing")
    args = parser.parse_args()

    bench_database("_bench_districts", fresh=args.fresh)
    from tenants.models import District

    if args.grow_only:
        _grow_to(args.districts)
        return 0
    if District.objects.filter(slug__startswith=f"{PREFIX}-").count() > args.small:
        print(f"(more than {args.small} districts already: the small size is not measured again)")
        small = None
    else:
        _grow_to(args.small)
        small = _measure(args)
    _grow_to(args.districts)
    big = _measure(args)
    rows = [
        ("provisioning, s a district (median)", "provision"),
        ("migrate_schemas, nothing to apply, s", "migrate"),
        ("rollup, first pass, s", "rollup_first"),
        (f"rollup, {args.changed} districts changed, s", "rollup_changed"),
        ("rollup, nothing changed, s", "rollup_idle"),
        ("load average (1 min)", "load"),
    ]
    print(
        f"\n{'':<40}{'at ' + str(small['districts']) if small else '':>10}{'at ' + str(big['districts']):>10}"
    )
    for label, key in rows:
        left = f"{small[key]:10.3f}" if small else f"{'':>10}"
        ratio = f"   x{big[key] / small[key]:.1f}" if small and small[key] else ""
        print(f"{label:<40}{left}{big[key]:10.3f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
