"""Outages: declaring one for a whole district (reserving its numbers), printing its registers,
and back-entering dak and movements.

    make bench BENCH=bench/outage.py
    make bench BENCH=bench/outage.py BENCH_ARGS="--offices 40 --numbers 200 --entries 100"

Works in a database of its own (DATABASE_URL's name with ``_bench_outage`` appended, kept between
runs; ``--fresh`` drops it first) with one district of ``--offices`` offices. Each run ends any open
outage, declares a district-wide outage reserving ``--numbers`` diary numbers and as many movement
slips per office (one transaction, as the page does), renders the SP office's inward register PDF,
then back-enters ``--entries`` letters with their scans left out (``outage_dak_back_enter``) and
marks each on to the SP on a reserved slip (``outage_movement_back_enter``). Prints each time.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench._db import bench_database  # noqa: E402
from bench._timing import quantile_ms  # noqa: E402

SLUG = "bench-outage"


def _world(offices: int):
    from core.base.audit import Actor
    from core.models import Office, Post, Posting
    from core.org import services as core_services
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants.context import district_context
    from tenants.models import District
    from tenants.services import person_get_or_create

    district = District.objects.filter(slug=SLUG).first() or district_provision(
        spec=DistrictSpec(slug=SLUG, name="Bench Outage", range_name="Tirhut")
    )
    people = {}
    with district_context(district.schema_name):
        office = Office.objects.get(code="sp-office")
        office.abbr = office.abbr or "SPBO"
        office.save(update_fields=["abbr"])
        for n in range(Office.objects.count(), offices + 1):
            thana = core_services.office_create(
                code=f"ps-{n}", name=f"Thana {n}", kind=Office.Kind.THANA, parent=office
            )
            thana.abbr = f"PS{n}"
            thana.save(update_fields=["abbr"])
        for key, kind in (("sp", Post.Kind.SP), ("clerk", Post.Kind.CLERK)):
            person, _ = person_get_or_create(login_id=f"bench.outage.{key}", full_name=f"Bench {key}")
            post = Post.objects.filter(code=f"bench-{key}").first() or core_services.post_create(
                office=office, code=f"bench-{key}", title=f"Bench {key}", kind=kind
            )
            if not Posting.objects.filter(person=person, post=post, ends_on__isnull=True).exists():
                core_services.posting_start(person=person, post=post)
            people[key] = (Actor(person=person, post_id=post.pk), post)
    return district, office, people


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--offices", type=int, default=40)
    parser.add_argument("--numbers", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    bench_database("_bench_outage", fresh=args.fresh)

    from django.utils import timezone

    from core.models import Outage
    from core.outage.register import register_pdf
    from core.outage.services import (
        outage_dak_back_enter,
        outage_declare,
        outage_end,
        outage_movement_back_enter,
    )
    from tenants.context import district_context

    district, office, people = _world(args.offices)
    sp, _sp_post = people["sp"]
    clerk, clerk_post = people["clerk"]
    with district_context(district.schema_name):
        for open_one in Outage.objects.filter(ended_at__isnull=True):
            outage_end(actor=sp, outage=open_one, ended_at=timezone.now())
        start = timezone.now() - datetime.timedelta(hours=2)
        began = time.perf_counter()
        outage = outage_declare(
            actor=sp, office=None, started_at=start, diary_count=args.numbers, slip_count=args.numbers
        )
        declared = time.perf_counter() - began
        count = outage.numbers.count()
        began = time.perf_counter()
        pdf = register_pdf(outage, kind="diary", office_id=office.pk)
        printed = time.perf_counter() - began
        diary = list(
            outage.numbers.filter(kind="diary", office=office)
            .order_by("serial")
            .values_list("number", flat=True)
        )
        slips = list(
            outage.numbers.filter(kind="slip", office=office)
            .order_by("serial")
            .values_list("number", flat=True)
        )
        dak_times, move_times = [], []
        for n in range(min(args.entries, args.numbers)):
            at = start + datetime.timedelta(minutes=n % 100 + 1)
            began = time.perf_counter()
            receipt = outage_dak_back_enter(
                actor=clerk,
                outage=outage,
                post=clerk_post,
                number=diary[n],
                occurred_at=at,
                mode="post",
                sender="Bench sender",
                subject=f"Bench letter {n}",
            )
            dak_times.append(time.perf_counter() - began)
            began = time.perf_counter()
            outage_movement_back_enter(
                actor=clerk,
                outage=outage,
                item=receipt,
                to_post=_sp_post,
                number=slips[n],
                occurred_at=at + datetime.timedelta(seconds=30),
            )
            move_times.append(time.perf_counter() - began)

    print(f"offices: {args.offices}, numbers per office and kind: {args.numbers}")
    print(f"declare (whole district, {count} numbers reserved): {declared * 1000:.0f} ms")
    size = len(pdf) // 1024
    print(f"inward register PDF, one office ({args.numbers} rows, {size} KB): {printed * 1000:.0f} ms")
    for name, values in (("dak", dak_times), ("movement", move_times)):
        median = statistics.median(values) * 1000
        print(
            f"{name} back-entry x{len(values)}: median {median:.1f} ms, p95 {quantile_ms(values, 95):.1f} ms"
        )


if __name__ == "__main__":
    main()
