"""State dashboard speed: one page load from the rollup vs computing the figures from every schema.

    make bench BENCH=bench/dashboard.py                        # 1,000 districts
    make bench BENCH=bench/dashboard.py BENCH_ARGS="--districts 100"

Works in a database of its own (the name of DATABASE_URL's, or the embedded default's, with
``_bench_dashboard`` appended), created and migrated when missing; the districts it makes are kept
for the next run (``--fresh`` drops the database first). Each district is a real schema cloned from
the template, with a few offices, readiness items, postings and active days over 12 weeks.

Prints the server time of a dashboard page load (median of several loads through the Django test
client, signed in as platform staff, full middleware), beside one pass of ``district_figures``
over every schema (what the page would cost if it queried the districts), and the ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The bench signs staff in with force_login; TOTP would need a device (DEBUG is on by default).
os.environ.setdefault("KARYALAY_RELAX_MFA", "1")
BENCH_SUFFIX = "_bench_dashboard"


def _setup(fresh: bool):
    from _db import bench_database

    bench_database(BENCH_SUFFIX, fresh=fresh)


def _districts(count: int) -> None:
    """Make the missing bench districts: a District row, a cloned schema and some data in each."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from core.models import ActiveDay, Office, Post, Posting, ReadinessItem
    from core.org.selectors.adoption import week_starts
    from tenants import schemas
    from tenants.context import district_context
    from tenants.models import District, PoliceRange, User

    ranges = [PoliceRange.objects.get_or_create(name=f"Bench range {i}")[0] for i in range(12)]
    people = list(User.objects.filter(login_id__startswith="bench.dash."))
    if len(people) < 40:
        User.objects.bulk_create(
            [User(login_id=f"bench.dash.{i}", password="!") for i in range(40)],  # noqa: S106 (unusable), ignore_conflicts=True
        )
        people = list(User.objects.filter(login_id__startswith="bench.dash."))
    existing = set(District.objects.filter(slug__startswith="bench-dash-").values_list("slug", flat=True))
    mondays = week_starts(weeks=12, today=timezone.localdate())
    items = ReadinessItem.Item.values
    made, started = 0, time.perf_counter()
    for i in range(count):
        slug = f"bench-dash-{i:04d}"
        if slug in existing:
            continue
        with transaction.atomic():
            district = District.objects.create(
                slug=slug,
                schema_name=f"bench_dash_{i:04d}",
                name=f"Bench district {i:04d}",
                name_hi=f"परीक्षण जिला {i}",
                police_range=ranges[i % len(ranges)],
                status=District.Status.SUSPENDED if i % 25 == 0 else District.Status.LIVE,
            )
            schemas.schema_create(district.schema_name)
            schemas.schema_clone_template(district.schema_name)
            with district_context(district.schema_name):
                statuses = ["live", "live", "preparing", "planned", "planned", "planned"]
                offices = Office.objects.bulk_create(
                    [
                        Office(code=f"o{n}", name=f"Office {n}", kind="thana", phase=1 + n // 2, status=s)
                        for n, s in enumerate(statuses[: 3 + i % 4])
                    ]
                )
                ReadinessItem.objects.bulk_create(
                    [
                        ReadinessItem(office=office, item=item, done=(n + i) % 3 != 0)
                        for office in offices
                        for n, item in enumerate(items)
                    ]
                )
                posts = Post.objects.bulk_create(
                    [Post(office=offices[0], code=f"p{n}", title=f"Post {n}", kind="other") for n in range(3)]
                )
                Posting.objects.bulk_create(
                    [Posting(post=post, person=people[(i + n) % len(people)]) for n, post in enumerate(posts)]
                )
                ActiveDay.objects.bulk_create(
                    [
                        ActiveDay(
                            person=people[(i + n) % len(people)], day=monday + datetime.timedelta(days=n % 5)
                        )
                        for w, monday in enumerate(mondays)
                        for n in range(w % 4 + 1)
                    ],
                    ignore_conflicts=True,
                )
        made += 1
        if made % 100 == 0:
            print(f"  made {made} districts ({time.perf_counter() - started:.0f} s)", flush=True)
    if made:
        print(f"made {made} districts in {time.perf_counter() - started:.1f} s")


def _figures_pass() -> tuple[float, int]:
    """What a dashboard that queried every schema would do: district_figures in each district."""
    from django.utils import timezone

    from core.org.selectors.adoption import district_figures
    from state_admin.services.rollup import STATUSES_WITH_SCHEMA
    from tenants.context import district_context
    from tenants.models import District

    started = time.perf_counter()
    districts = list(District.objects.filter(status__in=STATUSES_WITH_SCHEMA))
    live = 0
    for district in districts:
        with district_context(district.schema_name):
            live += district_figures(weeks=12, today=timezone.localdate())["offices_live"]
    return time.perf_counter() - started, len(districts)


def _page_loads(loads: int) -> tuple[list[float], int, int]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tenants.models import User

    password = "bench-dashboard-" + os.urandom(6).hex()
    staff, _ = User.objects.get_or_create(login_id="bench.dash.staff", defaults={"is_staff": True})
    staff.set_password(password)
    staff.save(update_fields=["password"])
    client = Client(HTTP_HOST=settings.ROOT_DOMAIN)
    signed_in = client.post("/accounts/login/", {"login": staff.login_id, "password": password})
    assert signed_in.status_code == 302, signed_in.status_code
    response = client.get("/")  # warm-up: templates, translations, connection
    assert response.status_code == 200, response.status_code
    timings = []
    for _ in range(loads):
        started = time.perf_counter()
        response = client.get("/")
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    return timings, len(response.content), len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=1000, help="districts in the rollup (default 1000)")
    parser.add_argument("--loads", type=int, default=9, help="dashboard loads to time (default 9)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    args = parser.parse_args()

    _setup(args.fresh)
    from django.db import connection

    from state_admin.models import AdoptionWeek, DistrictRollup
    from state_admin.services.rollup import rollup_refresh
    from tenants.models import District

    extra = District.objects.filter(
        slug__startswith="bench-dash-", slug__gte=f"bench-dash-{args.districts:04d}"
    )
    if extra.exists():
        print(f"note: {extra.count()} districts from a larger earlier run are in this database too")
    _districts(args.districts)

    started = time.perf_counter()
    refreshed = rollup_refresh()
    rollup_seconds = time.perf_counter() - started
    figures_seconds, schema_count = _figures_pass()
    timings, size, queries = _page_loads(args.loads)

    page = statistics.median(timings)
    print(
        f"Dashboard with {DistrictRollup.objects.count()} districts in the rollup "
        f"({AdoptionWeek.objects.count()} adoption weeks); PostgreSQL {connection.pg_version // 10000}"
    )
    print(
        f"dashboard page load (rollup)   median {page * 1000:8.1f} ms   min {min(timings) * 1000:.1f}  "
        f"max {max(timings) * 1000:.1f}  (n={len(timings)}, {size / 1024:.1f} KB HTML, {queries} queries)"
    )
    print(
        f"district_figures over schemas  {figures_seconds * 1000:8.1f} ms   "
        f"({schema_count} schemas, one pass)"
    )
    print(f"rollup_refresh (read + write)  {rollup_seconds * 1000:8.1f} ms   ({refreshed} districts)")
    print(f"ratio: querying every schema takes {figures_seconds / page:.0f}x the dashboard's page load")
    return 0


if __name__ == "__main__":
    sys.exit(main())
