"""Check a backup without restoring it: ``manage.py backup_verify <archive>``."""

from django.core.management.base import BaseCommand, CommandError

from state_admin.services.backup import backup_verify
from state_admin.services.export_archive import ArchiveError


class Command(BaseCommand):
    help = "Read a backup back and check every member's SHA-256 and its version against this code."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive: str, **options):
        try:
            manifest = backup_verify(archive=archive)
        except ArchiveError as exc:
            raise CommandError(f"Backup NOT usable: {exc}") from exc
        files = sum(1 for name in manifest["members"] if name.startswith("files/"))
        what = manifest.get("district") or "the whole deployment"
        self.stdout.write(f"ok: {what}, made {manifest['created_at']}, {files} files, every checksum matches")
