"""Export a district now, in this process: ``python manage.py district_export vaishali``."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from state_admin.models import ExportJob
from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.export import district_export_build, export_path
from tenants.models import District, User


class Command(BaseCommand):
    help = "Build a district's export archive synchronously; prints its path and SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--by", default="", help="Login ID of the staff member doing it (audit log).")

    def handle(self, *args, slug: str, by: str, **options):
        district = District.objects.filter(slug=slug).first()
        if district is None:
            raise CommandError(f"No district with the slug {slug!r}.")
        if not district.has_schema:
            raise CommandError(f"{district.name} is {district.status}; it has no data to export yet.")
        actor = None
        if by:
            user = User.objects.filter(login_id=by.lower(), is_staff=True).first()
            if user is None:
                raise CommandError(f"No platform staff account {by!r}.")
            actor = StaffActor(user=user)
        with transaction.atomic():
            job = ExportJob.objects.create(
                district=district, district_slug=district.slug, created_by=actor.user if actor else None
            )
            audit_record(
                actor=actor, action="district.export", district=district, target=str(job.pk),
                details={"via": "manage.py district_export"},
            )  # fmt: skip
        started = time.monotonic()
        job = district_export_build(job_id=job.pk)
        if job.status != ExportJob.Status.DONE:
            raise CommandError(f"Export failed: {job.message}")
        self.stdout.write(f"path: {export_path(job)}")
        self.stdout.write(f"sha256: {job.sha256}")
        self.stdout.write(f"size: {job.size} bytes, rows: {sum(job.row_counts.values())}")
        self.stdout.write(f"seconds: {time.monotonic() - started:.2f}")
