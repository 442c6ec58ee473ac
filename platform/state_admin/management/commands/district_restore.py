"""Restore a district from its export: ``python manage.py district_restore <archive> [--sha256 HEX]``.

An export is a district backup: this is ``backup_restore`` (one restore path) with the archive's
expected SHA-256, for a district that is not here (e.g. a fresh database after ``manage.py
migrate``). All or nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from state_admin.services.backup_restore import backup_restore_district
from state_admin.services.export_archive import ArchiveError


class Command(BaseCommand):
    help = "Restore a district (schema, files, accounts) from an export archive; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--sha256", default=None, help="The archive's expected SHA-256.")

    def handle(self, *args, archive: str, sha256: str | None, **options):
        try:
            result = backup_restore_district(archive=archive, expected_sha256=sha256)
        except ArchiveError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        district = result.district
        self.stdout.write(
            f"restored {district.slug} (schema {district.schema_name}, status {district.status})"
        )
        self.stdout.write(
            f"accounts: {len(result.accounts_created)} created, {len(result.accounts_reused)} reused; "
            f"files: {result.files}; seconds: {result.seconds:.2f}"
        )
        for table, count in sorted(result.row_counts.items()):
            expected = result.expected_counts.get(table)
            self.stdout.write(f"{table}\t{count}\t(manifest {expected})")
