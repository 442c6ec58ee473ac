"""Provisioning speed: cloning the template schema vs running every migration, side by side.

    make bench                       # 20 districts each way
    make bench BENCH_ARGS="-n 5"

Provisions N districts through ``district_provision`` by the clone path and N by the plain
migrations path (the baseline), in the same run against the same database, prints seconds per
district for each and the ratio, and then removes every district it made. For reference it also
runs the same service with django-tenants' PL/pgSQL ``clone_schema()`` doing the clone (which
installs that function, and its helper types, in the public schema of the database it runs on).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    from config import embedded_postgres

    embedded_postgres.start()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from state_admin.services.provisioning import DistrictSpec, district_provision  # noqa: E402
from tenants import schemas  # noqa: E402
from tenants.models import District  # noqa: E402


def _provision_with_clone_schema(prefix: str, count: int) -> list[float]:
    """For reference: the same service with django-tenants' PL/pgSQL clone_schema() doing the clone."""
    from django_tenants.clone import CloneSchema

    from state_admin.services import provisioning

    original = provisioning._step_schema, provisioning._step_clone
    provisioning._step_schema = lambda district, **_: False
    provisioning._step_clone = lambda district, use_template: CloneSchema().clone_schema(
        schemas.template_name(), district.schema_name, "DATA"
    )
    try:
        return _provision(prefix, count, use_template=True)
    finally:
        provisioning._step_schema, provisioning._step_clone = original


def _provision(prefix: str, count: int, *, use_template: bool) -> list[float]:
    timings = []
    for i in range(count):
        spec = DistrictSpec(slug=f"{prefix}-{i}", name=f"Bench {prefix} {i}", name_hi="परीक्षण")
        started = time.perf_counter()
        district_provision(spec=spec, use_template=use_template)
        timings.append(time.perf_counter() - started)
    return timings


def _cleanup(prefix: str) -> None:
    for district in District.objects.filter(slug__startswith=f"{prefix}-"):
        schemas.schema_drop(district.schema_name)
        district.domains.all().delete()
        district.delete()


def _describe(label: str, timings: list[float]) -> str:
    return (
        f"{label:<22} {statistics.mean(timings):7.3f} s/district   median {statistics.median(timings):6.3f}"
        f"   min {min(timings):6.3f}   max {max(timings):6.3f}   (n={len(timings)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=20, help="districts per path (default 20)")
    args = parser.parse_args()

    schemas.template_ensure_current()
    tables = len(connection.introspection.get_table_list(connection.cursor()))
    prefixes = ("bench-clone", "bench-migrate", "bench-plpgsql")
    for prefix in prefixes:
        _cleanup(prefix)
    try:
        clone = _provision("bench-clone", args.count, use_template=True)
        migrate = _provision("bench-migrate", args.count, use_template=False)
        plpgsql = _provision_with_clone_schema("bench-plpgsql", args.count)
    finally:
        for prefix in prefixes:
            _cleanup(prefix)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [schemas.template_name()])
        district_tables = cursor.fetchone()[0]
    print(
        f"Provisioning {args.count} districts each way; {district_tables} tables per district schema "
        f"(public schema: {tables} tables); PostgreSQL {connection.pg_version // 10000}"
    )
    print(_describe("clone (template DDL)", clone))
    print(_describe("migrations (baseline)", migrate))
    print(_describe("clone_schema() (ref.)", plpgsql))
    ratio = statistics.mean(migrate) / statistics.mean(clone)
    print(
        f"ratio: clone is {ratio:.1f}x faster than migrations (mean), "
        f"{statistics.median(migrate) / statistics.median(clone):.1f}x (median); "
        f"django-tenants' clone_schema() is {statistics.mean(migrate) / statistics.mean(plpgsql):.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
