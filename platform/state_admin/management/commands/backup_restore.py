"""Restore from a backup: ``manage.py backup_restore <archive> [--as NEW-SLUG] [--replace]``.

A district backup restores that district into this running deployment (others untouched):
where it is gone, under its own slug; over the live one only with ``--replace``; beside it under
``--as NEW-SLUG``. A deployment backup restores everything into an empty database (disaster
recovery; run ``manage.py db_roles`` after it). Runs as the owner role (manage.py OWNER_COMMANDS).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from state_admin.services.backup import deployment_restore
from state_admin.services.backup_restore import backup_restore_district
from state_admin.services.export_archive import ArchiveError


class Command(BaseCommand):
    help = "Restore a district (or, into an empty database, the whole deployment) from a backup."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--district", default=None, help="The district the backup must hold (a check).")
        parser.add_argument(
            "--as", dest="as_slug", default=None, help="Restore beside the original under this slug."
        )
        parser.add_argument("--replace", action="store_true", help="Replace the live district of that slug.")

    def handle(
        self, *args, archive: str, district: str | None, as_slug: str | None, replace: bool, **options
    ):
        try:
            if archive.endswith(".tar.gz"):
                result = backup_restore_district(
                    archive=Path(archive), as_slug=as_slug, replace=replace, expected_slug=district
                )
            else:
                if as_slug or replace or district:
                    raise CommandError(
                        "A deployment backup restores whole, into an empty database; "
                        "back up one district with backup_create --district to restore it alone."
                    )
                manifest = deployment_restore(archive=Path(archive))
                self.stdout.write(f"restored the deployment of {manifest['created_at']}; now run db_roles")
                return
        except ArchiveError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        d = result.district
        replacing = ", replacing the live one" if result.replaced else ""
        rows, tables = sum(result.row_counts.values()), len(result.row_counts)
        self.stdout.write(
            f"restored {d.slug} (schema {d.schema_name}{replacing}): "
            f"{rows} rows in {tables} tables, {result.files} files, "
            f"{len(result.accounts_created)} accounts created; audit chain verified and anchored; "
            f"seconds: {result.seconds:.2f}"
        )
