"""Back up the deployment or one district: ``manage.py backup_create --all | --district <slug>``.

The command ``deploy/backup.sh`` and the backup CronJob run. Writes into ``--out`` (default
``KARYALAY_BACKUP_DIR``, else ``<data folder>/backups``), verifies what it wrote, and prints the
path, size, SHA-256 and time. Exits non-zero, leaving no complete-looking file, on any failure.
"""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from state_admin.services.backup import backup_create_all, backup_create_district
from state_admin.services.export_archive import ArchiveError
from tenants.models import District


def default_backup_dir() -> Path:
    configured = os.environ.get("KARYALAY_BACKUP_DIR", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backups"


class Command(BaseCommand):
    help = "Back up the whole deployment (--all) or one district (--district SLUG), then verify it."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--all", action="store_true", help="The whole database and every district's files."
        )
        which.add_argument("--district", metavar="SLUG", help="One district: schema, files, accounts.")
        parser.add_argument("--out", default=None, help="Folder to write into (default KARYALAY_BACKUP_DIR).")

    def handle(self, *args, all: bool, district: str | None, out: str | None, **options):
        target = Path(out) if out else default_backup_dir()
        started = time.monotonic()
        try:
            if all:
                result = backup_create_all(target_dir=target)
            else:
                found = District.objects.filter(slug=district).first()
                if found is None:
                    raise CommandError(f"No district with the slug {district!r}.")
                result = backup_create_district(district=found, target_dir=target)
        except ArchiveError as exc:
            raise CommandError(f"Backup failed, nothing was kept: {exc}") from exc
        self.stdout.write(f"path: {result.path}")
        self.stdout.write(f"sha256: {result.sha256}")
        files = sum(1 for name in result.manifest["members"] if name.startswith("files/"))
        self.stdout.write(f"size: {result.size} bytes, files: {files}, verified")
        self.stdout.write(f"seconds: {time.monotonic() - started:.2f}")
