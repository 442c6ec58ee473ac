"""Delete a district for good, only after a verified export:

    python manage.py district_delete sheohar --archive /path/<uuid>.tar.gz --by state.staff [--yes]

Refuses unless the district is suspended or archived, the archive is a finished export of it
(same SHA-256 as a DONE ExportJob, every member matching its manifest) and the schema's row
counts still equal the archive's. Never offered in the state console.
"""

from django.core.management.base import BaseCommand, CommandError

from state_admin.services.audit import StaffActor
from state_admin.services.export_archive import ArchiveError
from state_admin.services.export_restore import district_export_verify
from state_admin.services.lifecycle import district_delete_irreversibly
from tenants.models import District, User


class Command(BaseCommand):
    help = "Drop a suspended or archived district (schema, files, rows) after a verified export."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--archive", required=True, help="The district's export archive.")
        parser.add_argument("--by", required=True, help="Login ID of the platform staff member.")
        parser.add_argument("--yes", action="store_true", help="Do not ask to type the slug.")

    def handle(self, *args, slug: str, archive: str, by: str, yes: bool, **options):
        district = District.objects.filter(slug=slug).first()
        if district is None:
            raise CommandError(f"No district with the slug {slug!r}.")
        user = User.objects.filter(login_id=by.lower(), is_staff=True, is_active=True).first()
        if user is None:
            raise CommandError(f"No platform staff account {by!r}.")
        if district.status not in (District.Status.SUSPENDED, District.Status.ARCHIVED):
            raise CommandError(
                f"{district.name} is {district.status}; suspend or archive it before deleting it."
            )
        try:
            job = district_export_verify(district=district, archive=archive)
        except ArchiveError as exc:
            raise CommandError(f"Refused: {exc}") from exc
        self.stdout.write(f"verified export {job.pk} (sha256 {job.sha256}) of {district.name}")
        if not yes:
            typed = input(f"This drops {district.name}'s schema and files for good. Type {slug} to go on: ")
            if typed.strip() != slug:
                raise CommandError("Not deleted: the slug was not typed.")
        summary = district_delete_irreversibly(
            actor=StaffActor(user=user), district=district, export_id=job.pk
        )
        self.stdout.write(f"deleted {summary['slug']} (schema {summary['schema']}); export kept: {job.pk}")
