"""Remove stored document files that no row names, and stale temporary uploads:
``python manage.py sweep_documents vaishali`` or ``--all``. The nightly task does the same for
every district; this is for an operator who wants it now (after restoring a backup, say)."""

from django.core.management.base import BaseCommand, CommandError

from core.base.storage import SWEEP_AFTER_HOURS, documents_sweep
from tenants.context import district_context
from tenants.management.districts import districts_arguments_add, districts_named


class Command(BaseCommand):
    help = "Remove document files with no row and stale temporary uploads in a district (or --all)."

    def add_arguments(self, parser):
        districts_arguments_add(parser)
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=SWEEP_AFTER_HOURS,
            help=f"Only files older than this (default {SWEEP_AFTER_HOURS}): younger ones may be "
            "uploads still on their way to being committed.",
        )

    def handle(self, *args, slug: str | None, all: bool, older_than_hours: float, **options):
        districts = districts_named(slug=slug, all=all, has_no="storage")
        if older_than_hours < 0:
            raise CommandError("--older-than-hours cannot be negative.")
        for district in districts:
            with district_context(district.schema_name):
                removed = documents_sweep(older_than_hours=older_than_hours)
            self.stdout.write(f"{district.slug}: {removed} file(s) removed")
