"""Remove stored document files that no row names, and stale temporary uploads:
``python manage.py sweep_documents vaishali`` or ``--all``. The nightly task does the same for
every district; this is for an operator who wants it now (after restoring a backup, say)."""

from django.core.management.base import BaseCommand, CommandError

from core.base.storage import SWEEP_AFTER_HOURS, documents_sweep
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District


class Command(BaseCommand):
    help = "Remove document files with no row and stale temporary uploads in a district (or --all)."

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", help="The district's slug, e.g. vaishali.")
        parser.add_argument("--all", action="store_true", help="Every district that has a schema.")
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=SWEEP_AFTER_HOURS,
            help=f"Only files older than this (default {SWEEP_AFTER_HOURS}): younger ones may be "
            "uploads still on their way to being committed.",
        )

    def handle(self, *args, slug: str | None, all: bool, older_than_hours: float, **options):
        if bool(slug) == bool(all):
            raise CommandError("Give one district slug, or --all.")
        if older_than_hours < 0:
            raise CommandError("--older-than-hours cannot be negative.")
        if all:
            districts = list(District.objects.filter(status__in=STATUSES_WITH_SCHEMA).order_by("slug"))
        else:
            district = District.objects.filter(slug=slug.strip().lower()).first()
            if district is None:
                raise CommandError(f"No district with the slug {slug!r}.")
            if not district.has_schema:
                raise CommandError(f"{district.name} is {district.status}; it has no storage yet.")
            districts = [district]
        for district in districts:
            with district_context(district.schema_name):
                removed = documents_sweep(older_than_hours=older_than_hours)
            self.stdout.write(f"{district.slug}: {removed} file(s) removed")
