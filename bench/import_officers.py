"""Officer import speed: 10,000 officers into one district, first time and again (nothing to do).

    make bench BENCH=bench/import_officers.py
    make bench BENCH=bench/import_officers.py BENCH_ARGS="-n 20000"

Provisions a district of its own (``bench-import``), gives it offices and posts, and imports a
generated CSV file of N officers (names in both scripts) through the same services the state
console uses: the dry run (``officer_import_preview``) and the import (``officer_import_run``, the
background task's body, run here). Then it imports the same file again, the idempotent path where
every row is found unchanged, and prints both side by side, with the same dry run of an XLSX copy.
Everything it made (district, accounts, stored files) is removed at the end, but for its own staff
account ``bench.staff`` and the audit events that name it (the audit log is append-only).
"""

import argparse
import csv
import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    from config import embedded_postgres

    embedded_postgres.start()

import django  # noqa: E402

from bench._timing import timed  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from core.models import Office, Post, Posting  # noqa: E402
from core.org import services as core_services  # noqa: E402
from state_admin.models import ImportJob  # noqa: E402
from state_admin.services.audit import StaffActor  # noqa: E402
from state_admin.services.officer_import import officer_import_preview, officer_import_run  # noqa: E402
from state_admin.services.provisioning import DistrictSpec, district_provision  # noqa: E402
from tenants import schemas  # noqa: E402
from tenants.context import district_context  # noqa: E402
from tenants.models import District, DistrictMembership, User  # noqa: E402

SLUG = "bench-import"
PREFIX = "bench.officer."
OFFICES = 50
HEADER = ["login_id", "name", "name_hi", "rank", "service_number", "mobile", "email", "office", "post"]


def _cleanup() -> None:
    for district in District.objects.filter(slug=SLUG):
        schemas.schema_drop(district.schema_name)
        district.domains.all().delete()
        district.delete()
    people = User.objects.filter(login_id__startswith=PREFIX)
    DistrictMembership.objects.filter(person__in=people).delete()
    people._raw_delete(people.db)  # their postings went with the schema


def _district(count: int) -> District:
    district = district_provision(spec=DistrictSpec(slug=SLUG, name="Bench Import", name_hi="परीक्षण"))
    with district_context(district.schema_name):
        for i in range(OFFICES):
            office = core_services.office_create(
                code=f"thana-{i}", name=f"Thana {i}", name_hi=f"थाना {i}", kind=Office.Kind.THANA, phase=3
            )
            # A post has one holder at a time: each officer of the file gets their own.
            Post.objects.bulk_create(
                Post(office=office, code=f"thana-{i}-{j}", title=f"Post {i}.{j}", kind=Post.Kind.SI)
                for j in range(count // OFFICES + 1)
            )
    return district


def _rows(count: int) -> list[list[str]]:
    return [
        [
            f"{PREFIX}{n}",
            f"Officer {n}",
            "अधिकारी कुमार",
            "Sub-inspector",
            f"BENCH{n:07d}",
            f"+91 9{n % 10**9:09d}",
            f"{PREFIX}{n}@example.org",
            f"Thana {n % OFFICES}",  # by name, as people write it
            f"thana-{n % OFFICES}-{n // OFFICES}",
        ]
        for n in range(1, count + 1)
    ]


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(actor: StaffActor, district: District, data: bytes, name: str) -> tuple[ImportJob, float, float]:
    job, preview = timed(
        lambda: officer_import_preview(actor=actor, filename=name, data=data, district=district)
    )
    assert not job.errors, job.errors[:5]
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    job, run = timed(lambda: officer_import_run(job_id=job.pk, actor=actor))
    assert job.status == ImportJob.Status.DONE, job.message
    return job, preview, run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=10_000, help="officers (default 10,000)")
    args = parser.parse_args()

    schemas.template_ensure_current()
    _cleanup()
    media = tempfile.TemporaryDirectory(prefix="karyalay-bench-")
    settings.MEDIA_ROOT = Path(media.name)
    try:
        district = _district(args.count)
        staff, _created = User.objects.get_or_create(login_id="bench.staff", defaults={"is_staff": True})
        actor = StaffActor(user=staff)
        rows = _rows(args.count)
        data = _csv(rows)
        first, first_preview, first_run = _import(actor, district, data, "officers.csv")
        again, again_preview, again_run = _import(actor, district, data, "officers.csv")
        xlsx = _xlsx(rows)
        _xlsx_job, xlsx_preview = timed(
            lambda: officer_import_preview(actor=actor, filename="o.xlsx", data=xlsx, district=district)
        )
        with district_context(district.schema_name):
            postings = Posting.objects.filter(
                person__login_id__startswith=PREFIX, ends_on__isnull=True
            ).count()
    finally:
        ImportJob.objects.filter(
            filename__in=["officers.csv", "o.xlsx"], created_by__login_id="bench.staff"
        ).delete()
        _cleanup()
        media.cleanup()

    n = args.count
    made, same = first.result["imported"], again.result["imported"]
    assert made["new_accounts"] == n and postings == n, (made, postings)
    assert same["unchanged"] == n and same["new_postings"] == 0, same
    print(
        f"Importing {n:,} officers into one district (one post each, in {OFFICES} offices), "
        f"CSV of {len(data) / 2**20:.1f} MB; PostgreSQL {connection.pg_version // 10000}"
    )
    print(f"{'':<24}{'first import':>16}{'re-import':>16}")
    print(f"{'dry run (s)':<24}{first_preview:>16.2f}{again_preview:>16.2f}")
    print(f"{'import task (s)':<24}{first_run:>16.2f}{again_run:>16.2f}")
    print(f"{'total (s)':<24}{first_preview + first_run:>16.2f}{again_preview + again_run:>16.2f}")
    print(f"{'import rows/s':<24}{n / first_run:>16,.0f}{n / again_run:>16,.0f}")
    print(
        f"first import: {made['new_accounts']:,} accounts and {made['new_postings']:,} postings made; "
        f"re-import: {same['unchanged']:,} rows unchanged, nothing written"
    )
    print(f"ratio: re-import takes {(again_preview + again_run) / (first_preview + first_run):.2f}x the time")
    print(f"dry run of the same rows as XLSX ({len(xlsx) / 2**20:.1f} MB): {xlsx_preview:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
